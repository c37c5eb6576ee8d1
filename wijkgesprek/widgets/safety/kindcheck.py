"""Kindcheck: the questions, the last safety state, and the outcome.

Choosing an outcome records it: "geen zorgen" and "zorgen" at once; "aandachtspunt" and
"niet gedaan" first ask for their words (what to watch and when; why not), and are
recorded with them. Nothing is recorded twice in a row.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from wijkgesprek.domain.meldcode import previous_state
from wijkgesprek.domain.safety import (
    KINDCHECK,
    KINDCHECK_OUTCOMES,
    WHEN,
    SafetyEntry,
    kindcheck_outcome,
    kindcheck_problem,
    kindcheck_required,
    kindcheck_text,
    kindcheck_when,
    needs_reason,
)
from wijkgesprek.text import visible
from wijkgesprek.widgets.field import field
from wijkgesprek.widgets.safety.base import Field, SafetyContext, SafetyInput, SafetySection

_REASON_LABEL = {"niet-gedaan": "Waarom niet?", "aandachtspunt": "Waar let u op?"}


class Outcomes(OptionList):
    """Enter chooses the highlighted outcome at once (a priority binding)."""

    BINDINGS = [Binding("enter", "choose", "Vastleggen", show=False, priority=True)]

    def action_choose(self) -> None:
        self.query_ancestor(KindcheckSection).choose()


class KindcheckSection(SafetySection):
    title = "Kindcheck"

    def entered(self, field: SafetyInput) -> None:
        """Enter in the words of an outcome (handled at once, see SafetyInput)."""
        if field.id == "kc-when":
            self._submit()
        else:
            self._reason_entered()

    def leave_field(self, field: Field) -> Widget | None:
        """Escape in the words: the outcome is not recorded; back to the outcomes."""
        self._ask(None)
        self.query_one("#kc-error", Static).update("")
        super().leave_field(field)
        return self.query_one("#kc-outcome", OptionList)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.ids: list[str] = []
        self.texts: dict[str, str] = {}
        self.pending = ""
        """The outcome whose words are being typed (aandachtspunt, niet gedaan)."""
        self.entries: tuple[SafetyEntry, ...] = ()

    def compose(self) -> ComposeResult:
        yield Static("", id="kc-questions")
        yield Static("", id="kc-current", markup=False)
        # Right above the outcomes: the focus on them keeps it on screen at 80×24.
        yield Static("", id="kc-previous")
        yield Static("Uitkomst (pijltjes en Enter):", classes="section-label")
        yield Outcomes(id="kc-outcome", markup=False)
        yield Static("", id="kc-explain", markup=False)
        yield field(
            "Waarom niet?",
            SafetyInput(id="kc-reason", compact=True, max_length=300),
            id="kc-reason-field",
        )
        yield field(
            "Wanneer kijken?",
            SafetyInput(
                placeholder="bijv. volgend bezoek, of 15-01",
                id="kc-when",
                compact=True,
                max_length=80,
            ),
            id="kc-when-field",
        )
        yield Static("", id="kc-error", classes="form-error", markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        self._ask(None)

    def focus_first(self) -> None:
        self.screen.set_focus(self.query_one("#kc-outcome", OptionList))

    def show(self, context: SafetyContext) -> None:
        self.entries = tuple(context.entries)
        self._show_previous(context)
        questions = [
            Content.styled("Vraag, ook als het gesprek over een volwassene gaat:\n", "italic")
        ]
        questions += [Content(f"{n}. {q}\n") for n, q in enumerate(context.guide.kindcheck, 1)]
        self.query_one("#kc-questions", Static).update(Content("").join(questions))
        outcome = kindcheck_outcome(context.entries)
        current = self.query_one("#kc-current", Static)
        if outcome is None:
            needed = kindcheck_required(context.children)
            current.update(
                "Nog geen uitkomst." + (" Nodig om het bezoek af te sluiten." if needed else "")
            )
        else:
            when = outcome.at.astimezone().strftime("%d-%m-%Y %H:%M")
            next_step = " Volg de meldcode (5)." if outcome.value == "zorgen" else ""
            current.update(
                visible(f"Vastgelegd: {kindcheck_text(context.entries)} ({when}).{next_step}")
            )
        self.texts = dict(context.guide.kindcheck_outcomes)
        listing = self.query_one("#kc-outcome", OptionList)
        highlighted = listing.highlighted
        if self.ids != list(self.texts):
            self.ids = list(self.texts)
            listing.clear_options()
            listing.add_options(
                [Option(KINDCHECK_OUTCOMES.get(key, key), id=key) for key in self.ids]
            )
        if highlighted is None and outcome is not None and outcome.value in self.ids:
            highlighted = self.ids.index(outcome.value)
        listing.highlighted = highlighted or 0

    def _show_previous(self, context: SafetyContext) -> None:
        previous = previous_state(
            context.history, context.guide, visit_id=context.visit_id, before=context.started
        )
        box = self.query_one("#kc-previous", Static)
        box.display = previous is not None
        if previous is not None:
            title = f"Vorige keer ({previous.day:%d-%m-%Y}), ter vergelijking:"
            lines = [Content.styled(title, "bold")]
            lines += [Content(visible(f"  {line}")) for line in previous.lines()]
            lines.append(Content.styled("Vraag: hoe is het nu?", "italic"))
            box.update(Content("\n").join(lines))

    def status(self, context: SafetyContext) -> str:
        outcome = kindcheck_outcome(context.entries)
        return KINDCHECK_OUTCOMES[outcome.value] if outcome else "nog doen"

    @on(OptionList.OptionHighlighted, "#kc-outcome")
    def _explain(self, event: OptionList.OptionHighlighted) -> None:
        text = self.texts.get(str(event.option.id), "")
        self.query_one("#kc-explain", Static).update(visible(text))

    @on(OptionList.OptionSelected, "#kc-outcome")
    def _clicked(self) -> None:
        self.choose()

    def _ask(self, outcome: str | None) -> None:
        """Show the fields ``outcome`` needs (none for None), filled with what is kept."""
        self.pending = outcome or ""
        reason_field = self.query_one("#kc-reason-field")
        reason_field.display = outcome is not None
        self.query_one("#kc-when-field").display = outcome == "aandachtspunt"
        if outcome is None:
            return
        reason_field.query_one("Label").update(_REASON_LABEL[outcome])  # type: ignore[attr-defined]
        kept = kindcheck_outcome(self.entries)
        same = kept is not None and kept.value == outcome
        reason = self.query_one("#kc-reason", Input)
        reason.value = kept.note if same and kept is not None else ""
        self.query_one("#kc-when", Input).value = kindcheck_when(self.entries) if same else ""
        reason.cursor_position = len(reason.value)
        self.screen.set_focus(reason)
        self.remember_fields()

    def choose(self) -> None:
        """The highlighted outcome: recorded at once, or its words asked first."""
        highlighted = self.query_one("#kc-outcome", OptionList).highlighted
        outcome = self.ids[highlighted] if highlighted is not None else ""
        self.query_one("#kc-error", Static).update("")
        if needs_reason(outcome):
            self._ask(outcome)
            return
        self._ask(None)
        self._keep(outcome, "", "")

    def _reason_entered(self) -> None:
        if self.pending == "aandachtspunt" and not self.query_one("#kc-when", Input).value.strip():
            self.screen.set_focus(self.query_one("#kc-when", Input))
            return
        self._submit()

    def _submit(self) -> None:
        reason = self.query_one("#kc-reason", Input).value.strip()
        when = self.query_one("#kc-when", Input).value.strip()
        problem = kindcheck_problem(self.pending, reason, when)
        self.query_one("#kc-error", Static).update(problem or "")
        if problem is not None:
            empty = "#kc-when" if reason and self.pending == "aandachtspunt" else "#kc-reason"
            self.screen.set_focus(self.query_one(empty, Input))
            return
        outcome = self.pending
        self._ask(None)
        self._keep(outcome, reason, when if outcome == "aandachtspunt" else "")

    def _keep(self, outcome: str, reason: str, when: str) -> None:
        """Record (the screen leaves out a repeat of what was just recorded)."""
        self.record(KINDCHECK, "", outcome, reason)
        if when:  # after the outcome: a "wanneer" older than it is not its own
            self.record(KINDCHECK, WHEN, when)
        for widget_id in ("#kc-reason", "#kc-when"):
            self.query_one(widget_id, Input).value = ""
        self.focus_first()
