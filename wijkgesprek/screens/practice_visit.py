"""The practice conversation: the visit screen, an OEFENEN banner and an invented family.

Everything of a real visit works the same (notes, themes, agreements, safety check,
the sociale kaart), in the practice database. F5 asks the family a question under the
current topic; the answer (``domain.practice.answer``) appears under the guide's
questions. F8 shows the reflection instead of the summary.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from wijkgesprek.domain.asking import read_question
from wijkgesprek.domain.practice import (
    ABSENT,
    FACT,
    GUARDED,
    INTERPRETER,
    JUDGED,
    NOT_UNDERSTOOD,
    SCALE_REASON,
    SILENT,
    Turn,
    answer,
    has_interpreter,
    is_doorvraag,
    topics_asked,
)
from wijkgesprek.errors import WijkError
from wijkgesprek.screens.visit import HELP as VISIT_HELP
from wijkgesprek.screens.visit import VisitScreen
from wijkgesprek.store import practice
from wijkgesprek.text import visible

if TYPE_CHECKING:
    from wijkgesprek.content.model import Person, PracticeCase, Topic, Words
    from wijkgesprek.screens.ask import Question

HELP = (
    """\
# Oefengesprek

U oefent met een **verzonnen gezin**; de balk OEFENEN staat er de hele tijd. Het
werkt als een echt huisbezoek, maar alles blijft in de oefendatabase.

- **F5** stelt een vraag over het gekozen onderwerp. Typ uw vraag (of kies met →
  een voorgestelde vraag), kies met ↑ en ↓ aan wie u het vraagt en druk op
  **Enter**. Het antwoord verschijnt onder de vragen van de leidraad, met hoe uw
  vraag klonk (open, gesloten, een label…).
- Iedereen antwoordt voor zichzelf; wie er niet bij is, kan niet antwoorden. Op een
  open vraag vertelt iemand meer dan op een gesloten vraag. Een label of 'moet' maakt
  iemand een tijdje voorzichtig.
- Wie doorvraagt op wat iemand zelf vertelde, met de goede woorden, hoort wat het
  gezin niet meteen vertelt. De schaalvraag (0 tot 10) krijgt van ieder een eigen
  cijfer; vraag ook waarom het dat cijfer is en geen lager.
- Bij **Netwerk en omgeving** vertelt het gezin over de mensen om zich heen als u
  daar open naar vraagt, met de goede woorden: wie helpt, en wie zou meer willen doen?
  Zet ze met **Ctrl+N** op de netwerkkaart; elke poging begint met een lege kaart.
- **F8** (Afronden) toont de reflectie op dit gesprek; daar sluit u de poging af.

"""
    + VISIT_HELP
)


class PracticeVisitScreen(VisitScreen):
    HELP = HELP
    BINDINGS = [
        Binding(
            "f3",
            "themes",
            "Thema's",
            id="thema",
            show=False,  # F5 takes its place in the footer, which must fit 80 columns
            tooltip="Koppel thema's aan deze aantekening",
            priority=True,
        ),
        Binding(
            "f5",
            "ask",
            "Vraag",
            id="vraag",
            tooltip="Stel het gezin een vraag over dit onderwerp",
            priority=True,
        ),
    ]

    def __init__(self, visit_id: int, case: PracticeCase, words: Words) -> None:
        super().__init__(visit_id)
        self.case = case
        self.words = words
        self.turns: list[Turn] = []
        self.voice = next((p.id for p in case.personen if p.aanwezig), "")
        """Whom the next question goes to: the person asked last."""

    def compose_banner(self) -> ComposeResult:
        yield Static(
            visible(f"OEFENEN · {self.case.titel}"), classes="practice-banner", markup=False
        )

    def on_mount(self) -> None:
        try:
            self.turns = self.app.connection.run(practice.turns, visit_id=self.visit_id)
            asked = [t.voice for t in self.turns if self.case.person(t.voice) is not None]
            self.voice = asked[-1] if asked else self.voice
        except WijkError as error:  # e.g. the database is locked: the notes still work
            self.notify(
                f"{error} Wat het gezin eerder antwoordde, staat er nu niet bij.",
                severity="error",
                timeout=20,
                markup=False,
            )
        super().on_mount()

    def _carry_over(self, record: object) -> None:
        """Each attempt starts fresh: nothing is carried over from an earlier attempt."""

    def _guide_content(self, topic: Topic) -> Content:
        content = super()._guide_content(topic)
        said = [turn for turn in self.turns if turn.topic == topic.id]
        parts = [content, Content.styled("\n\nHet gesprek (F5: vraag stellen)\n", "italic")]
        if not [turn for turn in said if turn.kind != INTERPRETER]:
            parts.append(Content("Nog niets gevraagd over dit onderwerp.\n"))
        for index, turn in enumerate(self.turns):
            if turn.topic == topic.id:  # through the interpreter: only once one was there
                interpreter = has_interpreter(self.turns[:index])
                parts += self._turn_content(index, interpreter=interpreter)
        return Content("").join(parts)

    def _turn_content(self, index: int, *, interpreter: bool) -> list[Content]:
        """A question, how it sounded, and the answer (all text from data or the user)."""
        turn = self.turns[index]
        if turn.kind == INTERPRETER:
            return [Content.styled(visible(f"({turn.answer})") + "\n", "italic")]
        person = self.case.person(turn.voice)
        who = person.wie if person else turn.voice
        heard = read_question(turn.question, self.words).tags()
        if turn.kind == SCALE_REASON:
            heard = ["vraag naar de reden van het cijfer"]
        elif is_doorvraag(self.turns, index, self.words):
            heard.append("doorvraag")
        tags = ", ".join(heard)
        parts = [
            Content.styled(visible(f"U, aan {who}: "), "bold"),
            Content(visible(turn.question)),
            Content.styled(visible(f"  ({tags})") + "\n", "dim"),
        ]
        speaker = _speaker(person, who, interpreter=interpreter)
        if turn.kind == FACT:  # a hidden fact, as the case tells it
            told = f"Nu hoort u van {who}: {turn.answer}"
            parts.append(Content.styled(visible(told) + "\n", "bold"))
        elif turn.kind == ABSENT:
            parts.append(Content.styled(visible(f"({turn.answer})") + "\n", "dim italic"))
        elif turn.kind in (SILENT, JUDGED, GUARDED, NOT_UNDERSTOOD):
            parts.append(Content.styled(visible(f"{speaker}: {turn.answer}") + "\n", "italic"))
        else:
            parts.append(Content(visible(f"{speaker}: {turn.answer}") + "\n"))
        return parts

    def action_ask(self) -> None:
        from wijkgesprek.screens.ask import AskScreen

        self.flush()
        topic = self.app.guide.topic(self.topic_id)
        self.open_dialog(
            AskScreen(
                topic.titel,
                voices=[(person.id, _choice(person)) for person in self.case.personen],
                suggestions=(*topic.vragen, *topic.doorvragen),
                selected=self.voice,
            ),
            self._asked,
        )

    def _asked(self, question: Question | None) -> None:
        if question is None:
            return
        self.voice = question.voice
        turn = answer(
            self.case,
            self.words,
            topic=self.topic_id,
            question=question.text,
            voice=question.voice,
            turns=self.turns,
        )
        if not self.app.write(
            practice.add_turn, visit_id=self.visit_id, turn=turn, now=datetime.now(UTC)
        ):
            return
        self.turns.append(turn)
        self._reload()
        self.call_after_refresh(self._show_answer)  # after the new layout

    def _show_answer(self) -> None:
        """Scroll so the family's latest answer (the end of the talk) is in view: the
        doorvragen and the tip come after it (F6)."""
        guide = self.query_one("#guide", VerticalScroll)
        talk = self.query_one("#guide-text")
        guide.scroll_to(y=max(0, talk.virtual_region.bottom - guide.size.height), animate=False)

    def touched_topics(self) -> set[str]:
        return super().touched_topics() | topics_asked(self.turns)

    def action_finish(self) -> None:
        from wijkgesprek.screens.reflection import ReflectionScreen

        self.flush()
        self.open_screen(ReflectionScreen(self.visit_id, self.case, self.words), self._finished)


def _choice(person: Person) -> str:
    """A person as offered in the F5 dialog."""
    if not person.aanwezig:
        return f"{person.wie} (niet aanwezig)"
    if person.tolk:
        return f"{person.wie} (via een tolk)"
    return person.wie


def _speaker(person: Person | None, who: str, *, interpreter: bool) -> str:
    name = who[:1].upper() + who[1:]
    if person is not None and person.tolk and interpreter:
        return f"{name} (via de tolk)"
    return name
