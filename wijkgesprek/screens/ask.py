"""Practice: ask the invented family a question (F5 in the practice conversation)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.suggester import SuggestFromList
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from wijkgesprek.screens.dialog import Dialog
from wijkgesprek.text import visible

HELP = """\
# Een vraag stellen

Typ de vraag zoals u hem aan het gezin zou stellen. Begint u te typen zoals een
vraag uit de leidraad, dan staat die er grijs achter: **→** neemt hem over.

- **↑** en **↓** kiezen aan wie u de vraag stelt; de volgende vraag gaat weer naar
  dezelfde persoon. Wie er niet bij is, kan niet antwoorden; wie alleen via een tolk
  verstaat, antwoordt alleen als er een tolk is. Een kind antwoordt als een kind.
- Hoe u vraagt, maakt uit: op een open vraag (wat, hoe, vertel…) vertelt iemand meer,
  op een gesloten vraag (heeft u, bent u…) komt een kort antwoord. Een label of 'moet'
  maakt iemand een tijdje voorzichtig. Wie doorvraagt op wat iemand zelf vertelde, hoort
  wat het gezin niet meteen zegt.
- **Enter** stelt de vraag. Zonder tekst vraagt u: "Vertelt u eens…".
- **Escape** annuleert.
"""

MAX_QUESTION = 500


@dataclass(frozen=True)
class Question:
    text: str
    voice: str


class AskScreen(Dialog[Question | None]):
    HELP = HELP
    BINDINGS = [
        Binding("escape", "cancel", "Annuleren", id="vraag-annuleren"),
        Binding("up", "voice(-1)", "Vorige persoon", id="vraag-vorige", show=False),
        Binding("down", "voice(1)", "Volgende persoon", id="vraag-volgende", show=False),
    ]

    def __init__(
        self,
        topic: str,
        *,
        voices: Sequence[tuple[str, str]],
        suggestions: Sequence[str],
        selected: str = "",
    ) -> None:
        """``voices``: (id, how the person is shown) of everyone who can be asked."""
        super().__init__()
        self.topic = topic
        self.voices = tuple(voices) or (("gezin", "gezin"),)
        self.suggestions = tuple(suggestions)
        ids = [voice for voice, _ in self.voices]
        self.selected = ids.index(selected) if selected in ids else 0

    def compose(self) -> ComposeResult:
        with Vertical(id="ask-dialog", classes="dialog"):
            yield Static(
                visible(f"Vraag aan het gezin · {self.topic}"),
                classes="dialog-title",
                markup=False,
            )
            yield Input(
                placeholder="Uw vraag (leeg: 'Vertelt u eens…')",
                id="question",
                max_length=MAX_QUESTION,
                suggester=SuggestFromList(self.suggestions, case_sensitive=False),
            )
            yield Static("Aan wie? (↑ ↓)", classes="hint")
            voices = OptionList(
                *[Option(visible(label), id=voice) for voice, label in self.voices],
                id="voices",
                markup=False,
            )
            voices.can_focus = False  # typing stays in the question; ↑ ↓ choose here
            voices.highlighted = self.selected
            yield voices
            yield Static(
                "Enter vraagt · → neemt een voorgestelde vraag over · Escape annuleert",
                classes="hint",
            )
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#question", Input).focus()

    def action_voice(self, step: int) -> None:
        voices = self.query_one("#voices", OptionList)
        voices.highlighted = ((voices.highlighted or 0) + step) % len(self.voices)

    @on(Input.Submitted, "#question")
    def _ask(self) -> None:
        voices = self.query_one("#voices", OptionList)
        voice, _ = self.voices[voices.highlighted or 0]
        self.dismiss(Question(self.query_one("#question", Input).value, voice))

    def action_cancel(self) -> None:
        self.dismiss(None)
