"""The netwerkkaart of a visit: a list to edit by keyboard beside a drawing of rings
around the household, the closest inside.

Opened from anywhere in a visit (Ctrl+N), also in a practice attempt. A new visit starts
from a copy of the last map; a practice attempt from an empty one. First names and the
veiligheidsnetwerk are hidden in discreet mode (Ctrl+G).
"""

from __future__ import annotations

import textwrap
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from wijkgesprek.content.model import COSTS, GIVES
from wijkgesprek.domain.network_map import (
    Person,
    helps_text,
    label,
    placements,
    summary_line,
    thin_reason,
)
from wijkgesprek.limits import MAX_PEOPLE
from wijkgesprek.store import network_map, repo
from wijkgesprek.text import visible
from wijkgesprek.widgets.network_drawing import MORE, SAFE, NetworkDrawing

if TYPE_CHECKING:
    from wijkgesprek.app import WijkgesprekApp

HELP = """\
# De netwerkkaart

Wie staat er om het gezin heen? Vraag ook wie het belangrijk vindt dat het goed gaat
met het kind of het gezin, en **wie zou willen meedenken**: vaak een bredere kring dan
het netwerk (ouders van klasgenoten, de sportcoach, de buren).

Links staat de lijst, rechts de tekening: het gezin in het midden, wie **dichtbij**
staat op de binnenste ring, wie **verder weg** staat op de buitenste. Vet: de eigen
kring (familie, vrienden, buurt, vrije tijd); schuin: school en hulpverlening.
**↑** zou meer willen of kunnen doen; **◆** weet van de zorgen en helpt de kinderen
veilig te houden (het veiligheidsnetwerk). In de lijst: **+** geeft energie,
**−** kost energie.

- **n** zet iemand nieuw op de kaart, **Enter** verandert de gekozen persoon,
  **Delete** haalt hem of haar van de kaart (na een vraag).
- Noteer hoogstens een voornaam of initialen, nooit een achternaam of adres: wie op de
  kaart staat, gaf daar zelf geen toestemming voor.
- Noemt het gezin niemand? **Ctrl+S** legt de lege kaart vast.
- Een volgend bezoek begint met een kopie van deze kaart; de geschiedenis laat zien
  wat er veranderde. Bij oefenen begint elke poging met een lege kaart.
- **Ctrl+G** (discreet) verbergt de voornamen en het veiligheidsnetwerk.
- **Escape** gaat terug naar het gesprek.
"""


DETAILS = 28
"""The width of a person's detail lines in the list (its column is 36 wide, with the
indent, the scrollbar and the padding)."""


def detail_lines(parts: list[str], width: int) -> list[str]:
    """The parts joined by " · ", wrapped at ``width``: a part goes on the next line
    rather than being split, unless it is longer than a line itself (then at its words)."""
    lines: list[str] = []
    for part in parts:
        if lines and len(lines[-1]) + 3 + len(part) <= width:
            lines[-1] += f" · {part}"
        else:
            lines += textwrap.wrap(part, width, break_on_hyphens=False) or [""]
    return lines


class NetworkMapScreen(Screen[None]):
    HELP = HELP
    BINDINGS = [
        Binding("escape", "back", "Terug", id="netwerk-terug"),
        Binding("n", "add", "Nieuw", id="netwerk-nieuw"),
        Binding("enter", "edit", "Veranderen", id="netwerk-veranderen", priority=True),
        Binding("delete", "remove", "Van de kaart", id="netwerk-verwijderen"),
        Binding("ctrl+s", "record", "Lege kaart vastleggen", id="netwerk-vastleggen"),
    ]

    app: WijkgesprekApp

    def __init__(self, visit_id: int) -> None:
        super().__init__()
        self.visit_id = visit_id
        self.people: tuple[Person, ...] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="network-map"):
            with Vertical(id="network-side"):
                yield OptionList(id="network-list", markup=False)
                yield Static("", id="network-summary", markup=False)
                yield Static("", id="network-thin", classes="hint", markup=False)
            with Vertical(id="network-picture"):
                yield NetworkDrawing(id="network-drawing")
                yield Static(
                    "binnen: dichtbij · buiten: verder weg · ↑ wil meer doen", id="network-legend"
                )
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        record = self.app.read(repo.get_visit, visit_id=self.visit_id)
        if record is None:
            self.app.call_later(self.dismiss)
            return
        self.sub_title = visible(f"Netwerkkaart · {record.household_code}")
        self._show(record.network)
        self.set_focus(self.query_one("#network-list"))

    # -- showing -----------------------------------------------------------------------

    @property
    def names(self) -> bool:
        return not self.app.discreet

    def _line(self, person: Person) -> Text:
        """Two lines: marks and who ("◆↑+ buurvrouw Fien"), then group, closeness and
        what they help with, dimmed."""
        guide = self.app.guide.network
        marks = (SAFE if person.safety and self.names else " ") + (MORE if person.more else " ")
        marks += {GIVES: "+", COSTS: "−"}.get(person.energy, " ")
        line = Text(f"{marks} {visible(label(person, names=self.names))}", no_wrap=True)
        details = [guide.group_name(person.group), guide.closeness_text(person.closeness).lower()]
        if person.helps:
            details.append(helps_text(person, guide))
        for text in detail_lines([visible(part) for part in details if part], DETAILS):
            line.append(f"\n    {text}", style="dim")
        return line

    def _show(self, people: tuple[Person, ...] | None, *, keep: int | None = None) -> None:
        self.people = people
        shown = people or ()
        listing = self.query_one("#network-list", OptionList)
        highlighted = listing.highlighted
        listing.clear_options()
        listing.add_options([Option(self._line(person), id=str(person.number)) for person in shown])
        if shown:
            numbers = [person.number for person in shown]
            index = (
                numbers.index(keep) if keep in numbers else min(highlighted or 0, len(shown) - 1)
            )
            listing.highlighted = index
        guide = self.app.guide.network
        summary = summary_line(shown, guide, safety=self.names, thin=False)
        if people is None:
            summary = "Nog geen kaart in dit bezoek. n: iemand toevoegen."
        self.query_one("#network-summary", Static).update(summary)
        thin = thin_reason(shown) if people is not None else ""
        self.query_one("#network-thin", Static).update(thin)
        self.query_one("#network-thin").display = bool(thin)
        self.query_one(NetworkDrawing).show(
            placements(shown, guide), names=self.names, safety=self.names
        )
        legend = "binnen: dichtbij · buiten: verder weg · ↑ wil meer doen"
        if self.names:
            legend += f" · {SAFE} veiligheidsnetwerk"
        self.query_one("#network-legend", Static).update(legend)
        self.refresh_bindings()

    def discreet_changed(self) -> None:
        self._show(self.people)

    def _chosen(self) -> Person | None:
        listing = self.query_one("#network-list", OptionList)
        if not self.people or listing.highlighted is None:
            return None
        return self.people[listing.highlighted]

    # -- keys ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("edit", "remove"):
            return self._chosen() is not None
        if action == "record":  # only while the visit has no map at all
            return self.people is None
        return True

    def action_back(self) -> None:
        self.dismiss(None)

    def _online(self) -> bool:
        if self.app.connection.offline:
            self.app.connection.tell()
        return not self.app.connection.offline

    def action_add(self) -> None:
        from wijkgesprek.screens.network_person import PersonDialog

        if not self._online():
            return
        if len(self.people or ()) >= MAX_PEOPLE:
            self.notify(
                f"De kaart is vol: hoogstens {MAX_PEOPLE} mensen. Haal eerst iemand van de kaart.",
                severity="warning",
            )
            return
        self.app.push_screen(
            PersonDialog(Person(0, ""), self.app.guide.network, title="Iemand toevoegen"),
            self._added,
        )

    def _added(self, person: Person | None) -> None:
        if person is None:
            return
        numbers = {p.number for p in self.people or ()}
        if self.app.write(
            network_map.add_person, visit_id=self.visit_id, person=person, now=datetime.now(UTC)
        ):
            people = self.app.read(network_map.get_map, visit_id=self.visit_id)
            added = [p.number for p in people or () if p.number not in numbers]
            self._show(people, keep=added[0] if added else None)
            self.notify(f"Op de kaart: {label(person, names=self.names)}.", markup=False)

    def action_edit(self) -> None:
        from wijkgesprek.screens.network_person import PersonDialog

        chosen = self._chosen()
        if chosen is None or not self._online():
            return
        title = f"Veranderen: {label(chosen, names=self.names)}"
        self.app.push_screen(
            PersonDialog(chosen, self.app.guide.network, title=title), self._edited
        )

    def _edited(self, person: Person | None) -> None:
        if person is not None and self.app.write(
            network_map.update_person,
            visit_id=self.visit_id,
            person=person,
            now=datetime.now(UTC),
        ):
            self._show(
                self.app.read(network_map.get_map, visit_id=self.visit_id), keep=person.number
            )

    def action_remove(self) -> None:
        from wijkgesprek.screens.choice import ChoiceScreen

        chosen = self._chosen()
        if chosen is None or not self._online():
            return
        who = label(chosen, names=self.names)

        def answered(answer: str | None) -> None:
            if answer == "weg" and self.app.write(
                network_map.remove_person,
                visit_id=self.visit_id,
                number=chosen.number,
                now=datetime.now(UTC),
            ):
                self._show(self.app.read(network_map.get_map, visit_id=self.visit_id))
                self.notify(f"Van de kaart: {who}.", markup=False)

        self.app.push_screen(
            ChoiceScreen(
                "Van de kaart halen?",
                f"{who} gaat van de kaart van dit bezoek; eerdere bezoeken houden hun kaart.",
                [("houden", "Laten staan"), ("weg", "Van de kaart halen")],
            ),
            answered,
        )

    def action_record(self) -> None:
        if self._online() and self.app.write(
            network_map.record_map, visit_id=self.visit_id, now=datetime.now(UTC)
        ):
            self._show(self.app.read(network_map.get_map, visit_id=self.visit_id))
            self.notify("De lege kaart is vastgelegd: het gezin noemde niemand.")
