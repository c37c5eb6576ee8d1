"""Practice: the reflection on an attempt, its progress over attempts, and its export."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Markdown, Static

from wijkgesprek.domain.progress import progress_markdown
from wijkgesprek.domain.reflection import reflect_attempt
from wijkgesprek.domain.reflection_text import reflection_markdown
from wijkgesprek.errors import WijkError
from wijkgesprek.store import practice, repo
from wijkgesprek.text import visible

if TYPE_CHECKING:
    from wijkgesprek.app import WijkgesprekApp
    from wijkgesprek.content.model import PracticeCase, Words

PRACTICE_FOLDER = "oefenen"
"""Where reflections are saved: a folder of their own beside the exports."""

HELP = """\
# Reflectie

Terugkijken op het oefengesprek, met bij elk deel waarom het ertoe doet: welke
onderwerpen u raakte en oversloeg; hoeveel vragen open en gesloten waren en hoe vaak
u doorvroeg per onderwerp; waar u 'moeten' of een label of diagnose gebruikte (met de
zin); wiens stem u hoorde; of u naar dromen en hoop vroeg en de schaalvraag stelde;
de kindcheck en, bij zorgen, de meldcode; of er een volgend contact is; welke
verborgen feiten het gezin u vertelde en welke u miste; bij een casus met een netwerk
wie u daarvan vond, wie op de netwerkkaart staat en wie meer zou kunnen doen; en welk
aanbod u gebruikte.
Onderaan staan al uw pogingen met deze casus, zodat u ziet wat er beter gaat.

- **e** bewaart de reflectie als Markdown-bestand (alleen voor u leesbaar), in de
  map `oefenen` naast uw exports: nooit tussen de exports van echte gezinnen.
- **Ctrl+E** sluit deze poging af; de volgende keer begint u opnieuw.
- **Escape** gaat terug naar het gesprek; de poging blijft open.
"""


class ReflectionScreen(Screen[bool]):
    """Returns True when the attempt was ended, False when the trainee went back."""

    HELP = HELP
    BINDINGS = [
        Binding("e", "export", "Bewaren", id="reflectie-bewaren", tooltip="Bewaar als Markdown"),
        Binding("ctrl+e", "end", "Poging afsluiten", id="poging-afsluiten", tooltip="Sluit af"),
        Binding("escape", "back", "Terug naar gesprek", id="reflectie-terug"),
    ]

    app: WijkgesprekApp

    def __init__(self, visit_id: int, case: PracticeCase, words: Words) -> None:
        super().__init__()
        self.visit_id = visit_id
        self.case = case
        self.words = words
        self.report = ""
        self.number = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            visible(f"OEFENEN · {self.case.titel}"), classes="practice-banner", markup=False
        )
        with VerticalScroll(id="reflection"):
            yield Markdown(id="reflection-text")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.sub_title = "Reflectie"
        run = self.app.connection.run
        try:
            record, entries, turns = run(practice.attempt_data, visit_id=self.visit_id)
            scores = run(practice.scores, case=self.case, words=self.words)
            attempts = run(practice.attempts, code=self.case.huishouden.code)
        except WijkError as error:  # e.g. the database is locked or damaged: say so, go on
            self.notify(str(error), severity="error", timeout=20, markup=False)
            self.query_one(Markdown).update(
                "De reflectie kan nu niet worden gelezen. Ga met Escape terug naar het "
                "gesprek en probeer het later opnieuw; de poging blijft open."
            )
            self.query_one("#reflection").focus()
            return
        reflection = reflect_attempt(
            self.case, self.words, record=record, entries=entries, turns=turns
        )
        self.number = next((a.number for a in attempts if a.visit_id == self.visit_id), 0)
        titles = {topic.id: topic.titel for topic in self.app.guide.topics}
        self.report = reflection_markdown(self.case, reflection, titles=titles)
        if scores:
            self.report += "\n## Voortgang over pogingen\n\n" + progress_markdown(scores)
        self.query_one(Markdown).update(self.report)
        self.query_one("#reflection").focus()

    def action_export(self) -> None:
        from wijkgesprek.export.files import write_private
        from wijkgesprek.screens.export import default_folder

        if not self.report:
            self.notify("Er is geen reflectie om te bewaren.", severity="warning")
            return

        # A folder of its own: a reflection never lies among the exports of real families.
        folder = default_folder() / PRACTICE_FOLDER
        name = f"oefenen-{self.case.huishouden.code}-poging-{self.number}-{date.today()}.md"
        path: Path = folder / name
        try:
            folder.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            folder.mkdir(mode=0o700, exist_ok=True)
            os.chmod(folder, 0o700)
            # The same attempt's reflection, saved again, replaces the older version.
            write_private(path, self.report.encode("utf-8"), overwrite=True)
        except WijkError as error:
            self.notify(str(error), severity="error", timeout=20, markup=False)
            return
        except OSError:
            self.notify(
                f"De map {folder} kan niet worden aangemaakt.", severity="error", markup=False
            )
            return
        self.notify(
            f"De reflectie is bewaard in de map '{PRACTICE_FOLDER}', apart van echte "
            f"exports: {path}",
            timeout=15,
            markup=False,
        )

    def action_end(self) -> None:
        if self.app.write(repo.end_visit, visit_id=self.visit_id, now=datetime.now(UTC)):
            self.notify("De poging is afgesloten. Tot de volgende oefening!")
            self.dismiss(True)

    def action_back(self) -> None:
        self.dismiss(False)
