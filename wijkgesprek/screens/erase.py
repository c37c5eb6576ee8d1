"""Erasing for good, from the app: the user types a word (the household code, or WISSEN)
before anything is removed. Used by the history screen (one household) and by the
retention list (every household past the bewaartermijn)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Input, Static

from wijkgesprek.errors import WijkError
from wijkgesprek.screens.dialog import Dialog
from wijkgesprek.text import confirms
from wijkgesprek.widgets.field import field

if TYPE_CHECKING:
    from wijkgesprek.app import WijkgesprekApp

HELP = """\
# Wissen

Wissen haalt huishoudens **volledig** weg: alle bezoeken, aantekeningen,
afspraken, verwijzingen, veiligheidsgegevens en de zoekgegevens, ook uit de
reservekopieën. De tekst wordt ook in de bestanden overschreven. Dit kan niet
ongedaan worden.

Typ het gevraagde woord en druk op **Enter**. **Escape** annuleert; er wordt dan
niets gewist.
"""


class EraseScreen(Dialog[bool]):
    """Returns True when the households were erased."""

    HELP = HELP
    BINDINGS = [Binding("escape", "cancel", "Annuleren", id="wissen-annuleren")]

    app: WijkgesprekApp

    def __init__(self, codes: Sequence[str], *, confirm_word: str, explanation: str) -> None:
        super().__init__()
        self.codes = tuple(codes)
        self.confirm_word = confirm_word
        self.explanation = explanation

    def compose(self) -> ComposeResult:
        with Vertical(id="erase-dialog", classes="dialog"):
            yield Static("Wissen, voorgoed", classes="dialog-title")
            yield Static(self.explanation, classes="hint", markup=False)
            yield field(f"Typ {self.confirm_word}", Input(id="erase-confirm", compact=True))
            yield Static("", id="form-error", classes="form-error", markup=False)
            yield Static("Enter wist · Escape annuleert", classes="hint")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#erase-confirm").focus()

    @on(Input.Submitted, "#erase-confirm")
    def _confirmed(self, event: Input.Submitted) -> None:
        if not confirms(event.value, self.confirm_word):
            self.query_one("#form-error", Static).update(
                f"Typ precies {self.confirm_word} om te wissen; er is niets gewist."
            )
            return
        from wijkgesprek.store.erase import erase_households

        try:
            erased = erase_households(self.app.store, self.codes)
        except (WijkError, OSError):
            self.query_one("#form-error", Static).update(
                "Wissen is niet (helemaal) gelukt. Probeer het opnieuw of gebruik "
                "'wijkgesprek wis' op de opdrachtregel."
            )
            return
        count = len(erased.codes)
        if count == 0:  # erased meanwhile, from another window
            said = (
                "Dit huishouden stond al niet meer in de database."
                if erased.backups
                else "Er is niets gewist: dit huishouden bestond al niet meer."
            )
        elif count == 1:
            said = f"Huishouden {erased.codes[0]} is gewist."
        else:
            said = f"{count} huishoudens zijn gewist."
        if 0 < count < len(self.codes):
            said += f" {len(self.codes) - count} bestond(en) al niet meer."
        if erased.backups:
            said += f" Ook gewist uit {erased.backups} reservekopie(ën)."
        if warnings := erased.warnings():
            self.notify(" ".join([said, *warnings]), severity="warning", timeout=30, markup=False)
        else:
            self.notify(said, markup=False)
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
