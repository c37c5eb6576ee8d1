"""Veilig Thuis, one key away: the advice and reporting line."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Static

from wijkgesprek.screens.dialog import Dialog

HELP = """\
# Veilig Thuis

Veilig Thuis is het advies- en meldpunt huiselijk geweld en kindermishandeling.
U kunt er terecht voor **advies** (ook anoniem over een gezin) en om te **melden**.
Bel **0800-2000**: gratis, dag en nacht.

**Escape** sluit dit venster.
"""


class VeiligThuisScreen(Dialog[None]):
    HELP = HELP
    BINDINGS = [Binding("escape,ctrl+o", "close", "Sluiten", id="veiligthuis-sluiten")]

    def compose(self) -> ComposeResult:
        with Vertical(id="veilig-thuis", classes="dialog"):
            yield Static("Veilig Thuis", classes="dialog-title")
            yield Static("Advies of melden: 0800-2000", id="veilig-thuis-number")
            yield Static(
                "Gratis, dag en nacht bereikbaar. U kunt advies vragen zonder de naam van "
                "het gezin te noemen.\n\nEscape sluit dit venster.",
                classes="hint",
            )
        yield Footer(compact=True, show_command_palette=False)

    def action_close(self) -> None:
        self.dismiss(None)
