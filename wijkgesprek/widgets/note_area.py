"""The note editor: a TextArea that shows loaded notes without control codes."""

from __future__ import annotations

from textual.widgets import TextArea

from wijkgesprek.text import clean_typed


class NoteArea(TextArea):
    """A TextArea for notes.

    Textual's TextArea draws its document as is, so a control character in it
    would reach the terminal. Pasted text is cleaned by the App for every field;
    text loaded from the database is cleaned here.
    """

    def load_note(self, text: str) -> None:
        with self.prevent(TextArea.Changed):
            self.load_text(clean_typed(text))
