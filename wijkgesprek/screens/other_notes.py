"""Notes under topics this guide does not know, to read (F12 in the visit).

They come from a colleague with another guide, or from an imported hand-over. They are
shown, never hidden, but not edited here: the visit screen edits notes per topic of the
guide, and a topic it does not know has no questions or place in the summary. What the
professional wants to add goes in a topic of this guide (or, later, an addition).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Static

from wijkgesprek.domain.visit import OTHER_NOTES
from wijkgesprek.screens.dialog import Dialog
from wijkgesprek.text import visible

HELP = """\
# Overige aantekeningen

Deze aantekeningen staan bij onderwerpen die deze gespreksleidraad niet kent:
geschreven door een collega met een andere leidraad, of ingelezen uit een overdracht.
Ze blijven bewaard en staan ook in de geschiedenis en het dossier.

U kunt ze hier lezen, niet wijzigen. Wilt u iets toevoegen, schrijf het dan bij een
onderwerp van deze leidraad.

- **↑ ↓**, **PageUp** en **PageDown** schuiven door de tekst.
- **Escape** (of nog eens **F12**) sluit dit venster; u typt verder in de aantekening.
"""


class OtherNotesScreen(Dialog[None]):
    HELP = HELP
    BINDINGS = [Binding("escape,f12", "close", "Sluiten", id="overige-sluiten")]

    def __init__(self, notes: list[tuple[str, str]]) -> None:
        super().__init__()
        self.notes = notes

    def compose(self) -> ComposeResult:
        with Vertical(id="other-notes", classes="dialog"):
            yield Static(OTHER_NOTES, classes="dialog-title")
            yield Static(
                "Bij onderwerpen die deze leidraad niet kent (een andere leidraad of een "
                "overdracht). U kunt ze lezen, niet wijzigen; schrijf aanvullingen bij een "
                "onderwerp van deze leidraad.",
                classes="hint",
            )
            with VerticalScroll(id="other-notes-text"):
                for topic, text in self.notes:
                    yield Static(Content.styled(visible(topic), "bold"), classes="other-topic")
                    yield Static(Content(visible(text)), classes="other-text")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#other-notes-text"))

    def action_close(self) -> None:
        self.dismiss(None)
