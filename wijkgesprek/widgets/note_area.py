"""The note editor: a TextArea that shows loaded notes without control codes."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any

from textual.widgets import TextArea

from wijkgesprek.text import clean_typed

ALT_DIGITS = "¡™£¢∞§¶•ª"
"""What Alt+1 … Alt+9 (or Escape and a digit typed quickly) arrive as in many terminals:
Textual reads ``ESC 3`` as ``£``. They choose a topic instead of being typed."""
ALT_DIGIT_KEYS = tuple(
    char if char.isalnum() else unicodedata.name(char).lower().replace(" ", "_")
    for char in ALT_DIGITS
)
"""Textual's key names for them (``pound_sign``), in digit order."""


class NoteArea(TextArea):
    """A TextArea for notes.

    Textual's TextArea draws its document as is, so a control character in it
    would reach the terminal. Pasted text is cleaned by the App for every field;
    text loaded from the database is cleaned here.

    ``on_change`` is called on every edit instead of letting ``Changed`` bubble
    through every container (this is on the path of each keystroke).
    """

    def __init__(self, *, on_change: Callable[[], None] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.on_change = on_change

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if self.on_change is not None:
            event.stop()
            self.on_change()

    def check_consume_key(self, key: str, character: str | None = None) -> bool:
        if character is not None and character in ALT_DIGITS:
            return False  # left to the screen's Alt+digit bindings
        return super().check_consume_key(key, character)

    def load_note(self, text: str) -> None:
        """Show ``text``, with the cursor at its end: what is typed next goes on after it."""
        with self.prevent(TextArea.Changed):
            self.load_text(clean_typed(text))
        self.move_cursor(self.document.end)
