"""An addition (aanvulling) to a finished visit: a topic and text, with its own time."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from wijkgesprek.screens.dialog import Dialog
from wijkgesprek.store import repo
from wijkgesprek.widgets.note_area import NoteArea

if TYPE_CHECKING:
    from wijkgesprek.app import WijkgesprekApp

HELP = """\
# Aanvulling

Kies het onderwerp (pijltjes), ga met **Tab** naar het tekstvak en typ de
aanvulling. **Ctrl+S** bewaart; **Escape** annuleert. De oorspronkelijke
aantekening blijft zoals ze was.
"""


class AdditionScreen(Dialog[bool]):
    HELP = HELP
    BINDINGS = [
        Binding("ctrl+s", "save", "Bewaren", id="aanvulling-bewaren", priority=True),
        Binding("escape", "cancel", "Annuleren", id="aanvulling-annuleren"),
    ]

    app: WijkgesprekApp

    def __init__(self, visit_id: int) -> None:
        super().__init__()
        self.visit_id = visit_id

    def compose(self) -> ComposeResult:
        with Vertical(id="addition-dialog", classes="dialog"):
            yield Static("Aanvulling op een afgerond bezoek", classes="dialog-title")
            topics = OptionList(
                *[Option(topic.titel, id=topic.id) for topic in self.app.guide.topics],
                id="addition-topic",
            )
            topics.highlighted = 0
            yield topics
            yield NoteArea(id="addition-text", soft_wrap=True)
            yield Static("Ctrl+S bewaart · Escape annuleert", classes="hint")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#addition-topic").focus()

    def action_save(self) -> None:
        text = self.query_one("#addition-text", NoteArea).text
        if not text.strip():
            self.notify("Typ eerst de aanvulling.")
            return
        topics = self.query_one("#addition-topic", OptionList)
        topic = topics.get_option_at_index(topics.highlighted or 0).id or ""
        if not self.app.write(
            repo.add_correction,
            visit_id=self.visit_id,
            topic=topic,
            text=text,
            now=datetime.now(UTC),
        ):
            return
        self.notify("De aanvulling is bewaard.")
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
