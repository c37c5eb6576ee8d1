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


NAMES = {
    "slash": "/",
    "escape": "Escape",
    "enter": "Enter",
    "delete": "Delete",
    "space": "spatiebalk",
    "tab": "Tab",
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
}


def as_pressed(key: str) -> str:
    """A key as a person presses it: ``g``, ``/``, ``F10``, ``Ctrl+G``, ``Alt+3``."""
    *modifiers, name = key.strip().split("+")
    if len(name) == 1:
        shown = name.upper() if modifiers else name
    elif name.startswith("f") and name[1:].isdigit():
        shown = name.upper()
    else:
        shown = NAMES.get(name, name.replace("_", " "))
    return "+".join([*(modifier.capitalize() for modifier in modifiers), shown])


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
        keys: dict[str, list[str]] = {}
        described: dict[str, str] = {}
        for key, active in self.for_screen.active_bindings.items():
            binding = active.binding
            # Only wijkgesprek's own bindings (they all have an id a user can remap);
            # Textual's widget keys (cursor, scroll) are left to the widgets themselves.
            if binding.id and binding.description:
                keys.setdefault(binding.id, []).append(as_pressed(key))
                described[binding.id] = binding.description
        rows = [
            f"| `{' of '.join(pressed)}` | {described[id_]} | `{id_}` |"
            for id_, pressed in keys.items()
        ]
        return f"{text}\n\n{GENERAL.format(rows=chr(10).join(rows))}"

    def action_close(self) -> None:
        self.dismiss(None)
