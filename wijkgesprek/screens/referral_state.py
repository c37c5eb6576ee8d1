"""Change the state of a referral: besproken → aangemeld → (wachtlijst →) gestart / niet
gelukt."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from wijkgesprek.domain.referral import (
    FAILED,
    WAITING,
    ReferralData,
    expected_problem,
    expected_reason,
    next_states,
    state_text,
    transition_problem,
)
from wijkgesprek.domain.visit import parse_date
from wijkgesprek.screens.dialog import Dialog
from wijkgesprek.widgets.field import field

HELP = """\
# Verwijzing bijwerken

Een verwijzing gaat van **besproken** naar **aangemeld**, en dan naar **gestart**
of **niet gelukt**. Moet het gezin wachten, dan zet u een aangemelde verwijzing op
de **wachtlijst**; van daar gaat ze naar gestart of niet gelukt. Kies de nieuwe
stand met de pijltjes en **Enter**.

- Bij *wachtlijst* kunt u schrijven vanaf wanneer de hulp verwacht wordt (een
  datum, zoals 1-5-2026), of het veld leeg laten. De datum waarop de verwijzing op
  de wachtlijst kwam, bewaart de app zelf.
- Bij *niet gelukt* schrijft u kort op waarom: dat helpt het team zien wat er in de
  wijk ontbreekt.

Elke wijziging wordt bewaard met datum en bezoek; niets wordt overschreven.
**Escape** gaat terug zonder iets te veranderen.
"""


@dataclass(frozen=True)
class StateChange:
    state: str
    reason: str


class ReferralStateScreen(Dialog[StateChange | None]):
    HELP = HELP
    BINDINGS = [Binding("escape", "cancel", "Annuleren", id="verwijzing-annuleren")]

    def __init__(self, referral: ReferralData) -> None:
        super().__init__()
        self.referral = referral
        self.states = next_states(referral.state)

    def compose(self) -> ComposeResult:
        with Vertical(id="referral-dialog", classes="dialog"):
            yield Static(
                Content.assemble("Verwijzing: ", (self.referral.naam, "bold")),
                classes="dialog-title",
            )
            yield Static(f"Nu: {state_text(self.referral)}", markup=False)
            if self.states:
                yield OptionList(
                    *[Option(state, id=state) for state in self.states], id="states", markup=False
                )
            else:
                yield Static("Deze verwijzing is afgerond; de stand verandert niet meer.")
            yield field(
                "Waarom niet?",
                Input(
                    placeholder="bijv. past niet bij werktijden",
                    id="reason",
                    compact=True,
                    max_length=200,
                ),
                id="reason-field",
            )
            yield field(
                "Verwacht vanaf",
                Input(
                    placeholder="datum, bijv. 1-5-2026 (mag leeg)",
                    id="expected",
                    compact=True,
                    max_length=10,
                ),
                id="expected-field",
            )
            yield Static("", id="form-error", classes="form-error", markup=False)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#reason-field").display = False
        self.query_one("#expected-field").display = False

    @on(OptionList.OptionSelected, "#states")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        state = event.option.id or ""
        asks = {FAILED: "reason", WAITING: "expected"}.get(state)
        if asks is None:
            self.dismiss(StateChange(state, ""))
            return
        self.query_one(f"#{asks}-field").display = True
        self.query_one(f"#{asks}", Input).focus()

    @on(Input.Submitted, "#expected")
    def _expected(self, event: Input.Submitted) -> None:
        typed = event.value.strip()
        if not typed:
            self.dismiss(StateChange(WAITING, ""))
            return
        day = parse_date(typed)
        problem = expected_problem(day, date.today())
        if problem or day is None:
            self.query_one("#form-error", Static).update(problem or "")
            return
        self.dismiss(StateChange(WAITING, expected_reason(day)))

    @on(Input.Submitted, "#reason")
    def _reason(self, event: Input.Submitted) -> None:
        problem = transition_problem(self.referral.state, FAILED, event.value)
        if problem:
            self.query_one("#form-error", Static).update(problem)
            return
        self.dismiss(StateChange(FAILED, event.value.strip()))

    def action_cancel(self) -> None:
        self.dismiss(None)
