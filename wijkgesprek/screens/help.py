"""F1: help for the screen you are on, and its keys (with their ids for the config file)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Markdown

GENERAL = """\
## Toetsen op dit scherm

| toets | wat | id |
|---|---|---|
{rows}

Toetsen aanpassen kan in het instellingenbestand (`wijkgesprek waar` toont waar),
onder `[toetsen]`, met het id: bijvoorbeeld `afronden = "f10"`.
"""


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,f1", "close", "Sluiten", id="hulp-sluiten"),
    ]

    def __init__(self, screen: Screen[object]) -> None:
        super().__init__()
        self.for_screen = screen

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-dialog", classes="dialog"):
            yield Markdown(self._text())

    def on_mount(self) -> None:
        self.query_one("#help-dialog").focus()

    def _text(self) -> str:
        text = getattr(self.for_screen, "HELP", "# Hulp")
        rows = []
        seen = set()
        for active in self.for_screen.active_bindings.values():
            binding = active.binding
            # Only wijkgesprek's own bindings (they all have an id a user can remap);
            # Textual's widget keys (cursor, scroll) are left to the widgets themselves.
            if not binding.id or not binding.description or binding.id in seen:
                continue
            seen.add(binding.id)
            shown = self.app.get_key_display(binding)
            rows.append(f"| `{shown}` | {binding.description} | `{binding.id or ''}` |")
        return f"{text}\n\n{GENERAL.format(rows=chr(10).join(rows))}"

    def action_close(self) -> None:
        self.dismiss(None)
