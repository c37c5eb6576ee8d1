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

from wijkgesprek.errors import ERASE_REFUSED, WijkError
from wijkgesprek.screens.choice import ChoiceScreen
from wijkgesprek.screens.dialog import Dialog
from wijkgesprek.text import confirms, visible
from wijkgesprek.widgets.field import field

if TYPE_CHECKING:
    from wijkgesprek.app import WijkgesprekApp
    from wijkgesprek.export.record import Written

HELP = """\
# Wissen

Wissen haalt huishoudens **volledig** weg: alle bezoeken, aantekeningen,
afspraken, verwijzingen, veiligheidsgegevens en de zoekgegevens, ook uit de
reservekopieën. De tekst wordt ook in de bestanden overschreven. Dit kan niet
ongedaan worden.

Typ het gevraagde woord en druk op **Enter**. **Escape** annuleert; er wordt dan
niets gewist.

Schreef wijkgesprek exports van deze huishoudens (dossier, gezinsversie, overdracht,
vervolgcontacten), dan noemt het die bestanden en vraagt of ze ook weg moeten. Alleen
een bestand dat sinds de export niet veranderd is, wordt gewist; een veranderd,
verplaatst of verdwenen bestand wordt genoemd en niet aangeraakt. Kopieën elders (mail,
een USB-stick) wist u zelf.
"""


ERASE_TIMEOUT = 20.0
"""Seconds erasing may take on a team database (one transaction per household, perhaps
many past their retention) before it is told as not (wholly) done."""


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
        from wijkgesprek.export.record import RecordProblem, exports_of

        try:
            files = exports_of(self.app.data_folder, self.codes)
        except RecordProblem:  # said after the erasure (``settle``)
            files = []
        if not files:
            self._erase(files, erase_files=False)
            return
        self.app.push_screen(
            exports_question(files, self.codes),
            lambda answer: self._answered(files, answer),
        )

    def _answered(self, files: list[Written], answer: str | None) -> None:
        if answer is None:  # Escape: back to this dialog, nothing erased
            self.query_one("#form-error", Static).update("Er is niets gewist.")
            return
        self._erase(files, erase_files=answer == "wis")

    def _erase(self, files: list[Written], *, erase_files: bool) -> None:
        from wijkgesprek.export.record import settle
        from wijkgesprek.store.erase import erase_households

        try:
            erased = self.app.connection.use(
                lambda store: erase_households(store, self.codes), timeout=ERASE_TIMEOUT
            )
        except (WijkError, OSError):
            self.query_one("#form-error", Static).update(
                "Wissen is niet (helemaal) gelukt. Probeer het opnieuw of gebruik "
                "'wijkgesprek wis' op de opdrachtregel."
            )
            return
        if erased.refused and not erased.codes:  # a team database: not this account's
            self.query_one("#form-error", Static).update(ERASE_REFUSED)
            return
        codes = [code for code in self.codes if code not in erased.refused]
        files = [file for file in files if not set(file.codes) & set(erased.refused)]
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
        if 0 < count < len(codes):
            said += f" {len(codes) - count} bestond(en) al niet meer."
        if erased.backups:
            said += f" Ook gewist uit {erased.backups} reservekopie(ën)."
        settled = settle(self.app.data_folder, codes, files, erase=erase_files)
        if told := settled.sentence():
            said += f" {told}"
        warnings = erased.warnings() + ([settled.problem] if settled.problem else [])
        if warnings or settled.warns:
            self.notify(" ".join([said, *warnings]), severity="warning", timeout=30, markup=False)
        else:
            self.notify(said, markup=False)
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


SHOWN = 3
"""Files listed by name in the question; more are counted (it fits 80×24)."""


def exports_question(files: Sequence[Written], codes: Sequence[str]) -> ChoiceScreen:
    """Whether to erase the exports recorded for ``codes`` as well: the files by name
    under their folder, the first few of them, so that the answers stay on an 80×24
    screen however long the paths are."""
    one = len(files) == 1
    whose = "dit huishouden" if len(codes) == 1 else "deze huishoudens"
    lines: list[str] = []
    folder = None
    for written in files[:SHOWN]:
        if written.path.parent != folder:
            folder = written.path.parent
            lines.append(f"In {visible(str(folder))}:")
        lines.append(f"• {written.label(codes, name_only=True)}")
    if len(files) > SHOWN:
        lines.append(f"… en nog {len(files) - SHOWN}")
    text = "\n".join(
        [
            f"wijkgesprek schreef {'deze export' if one else f'deze {len(files)} exports'} "
            f"van {whose}, buiten de database.",
            *lines,
            "Alleen een bestand dat sinds de export niet veranderd is, wordt gewist. "
            "Kopieën elders (mail, USB-stick) wist u zelf.",
        ]
    )
    which = "deze export" if one else "deze exports"
    return ChoiceScreen(
        "Ook de exports wissen?",
        text,
        [("wis", f"Ja, {which} ook wissen"), ("bewaar", "Nee, laten staan")],
    )
