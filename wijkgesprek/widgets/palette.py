"""The command palette, with its one built-in English sentence in Dutch."""

from __future__ import annotations

from rich.align import Align
from rich.text import Text
from textual.command import CommandList
from textual.command import CommandPalette as _CommandPalette
from textual.widgets.option_list import Option


class CommandPalette(_CommandPalette):
    """Textual's palette; "No matches found" reads "Geen opdracht gevonden"."""

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # Mirrors textual 8.2 CommandPalette._start_no_matches_countdown (pinned in
        # pyproject.toml); only the sentence differs.
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(
                        Align.center(Text("Geen opdracht gevonden", style="not bold")),
                        disabled=True,
                        id=self._NO_MATCHES,
                    )
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)
