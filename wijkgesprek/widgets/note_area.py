"""The note editor: a TextArea that shows loaded notes without control codes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.widgets import TextArea

from wijkgesprek.text import clean_typed


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

    def load_note(self, text: str) -> None:
        with self.prevent(TextArea.Changed):
            self.load_text(clean_typed(text))
