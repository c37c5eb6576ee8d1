"""The visit: topics on the left, the guide's questions and a note on the right.

The conversation is open: any topic can be chosen at any time. Notes are saved as they
are typed (``NoteScreen``), on every topic switch, and when leaving the screen or the app.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Header, OptionList, Static

from wijkgesprek.domain.household import describe_children
from wijkgesprek.domain.safety import KINDCHECK_OUTCOMES, kindcheck_outcome
from wijkgesprek.domain.visit import (
    SAFETY_TOPIC,
    TopicNote,
    VisitRecord,
    is_touched,
    open_agreements,
    tagged_themes,
)
from wijkgesprek.screens.note_screen import NoteScreen
from wijkgesprek.store import repo
from wijkgesprek.text import visible
from wijkgesprek.widgets.note_area import NoteArea
from wijkgesprek.widgets.pane import Column, Row
from wijkgesprek.widgets.suggestion_panel import SuggestionPanel
from wijkgesprek.widgets.topic_list import TopicList

if TYPE_CHECKING:
    from wijkgesprek.app import WijkgesprekApp
    from wijkgesprek.content.model import Topic

HELP = """\
# Het gesprek

Links staan de onderwerpen van het gesprek. ● betekent: hier is iets over
genoteerd; ○: nog niet. Het gesprek is open: kies op elk moment een ander
onderwerp.

- **F2** of **Escape** gaat naar de onderwerpen; kies met de pijltjes en
  **Enter**, of met het cijfer ervoor. U komt dan terug in de aantekeningen.
- Rechts staan open vragen, *doorvragen* en een tip. Daaronder typt u uw
  aantekeningen. Ze worden terwijl u typt opgeslagen.
- **F3** koppelt thema's (zoals geldzorgen of eenzaamheid) aan de aantekening
  van dit onderwerp.
- **F4** opent de afspraken: wat, wie, wanneer, en het volgende contact.
- **F9** toont het aanbod uit de sociale kaart voor de gekoppelde thema's, de
  wijk en de leeftijden van de kinderen. Typ om te filteren, **Enter** legt een
  verwijzing vast. Onder het aanbod staan de verwijzingen van dit huishouden:
  **Enter** daarop werkt de stand bij (aangemeld, gestart, niet gelukt).
  Nog eens **F9** brengt de vragen terug.
- **F10** (of Ctrl+R) opent de veiligheidscheck: kindcheck, signalen, balans,
  schaalvraag en meldcode.
- **Ctrl+G** verbergt alle veiligheidsdetails in één keer (discreet), als het
  gezin meekijkt; nog eens Ctrl+G toont ze weer. **Ctrl+O** toont het nummer
  van Veilig Thuis.
- **F8** rondt het bezoek af met een samenvatting.
- Staat **offline** in de titel, dan is de teamdatabase niet bereikbaar. Typ
  gewoon door: aantekeningen worden op deze laptop bewaard en verstuurd zodra de
  verbinding terug is. Afspraken, veiligheidscheck, aanbod en afronden wachten
  tot dan.
- **Escape** in de onderwerpen gaat terug naar de huishoudens; het bezoek blijft
  open en kan later worden hervat.
"""


class VisitScreen(NoteScreen):
    HELP = HELP
    BINDINGS = [
        Binding(
            "f2",
            "focus_topics",
            "Onderwerp",
            id="onderwerp",
            show=False,  # Escape does the same; the footer must fit 80 columns
            tooltip="Kies een ander onderwerp",
        ),
        Binding(
            "f3", "themes", "Thema's", id="thema", tooltip="Koppel thema's aan deze aantekening"
        ),
        Binding(
            "f4",
            "agreements",
            "Afspraken",
            id="afspraken",
            tooltip="Afspraken en het volgende contact",
        ),
        Binding(
            "f9",
            "offers",
            "Aanbod",
            id="aanbod",
            tooltip="Aanbod uit de sociale kaart en verwijzingen (nog eens: terug naar de vragen)",
        ),
        Binding(
            "f10,ctrl+r",
            "safety",
            "Veiligheid",
            id="veiligheid",
            tooltip="Kindcheck, signalen, balans, schaalvraag en meldcode",
        ),
        Binding(
            "f8",
            "finish",
            "Afronden",
            id="afronden",
            tooltip="Samenvatting bekijken en het bezoek afsluiten",
        ),
        Binding(
            "ctrl+s",
            "save",
            "Opslaan",
            id="opslaan",
            show=False,
            tooltip="Sla de aantekening nu op",
        ),
        Binding(
            "escape",
            "back",
            "Terug",
            id="terug",
            show=False,
            tooltip="Naar de onderwerpen, of terug naar de huishoudens",
        ),
    ]

    app: WijkgesprekApp

    def __init__(self, visit_id: int) -> None:
        super().__init__()
        self.visit_id = visit_id
        self.record: VisitRecord | None = None
        self.topic_id = ""
        self.note = NoteArea(
            id="note", soft_wrap=True, show_line_numbers=False, on_change=self._note_changed
        )

    @property
    def topics(self) -> tuple[Topic, ...]:
        return self.app.guide.topics

    def compose(self) -> ComposeResult:
        yield Header()
        yield from self.compose_banner()
        with Row(id="visit"):
            with Vertical(id="sidebar"):
                yield TopicList(self.topics, id="topics")
                yield Static("", id="themes-line", markup=False)
            with Column(id="main"):
                with Column(id="upper"):
                    with VerticalScroll(id="guide"):
                        yield Static("", id="guide-text")
                    yield SuggestionPanel(id="aanbod")
                with Column(id="lower"):
                    with Horizontal(id="note-bar"):
                        yield Static("", id="note-label", markup=False)
                        yield Static("", id="note-state")
                    yield self.note
        yield Footer(compact=True, show_command_palette=False)

    def compose_banner(self) -> ComposeResult:
        """A line under the header (the practice screen's banner); none in a real visit."""
        yield from ()

    def on_mount(self) -> None:
        self.query_one(SuggestionPanel).display = False
        # Locked, unreadable, a team database not answering: said once, and back.
        record = self.record = self._read_record()
        if record is None:
            self.app.call_later(self.dismiss)  # not from inside this screen's own handler
            return
        self.sub_title = visible(
            f"{record.household_code} · {record.wijk} · {describe_children(record.children)}"
        )
        self._refresh_topics()
        self._show_topic(self.topics[0].id)
        self.note.focus()
        self._carry_over(record)

    def _carry_over(self, record: VisitRecord) -> None:
        """A fresh visit starts with what is still open from earlier visits."""
        if record.notes or record.agreements:
            return
        history = self.app.read(repo.get_household, code=record.household_code)
        if history is None:
            return
        agreements = open_agreements(history, before_visit=self.visit_id)
        referrals = tuple(r for r in record.referrals if r.is_open and r.visit_id != self.visit_id)
        if agreements or referrals:
            from wijkgesprek.screens.carry_over import CarryOverScreen

            self.app.push_screen(
                CarryOverScreen(self.visit_id, agreements, referrals), self._reload
            )

    # -- topics ---------------------------------------------------------------

    def touched_topics(self) -> set[str]:
        """Topics with something written or recorded (● in the list)."""
        assert self.record is not None
        return {topic.id for topic in self.topics if is_touched(topic.id, self.record)}

    @on(NoteScreen.NotesChanged)
    def _refresh_topics(self) -> None:
        assert self.record is not None
        self.query_one(TopicList).show(self.touched_topics())
        names = [self.app.guide.theme_name(theme) for theme in tagged_themes(self.record)]
        self.query_one("#themes-line", Static).update(
            "Thema's: " + (", ".join(names) if names else "nog geen")
        )

    def _show_topic(self, topic_id: str) -> None:
        assert self.record is not None
        self.flush()
        self.topic_id = topic_id
        topic = self.app.guide.topic(topic_id)
        topics = self.query_one(TopicList)
        topics.highlighted = [t.id for t in self.topics].index(topic_id)
        self.query_one("#guide-text", Static).update(self._guide_content(topic))
        self.query_one("#guide", VerticalScroll).scroll_home(animate=False)
        # Containers without inline styles, so discreet mode's CSS can hide them.
        for container in self.query("#upper, #lower"):
            container.set_class(topic_id == SAFETY_TOPIC, "safety-detail")
        note = self.record.notes.get(topic_id, TopicNote())
        self.note.load_note(note.text)
        self._update_note_label("")

    def _guide_content(self, topic: Topic) -> Content:
        parts = [Content.styled(topic.titel, "bold"), Content("\n")]
        parts += [Content(f"• {question}\n") for question in topic.vragen]
        if topic.doorvragen:
            parts.append(Content.styled("\nDoorvragen\n", "italic"))
            parts += [Content(f"  – {prompt}\n") for prompt in topic.doorvragen]
        if topic.id == "afspraken" and self.record and self.record.agreements:
            parts.append(Content.styled("\nAfspraken tot nu toe (F4)\n", "italic"))
            parts += [
                Content(visible(f"  – {a.wat} · {a.wie} · {a.wanneer}\n"))
                for a in self.record.agreements
            ]
        if topic.id == SAFETY_TOPIC:
            entries = (
                None
                if self.app.connection.offline
                else self.app.read(repo.safety_entries, visit_id=self.visit_id)
            )
            if entries is None:
                status = "nu niet te lezen"
            else:
                check = kindcheck_outcome(entries)
                status = KINDCHECK_OUTCOMES[check.value] if check else "nog niet vastgelegd"
            parts.append(
                Content.styled(f"\nKindcheck: {status}. F10 opent de veiligheidscheck.\n", "bold")
            )
        if topic.tip:
            parts.append(Content.styled(f"\nTip: {topic.tip}", "dim italic"))
        return Content("").join(parts)

    @on(OptionList.OptionSelected, "#topics")
    def _topic_chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self._choose(event.option.id)

    # -- saving ---------------------------------------------------------------

    def on_unmount(self) -> None:
        self._save(refresh=False)  # the widgets are already going

    # -- actions --------------------------------------------------------------

    def commands(self) -> Iterator[SystemCommand]:
        for number, topic in enumerate(self.topics, start=1):
            yield SystemCommand(
                f"Onderwerp: {topic.titel}",
                f"Ga naar onderwerp {number}",
                partial(self._choose, topic.id),
            )
        yield SystemCommand(
            "Thema's koppelen", "Thema's bij deze aantekening (F3)", self.action_themes
        )
        yield SystemCommand(
            "Afspraken", "Afspraken en volgend contact (F4)", self.action_agreements
        )
        yield SystemCommand("Afronden", "Samenvatting en bezoek afsluiten (F8)", self.action_finish)

    def _choose(self, topic_id: str) -> None:
        if topic_id != self.topic_id:
            self._show_topic(topic_id)
        self.note.focus()

    def action_focus_topics(self) -> None:
        self.query_one(TopicList).focus()

    def action_back(self) -> None:
        if self.note.has_focus:
            self.action_focus_topics()
            return
        self.flush()
        self.dismiss()

    def _online(self) -> bool:
        """Whether more than notes can be saved now; offline, says that this must wait."""
        if self.app.connection.offline:
            self.app.connection.tell()
        return not self.app.connection.offline

    def action_themes(self) -> None:
        from wijkgesprek.screens.themes import ThemesScreen

        if not self._online():
            return
        assert self.record is not None
        current = self.record.notes.get(self.topic_id, TopicNote()).themes
        title = self.app.guide.topic(self.topic_id).titel
        self.app.push_screen(ThemesScreen(self.app.guide.themes, current, title), self._tag)

    def _tag(self, themes: tuple[str, ...] | None) -> None:
        if themes is None or self.record is None:
            return
        self.flush()
        if not self.app.write(
            repo.set_themes,
            visit_id=self.visit_id,
            topic=self.topic_id,
            themes=themes,
            now=datetime.now(UTC),
        ):
            return
        note = self.record.notes.get(self.topic_id, TopicNote())
        self.record = replace(
            self.record, notes={**self.record.notes, self.topic_id: replace(note, themes=themes)}
        )
        self._refresh_topics()
        panel = self.query_one(SuggestionPanel)
        if panel.display:
            panel.show_for(self.visit_id, self.record)

    def action_agreements(self) -> None:
        from wijkgesprek.screens.agreements import AgreementsScreen

        if not self._online():
            return
        self.flush()
        self.app.push_screen(AgreementsScreen(self.visit_id), self._reload)

    def _reload(self, _result: object = None) -> None:
        record = self._read_record()
        if record is None:
            return
        self.record = record
        self._refresh_topics()
        topic = self.app.guide.topic(self.topic_id)
        self.query_one("#guide-text", Static).update(self._guide_content(topic))

    # -- the sociale kaart ------------------------------------------------------

    def action_offers(self) -> None:
        panel = self.query_one(SuggestionPanel)
        if panel.display:
            panel.display = False
            self.query_one("#guide").display = True
            self.query_one("#main").remove_class("-offers")
            self.note.focus()
            return
        if self.app.network is None:
            self.notify("De sociale kaart wordt nog geladen. Probeer het zo opnieuw.")
            return
        if not self._online():
            return
        self.flush()
        assert self.record is not None
        panel.show_for(self.visit_id, self.record)
        panel.display = True
        self.query_one("#guide").display = False
        self.query_one("#main").add_class("-offers")
        panel.focus_filter()

    @on(SuggestionPanel.Changed)
    def _referrals_changed(self) -> None:
        self._reload()
        assert self.record is not None
        self.query_one(SuggestionPanel).show_referrals(self.record.referrals)

    def action_safety(self) -> None:
        from wijkgesprek.screens.safety import SafetyScreen

        if not self._online():
            return
        self.flush()
        self.app.push_screen(SafetyScreen(self.visit_id), self._reload)

    def action_finish(self) -> None:
        from wijkgesprek.screens.summary import SummaryScreen

        if not self._online():
            return
        self.flush()
        self.app.push_screen(SummaryScreen(self.visit_id), self._finished)

    def _finished(self, ended: bool | None) -> None:
        if ended:
            self.dismiss()
        else:
            self._reload()
