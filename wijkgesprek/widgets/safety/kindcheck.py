"""Kindcheck: the questions, and the outcome with its reason."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from wijkgesprek.domain.safety import (
    KINDCHECK,
    KINDCHECK_OUTCOMES,
    SafetyEntry,
    kindcheck_outcome,
    kindcheck_problem,
    kindcheck_required,
)
from wijkgesprek.widgets.safety.base import SafetyContext, SafetySection


class Outcomes(OptionList):
    """Enter records the highlighted outcome at once (a priority binding)."""

    BINDINGS = [Binding("enter", "choose", "Vastleggen", show=False, priority=True)]

    def action_choose(self) -> None:
        section = next(node for node in self.ancestors if isinstance(node, KindcheckSection))
        section.choose()


class KindcheckSection(SafetySection):
    title = "Kindcheck"

    def compose(self) -> ComposeResult:
        yield Static("", id="kc-questions")
        yield Static("", id="kc-current", markup=False)
        yield Static(
            "Uitkomst (pijltjes, Enter legt vast; Tab: toelichting):",
            classes="section-label",
        )
        outcomes = Outcomes(
            *[Option(label, id=key) for key, label in KINDCHECK_OUTCOMES.items()],
            id="kc-outcome",
        )
        outcomes.highlighted = 0
        yield outcomes
        yield Input(
            placeholder="Toelichting (verplicht bij 'niet gedaan')",
            id="kc-reason",
            compact=True,
            max_length=300,
        )
        yield Static("", id="kc-error", classes="form-error", markup=False)

    def focus_first(self) -> None:
        self.screen.set_focus(self.query_one("#kc-outcome", OptionList))

    entries: tuple[SafetyEntry, ...] = ()

    def show(self, context: SafetyContext) -> None:
        self.entries = tuple(context.entries)
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
            reason = f" — {outcome.note}" if outcome.note else ""
            next_step = " Volg de meldcode (5)." if outcome.value == "zorgen" else ""
            current.update(
                f"Vastgelegd: {KINDCHECK_OUTCOMES[outcome.value]}{reason} ({when}).{next_step}"
            )

    def status(self, context: SafetyContext) -> str:
        outcome = kindcheck_outcome(context.entries)
        return KINDCHECK_OUTCOMES[outcome.value] if outcome else "nog doen"

    @on(OptionList.OptionSelected, "#kc-outcome")
    def _clicked(self) -> None:
        self.choose()

    @on(Input.Submitted, "#kc-reason")
    def _reason_entered(self) -> None:
        self.choose()

    def choose(self) -> None:
        """Record the highlighted outcome with the reason typed (if any). An outcome that
        needs a reason and has none moves the typing to the reason field."""
        highlighted = self.query_one("#kc-outcome", OptionList).highlighted
        outcome = list(KINDCHECK_OUTCOMES)[highlighted] if highlighted is not None else ""
        reason = self.query_one("#kc-reason", Input)
        problem = kindcheck_problem(outcome, reason.value)
        self.query_one("#kc-error", Static).update(problem or "")
        if problem is not None:
            self.screen.set_focus(reason)
            return
        current = kindcheck_outcome(self.entries)
        if current is None or (current.value, current.note) != (outcome, reason.value.strip()):
            self.record(KINDCHECK, "", outcome, reason.value.strip())  # never twice the same
        reason.value = ""
        self.screen.set_focus(self.query_one("#kc-outcome", OptionList))
