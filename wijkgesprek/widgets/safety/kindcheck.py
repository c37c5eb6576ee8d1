"""Kindcheck: the questions, and the outcome with its reason."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from wijkgesprek.domain.safety import (
    KINDCHECK,
    KINDCHECK_OUTCOMES,
    kindcheck_outcome,
    kindcheck_problem,
    kindcheck_required,
)
from wijkgesprek.widgets.safety.base import SafetyContext, SafetySection


class KindcheckSection(SafetySection):
    title = "Kindcheck"

    def compose(self) -> ComposeResult:
        yield Static("", id="kc-questions")
        yield Static("", id="kc-current", markup=False)
        yield Static("Uitkomst (pijltjes, Enter):", classes="section-label")
        outcomes = OptionList(
            *[Option(label, id=key) for key, label in KINDCHECK_OUTCOMES.items()],
            id="kc-outcome",
        )
        outcomes.highlighted = 0
        yield outcomes
        yield Input(
            placeholder="Toelichting; verplicht bij 'niet gedaan'",
            id="kc-reason",
            compact=True,
            max_length=300,
        )
        yield Static("", id="kc-error", classes="form-error", markup=False)

    def show(self, context: SafetyContext) -> None:
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
    def _chosen(self) -> None:
        self.query_one("#kc-reason", Input).focus()

    @on(Input.Submitted, "#kc-reason")
    def _save(self, event: Input.Submitted) -> None:
        highlighted = self.query_one("#kc-outcome", OptionList).highlighted
        outcome = list(KINDCHECK_OUTCOMES)[highlighted] if highlighted is not None else ""
        problem = kindcheck_problem(outcome, event.value)
        self.query_one("#kc-error", Static).update(problem or "")
        if problem is None:
            self.record(KINDCHECK, "", outcome, event.value.strip())
            event.input.value = ""
