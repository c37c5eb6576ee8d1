"""A household over time: every visit as a timeline, scaling figures, referrals, additions.

A finished visit is never rewritten: an addition (aanvulling) gets its own time stamp
and both are shown.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from wijkgesprek.domain.household import describe_change, describe_children
from wijkgesprek.domain.meldcode import follow_through
from wijkgesprek.domain.network_map import map_changes, summary_line
from wijkgesprek.domain.referral import steps_text
from wijkgesprek.domain.safety import SCALE, current, kindcheck_outcome, kindcheck_text
from wijkgesprek.domain.visit import (
    OTHER_NOTES,
    SAFETY_TOPIC,
    HouseholdHistory,
    VisitHistory,
    is_touched,
    map_before,
    marked_text,
    other_topics,
    tagged_themes,
    visit_day,
    visit_days,
    visit_events,
)
from wijkgesprek.store import access
from wijkgesprek.text import by, spark, visible

if TYPE_CHECKING:
    from wijkgesprek.app import WijkgesprekApp

HELP = """\
# Geschiedenis van een huishouden

Links staan alle bezoeken, het nieuwste bovenaan (twee bezoeken op één dag met
hun begintijd); rechts wat er bij het gekozen bezoek is vastgelegd: aantekeningen
per onderwerp, thema's, de netwerkkaart (en wat daarop veranderde sinds het bezoek
ervoor: + erbij, − eraf, · anders), afspraken, verwijzingen en het vervolg. Wat in een later
bezoek gebeurde (een afspraak gedaan, een verwijzing op de wachtlijst of gestart)
staat bij dat latere bezoek, met de datum. Bovenaan staan de schaalcijfers over de
bezoeken heen.

- **Enter** op een open bezoek hervat het.
- **a** voegt bij een afgerond bezoek een **aanvulling** toe. Het bezoek zelf
  wordt nooit herschreven: de aanvulling krijgt een eigen datum en tijd en staat
  onder de oorspronkelijke aantekening.
- **e** exporteert: het dossier (van dit bezoek of het hele huishouden), een
  gezinsversie in gewone taal, of een overdracht voor een collega.
- **h** wijzigt de wijk of de kinderen van dit huishouden (bijvoorbeeld na een
  verhuizing of een geboorte). Elke wijziging blijft bewaard met datum en tijd, en
  staat bovenaan.
- **w** wist dit huishouden voorgoed, met alles erop en eraan, nadat u de
  gezinscode heeft getypt (bijvoorbeeld op verzoek van het gezin, AVG).
- **Escape** gaat terug naar de huishoudens.
"""


def _topic(visit: VisitHistory, topic: str, title: str) -> list[Content]:
    """A topic's note and its additions (each with its own date, time and author)."""
    note = visit.record.notes.get(topic)
    parts = [Content.styled(f"\n{title}", "bold")]
    if note and note.text.strip():
        written = by(note.by, besides=visit.record.author).replace("(door", "(laatst door")
        parts[0] = Content.styled(f"\n{title}", "bold") + Content(visible(written))
        parts.append(Content(visible(note.text)))
    for addition in (c for c in visit.corrections if c.topic == topic):
        when = addition.created_at.astimezone().strftime("%d-%m-%Y %H:%M")
        who = f" door {addition.author}" if addition.author else ""
        parts.append(Content.styled(visible(f"Aanvulling {when}{who}:"), "italic"))
        parts.append(Content(visible(addition.text)))
    return parts if len(parts) > 1 else []


def _scaling(history: HouseholdHistory) -> str:
    """The scaling figures over the visits, per person (a safety detail)."""
    figures: dict[str, list[int]] = {}
    for visit in history.visits:
        for role, entry in current(visit.safety, SCALE).items():
            figures.setdefault(role, []).append(int(entry.value))
    return "\n".join(
        f"Schaalvraag {visible(role)}: {spark(values)}  " + " → ".join(map(str, values))
        for role, values in figures.items()
    )


class HistoryScreen(Screen[None]):
    HELP = HELP
    BINDINGS = [
        Binding("escape", "back", "Terug", id="geschiedenis-terug"),
        Binding(
            "a",
            "addition",
            "Aanvulling",
            id="aanvulling",
            tooltip="Voeg iets toe aan een afgerond bezoek",
        ),
        Binding(
            "e",
            "export",
            "Exporteren",
            id="exporteren",
            tooltip="Dossier, gezinsversie of overdracht als bestand",
        ),
        Binding(
            "h",
            "household",
            "Wijzigen",
            id="huishouden-wijzigen",
            tooltip="Wijk of kinderen van dit huishouden wijzigen (met datum en tijd bewaard)",
        ),
        Binding(
            "w",
            "erase",
            "Wissen",
            id="wissen",
            tooltip="Wis dit huishouden voorgoed (na het typen van de gezinscode)",
        ),
    ]

    app: WijkgesprekApp

    def __init__(self, code: str, *, visit_id: int | None = None) -> None:
        super().__init__()
        self.code = code
        self.select_visit = visit_id
        self.history: HouseholdHistory | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="history-head", markup=False)
        yield Static("", id="history-scaling", classes="safety-detail", markup=False)
        with Horizontal(id="history"):
            yield OptionList(id="visits", markup=False)
            with VerticalScroll(id="visit-detail"):
                yield Static("", id="visit-text")
                # The safety topic's note, its additions and the kindcheck (discreet: hidden).
                yield Static("", id="visit-safety", classes="safety-detail")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.sub_title = f"Geschiedenis · {self.code}"
        self.reload()
        self.query_one("#visits").focus()

    def reload(self) -> None:
        history = self.app.read(access.open_history, code=self.code)
        if history is None:  # locked, or the team database not answering: back
            self.app.call_later(self.dismiss)
            return
        self.history = history
        self.query_one("#history-head", Static).update(self._head(history))
        scaling = self.query_one("#history-scaling", Static)
        scaling.update(_scaling(history))
        listing = self.query_one("#visits", OptionList)
        listing.clear_options()
        options = []
        days = visit_days(history)
        for visit in reversed(history.visits):
            state = "open" if visit.record.is_open else "afgerond"
            extra = f" · {len(visit.corrections)} aanvulling(en)" if visit.corrections else ""
            day = days[visit.record.id]
            options.append(Option(Content(f"{day} {state}{extra}"), id=str(visit.record.id)))
        listing.add_options(options)  # at once: one by one is quadratic in the visits
        ids = [str(v.record.id) for v in reversed(history.visits)]
        wanted = str(self.select_visit) if self.select_visit is not None else None
        listing.highlighted = ids.index(wanted) if wanted in ids else (0 if ids else None)

    def _head(self, history: HouseholdHistory) -> str:
        lines = [
            f"{history.code} · {visible(history.wijk)} · "
            f"{describe_children(history.children)} · {len(history.visits)} bezoek(en)"
        ]
        lines += [f"Gewijzigd {visible(describe_change(c))}" for c in history.changes[-3:]]
        if len(history.changes) > 3:
            lines.append(f"(en {len(history.changes) - 3} eerdere wijziging(en), in het dossier)")
        return "\n".join(lines)

    def _selected(self) -> VisitHistory | None:
        listing = self.query_one("#visits", OptionList)
        if self.history is None or listing.highlighted is None:
            return None
        option_id = listing.get_option_at_index(listing.highlighted).id
        return next((v for v in self.history.visits if str(v.record.id) == option_id), None)

    @on(OptionList.OptionHighlighted, "#visits")
    def _show(self) -> None:
        visit = self._selected()
        if visit is not None and self.history is not None:
            self.query_one("#visit-text", Static).update(self._detail(self.history, visit))
            self.query_one("#visit-safety", Static).update(self._safety(visit))

    def _detail(self, history: HouseholdHistory, visit: VisitHistory) -> Content:
        guide = self.app.guide
        record = visit.record
        parts = [Content.styled(f"Bezoek van {visit_day(history, record)}", "bold")]
        if record.author:  # a team database: who started it; others are named where they wrote
            parts[0] += Content(visible(f" · door {record.author}"))
        for topic in guide.topics:
            if topic.id != SAFETY_TOPIC and is_touched(topic.id, record):
                parts += _topic(visit, topic.id, topic.titel)
        known = [topic.id for topic in guide.topics]
        others = other_topics(record, known, (c.topic for c in visit.corrections))
        if others:  # another guide's topics: shown, never hidden
            parts.append(Content.styled(f"\n{OTHER_NOTES}", "bold underline"))
            for other in others:
                parts += _topic(visit, other, visible(other))
        themes = ", ".join(guide.theme_name(t) for t in tagged_themes(record))
        parts.append(Content(f"\nThema's: {themes or 'geen'}"))
        parts += self._network(history, visit)
        events = visit_events(history, record.id)  # each under the visit it happened in
        author = record.author
        lines = [
            f"Afspraak: {a.wat} — {a.wie or '?'} — {a.when() or '?'} ({a.status})"
            + by(a.author, besides=author)
            for a in events.agreements
        ]
        lines += [marked_text(number, a) for number, a in events.marked]
        lines += [
            f"Verwijzing: {r.naam} — {steps_text(steps, besides=author)}"
            for r, steps in events.referrals
        ]
        parts += [Content(visible(line)) for line in lines]
        if record.next_contact:
            parts.append(Content(f"Vervolg: {record.next_contact:%d-%m-%Y}"))
        return Content("\n").join(parts)

    def _network(self, history: HouseholdHistory, visit: VisitHistory) -> list[Content]:
        """The map of the visit and how it changed since the one before (discreet: no
        first names, nothing of the veiligheidsnetwerk)."""
        people = visit.record.network
        if people is None:
            return []
        shown, network = not self.app.discreet, self.app.guide.network
        summary = summary_line(people, network, safety=shown)
        before = map_before(history, visit.record.id)
        changes = map_changes(before, people, network, names=shown, safety=shown)
        heading = "sinds het bezoek ervoor" if before is not None else "wie er op staan"
        lines = [f"Netwerkkaart: {summary}"]
        if changes:
            lines.append(f"Netwerkkaart, {heading}:")
            lines += [f"  {line}" for line in changes]
        return [Content(visible(line)) for line in lines]

    def discreet_changed(self) -> None:
        self._show()

    def _safety(self, visit: VisitHistory) -> Content:
        """The safety topic's note with its additions, and the kindcheck."""
        author = visit.record.author
        parts = _topic(visit, SAFETY_TOPIC, self.app.guide.topic(SAFETY_TOPIC).titel)
        outcome = kindcheck_outcome(visit.safety)
        who = by(outcome.author, besides=author) if outcome else ""
        parts.append(Content(visible(f"Kindcheck: {kindcheck_text(visit.safety)}{who}")))
        follow = follow_through(visit.safety, self.app.guide.safety)
        parts += [Content(visible(line)) for line in follow.lines(besides=author)]
        return Content("\n").join(parts)

    @on(OptionList.OptionSelected, "#visits")
    def _resume(self) -> None:
        visit = self._selected()
        if visit is None:
            return
        if visit.record.is_open:
            from wijkgesprek.screens.visit import VisitScreen

            self.app.push_screen(VisitScreen(visit.record.id), lambda _: self.reload())
        else:
            self.notify("Dit bezoek is afgerond. Met A voegt u een aanvulling toe.")

    def action_addition(self) -> None:
        visit = self._selected()
        if visit is None:
            return
        if visit.record.is_open:
            self.notify("Dit bezoek is nog open: vul de aantekeningen daar aan (Enter).")
            return
        from wijkgesprek.screens.addition import AdditionScreen

        self.app.push_screen(AdditionScreen(visit.record.id), lambda _: self.reload())

    def action_export(self) -> None:
        visit = self._selected()
        if visit is None:
            return
        from wijkgesprek.screens.export import ExportScreen

        def done(path: Path | None) -> None:
            if path is not None:
                self.notify(f"Bewaard in {path}", timeout=10, markup=False)

        self.app.push_screen(ExportScreen(self.code, visit.record.id), done)

    def action_household(self) -> None:
        from wijkgesprek.screens.household_edit import HouseholdEditScreen

        if self.history is not None:
            self.app.push_screen(HouseholdEditScreen(self.history), lambda _: self.reload())

    def action_erase(self) -> None:
        from wijkgesprek.screens.erase import EraseScreen

        visits = len(self.history.visits) if self.history else 0
        explanation = (
            f"Alles van huishouden {self.code} wordt gewist: {visits} bezoek(en) met "
            "aantekeningen, afspraken, verwijzingen en veiligheidsgegevens. Dit kan niet "
            "ongedaan worden."
        )

        def done(erased: bool | None) -> None:
            if erased:
                self.dismiss()

        self.app.push_screen(
            EraseScreen([self.code], confirm_word=self.code, explanation=explanation), done
        )

    def action_back(self) -> None:
        self.dismiss()
