"""Balance: draaglast against draagkracht, to look at together with the parent."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from wijkgesprek.domain.safety import BALANCE, balance, current
from wijkgesprek.widgets.safety.base import SafetyContext, SafetySection

_NEXT = {"onbekend": "ja", "ja": "nee", "nee": "onbekend"}


def _column(title: str, items: tuple[str, ...]) -> Content:
    lines = [Content.styled(f"{title}  {'■' * len(items)} {len(items)}\n", "bold")]
    lines += [Content(f"• {item}\n") for item in items] or [Content("(nog niets)\n")]
    return Content("").join(lines)


class BalanceSection(SafetySection):
    title = "Balans"

    def __init__(self, **kwargs: str) -> None:
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
        yield Static("Vragen (Enter: ja → nee → onbekend):", classes="section-label")
        yield OptionList(id="balance-questions", markup=False)
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
    def _answer(self, event: OptionList.OptionSelected) -> None:
        key = self.ids[event.option_index]
        self.record(BALANCE, key, _NEXT[self.answers.get(key, "onbekend")])
