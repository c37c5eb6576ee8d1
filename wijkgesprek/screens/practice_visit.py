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

from wijkgesprek.domain.practice import FACT, SILENT, Turn, answer, topics_asked
from wijkgesprek.errors import WijkError
from wijkgesprek.screens.visit import HELP as VISIT_HELP
from wijkgesprek.screens.visit import VisitScreen
from wijkgesprek.store import practice
from wijkgesprek.text import visible

if TYPE_CHECKING:
    from wijkgesprek.content.model import PracticeCase, Topic, Words
    from wijkgesprek.screens.ask import Question

HELP = (
    """\
# Oefengesprek

U oefent met een **verzonnen gezin**; de balk OEFENEN staat er de hele tijd. Het
werkt als een echt huisbezoek, maar alles blijft in de oefendatabase.

- **F5** stelt een vraag aan het gezin over het gekozen onderwerp. Typ uw vraag
  (of kies met → een voorgestelde vraag), kies met ↑ en ↓ aan wie u het vraagt en
  druk op **Enter**. Het antwoord verschijnt onder de vragen van de leidraad.
- Wie doorvraagt met de goede woorden, hoort wat het gezin niet meteen vertelt.
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

    def compose_banner(self) -> ComposeResult:
        yield Static(
            visible(f"OEFENEN · {self.case.titel}"), classes="practice-banner", markup=False
        )

    def on_mount(self) -> None:
        try:
            self.turns = self.app.connection.run(practice.turns, visit_id=self.visit_id)
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
        if not said:
            parts.append(Content("Nog niets gevraagd over dit onderwerp.\n"))
        for turn in said:
            parts.append(Content.styled(visible(f"U, aan {turn.voice}: "), "bold"))
            parts.append(Content(visible(turn.question) + "\n"))
            if turn.kind == FACT:
                parts.append(Content.styled(visible(f"Nu hoort u: {turn.answer}\n"), "bold"))
            elif turn.kind == SILENT:
                parts.append(Content.styled(visible(turn.answer) + "\n", "dim italic"))
            else:
                parts.append(Content(visible(f"Gezin: {turn.answer}\n")))
        return Content("").join(parts)

    def action_ask(self) -> None:
        from wijkgesprek.screens.ask import AskScreen

        self.flush()
        topic = self.app.guide.topic(self.topic_id)
        self.open_dialog(
            AskScreen(
                topic.titel,
                voices=self.case.stemmen,
                suggestions=(*topic.vragen, *topic.doorvragen),
            ),
            self._asked,
        )

    def _asked(self, question: Question | None) -> None:
        if question is None:
            return
        turn = answer(
            self.case,
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
