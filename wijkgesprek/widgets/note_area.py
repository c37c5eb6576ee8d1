"""The note editor: a TextArea that shows loaded notes without control codes."""

from __future__ import annotations

import time
import unicodedata
from collections.abc import Callable
from typing import Any

from textual.widgets import TextArea
from textual.widgets.text_area import Edit, EditResult

from wijkgesprek import limits
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

    A note holds at most ``limits.MAX_NOTE_CHARS`` characters: an edit that would make
    it longer keeps what fits and says at once how much was not added (never silently).
    The length is kept up to date per edit, so a keystroke never counts a long note.
    """

    TOLD_AGAIN_AFTER = 3.0
    """Seconds before a key refused at the limit is told again (not a notice per key)."""

    def __init__(self, *, on_change: Callable[[], None] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.on_change = on_change
        self._length: int | None = None
        self._told_at = -self.TOLD_AGAIN_AFTER

    def edit(self, edit: Edit) -> EditResult:
        length = len(self.text) if self._length is None else self._length
        limit = limits.MAX_NOTE_CHARS
        if length + len(edit.text) > limit:
            removed = len(self.get_text_range(edit.from_location, edit.to_location))
            room = max(0, limit - (length - removed))
            if len(edit.text) > room:
                self._tell_full(len(edit.text) - room)
                edit = Edit(
                    edit.text[:room],
                    edit.from_location,
                    edit.to_location,
                    edit.maintain_selection_offset,
                )
        result = super().edit(edit)
        self._length = length - len(result.replaced_text) + len(edit.text)
        return result

    def load_text(self, text: str) -> None:
        self._length = None
        super().load_text(text)

    def undo(self) -> None:
        self._length = None
        super().undo()

    def redo(self) -> None:
        self._length = None
        super().redo()

    def _tell_full(self, dropped: int) -> None:
        now = time.monotonic()
        if dropped == 1 and now - self._told_at < self.TOLD_AGAIN_AFTER:
            return
        self._told_at = now
        limit = limits.count_text(limits.MAX_NOTE_CHARS)
        what = "1 teken is" if dropped == 1 else f"{limits.count_text(dropped)} tekens zijn"
        self.app.notify(
            f"De aantekening is vol (hoogstens {limit} tekens): {what} niet toegevoegd. "
            "Schrijf verder in een ander onderwerp of een aanvulling.",
            severity="warning",
            timeout=8,
            markup=False,
        )

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
