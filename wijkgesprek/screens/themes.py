"""Tag themes (geldzorgen, eenzaamheid, …) on the note of the current topic."""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Footer, SelectionList, Static

from wijkgesprek.content.model import Theme
from wijkgesprek.screens.dialog import Dialog
from wijkgesprek.widgets.toggle_list import ToggleList

HELP = """\
# Thema's koppelen

Kies met de pijltjes en de **spatiebalk** de thema's die in deze aantekening
spelen. Een letter springt naar het volgende thema met die beginletter.
**Enter** bewaart de keuze, **Escape** annuleert.

Thema's helpen later bij het zoeken van passend aanbod in de wijk en bij het
tellen van trends, zonder dat een gezin herkenbaar is.
"""


HINT = "Letter springt · spatiebalk kiest · Enter bewaart · Escape annuleert"


class ThemesScreen(Dialog[tuple[str, ...] | None]):
    HELP = HELP
    BINDINGS = [
        Binding("enter", "save", "Bewaren", id="thema-bewaren", priority=True),
        Binding("escape", "cancel", "Annuleren", id="thema-annuleren"),
    ]

    def __init__(self, themes: tuple[Theme, ...], current: tuple[str, ...], topic: str) -> None:
        super().__init__()
        self.themes = themes
        self.current = current
        self.topic = topic
        self._jumped = False

    def compose(self) -> ComposeResult:
        with Vertical(id="themes-dialog", classes="dialog"):
            yield Static(Content(f"Thema's bij: {self.topic}"), classes="dialog-title")
            yield ToggleList[str](
                *[
                    (Content(theme.naam), theme.id, theme.id in self.current)
                    for theme in self.themes
                ],
                id="theme-list",
            )
            yield Static(HINT, classes="hint")
        yield Footer(compact=True, show_command_palette=False)

    def on_key(self, event: events.Key) -> None:
        """Typing a letter jumps to the next theme that starts with it."""
        if not (event.character and event.character.isalpha()):
            return
        listing = self.query_one(SelectionList)
        letter = event.character.casefold()
        # The first letter may land on the theme under the cursor; the same letter again
        # goes on to the next one with it.
        start = (listing.highlighted or 0) + (1 if self._jumped else 0)
        self._jumped = True
        count = len(self.themes)
        for offset in range(count):
            index = (start + offset) % count
            if self.themes[index].naam.casefold().startswith(letter):
                listing.highlighted = index
                event.stop()
                return

    def action_save(self) -> None:
        chosen = set(self.query_one(SelectionList).selected)
        # Keep the guide's order, so a note's themes read the same everywhere.
        self.dismiss(tuple(theme.id for theme in self.themes if theme.id in chosen))

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(SelectionList.SelectionHighlighted)
    def _describe(self, event: SelectionList.SelectionHighlighted[str]) -> None:
        theme = self.themes[event.selection_index]
        self.query_one(".hint", Static).update(Content(theme.omschrijving or HINT))
