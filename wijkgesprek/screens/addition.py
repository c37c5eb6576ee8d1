"""An addition (aanvulling) to a finished visit: a topic and text, with its own time."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from wijkgesprek.screens.choice import ChoiceScreen
from wijkgesprek.screens.dialog import Dialog
from wijkgesprek.store import repo
from wijkgesprek.widgets.note_area import NoteArea
from wijkgesprek.widgets.numbered_list import NumberedList

if TYPE_CHECKING:
    from wijkgesprek.app import WijkgesprekApp

HELP = """\
# Aanvulling

Kies het onderwerp met de pijltjes en **Enter**, of met het cijfer ervoor; u
typt dan meteen in het tekstvak. **Ctrl+S** bewaart; **Escape** gaat terug (met
getypte tekst vraagt wijkgesprek eerst wat ermee moet). De oorspronkelijke
aantekening blijft zoals ze was.
"""


class AdditionScreen(Dialog[bool]):
    HELP = HELP
    BINDINGS = [
        Binding("ctrl+s", "save", "Bewaren", id="aanvulling-bewaren", priority=True),
        Binding("escape", "cancel", "Annuleren", id="aanvulling-annuleren", priority=True),
    ]

    app: WijkgesprekApp

    def __init__(self, visit_id: int) -> None:
        super().__init__()
        self.visit_id = visit_id

    def compose(self) -> ComposeResult:
        with Vertical(id="addition-dialog", classes="dialog"):
            yield Static("Aanvulling op een afgerond bezoek", classes="dialog-title")
            topics = NumberedList(  # Enter or a digit chooses and goes on to the text
                *[
                    Option(f"{number} {topic.titel}", id=topic.id)
                    for number, topic in enumerate(self.app.guide.topics, start=1)
                ],
                id="addition-topic",
                on_choose=self._topic_chosen,
            )
            topics.highlighted = 0
            yield topics
            yield NoteArea(id="addition-text", soft_wrap=True)
            yield Static("Ctrl+S bewaart · Escape annuleert", classes="hint")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#addition-topic"))

    def _topic_chosen(self, _index: int) -> None:
        self.set_focus(self.query_one("#addition-text", NoteArea))

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
        """Escape: typed text is never dropped without asking."""
        if not self.query_one("#addition-text", NoteArea).text.strip():
            self.dismiss(False)
            return

        def answered(answer: str | None) -> None:
            if answer == "bewaren":
                self.action_save()
            elif answer == "weg":
                self.dismiss(False)

        self.app.push_screen(
            ChoiceScreen(
                "Nog niet bewaard",
                "De aanvulling is nog niet bewaard. Wat wilt u ermee?",
                [
                    ("bewaren", "Bewaren en sluiten"),
                    ("terug", "Terug naar de tekst"),
                    ("weg", "Niet bewaren en sluiten"),
                ],
            ),
            answered,
        )
