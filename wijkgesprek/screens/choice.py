"""A question with a few answers, before something would be lost or removed."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Footer, Static
from textual.widgets.option_list import Option

from wijkgesprek.screens.dialog import Dialog
from wijkgesprek.widgets.numbered_list import NumberedList

HELP = """\
# Een keuze

Kies met de pijltjes en **Enter**, of met het cijfer ervoor. **Escape** gaat
terug zonder iets te veranderen.
"""


class ChoiceScreen(Dialog[str | None]):
    """Returns the key of the chosen answer, or None for Escape (nothing changes)."""

    HELP = HELP
    BINDINGS = [Binding("escape", "cancel", "Terug", id="keuze-terug", priority=True)]

    def __init__(self, title: str, text: str, answers: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.text = text
        self.answers = answers

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog choice-dialog"):
            yield Static(Content(self.title_text), classes="dialog-title")
            yield Static(Content(self.text), classes="hint")
            yield NumberedList(
                *[
                    Option(Content(f"{number} {label}"), id=key)
                    for number, (key, label) in enumerate(self.answers, start=1)
                ],
                id="answers",
                on_choose=self._chosen,
            )
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        answers = self.query_one(NumberedList)
        answers.highlighted = 0
        self.set_focus(answers)

    def _chosen(self, index: int) -> None:
        self.dismiss(self.answers[index][0])

    def action_cancel(self) -> None:
        self.dismiss(None)
