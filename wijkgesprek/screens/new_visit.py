"""Nieuw huisbezoek: only what is needed (code, wijk, the children's ages).

The code of a household that is already known opens that household: its wijk and
children stay as they are (they change only from the history, with a dated trail).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Footer, Input, Static

from wijkgesprek.domain.household import (
    Children,
    code_problem,
    describe_children,
    normalise_code,
)
from wijkgesprek.domain.visit import HouseholdRow
from wijkgesprek.text import visible
from wijkgesprek.widgets.field import field
from wijkgesprek.widgets.household_fields import HELP as FIELDS_HELP
from wijkgesprek.widgets.household_fields import HouseholdDialog, HouseholdFields

HELP = f"""\
# Nieuw huisbezoek

Vul alleen in wat nodig is:

- **Gezinscode**: letters, cijfers en streepjes met minstens één cijfer, zoals
  `GZ-001`. Gebruik nooit een naam. Is de code al bekend (hoofdletters maken niet
  uit), dan begint het bezoek bij dat huishouden, met de wijk en kinderen die het
  al heeft; die wijzigt u in de geschiedenis (**g**, dan **h**).
{FIELDS_HELP}
**Enter** in een veld, **Ctrl+S** of *Start huisbezoek* begint het bezoek; **Escape**
annuleert.
"""


@dataclass(frozen=True)
class NewVisit:
    code: str
    wijk: str
    children: Children


class NewVisitScreen(HouseholdDialog[NewVisit | None]):
    HELP = HELP
    BINDINGS = [
        Binding("escape", "cancel", "Annuleren", id="annuleren", priority=True),
        Binding("ctrl+s", "submit", "Start huisbezoek", id="starten"),
        Binding("ctrl+n", "new_wijk", "Nieuwe wijk", id="nieuwe-wijk", show=False),
    ]

    def __init__(
        self,
        *,
        wijken: Sequence[str],
        households: Sequence[HouseholdRow] = (),
        household: HouseholdRow | None = None,
    ) -> None:
        super().__init__(cancelled=None)
        self.wijken = wijken
        self.households = {row.code: row for row in households}
        self.household = household
        self.known: HouseholdRow | None = household
        """The known household whose code was typed (its details are not asked)."""

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
            yield Static("", id="known-household", markup=False)
            yield HouseholdFields(wijken=self.wijken)
            yield Static(
                "Hele jaren · spatiebalk kiest · Enter start · Escape annuleert",
                classes="hint",
                id="new-visit-hint",
            )
            yield Static("", id="form-error", classes="form-error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Start huisbezoek", variant="primary", id="ok")
                yield Button("Annuleren", id="cancel")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self._show_known(self.household)
        self.query_one("#ok" if self.household else "#code").focus()

    @on(Input.Changed, "#code")
    def _code_changed(self, event: Input.Changed) -> None:
        if self.household is None:
            self._show_known(self.households.get(normalise_code(event.value)))

    def _show_known(self, row: HouseholdRow | None) -> None:
        """A known code: say so calmly, and do not ask what the household already has."""
        self.known = row
        text = (
            f"{row.code} is bekend: {row.wijk}, {describe_children(row.children, groups=False)}. "
            "Het bezoek wordt daar gestart; wijk en kinderen blijven zoals ze zijn (wijzigen: "
            "in de geschiedenis, g en dan h)."
            if row
            else ""
        )
        note = self.query_one("#known-household", Static)
        note.update(visible(text))
        note.display = row is not None
        self.query_one(HouseholdFields).display = row is None
        self.query_one("#new-visit-hint").display = row is None
        self.query_one("#form-error", Static).update("")

    def submit(self, *, confirm_new_wijk: bool = False) -> None:
        if self.known is not None:
            known = self.known
            self.dismiss(NewVisit(code=known.code, wijk=known.wijk, children=known.children))
            return
        code = normalise_code(self.query_one("#code", Input).value)
        problem = code_problem(code)
        if problem:
            self.say(problem)
            return
        read = self.read_household(confirm_new_wijk=confirm_new_wijk)
        if read is not None:
            wijk, children = read
            self.dismiss(NewVisit(code=code, wijk=wijk, children=children))
