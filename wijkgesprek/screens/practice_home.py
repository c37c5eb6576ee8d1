"""Practice home (``wijkgesprek oefenen``): the cases, their intake and progress so far."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from wijkgesprek.domain.household import describe_children
from wijkgesprek.domain.progress import PROGRESS_HEADER, Score, progress_row
from wijkgesprek.errors import WijkError
from wijkgesprek.text import visible

if TYPE_CHECKING:
    from wijkgesprek.app import WijkgesprekApp
    from wijkgesprek.content.model import Cases, PracticeCase

HELP = """\
# Oefenen

U oefent het gesprek met een **verzonnen gezin**. Alles wat u hier vastlegt staat
in een aparte oefendatabase: het komt nooit bij echte gezinnen, in zoekresultaten,
exports of trends.

- Kies een casus met de pijltjes; rechts (of eronder) staan de aanleiding en uw
  pogingen tot nu toe.
- **Enter** begint een poging, of gaat verder met een poging die nog open staat.
- **t** doet hetzelfde met een tolk erbij, bij een casus met een taalbarrière.
- In het gesprek stelt u met **F5** een vraag aan iemand van het gezin. Hoe u
  vraagt, maakt uit: open of gesloten, met of zonder label of 'moet'. Wie goed
  doorvraagt bij wie erover begon, hoort meer.
- **Ctrl+N** opent de netwerkkaart; elke poging begint met een lege kaart.
- **F8** toont de reflectie: welke onderwerpen u raakte, of u naar dromen vroeg,
  de kindcheck, wiens stem u hoorde, welke verborgen feiten u vond, wie van het
  netwerk u vond en op de kaart zette, en hoe vaak u 'moeten' of een label schreef.
"""


class PracticeHomeScreen(Screen[None]):
    HELP = HELP
    BINDINGS = [
        Binding(
            "enter",
            "practise",
            "Oefenen",
            id="oefenen",
            tooltip="Begin een poging met deze casus, of ga verder met de open poging",
        ),
        Binding(
            "t",
            "practise(True)",
            "Met tolk",
            id="oefenen-tolk",
            tooltip="Oefen deze casus met een tolk erbij",
        ),
    ]

    app: WijkgesprekApp

    def __init__(self, cases: Cases) -> None:
        super().__init__()
        self.cases = cases

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("OEFENEN · verzonnen gezinnen, een eigen database", classes="practice-banner")
        yield OptionList(
            *[
                Option(visible(f"{case.huishouden.code}  {case.titel}"), id=case.id)
                for case in self.cases.cases
            ],
            id="cases",
            markup=False,
        )
        with VerticalScroll(id="case-detail"):
            yield Static("", id="case-intake")
            yield Static("", id="case-progress", markup=False)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.sub_title = "Oefencasussen"
        cases = self.query_one("#cases", OptionList)
        cases.highlighted = 0
        cases.focus()

    def on_screen_resume(self) -> None:
        self._show_case()

    @property
    def case(self) -> PracticeCase:
        index = self.query_one("#cases", OptionList).highlighted or 0
        return self.cases.cases[index]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "practise" and parameters == (True,):
            return self.is_mounted and self.case.tolk  # only where an interpreter helps
        return True

    @on(OptionList.OptionHighlighted, "#cases")
    def _show_case(self) -> None:
        if not self.is_mounted:
            return
        case = self.case
        household = case.huishouden
        present = ", ".join(p.wie for p in case.personen if p.aanwezig)
        absent = ", ".join(p.wie for p in case.personen if not p.aanwezig)
        people = f"\nAanwezig: {present}" + (f" · niet aanwezig: {absent}" if absent else "")
        interpreter = "\nt: met een tolk oefenen" if case.tolk else ""
        self.query_one("#case-intake", Static).update(
            Content.styled(visible(case.titel), "bold")
            + Content(
                visible(
                    f"\nWijk {household.wijk} · {describe_children(household.children)}"
                    f"{people}\n\n{case.intake}"
                )
            )
            + Content.styled(visible(interpreter), "italic")
        )
        self.refresh_bindings()
        from wijkgesprek.store.practice import scores

        try:
            attempts = self.app.connection.run(scores, case=case, words=self.cases.words)
        except WijkError as error:
            self.notify(str(error), severity="error", timeout=20, markup=False)
            attempts = []
        self.query_one("#case-progress", Static).update(progress_text(attempts))

    @on(OptionList.OptionSelected, "#cases")
    def _chosen(self) -> None:
        self.action_practise()

    def action_practise(self, interpreter: bool = False) -> None:
        """Start an attempt (or resume the open one); ``interpreter``: with an interpreter."""
        from wijkgesprek.store import practice, repo

        case = self.case
        try:
            visit_id = self.app.connection.run(
                repo.start_visit,  # resumes the open attempt, if there is one
                code=case.huishouden.code,
                wijk=case.huishouden.wijk,
                children=case.huishouden.children,
                now=datetime.now(UTC),
                carry_map=False,  # each attempt discovers the network again
            )
            if interpreter and case.tolk:
                self.app.connection.run(
                    practice.add_interpreter, visit_id=visit_id, now=datetime.now(UTC)
                )
                self.notify("Er is een tolk bij het gesprek.", timeout=5)
        except WijkError as error:
            self.notify(str(error), severity="error", timeout=20, markup=False)
            return
        from wijkgesprek.screens.practice_visit import PracticeVisitScreen

        self.app.push_screen(PracticeVisitScreen(visit_id, case, self.cases.words))


def progress_text(scores: list[Score]) -> str:
    """The attempts as a small aligned table that fits 80 columns (an open attempt is
    marked with *), or a first-time hint."""
    if not scores:
        return "\nNog geen pogingen. Enter begint de eerste."
    rows: list[tuple[str, ...]] = [PROGRESS_HEADER]
    for item in scores:
        number, *cells = progress_row(item)
        rows.append((number.replace(" (open)", "*"), *cells))
    widths = [max(len(row[i]) for row in rows) for i in range(len(PROGRESS_HEADER))]
    lines = [
        " ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) for row in rows
    ]
    hint = (
        "Enter begint een nieuwe poging."
        if scores[-1].ended
        else "* Deze poging staat nog open: Enter gaat ermee verder."
    )
    return "\nUw pogingen\n" + "\n".join(line.rstrip() for line in lines) + "\n\n" + hint
