"""Balance: draaglast against draagkracht, to look at together with the parent."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from wijkgesprek.domain.safety import BALANCE, balance, current
from wijkgesprek.widgets.safety.base import SafetyContext, SafetySection

KEYS = "j = ja, n = nee, o = onbekend"


class BalanceQuestions(OptionList):
    """Each question is answered with its own key, never by going round the answers (a
    first "nee" would otherwise pass "ja" into the trail)."""

    BINDINGS = [
        Binding("j", "answer('ja')", "Ja", id="balans-ja"),
        Binding("n", "answer('nee')", "Nee", id="balans-nee"),
        Binding("o", "answer('onbekend')", "Onbekend", id="balans-onbekend"),
    ]

    def action_answer(self, answer: str) -> None:
        self.query_ancestor(BalanceSection).answer(answer)


def _column(title: str, items: tuple[str, ...]) -> Content:
    lines = [Content.styled(f"{title}  {'■' * len(items)} {len(items)}\n", "bold")]
    lines += [Content(f"• {item}\n") for item in items] or [Content("(nog niets)\n")]
    return Content("").join(lines)


class BalanceSection(SafetySection):
    title = "Balans"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.ids: list[str] = []
        self.answers: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Static(
            "Wat weegt, en wat draagt? Bekijk het samen; het is geen uitslag.",
            classes="section-label",
        )
        # The questions first, so the one under the cursor is always on the screen
        # (also at 80×24, however much the two columns below hold).
        yield Static(f"Vragen ({KEYS}):", classes="section-label")
        yield BalanceQuestions(id="balance-questions", markup=False)
        yield Static("", id="balance-hint", classes="hint")
        with Horizontal(id="balance-view"):
            yield Static("", id="balance-load")
            yield Static("", id="balance-capacity")

    def show(self, context: SafetyContext) -> None:
        view = balance(
            context.guide,
            tagged=context.tagged,
            theme_names=context.theme_names,
            entries=context.entries,
        )
        self.query_one("#balance-load", Static).update(_column("Draaglast", view.load))
        self.query_one("#balance-capacity", Static).update(_column("Draagkracht", view.capacity))
        self.answers = {k: e.value for k, e in current(context.entries, BALANCE).items()}
        listing = self.query_one("#balance-questions", OptionList)
        highlighted = listing.highlighted
        listing.clear_options()
        self.ids = [q.id for q in context.guide.balance]
        for question in context.guide.balance:
            answer = self.answers.get(question.id, "onbekend")
            listing.add_option(Option(Content(f"[{answer:^8}] {question.vraag}")))
        listing.highlighted = 0 if highlighted is None else highlighted

    @on(OptionList.OptionSelected, "#balance-questions")
    def _enter(self) -> None:
        """Enter records nothing: it says which keys answer."""
        self.query_one("#balance-hint", Static).update(
            f"Antwoord met een letter: {KEYS}. Enter legt niets vast."
        )

    def answer(self, answer: str) -> None:
        """The highlighted question answered; the same answer again writes nothing."""
        highlighted = self.query_one("#balance-questions", OptionList).highlighted
        if highlighted is None or highlighted >= len(self.ids):
            return
        self.query_one("#balance-hint", Static).update("")
        key = self.ids[highlighted]
        if self.answers.get(key, "onbekend") != answer:
            self.record(BALANCE, key, answer)
