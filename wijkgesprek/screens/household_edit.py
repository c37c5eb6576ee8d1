"""Huishouden wijzigen: the wijk and the children, changed on purpose, from the history.

Every change is kept with its date and time (old → new) and shown in the history and
the dossier; starting a visit never changes them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from wijkgesprek.domain.household import describe_children
from wijkgesprek.domain.visit import HouseholdHistory
from wijkgesprek.domain.wijk import known_wijken
from wijkgesprek.store import repo
from wijkgesprek.text import visible
from wijkgesprek.widgets.household_fields import HELP as FIELDS_HELP
from wijkgesprek.widgets.household_fields import HouseholdDialog, HouseholdFields

if TYPE_CHECKING:
    from wijkgesprek.app import WijkgesprekApp

HELP = f"""\
# Huishouden wijzigen

Hier past u de wijk en de kinderen van dit huishouden aan, bijvoorbeeld na een
verhuizing of een geboorte. Elke wijziging wordt bewaard met datum en tijd (oud →
nieuw) en staat in de geschiedenis en in het dossier.
{FIELDS_HELP}
Staan er nog oude leeftijdsgroepen (zoals *0–4 jaar*), dan vult u nu de leeftijden
in: wijkgesprek raadt ze nooit.

**Ctrl+S**, **Enter** in een veld of *Opslaan* bewaart; **Escape** laat alles zoals het
was.
"""


class HouseholdEditScreen(HouseholdDialog[bool]):
    """Dismissed with True when something was changed and saved."""

    HELP = HELP
    BINDINGS = [
        Binding("escape", "cancel", "Annuleren", id="wijzigen-annuleren", priority=True),
        Binding("ctrl+s", "submit", "Opslaan", id="wijzigen-opslaan"),
        Binding("ctrl+n", "new_wijk", "Nieuwe wijk", id="wijzigen-nieuwe-wijk", show=False),
    ]

    app: WijkgesprekApp

    def __init__(self, history: HouseholdHistory) -> None:
        super().__init__(cancelled=False)
        self.history = history

    def compose(self) -> ComposeResult:
        history = self.history
        kaart = self.app.network.wijken() if self.app.network is not None else ()
        households = self.app.read(repo.household_wijken) or ()
        with Vertical(id="dialog", classes="dialog"):
            yield Static(f"Huishouden {history.code} wijzigen", classes="dialog-title")
            yield Static(
                visible(f"Nu: {history.wijk} · {describe_children(history.children)}"),
                classes="hint",
                id="household-now",
                markup=False,
            )
            yield HouseholdFields(
                wijken=known_wijken(kaart, households, [history.wijk]),
                wijk=history.wijk,
                children=history.children,
            )
            yield Static(
                "Hele jaren · spatiebalk kiest · Ctrl+S bewaart · Escape annuleert",
                classes="hint",
            )
            yield Static("", id="form-error", classes="form-error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Opslaan", variant="primary", id="ok")
                yield Button("Annuleren", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#wijk").focus()

    def submit(self, *, confirm_new_wijk: bool = False) -> None:
        read = self.read_household(confirm_new_wijk=confirm_new_wijk)
        if read is None:
            return
        wijk, children = read
        saved = self.app.write(
            repo.change_household,
            code=self.history.code,
            wijk=wijk,
            children=children,
            now=datetime.now(UTC),
        )
        if saved:  # otherwise the app said why; what was typed stays
            self.dismiss(True)
