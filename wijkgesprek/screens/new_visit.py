"""Nieuw huisbezoek: only what is needed (code, wijk, age groups of the children)."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.suggester import SuggestFromList
from textual.widgets import Button, Footer, Input, Label, SelectionList, Static

from wijkgesprek.domain.household import (
    AGE_GROUPS,
    code_problem,
    normalise_code,
    wijk_problem,
)
from wijkgesprek.domain.visit import HouseholdRow
from wijkgesprek.screens.dialog import Dialog
from wijkgesprek.widgets.field import field
from wijkgesprek.widgets.toggle_list import ToggleList

NO_CHILDREN = "geen"

HELP = """\
# Nieuw huisbezoek

Vul alleen in wat nodig is:

- **Gezinscode**: letters, cijfers en streepjes met minstens één cijfer, zoals
  `GZ-001`. Gebruik nooit een naam.
- **Wijk**: de wijk van het huishouden (Tab vult een bekende wijk aan).
- **Kinderen**: kies met de pijltjes en de spatiebalk de leeftijdsgroepen, of
  *geen kinderen*. Een zwangerschap telt mee.

**Enter** in een veld of *Start huisbezoek* begint het bezoek; **Escape** annuleert.
"""


@dataclass(frozen=True)
class NewVisit:
    code: str
    wijk: str
    age_groups: tuple[str, ...]


class ChildrenList(ToggleList[str]):
    """Age groups: space toggles, Enter submits the form."""

    BINDINGS = [Binding("enter", "screen.submit", "Start huisbezoek", show=False)]


class NewVisitScreen(Dialog[NewVisit | None]):
    HELP = HELP
    BINDINGS = [
        Binding("escape", "cancel", "Annuleren", id="annuleren"),
        Binding("ctrl+s", "submit", "Start huisbezoek", id="starten"),
    ]

    def __init__(self, *, wijken: list[str], household: HouseholdRow | None = None) -> None:
        super().__init__()
        self.wijken = wijken
        self.household = household

    def compose(self) -> ComposeResult:
        known = self.household
        with Vertical(id="dialog", classes="dialog"):
            yield Static("Nieuw huisbezoek", classes="dialog-title")
            yield field(
                "Gezinscode",
                Input(
                    value=known.code if known else "",
                    placeholder="bijv. GZ-001",
                    id="code",
                    max_length=20,
                    compact=True,
                    disabled=known is not None,
                ),
            )
            yield field(
                "Wijk",
                Input(
                    value=known.wijk if known else "",
                    placeholder="bijv. Noord",
                    id="wijk",
                    max_length=40,
                    compact=True,
                    suggester=SuggestFromList(self.wijken, case_sensitive=False),
                ),
            )
            chosen = set(known.age_groups) if known else set()
            options: list[tuple[str, str, bool]] = [
                (label, group, group in chosen) for group, label in AGE_GROUPS
            ]
            options.append(("geen kinderen", NO_CHILDREN, known is not None and not chosen))
            with Horizontal(classes="field children-field"):
                yield Label("Kinderen", classes="field-label")
                yield ChildrenList(*options, id="children")
            yield Static(
                "Spatiebalk kiest een leeftijdsgroep · Enter start · Escape annuleert",
                classes="hint",
            )
            yield Static("", id="form-error", classes="form-error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Start huisbezoek", variant="primary", id="start")
                yield Button("Annuleren", id="cancel")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#wijk" if self.household else "#code", Input).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted)
    @on(Button.Pressed, "#start")
    def action_submit(self) -> None:
        code = normalise_code(self.query_one("#code", Input).value)
        wijk = self.query_one("#wijk", Input).value.strip()
        selected = list(self.query_one("#children", SelectionList).selected)
        problem = code_problem(code) or wijk_problem(wijk) or _children_problem(selected)
        error = self.query_one("#form-error", Static)
        if problem:
            error.update(problem)
            return
        error.update("")
        groups = tuple(group for group in selected if group != NO_CHILDREN)
        self.dismiss(NewVisit(code=code, wijk=wijk, age_groups=groups))


def _children_problem(selected: list[str]) -> str | None:
    if not selected:
        return "Kies de leeftijdsgroepen van de kinderen, of 'geen kinderen'."
    if NO_CHILDREN in selected and len(selected) > 1:
        return "Kies leeftijdsgroepen óf 'geen kinderen', niet allebei."
    return None
