"""Search: all notes and additions, as you type, with the hits highlighted.

Results are searched in a thread a moment after the last keystroke (``SEARCH_DELAY``),
so typing never waits for the database. Enter on a result of an open visit opens that
visit here (Escape there comes back to the results); a finished visit is never opened
for writing: the screen closes with the hit and the caller decides what to show.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Header, Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from wijkgesprek.domain.search import ADDITION, SearchHit
from wijkgesprek.domain.visit import SAFETY_TOPIC
from wijkgesprek.errors import WijkError
from wijkgesprek.text import visible

if TYPE_CHECKING:
    from wijkgesprek.app import WijkgesprekApp

SEARCH_DELAY = 0.2
"""Seconds after the last keystroke before searching."""
LIMIT = 20
HIT_STYLE = "bold reverse"
"""How a found word stands out in a snippet (works in every theme, also without colour)."""

HELP = """\
# Zoeken

Zoek in alle aantekeningen en aanvullingen van alle huishoudens. De resultaten
verschijnen terwijl u typt, de beste eerst; de gevonden woorden zijn gemarkeerd.

- Elk woord wordt ook gevonden als begin van een langer woord: **schuld** vindt
  ook *schulden* en *schuldhulp*. Alle woorden moeten voorkomen.
- Zet woorden tussen **aanhalingstekens** om ze precies zo, achter elkaar, te
  vinden: **"geen geld"**.
- Accenten hoeven niet: **cafe** vindt ook *café*, **zoe** vindt *Zoë*.
- Andere tekens (haakjes, sterretjes, min-tekens) tellen als gewone tekst.
- **Pijltje omlaag** (of **Enter**) gaat naar de resultaten; **Enter** op een
  resultaat opent het bezoek. Een afgerond bezoek wordt niet meer gewijzigd: dat
  opent u vanuit de huishoudens. Typen in de resultaten zoekt verder.
- **Escape** sluit het zoeken.
"""


class SearchScreen(Screen[SearchHit | None]):
    HELP = HELP
    BINDINGS = [
        Binding(
            "down",
            "to_results",
            "Naar de resultaten",
            id="zoeken-resultaten",
            show=False,
            tooltip="Ga van het zoekveld naar de resultaten",
        ),
        Binding(
            "escape",
            "close",
            "Sluiten",
            id="zoeken-sluiten",
            tooltip="Sluit het zoeken en ga terug",
        ),
    ]

    app: WijkgesprekApp

    def __init__(self) -> None:
        super().__init__()
        self.hits: list[SearchHit] = []
        self.searched: str | None = None
        """The text the shown results belong to (None: nothing searched yet)."""
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(
            placeholder='Zoek in alle aantekeningen, bijv. schuld of "geen geld"',
            id="search-input",
        )
        yield Static("Typ om te zoeken.", id="search-status", markup=False)
        yield OptionList(id="search-results", markup=False)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.sub_title = "Zoeken"
        self.query_one("#search-results", OptionList).display = False
        self.query_one("#search-input", Input).focus()

    def on_screen_resume(self) -> None:
        # Back from a visit: its notes may have changed.
        if self.searched:
            self._search(self.searched)

    @on(Input.Changed, "#search-input")
    def _typed(self, event: Input.Changed) -> None:
        if self._timer is not None:
            self._timer.stop()
        text = event.value
        self._timer = self.set_timer(SEARCH_DELAY, lambda: self._search(text))

    @on(Input.Submitted, "#search-input")
    def _submitted(self, event: Input.Submitted) -> None:
        if self._timer is not None:
            self._timer.stop()
        if event.value != self.searched:
            self._search(event.value, then_focus=True)
        else:
            self.action_to_results()

    @work(thread=True, exclusive=True, group="search")
    def _search(self, text: str, then_focus: bool = False) -> None:
        from wijkgesprek.store.access import search  # the households shown are logged

        try:
            hits = self.app.connection.run(search, text=text, limit=LIMIT) if text.strip() else []
        except WijkError as error:  # e.g. the database is locked or damaged: say so, go on
            self.app.call_from_thread(self._failed, str(error))
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, text, hits, then_focus)

    def _failed(self, problem: str) -> None:
        if not self.is_attached:
            return
        self.hits = []
        results = self.query_one("#search-results", OptionList)
        results.clear_options()
        results.display = False
        self.query_one("#search-status", Static).update(problem)

    def _show(self, text: str, hits: list[SearchHit], then_focus: bool) -> None:
        if not self.is_attached or text != self.query_one("#search-input", Input).value:
            return  # closed, or typed on meanwhile: the next search is coming
        self.searched = text
        self.hits = hits
        self._list_hits()
        status = self.query_one("#search-status", Static)
        if not text.strip():
            status.update("Typ om te zoeken.")
        elif not hits:
            status.update(f"Niets gevonden voor {visible(text.strip())}.")
        else:
            count = "1 resultaat" if len(hits) == 1 else f"{len(hits)} resultaten"
            more = " (de beste)" if len(hits) == LIMIT else ""
            status.update(f"{count}{more}. Pijltje omlaag en Enter opent het bezoek.")
        if then_focus:
            self.action_to_results()

    def _list_hits(self) -> None:
        results = self.query_one("#search-results", OptionList)
        highlighted = results.highlighted
        results.clear_options()
        results.add_options(self._option(index, hit) for index, hit in enumerate(self.hits))
        results.display = bool(self.hits)
        if self.hits:
            results.highlighted = min(highlighted or 0, len(self.hits) - 1)

    def discreet_changed(self) -> None:
        if self.is_mounted:
            self._list_hits()

    def _option(self, index: int, hit: SearchHit) -> Option:
        try:
            title = self.app.guide.topic(hit.topic).titel
        except KeyError:
            title = visible(hit.topic)
        parts = [hit.household_code, hit.started_at.astimezone().strftime("%d-%m-%Y"), title]
        if hit.source == ADDITION:
            parts.append("aanvulling")
        parts.append("open" if hit.visit_open else "afgerond")
        head = Content(visible(" · ".join(parts))).stylize("bold")
        if hit.topic == SAFETY_TOPIC and self.app.discreet:
            snippet = Content.styled("Discreet: de tekst is verborgen (Ctrl+G toont hem).", "dim")
        else:
            snippet = Content.assemble(
                *((text, HIT_STYLE) if found else text for text, found in hit.snippet)
            )
        return Option(Content.assemble(head, "\n", snippet), id=str(index))

    def on_key(self, event: events.Key) -> None:
        """Typing while in the results goes on in the search field."""
        results = self.query_one("#search-results", OptionList)
        if results.has_focus and event.is_printable and event.character:
            field = self.query_one("#search-input", Input)
            field.focus()
            field.insert_text_at_cursor(event.character)
            event.stop()

    def action_to_results(self) -> None:
        results = self.query_one("#search-results", OptionList)
        if self.hits and not results.has_focus:
            results.focus()
            if results.highlighted is None:
                results.highlighted = 0

    @on(OptionList.OptionSelected, "#search-results")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        hit = self.hits[int(event.option.id or 0)]
        if hit.visit_open:
            from wijkgesprek.screens.visit import VisitScreen

            self.app.push_screen(VisitScreen(hit.visit_id))
        else:
            self.dismiss(hit)

    def action_close(self) -> None:
        self.dismiss(None)
