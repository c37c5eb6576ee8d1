"""Wijk trends: per period and wijk, counted, without recognisable families.

The visits are read once (in a thread); choosing another period, wijk or period length
only counts again. Everything shown has passed the suppression of ``domain.trends``.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from wijkgesprek.domain import trends as t
from wijkgesprek.errors import WijkError
from wijkgesprek.export.trends import (
    LEGEND,
    change_text,
    measure_label,
    section_of,
    theme_chart,
    value_text,
)
from wijkgesprek.text import visible

if TYPE_CHECKING:
    from wijkgesprek.app import WijkgesprekApp

HELP = f"""\
# Trends in de wijk

Wat het team ziet, geteld per periode en per wijk: bezoeken, huishoudens, zorgen
over veiligheid, thema's, verwijzingen en gaten in het aanbod. Naast de gekozen
periode staat de periode ervoor, met de verandering in procenten.

- **←** en **→** kiezen de periode.
- **w** kiest de wijk: alle wijken, een wijk, of de overige wijken samen.
- **p** wisselt tussen maanden, kwartalen en jaren.
- **Escape** gaat terug naar de huishoudens.

Geen gezin is herkenbaar: een aantal onder de {t.MIN_COUNT} (ook 0) staat er als
{t.SUPPRESSED}; een **x** is weggelaten zodat geen weggelaten aantal terug te rekenen
is uit een som (een jaar, een kwartaal, alle wijken) of uit wat de maten over elkaar
zeggen (huishoudens zijn er nooit meer dan bezoeken); een wijk met minder dan
{t.MIN_COUNT} huishoudens in alle gegevens telt altijd mee bij de overige wijken. De
cijfers zijn dezelfde als die van `wijkgesprek trends`. Een verandering staat er
alleen als beide aantallen er staan en beide perioden om zijn.
Voor een verslag aan de gemeente: `wijkgesprek trends --formaat md`.
"""


def this_month() -> str:
    """The month that is not over yet ("2026-04"): later months have not happened."""
    today = date.today()
    return t.month_key(today.year, today.month)


class TrendsScreen(Screen[None]):
    HELP = HELP
    BINDINGS = [
        Binding(
            "left",
            "period(-1)",
            "Eerder",
            id="trends-eerder",
            priority=True,
            tooltip="De periode ervoor",
        ),
        Binding(
            "right",
            "period(1)",
            "Later",
            id="trends-later",
            priority=True,
            tooltip="De periode erna",
        ),
        Binding("w", "wijk", "Wijk", id="trends-wijk", tooltip="Volgende wijk, of alle wijken"),
        Binding(
            "p",
            "per",
            "Maand/kwartaal/jaar",
            id="trends-per",
            tooltip="Per maand, kwartaal of jaar",
        ),
        Binding("escape", "back", "Terug", id="trends-terug", tooltip="Terug naar de huishoudens"),
    ]

    app: WijkgesprekApp

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[t.VisitRow] = []
        self.months: tuple[str, str] | None = None
        self.per = t.QUARTER
        self.spans: tuple[t.Span, ...] = ()
        self.index = -1
        self.groups: list[str] = [t.ALL]
        self.group = t.ALL
        self.loaded = False
        self.publication: t.Publication | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Bezoeken worden geteld…", id="trends-head", markup=False)
        with VerticalScroll(id="trends-body"):
            table: DataTable[Text] = DataTable(id="trends-table", cursor_type="none")
            table.can_focus = False
            yield table
            yield Static("", id="trends-bars", markup=False)
            yield Static(LEGEND, id="trends-legend", markup=False)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.sub_title = "Trends"
        self.query_one("#trends-body").focus()
        self.load()

    @work(thread=True, exclusive=True, group="trends")
    def load(self) -> None:
        from wijkgesprek.store.trends import data_months, visit_rows

        try:
            months = self.app.connection.run(data_months)
            rows = (
                []
                if months is None
                else self.app.connection.run(visit_rows, first=months[0], last=months[1])
            )
        except WijkError as error:  # e.g. the database is locked or damaged
            self.app.call_from_thread(
                self.notify, str(error), severity="error", timeout=20, markup=False
            )
            return
        self.app.call_from_thread(self._loaded, months, rows)

    def _loaded(self, months: tuple[str, str] | None, rows: list[t.VisitRow]) -> None:
        self.months, self.rows, self.loaded = months, rows, True
        from wijkgesprek.content.model import KINDS

        themes = tuple(theme.id for theme in self.app.guide.themes)
        # One publication for all data, as the command line makes it: the same cells.
        self.publication = t.publish(rows, themes=themes, soorten=KINDS, now=this_month())
        shown = [g for g in self.publication.groups if g != t.ALL]
        self.groups = [t.ALL, *shown]
        self._set_periods()

    def _set_periods(self, keep: str | None = None) -> None:
        """Periods from the first to the last visit; the one holding month ``keep``
        (default: the last) is chosen."""
        if self.months is None:
            self.spans, self.index = (), -1
        else:
            self.spans = t.periods(self.months[0], self.months[1], self.per)
            self.index = next(
                (i for i, span in enumerate(self.spans) if keep in span), len(self.spans) - 1
            )
        self.show()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "period":
            step = parameters[0] if parameters else 0
            target = self.index + (step if isinstance(step, int) else 0)
            return None if not 0 <= target < len(self.spans) else True
        if action in ("wijk", "per"):
            return self.loaded and bool(self.spans)
        return True

    def action_period(self, step: int) -> None:
        if 0 <= self.index + step < len(self.spans):
            self.index += step
            self.show()

    def action_wijk(self) -> None:
        position = self.groups.index(self.group) if self.group in self.groups else 0
        self.group = self.groups[(position + 1) % len(self.groups)]
        self.show()

    def action_per(self) -> None:
        keep = self.spans[self.index].last if self.spans else None
        kinds = t.PERIOD_KINDS
        self.per = kinds[(kinds.index(self.per) + 1) % len(kinds)]
        self._set_periods(keep)

    def action_back(self) -> None:
        self.dismiss()

    def show(self) -> None:
        """Count the chosen period and the one before it, and show what may be shown."""
        head = self.query_one("#trends-head", Static)
        table = self.query_one("#trends-table", DataTable)
        bars = self.query_one("#trends-bars", Static)
        table.clear(columns=True)
        self.refresh_bindings()
        if not self.spans:
            head.update("Nog geen bezoeken om te tellen.")
            bars.update("")
            return
        current = self.spans[self.index]
        previous = t.period_of(t.shift_months(current.first, -1), self.per)
        assert self.publication is not None
        result = self.publication.trends([previous, current], now=this_month())
        before, after = result.figures
        group = self.group
        where = visible(group)
        mark = "" if after.complete else " (nog niet om)"
        head.update(
            f"{current.label}{mark} · {where} · per {self.per}   "
            "(←/→ periode, w wijk, p maand/kwartaal/jaar)"
        )
        if group not in after.groups:
            bars.update(self._not_shown(group, after))
            return
        found = t.changes(before, after, result.measures)
        guide = self.app.guide
        names = {
            theme: guide.theme_name(theme)
            for m in result.measures
            if m.startswith(("thema:", "gat:"))
            for theme in [m.partition(":")[2]]
        }
        table.add_columns("", before.span.label, after.span.label, "verandering")
        section = None
        for measure in result.measures:
            title = section_of(measure)
            if title != section and title is not None:
                table.add_row(Text(title, style="bold"), Text(""), Text(""), Text(""))
            section = title
            label = ("  " if title else "") + measure_label(measure, names)
            table.add_row(
                Text(label),
                Text(value_text(before.get(group, measure)), justify="right"),
                Text(value_text(after.get(group, measure)), justify="right"),
                Text(change_text(found.get((group, measure))), justify="right"),
            )
        themes = [m for m in result.measures if m.startswith("thema:")]
        chart = theme_chart(before, after, themes, group, names, bar_width=16, change_width=8)
        lines = list(chart)
        if group == t.OTHERS:
            lines += ["", f"{t.OTHERS.capitalize()}: " + ", ".join(after.members[t.OTHERS])]
        if not after.complete or not before.complete:
            lines += ["", "Een periode die nog niet om is, wordt niet in procenten vergeleken."]
        bars.update(Content("\n".join(visible(line) for line in lines)))

    @staticmethod
    def _not_shown(group: str, figures: t.Figures) -> Content:
        if not figures.groups:
            return Content(
                f"In {figures.span.label} zijn er minder dan {t.MIN_COUNT} huishoudens bezocht "
                "(of geen): er is niets te tonen."
            )
        return Content(f"{visible(group)} staat niet apart; kies een andere wijk (w).")
