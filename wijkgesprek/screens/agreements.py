"""Afspraken: what, who, when, and the date of the next contact."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Static

from wijkgesprek.domain.visit import VisitRecord, format_date, parse_date
from wijkgesprek.store import repo
from wijkgesprek.text import visible
from wijkgesprek.widgets.field import field

if TYPE_CHECKING:
    from wijkgesprek.app import WijkgesprekApp

HELP = """\
# Afspraken

Leg vast **wat** er gebeurt, **wie** het doet en **wanneer**. Typ in de drie
velden en druk op **Enter** in het laatste veld (of Ctrl+S) om de afspraak toe
te voegen. **Tab** gaat naar het volgende veld.

In de lijst verwijdert **Delete** de gekozen afspraak.

**Volgend contact**: een datum als 3-12-2026. Laat de familie niet los als u
zich zorgen maakt: spreek altijd een volgend contact af.

**Escape** gaat terug naar het gesprek.
"""


class AgreementsScreen(ModalScreen[None]):
    HELP = HELP
    BINDINGS = [
        Binding("escape", "close", "Terug", id="afspraken-terug"),
        Binding("ctrl+s", "add", "Toevoegen", id="afspraak-toevoegen"),
        Binding("delete", "remove", "Verwijderen", id="afspraak-verwijderen", show=False),
    ]

    app: WijkgesprekApp

    def __init__(self, visit_id: int) -> None:
        super().__init__()
        self.visit_id = visit_id
        self.record: VisitRecord | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="agreements-dialog", classes="dialog"):
            yield Static("Afspraken", classes="dialog-title")
            table: DataTable[Text] = DataTable(id="agreement-table", cursor_type="row")
            table.add_columns("Wat", "Wie", "Wanneer")
            yield table
            yield field(
                "Wat",
                Input(
                    placeholder="bijv. aanmelden bij de schuldhulp",
                    id="wat",
                    compact=True,
                    max_length=200,
                ),
            )
            yield field(
                "Wie",
                Input(
                    placeholder="bijv. moeder, met hulp van de wijkcoach",
                    id="wie",
                    compact=True,
                    max_length=100,
                ),
            )
            yield field(
                "Wanneer",
                Input(
                    placeholder="bijv. voor 10 december", id="wanneer", compact=True, max_length=100
                ),
            )
            yield field(
                "Volgend contact",
                Input(placeholder="dd-mm-jjjj", id="next-contact", compact=True, max_length=10),
            )
            yield Static("", id="form-error", classes="form-error", markup=False)

    def on_mount(self) -> None:
        if not self._load():  # locked, or the team database not answering: back
            self.app.call_later(self.dismiss)
            return
        self.query_one("#wat", Input).focus()

    def _load(self) -> bool:
        record = self.app.read(repo.get_visit, visit_id=self.visit_id)
        if record is None:
            return False
        self.record = record
        table = self.query_one("#agreement-table", DataTable)
        table.clear()
        for agreement in self.record.agreements:
            table.add_row(
                Text(visible(agreement.wat)),
                Text(visible(agreement.wie)),
                Text(visible(agreement.wanneer)),
                key=str(agreement.id),
            )
        table.display = bool(self.record.agreements)
        self.query_one("#next-contact", Input).value = format_date(self.record.next_contact)
        return True

    def _error(self, message: str) -> None:
        self.query_one("#form-error", Static).update(message)

    @on(Input.Submitted, "#wat, #wie, #wanneer")
    def _submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "wanneer":
            self.action_add()
        else:
            self.focus_next()

    def action_add(self) -> None:
        fields = {name: self.query_one(f"#{name}", Input) for name in ("wat", "wie", "wanneer")}
        if not fields["wat"].value.strip():
            self._error("Vul in wat er is afgesproken.")
            fields["wat"].focus()
            return
        if not self.app.write(
            repo.add_agreement,
            visit_id=self.visit_id,
            **{name: one.value.strip() for name, one in fields.items()},
            now=datetime.now(UTC),
        ):
            return
        for one in fields.values():
            one.value = ""
        self._error("")
        self._load()
        fields["wat"].focus()

    def action_remove(self) -> None:
        table = self.query_one("#agreement-table", DataTable)
        if not table.has_focus or not table.row_count:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if key is not None:
            self.app.write(repo.remove_agreement, agreement_id=int(key))
            self._load()

    @on(Input.Submitted, "#next-contact")
    @on(Input.Blurred, "#next-contact")
    def _save_next_contact(self) -> bool:
        text = self.query_one("#next-contact", Input).value.strip()
        when = parse_date(text) if text else None
        if text and when is None:
            self._error(f"'{visible(text)}' is geen datum. Schrijf bijvoorbeeld 3-12-2026.")
            return False
        self._error("")
        if self.record is not None and when != self.record.next_contact:
            if not self.app.write(repo.set_next_contact, visit_id=self.visit_id, when=when):
                return False
            self._load()
        return True

    def action_close(self) -> None:
        if self._save_next_contact():
            self.dismiss(None)
