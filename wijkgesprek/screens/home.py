"""Home: the households (by code, never a name) and "Nieuw huisbezoek"."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from wijkgesprek.connection import OUTBOX_PROBLEMS
from wijkgesprek.domain.follow_up import first_due, follow_up_order, short_label
from wijkgesprek.domain.household import children_short
from wijkgesprek.errors import Unreachable, WijkError
from wijkgesprek.text import one_line, visible

if TYPE_CHECKING:
    from textual.widgets import DataTable

    from wijkgesprek.app import WijkgesprekApp
    from wijkgesprek.domain.search import SearchHit
    from wijkgesprek.domain.visit import HouseholdRow
    from wijkgesprek.screens.new_visit import NewVisit

HELP = """\
# Huishoudens

Hier staan de huishoudens waar u op bezoek bent geweest, met hun **gezinscode**
(nooit een naam), de wijk, de leeftijden van de kinderen en het laatste bezoek.

- **n** begint een nieuw huisbezoek. U vult alleen de gezinscode, de wijk en de
  leeftijden van de kinderen in. Een bekende gezinscode opent dat huishouden.
- **Enter** op een huishouden hervat een open bezoek, of begint een nieuw bezoek
  bij dit huishouden.
- **g** toont de geschiedenis: alle bezoeken, schaalcijfers, verwijzingen en
  aanvullingen.
- **/** (of Ctrl+F) zoekt in alle aantekeningen en aanvullingen.
- **t** toont de trends per wijk en periode: aantallen, zonder herkenbare gezinnen.
- Bovenaan staan de huishoudens waarvan het afgesproken **vervolgcontact** over
  tijd is, of een afspraak met een datum die voorbij is en nog open staat
  ("afspraak over tijd"); daarna die binnenkort (binnen twee weken) aan de beurt
  zijn. Helemaal bovenaan staat een huishouden waarbij het afwegingskader uitkwam op
  melden en de melding nog niet is vastgelegd ("meldcode: melden"; in de discrete
  weergave "actie nodig"). "Bezoek: open" betekent dat een bezoek nog niet is afgerond.
- Kinderen staan als leeftijden (2,5,9); +zw is een zwangerschap, +el kinderen
  elders.
- Alles wat u typt wordt direct op deze laptop opgeslagen.
- Met een teamdatabase die niet bereikbaar is, start wijkgesprek **offline**: de
  huishoudens verschijnen zodra de verbinding er is, maar **n** begint al een nieuw
  huisbezoek. Dat wordt op deze laptop bewaard en later op de server gezet.
"""


COLUMNS = (
    ("Gezinscode", 10),
    ("Wijk", 11),
    ("Kinderen", 11),
    ("Laatst", 8),
    ("Vervolg", 18),
    ("Bezoek", 6),
)
"""Fixed widths that fit 80 columns: a long wijk or many children are shortened (…),
never the code, the follow-up or whether a visit is open."""


class HomeScreen(Screen[None]):
    HELP = HELP
    BINDINGS = [
        Binding(
            "n",
            "new_visit",
            "Nieuw huisbezoek",
            id="nieuw",
            tooltip="Begin een huisbezoek bij een nieuw of bekend huishouden",
            priority=True,  # handled as it arrives: what is typed next goes there
        ),
        Binding(
            "enter",
            "open",
            "Openen",
            id="openen",
            tooltip="Hervat of begin een bezoek bij het gekozen huishouden",
            priority=True,  # handled as it arrives: what is typed next goes there
        ),
        Binding(
            "g",
            "history",
            "Geschiedenis",
            id="geschiedenis",
            tooltip="Alle bezoeken van het gekozen huishouden",
            priority=True,  # handled as it arrives: what is typed next goes there
        ),
        Binding(
            "slash,ctrl+f",
            "search",
            "Zoeken",
            id="zoeken",
            tooltip="Zoek in alle aantekeningen en aanvullingen",
            priority=True,  # handled as it arrives: what is typed next goes there
        ),
        Binding(
            "t",
            "trends",
            "Trends",
            id="trends",
            tooltip="Cijfers per wijk en periode, zonder herkenbare gezinnen",
            priority=True,  # handled as it arrives: what is typed next goes there
        ),
    ]

    app: WijkgesprekApp

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[HouseholdRow] = []
        self.table: DataTable[Text] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Huishoudens worden geladen…", id="home-status")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.sub_title = "Huishoudens"
        # After the first frame is painted: the store import is the slow part.
        self.call_after_refresh(self.reload)

    def on_screen_resume(self) -> None:
        if self.is_mounted and not self.app.connection.offline:  # offline: the list stays
            self.reload()

    def reconnected(self) -> None:
        """The team database answers again: show what colleagues changed meanwhile."""
        self.reload()

    @work(thread=True, exclusive=True, group="households")
    def reload(self) -> None:
        from wijkgesprek.store import repo

        if self.app.connection.offline and not self.rows:  # started without the server
            self.app.call_from_thread(self._offline)
            return
        try:
            rows = self.app.connection.run(
                repo.list_households, agreements=True, safety=self.app.guide.safety
            )
        except WijkError as error:  # the list stays as it was; said once
            if isinstance(error, Unreachable) and self.app.connection.offline and not self.rows:
                # The start went offline while this was asked (it says so itself).
                self.app.call_from_thread(self._offline)
            else:
                self.app.call_from_thread(self.app.door.cannot_use, error)
            return
        self.app.call_from_thread(self._show, rows)

    def _offline(self) -> None:
        self.query_one("#home-status", Static).update(
            "Offline: de huishoudens verschijnen zodra de teamdatabase bereikbaar is. Druk "
            "op n voor een nieuw huisbezoek; het wordt op deze laptop bewaard."
        )

    def _show(self, rows: list[HouseholdRow]) -> None:
        today = date.today()
        due = {row.code: first_due(row.next_contact, row.agreement_due, today) for row in rows}
        # Overdue follow-ups (and overdue agreements) first, then those coming soon, then
        # the most recent visits.
        # A Meldcode route that says "melden" without a recorded melding comes first.
        rows = sorted(
            rows,
            key=lambda row: (not row.report_open, follow_up_order(due[row.code][0], today)),
        )
        self.rows = rows
        table = self._table()
        table.clear()
        for row in rows:
            day, agreement = due[row.code]
            follow_up = ""
            if day is not None:
                follow_up = short_label(day, today, agreement=agreement)
            if row.report_open:  # in discreet mode without the word that names it
                follow_up = "actie nodig" if self.app.discreet else "meldcode: melden"
            cells = (
                row.code,
                visible(row.wijk),
                children_short(row.children, today),
                row.last_visit.astimezone().strftime("%d-%m-%y") if row.last_visit else "—",
                follow_up,
                "open" if row.open_visit_id else "",
            )
            overdue = row.report_open or (day is not None and day < today)
            table.add_row(
                *(
                    Text(one_line(cell, width), no_wrap=True, style="bold" if overdue else "")
                    for cell, (_label, width) in zip(cells, COLUMNS, strict=True)
                ),
                key=row.code,
            )
        status = self.query_one("#home-status", Static)
        if rows:
            past = self._past_retention()
            extra = f" {len(past)} over de bewaartermijn: Ctrl+P, Bewaartermijn." if past else ""
            status.update(
                f"{len(rows)} huishouden(s). Enter opent, n begint een nieuw huisbezoek.{extra}"
            )
        else:
            status.update("Nog geen huishoudens. Druk op n voor een nieuw huisbezoek.")
        table.display = bool(rows)
        self.refresh_bindings()
        if rows:
            table.focus()

    def discreet_changed(self) -> None:
        if self.rows:
            self._show(self.rows)  # the follow-up column says less in discreet mode

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return bool(self.rows) if action in ("open", "history") else True

    def action_history(self) -> None:
        row = self._current_row()
        if row is not None:
            from wijkgesprek.screens.history import HistoryScreen

            self.app.push_screen(HistoryScreen(row.code))

    def _table(self) -> DataTable[Text]:
        """The household table, made when the first rows arrive: the table widget (and
        its styles) are then off the path to the first frame."""
        if self.table is None:
            from textual.widgets import DataTable  # loaded lazily by Textual: not at import

            self.table = DataTable(id="households", cursor_type="row", zebra_stripes=True)
            for label, width in COLUMNS:
                self.table.add_column(label, width=width)
            self.mount(self.table, after="#home-status")
        return self.table

    def _current_row(self) -> HouseholdRow | None:
        table = self.table
        if table is None or not self.rows or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def commands(self) -> Iterator[SystemCommand]:
        yield SystemCommand("Nieuw huisbezoek", "Begin een huisbezoek (n)", self.action_new_visit)
        yield SystemCommand(
            "Bewaartermijn",
            "Huishoudens die langer dan de bewaartermijn niet bezocht zijn, en wissen",
            self.action_retention,
        )

    def _past_retention(self) -> list[HouseholdRow]:
        from wijkgesprek.domain.retention import past_retention

        return past_retention(self.rows, today=date.today(), years=self.app.config.retention_years)

    def action_retention(self) -> None:
        past = self._past_retention()
        years = self.app.config.retention_years
        if not past:
            self.notify(f"Geen huishoudens over de bewaartermijn van {years} jaar.")
            return
        from wijkgesprek.screens.erase import EraseScreen

        listed = ", ".join(row.code for row in past[:12]) + (" …" if len(past) > 12 else "")
        explanation = (
            f"{len(past)} huishouden(s) zijn langer dan {years} jaar niet bezocht: {listed}. "
            "Ze worden met alles erop en eraan gewist. Dit kan niet ongedaan worden."
        )
        self.app.push_screen(
            EraseScreen([row.code for row in past], confirm_word="WISSEN", explanation=explanation)
        )

    def action_new_visit(self) -> None:
        from wijkgesprek.screens.new_visit import NewVisitScreen

        self.app.push_screen(
            NewVisitScreen(wijken=self._wijken(), households=self.rows), self._start
        )

    def on_data_table_row_selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        row = self._current_row()
        if row is None:
            return
        if row.open_visit_id is not None:
            self._open_visit(row.open_visit_id)
            return
        from wijkgesprek.screens.new_visit import NewVisitScreen

        self.app.push_screen(NewVisitScreen(wijken=self._wijken(), household=row), self._start)

    def _wijken(self) -> list[str]:
        """Wijken for completion: those of the sociale kaart and of known households, each
        once (in the kaart's spelling)."""
        from wijkgesprek.domain.wijk import known_wijken

        kaart = self.app.network.wijken() if self.app.network is not None else ()
        return known_wijken(kaart, (row.wijk for row in self.rows))

    def _start(self, request: NewVisit | None) -> None:
        if request is None:
            return

        from wijkgesprek.store import repo

        connection = self.app.connection
        code, wijk, children, now = request.code, request.wijk, request.children, datetime.now(UTC)
        try:
            if connection.offline and connection.outbox is not None:  # on this laptop first
                visit_id = connection.start_visit(code=code, wijk=wijk, children=children, now=now)
            else:
                visit_id = connection.run(
                    repo.start_visit, code=code, wijk=wijk, children=children, now=now
                )
        except WijkError as error:
            self.notify(str(error), severity="error", timeout=20, markup=False)
            return
        except OUTBOX_PROBLEMS:  # the laptop's disk
            self.notify(
                "Het bezoek kan niet op deze laptop worden bewaard (de schijf). Probeer het "
                "opnieuw als de teamdatabase bereikbaar is.",
                severity="error",
                timeout=20,
            )
            return
        self._open_visit(visit_id)

    def action_trends(self) -> None:
        from wijkgesprek.screens.trends import TrendsScreen

        self.app.push_screen(TrendsScreen())

    def action_search(self) -> None:
        from wijkgesprek.screens.search import SearchScreen

        self.app.push_screen(SearchScreen(), self.open_hit)

    def open_hit(self, hit: SearchHit | None) -> None:
        """A search result: an open visit opens; a finished one is never rewritten."""
        if hit is None:
            return
        if hit.visit_open:
            self._open_visit(hit.visit_id)
        else:
            from wijkgesprek.screens.history import HistoryScreen

            self.app.push_screen(HistoryScreen(hit.household_code, visit_id=hit.visit_id))

    def _open_visit(self, visit_id: int) -> None:
        from wijkgesprek.screens.visit import VisitScreen

        self.app.push_screen(VisitScreen(visit_id))
