"""Export from the history screen: a dossier, the family version or a hand-over file."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from platformdirs import user_documents_path
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from wijkgesprek.errors import Gone, WijkError
from wijkgesprek.export.files import write_recorded
from wijkgesprek.screens.dialog import Dialog
from wijkgesprek.widgets.field import field
from wijkgesprek.widgets.numbered_list import NumberedList

if TYPE_CHECKING:
    from wijkgesprek.app import WijkgesprekApp

HELP = """\
# Exporteren

Kies wat u wilt maken: het cijfer ervoor, of de pijltjes en **Enter**.

- **Dossier**: alles wat is vastgelegd, voor het dossier van uw organisatie.
- **Gezinsversie**: kort en in gewone taal voor het gezin: de afspraken, wie wat
  doet en wanneer, en de contactgegevens van verwijzingen. Zonder aantekeningen;
  veiligheid alleen als u daarvoor kiest.
- **Overdracht**: een JSON-bestand voor een collega die het overneemt
  (`wijkgesprek import`).

Het bestand komt in de map die onder de lijst staat (de map van de vorige export);
alleen u kunt het lezen.
Een bestaand bestand wordt nooit overschreven. **Escape** annuleert.
"""

CHOICES = (
    ("dossier-bezoek", "Dossier van dit bezoek (Markdown)"),
    ("dossier", "Dossier van het hele huishouden (Markdown)"),
    ("gezin", "Gezinsversie van dit bezoek (gewone taal)"),
    ("gezin-veiligheid", "Gezinsversie van dit bezoek, met veiligheid"),
    ("overdracht", "Overdracht voor een collega (JSON)"),
)


def default_folder() -> Path:

    return user_documents_path() / "wijkgesprek"


def export_folder(app: WijkgesprekApp) -> Path:
    """Where exports go: the folder of the last export, or else Documents."""
    return app.config.export_folder or default_folder()


def write_export(
    app: WijkgesprekApp, *, code: str, visit_id: int, choice: str, folder: Path
) -> Path:
    """Write one export (a key of ``CHOICES``) into ``folder`` (0600, never over an
    existing file), record it (``export.record``) and return its path; raises
    ``WijkError`` or ``OSError``."""
    from wijkgesprek.export.markdown import dossier, family_version
    from wijkgesprek.store import access

    history = app.connection.run(access.read_for_export, code=code, kind=choice)
    if choice == "overdracht":
        from wijkgesprek.exchange.handover import dumps, to_handover
        from wijkgesprek.store.handover import referral_extras

        extras = app.connection.run(referral_extras, code=code)
        content = dumps(to_handover(history, extras=extras))
    elif choice.startswith("gezin"):
        content = family_version(
            history, app.guide, visit_id=visit_id, include_safety=choice == "gezin-veiligheid"
        )
    suffix = "json" if choice == "overdracht" else "md"
    stem = f"{code}-{choice}-{date.today():%Y-%m-%d}"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = _free_name(folder, stem, suffix, beside=choice.startswith("dossier"))
    if choice.startswith("dossier"):
        from wijkgesprek.export.network import write_beside

        scope = visit_id if choice.endswith("bezoek") else None
        image, warning = write_beside(  # the map's drawing beside the dossier
            path,
            history,
            app.guide,
            visit_id=scope,
            overwrite=False,
            data_folder=app.data_folder,
            exists_hint="Verplaats of hernoem het eerst.",
        )
        if warning:
            app.notify(warning, severity="warning", timeout=20, markup=False)
        content = dossier(history, app.guide, visit_id=scope, image=image)
    warning = write_recorded(
        path,
        content.encode("utf-8"),
        overwrite=False,
        codes=[code],
        kind=choice,
        data_folder=app.data_folder,
        exists_hint="Verplaats of hernoem het eerst.",
    )
    if warning:  # the export is written all the same
        app.notify(warning, severity="warning", timeout=20, markup=False)
    return path


def _free_name(folder: Path, stem: str, suffix: str, *, beside: bool = False) -> Path:
    """``stem.suffix``, or ``stem-2.suffix`` and so on when that exists: a second
    export the same day (another visit, a correction) never replaces the first. With
    ``beside`` the netwerkkaart's drawing beside it must be free too."""
    from wijkgesprek.export.network import image_name

    path, number = folder / f"{stem}.{suffix}", 1
    while path.exists() or (beside and (folder / image_name(path)).exists()):
        number += 1
        path = folder / f"{stem}-{number}.{suffix}"
    return path


class ExportScreen(Dialog[Path | None]):
    HELP = HELP
    BINDINGS = [Binding("escape", "cancel", "Annuleren", id="export-annuleren")]

    app: WijkgesprekApp

    def __init__(self, code: str, visit_id: int) -> None:
        super().__init__()
        self.code = code
        self.visit_id = visit_id

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog", classes="dialog"):
            yield Static(f"Exporteren · {self.code}", classes="dialog-title", markup=False)
            choices = NumberedList(  # a digit exports at once
                *[Option(f"{n} {label}", id=key) for n, (key, label) in enumerate(CHOICES, 1)],
                id="export-choice",
                on_choose=self._export,  # at once: keys typed next go where it leads
            )
            choices.highlighted = 0
            yield choices
            yield field("Map", Input(str(self.first_folder), id="export-folder", compact=True))
            yield Static("", id="form-error", classes="form-error", markup=False)
        yield Footer(compact=True, show_command_palette=False)

    @property
    def first_folder(self) -> Path:
        """Where the dialog starts: the folder of the last export, or else Documents."""
        return export_folder(self.app)

    def on_mount(self) -> None:
        self.query_one("#export-choice").focus()

    @on(OptionList.OptionSelected, "#export-choice")  # the mouse
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        self._export(event.option_index)

    def _export(self, index: int) -> None:
        choice = CHOICES[index][0]
        folder = Path(self.query_one("#export-folder", Input).value).expanduser()
        try:
            path = write_export(
                self.app, code=self.code, visit_id=self.visit_id, choice=choice, folder=folder
            )
        except Gone:  # erased meanwhile, in another window
            self.app.door.household_gone()
            return
        except WijkError as error:
            self.query_one("#form-error", Static).update(str(error))
            return
        except OSError:
            self.query_one("#form-error", Static).update(
                f"De map {folder} kan niet worden aangemaakt. Kies een andere map."
            )
            return
        if folder != self.first_folder:  # the next export starts here, also after a restart
            from wijkgesprek.remember import remember

            self.app.config, problem = remember(
                self.app.config, "exportmap", str(folder.absolute())
            )
            if problem:
                self.notify(f"Bewaard, maar de map wordt niet onthouden: {problem}", markup=False)
        self.dismiss(path)

    def action_cancel(self) -> None:
        self.dismiss(None)
