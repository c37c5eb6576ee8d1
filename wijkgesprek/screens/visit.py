"""The visit: topics on the left, the guide's questions and a note on the right.

The conversation is open: any topic can be chosen at any time. Notes are saved as they
are typed (``NoteScreen``), on every topic switch, and when leaving the screen or the app.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from functools import partial
from typing import TYPE_CHECKING, TypeVar

from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static

from wijkgesprek.domain.household import describe_children
from wijkgesprek.domain.network_map import label, summary_line
from wijkgesprek.domain.referral import ReferralData
from wijkgesprek.domain.safety import kindcheck_text
from wijkgesprek.domain.suggest import ages_of, offer
from wijkgesprek.domain.visit import (
    NETWORK_TOPIC,
    OTHER_NOTES,
    SAFETY_TOPIC,
    AgreementData,
    TopicNote,
    VisitRecord,
    is_touched,
    open_agreements,
    other_topics,
    tagged_themes,
)
from wijkgesprek.screens.note_screen import NoteScreen
from wijkgesprek.store import repo
from wijkgesprek.text import visible
from wijkgesprek.widgets.note_area import ALT_DIGIT_KEYS, NoteArea
from wijkgesprek.widgets.pane import Column, Row
from wijkgesprek.widgets.suggestion_panel import SuggestionPanel, contact_line, offer_heading
from wijkgesprek.widgets.topic_list import TopicList

if TYPE_CHECKING:
    from wijkgesprek.app import WijkgesprekApp
    from wijkgesprek.content.model import Topic

T = TypeVar("T")

HELP = """\
# Het gesprek

Links staan de onderwerpen van het gesprek. ● betekent: hier is iets over
genoteerd; ○: nog niet. Het gesprek is open: kies op elk moment een ander
onderwerp.

- **Escape** (of **F2**) gaat naar de onderwerpen. Daar kiest een **cijfer**
  meteen dat onderwerp en staat u in de aantekening; een Enter direct na het
  cijfer typt niets. **Enter** op een onderwerp gaat er ook heen.
- **Alt+cijfer** kiest een onderwerp vanuit de aantekening, zonder Escape.
- Komt u terug bij een onderwerp met tekst, dan staat de cursor aan het eind:
  wat u typt, komt erachter.
- Rechts staan open vragen; **F6** toont de *doorvragen* en de tip (nog eens
  F6: terug naar de vragen). Daaronder typt u uw aantekeningen. Ze worden
  terwijl u typt opgeslagen.
- **F3** koppelt thema's (zoals geldzorgen of eenzaamheid) aan de aantekening
  van dit onderwerp.
- **F4** opent de afspraken: wat, wie, wanneer, en het volgende contact.
- **F7**: wat nog open staat van vorige keer (afspraken, verwijzingen). Onder de
  onderwerpen staat hoeveel; het venster opent alleen met F7.
- **F12**: aantekeningen bij onderwerpen die deze leidraad niet kent (van een
  collega met een andere leidraad, of uit een overdracht), om te lezen. Onder de
  onderwerpen staat hoeveel.
- **F9** toont het aanbod uit de sociale kaart voor de gekoppelde thema's, de
  wijk en de leeftijden van de kinderen. Typ om te filteren, **Enter** legt een
  verwijzing vast. Onder het aanbod staan de verwijzingen van dit huishouden:
  **Enter** daarop werkt de stand bij (aangemeld, wachtlijst, gestart, niet
  gelukt). **Escape** of nog eens **F9** brengt u terug in de aantekening.
- Na **F3**, **F4** en **F9** typt u verder in de aantekening, aan het eind.
- **Ctrl+N** opent de netwerkkaart: wie staat er om het gezin heen, waarmee
  helpen ze, wie zou meer willen doen? Bij het onderwerp Netwerk en omgeving staat
  wat er al op de kaart staat.
- **F10** (of Ctrl+R) opent de veiligheidscheck: kindcheck, signalen, balans,
  schaalvraag en meldcode. **F8** rondt het bezoek af met een samenvatting.
  Na F10 en F8 staat u in de onderwerpen: een cijfer kiest het volgende
  onderwerp, Enter schrijft verder in dit onderwerp.
- Wat u typt terwijl een venster opengaat, komt in dat venster.
- **Ctrl+G** verbergt alle veiligheidsdetails in één keer (discreet), als het
  gezin meekijkt; nog eens Ctrl+G toont ze weer. **Ctrl+O** toont het nummer
  van Veilig Thuis.
- Staat **offline** in de titel, dan is de teamdatabase niet bereikbaar. Typ
  gewoon door: aantekeningen worden op deze laptop bewaard en verstuurd zodra de
  verbinding terug is. Afspraken, veiligheidscheck, aanbod en afronden wachten
  tot dan.
- Rondt een collega dit bezoek af terwijl u er nog in typt, dan wordt wat u
  daarna typte een **aanvulling** bij het bezoek. Typen kan hier dan niet meer;
  in de geschiedenis (g) ziet u het bezoek met de aanvulling.
- **Escape** in de onderwerpen gaat terug naar de huishoudens; het bezoek blijft
  open en kan later worden hervat.
"""


def _priority(*bindings: Binding) -> list[BindingType]:
    return [replace(binding, priority=True) for binding in bindings]


class VisitScreen(NoteScreen):
    HELP = HELP
    # Every key of this screen is handled the moment it arrives (priority), so keys typed
    # right after it already go to the dialog it opens or the field it moves to.
    BINDINGS = _priority(
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
            "f7",
            "still_open",
            "Nog open",
            id="nog-open",
            show=False,  # the line under the topics says it; the footer must fit 80 columns
            tooltip="Afspraken en verwijzingen die nog open staan van vorige keer",
        ),
        Binding(
            "f12",
            "other_notes",
            "Overige",
            id="overige",
            show=False,  # the line under the topics says it when there are any
            tooltip="Aantekeningen bij onderwerpen die deze leidraad niet kent (lezen)",
        ),
        Binding(
            "f6",
            "prompts",
            "Doorvragen",
            id="doorvragen",
            show=False,
            tooltip="Toon de doorvragen en de tip van dit onderwerp (nog eens: de vragen)",
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
            "ctrl+n",
            "network_map",
            "Netwerkkaart",
            id="netwerkkaart",
            show=False,  # the network topic says it; the footer must fit 80 columns
            tooltip="Wie staat er om het gezin heen: de netwerkkaart",
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
        *[
            Binding(
                f"alt+{number},{ALT_DIGIT_KEYS[number - 1]}",
                f"topic({number})",
                f"Onderwerp {number}",
                show=False,
            )
            for number in range(1, 10)
        ],
        # Enter straight after choosing a topic with its digit only confirms the choice.
        Binding("enter", "confirm_choice", show=False),
    )
    app: WijkgesprekApp

    def __init__(self, visit_id: int) -> None:
        super().__init__()
        self._chosen_by_key = -2
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
                yield TopicList(self.topics, id="topics", on_choose=self._choose_index)
                yield Static("", id="themes-line", markup=False)
                yield Static("", id="open-line", markup=False)
                yield Static("", id="other-line", markup=False)
            with Column(id="main"):
                yield Static(
                    "Discrete weergave: dit onderwerp is verborgen. Ctrl+G toont het weer.",
                    id="topic-hidden",
                    classes="discreet-only",
                )
                with Column(id="upper"):
                    with VerticalScroll(id="guide"):
                        yield Static("", id="guide-text")
                        yield Static("", id="guide-prompts")
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
        self.query_one("#open-line").display = False
        # Locked, unreadable, a team database not answering: said once, and back.
        record = self.record = self._read_record(opening=True)
        if record is None:
            self.app.call_later(self.dismiss)  # not from inside this screen's own handler
            return
        self.sub_title = visible(
            f"{record.household_code} · {record.wijk} · {describe_children(record.children)}"
        )
        self._refresh_topics()
        self._show_topic(self.topics[0].id)
        self.focus_note()
        self._carry_over(record)

    def _carry_over(self, record: VisitRecord) -> None:
        """What is still open from earlier visits: told once at the start, kept in a line
        under the topics, and gone through with F7. Never a dialog that opens by itself:
        what the professional types as the visit opens belongs in the note, not in a
        list where letters mark agreements."""
        if record.id < 0:  # begun offline: what is still open is on the server
            return
        agreements, referrals = self._still_open(record)
        self._show_open_line(agreements, referrals)
        if (agreements or referrals) and not (record.notes or record.agreements):
            self.notify(
                "Er staat nog iets open van vorige keer. F7 loopt het samen met u na.",
                timeout=8,
            )

    def _still_open(
        self, record: VisitRecord
    ) -> tuple[tuple[AgreementData, ...], tuple[ReferralData, ...]]:
        history = self.app.read(repo.get_household, code=record.household_code)
        if history is None:
            return (), ()
        agreements = open_agreements(history, before_visit=self.visit_id)
        referrals = tuple(r for r in record.referrals if r.is_open and r.visit_id != self.visit_id)
        return agreements, referrals

    def _show_open_line(
        self, agreements: tuple[AgreementData, ...], referrals: tuple[ReferralData, ...]
    ) -> None:
        parts = []
        if agreements:
            parts.append(f"{len(agreements)} afspra{'ak' if len(agreements) == 1 else 'ken'}")
        if referrals:
            parts.append(f"{len(referrals)} verwijzing{'' if len(referrals) == 1 else 'en'}")
        line = self.query_one("#open-line", Static)
        line.update(f"Nog open van vorige keer: {' en '.join(parts)} (F7)" if parts else "")
        line.display = bool(parts)

    def action_still_open(self) -> None:
        """F7: go through what is still open from earlier visits."""
        from wijkgesprek.screens.carry_over import CarryOverScreen

        if self.record is None or not self._online():
            return
        agreements, referrals = self._still_open(self.record)
        if not (agreements or referrals):
            self.notify("Er staat niets meer open van vorige keer.")
            return
        self.open_dialog(CarryOverScreen(self.visit_id, agreements, referrals), self._reload)

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
        others = self._other_notes()
        line = self.query_one("#other-line", Static)
        line.update(f"{OTHER_NOTES}: {len(others)} (F12)" if others else "")
        line.display = bool(others)

    def _other_notes(self) -> list[tuple[str, str]]:
        """Notes under topics this guide does not know, as (topic, text)."""
        assert self.record is not None
        known = [topic.id for topic in self.topics]
        return [
            (topic, self.record.notes[topic].text) for topic in other_topics(self.record, known)
        ]

    def action_other_notes(self) -> None:
        """F12: read the notes under topics this guide does not know."""
        from wijkgesprek.screens.other_notes import OtherNotesScreen

        others = self._other_notes() if self.record is not None else []
        if not others:
            self.notify("Dit bezoek heeft geen aantekeningen bij onderwerpen buiten deze leidraad.")
            return
        self.open_dialog(OtherNotesScreen(others), lambda _: None)

    def _show_topic(self, topic_id: str) -> None:
        assert self.record is not None
        self.flush()
        self.topic_id = topic_id
        topic = self.app.guide.topic(topic_id)
        topics = self.query_one(TopicList)
        topics.highlighted = [t.id for t in self.topics].index(topic_id)
        self._show_guide(topic)
        self.query_one("#main").remove_class("-prompts")
        self.query_one("#guide-text").display = True
        self.query_one("#guide", VerticalScroll).scroll_home(animate=False)
        # Containers without inline styles, so discreet mode's CSS can hide them.
        for container in self.query("#upper, #lower"):
            container.set_class(topic_id == SAFETY_TOPIC, "safety-detail")
        self.query_one("#topic-hidden").set_class(topic_id != SAFETY_TOPIC, "-elsewhere")
        note = self.record.notes.get(topic_id, TopicNote())
        self.note.load_note(note.text)
        self._update_note_label("")

    def _show_guide(self, topic: Topic) -> None:
        self.query_one("#guide-text", Static).update(self._guide_content(topic))
        self.query_one("#guide-prompts", Static).update(self._prompts_content(topic))

    def _prompts_content(self, topic: Topic) -> Content:
        """The doorvragen and the tip (F6 scrolls to them)."""
        parts = []
        if topic.doorvragen:
            parts.append(Content.styled("Doorvragen (F6)\n", "italic"))
            parts += [Content(f"  – {prompt}\n") for prompt in topic.doorvragen]
        if topic.tip:
            parts.append(Content.styled(f"\nTip: {topic.tip}", "dim italic"))
        return Content("").join(parts)

    def _guide_content(self, topic: Topic) -> Content:
        parts = [Content.styled(topic.titel, "bold"), Content("\n")]
        if topic.id == NETWORK_TOPIC and self.record is not None:  # first: seen at once
            network = self.record.network
            status = (
                summary_line(network, self.app.guide.network, safety=False)
                if network is not None
                else "nog niet gemaakt"
            )
            parts.append(Content.styled(f"Netwerkkaart (Ctrl+N): {status}.\n", "bold"))
        parts += [Content(f"• {question}\n") for question in topic.vragen]
        if topic.id == "afspraken" and self.record and self.record.agreements:
            parts.append(Content.styled("\nAfspraken tot nu toe (F4)\n", "italic"))
            parts += [
                Content(visible(f"  – {a.wat} · {a.wie} · {a.when()}\n"))
                for a in self.record.agreements
            ]
        if topic.id == SAFETY_TOPIC:
            entries = (
                None
                if self.app.connection.offline
                else self.app.read(repo.safety_entries, visit_id=self.visit_id)
            )
            status = "nu niet te lezen" if entries is None else kindcheck_text(entries)
            parts.append(
                Content.styled(
                    visible(f"\nKindcheck: {status}. F10 opent de veiligheidscheck.\n"), "bold"
                )
            )
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
        yield SystemCommand(
            "Netwerkkaart", "Wie staat er om het gezin heen (Ctrl+N)", self.action_network_map
        )
        yield SystemCommand("Afronden", "Samenvatting en bezoek afsluiten (F8)", self.action_finish)

    def _choose(self, topic_id: str) -> None:
        if topic_id != self.topic_id:
            self._show_topic(topic_id)
        self.focus_note()

    def _choose_index(self, index: int) -> None:
        """A topic chosen in the list by key (its digit, or Enter)."""
        self._chosen_by_key = self.app.keys_dispatched
        self._choose(self.topics[index].id)

    def action_topic(self, number: int) -> None:
        """Alt+digit: choose a topic from anywhere in the visit."""
        if number <= len(self.topics):
            self._choose_index(number - 1)

    def action_confirm_choice(self) -> None:
        """Enter right after a topic was chosen by key: the choice is made already."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "confirm_choice":  # only the key straight after the choice
            return self.focused is self.note and self.app.keys_dispatched == self._chosen_by_key + 1
        return super().check_action(action, parameters)

    @property
    def note_hidden(self) -> bool:
        """The note is hidden now (the safety topic in discreet mode)."""
        return self.app.discreet and self.topic_id == SAFETY_TOPIC

    def discreet_changed(self) -> None:
        if self.note_hidden and self.focused is None:
            self.action_focus_topics()

    def focus_note(self) -> None:
        """Typing goes on at once in the note (or, when it is hidden, in the topics). The
        focus moves now, not after a message, so keys typed next already land there."""
        if self.note_hidden:
            self.action_focus_topics()
        else:
            self.set_focus(self.note)

    def action_focus_topics(self) -> None:
        self.set_focus(self.query_one(TopicList))

    def action_back(self) -> None:
        """Escape goes one step back: from the aanbod to the note, from the note to the
        topics, from the topics to the households (the visit stays open)."""
        panel = self.query_one(SuggestionPanel)
        focused = self.focused
        if panel.display and focused is not None and panel in focused.ancestors:
            self._close_offers()
        elif focused is not self.query_one(TopicList):
            self.action_focus_topics()
        else:
            self.flush()
            self.dismiss()

    def action_prompts(self) -> None:
        """F6: the doorvragen and tip of this topic in place of the questions (with more
        room), and back to the questions."""
        main = self.query_one("#main")
        main.toggle_class("-prompts")
        self.query_one("#guide-text").display = not main.has_class("-prompts")
        self.query_one("#guide", VerticalScroll).scroll_home(animate=False)

    def _online(self) -> bool:
        """Whether more than notes can be saved now; offline, says that this must wait
        (and a visit finished meanwhile elsewhere, that it is finished)."""
        if self.finished:
            self.notify(
                "Dit bezoek is afgerond. Een aanvulling maakt u in de geschiedenis (g, dan a).",
                markup=False,
            )
            return False
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
        self.open_dialog(ThemesScreen(self.app.guide.themes, current, title), self._tag)

    def open_dialog(self, dialog: Screen[T], callback: Callable[[T | None], None]) -> None:
        """A dialog over the visit (themes, agreements, a question): after it, typing
        goes on at the end of the note. The focus is moved before the dialog opens, so
        it is in place the moment the dialog closes (keys typed then land there)."""
        self.focus_note()
        self.app.push_screen(dialog, callback)

    def open_screen(self, screen: Screen[T], callback: Callable[[T | None], None]) -> None:
        """A screen of its own (F8, F10): Escape from it comes back to the topics, so
        the next digit chooses a topic and Enter writes on in this one."""
        self.action_focus_topics()
        self.app.push_screen(screen, callback)

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
        if self.query_one(SuggestionPanel).display:
            self._show_offers()

    def action_agreements(self) -> None:
        from wijkgesprek.screens.agreements import AgreementsScreen

        if not self._online():
            return
        self.flush()
        people = sorted(
            self.record.network or () if self.record else (), key=lambda p: not p.safety
        )
        names = [label(person, names=not self.app.discreet) for person in people]
        self.open_dialog(AgreementsScreen(self.visit_id, people=names), self._reload)

    def _reload(self, _result: object = None) -> None:
        record = self._read_record()
        if record is None:
            return
        self.record = record
        self._refresh_topics()
        self._show_guide(self.app.guide.topic(self.topic_id))
        if self.app.cases is None:  # practice attempts carry nothing over
            self._show_open_line(*self._still_open(record))

    # -- the sociale kaart ------------------------------------------------------

    def action_offers(self) -> None:
        panel = self.query_one(SuggestionPanel)
        if panel.display:
            self._close_offers()
            return
        if self.app.network is None:
            self.notify("De sociale kaart wordt nog geladen. Probeer het zo opnieuw.")
            return
        if not self._online():
            return
        self.flush()
        self._show_offers()
        panel.display = True
        self.query_one("#guide").display = False
        self.query_one("#main").add_class("-offers")
        panel.focus_filter()

    def _close_offers(self) -> None:
        self.query_one(SuggestionPanel).display = False
        self.query_one("#guide").display = True
        self.query_one("#main").remove_class("-offers")
        self.focus_note()

    def _show_offers(self) -> None:
        """Suggest for the themes tagged so far, the wijk and the children's ages, and
        record the themes the sociale kaart has nothing for as gaps."""
        network, guide, record = self.app.network, self.app.guide, self.record
        assert network is not None and record is not None
        themes = tagged_themes(record)
        found = offer(
            network,
            themes=themes,
            wijk=record.wijk,
            ages=ages_of(record.children, date.today()),
            today=date.today(),
            theme_names={theme.id: theme.naam for theme in guide.themes},
            people=record.network,
            network_guide=guide.network,
        )
        if found.gaps and network.entries:
            self.app.write(
                repo.record_gaps,
                visit_id=self.visit_id,
                wijk=record.wijk,
                themes=found.gaps,
                now=datetime.now(UTC),
            )
        heading = offer_heading(
            guide.theme_name,
            wijk=record.wijk,
            themes=themes,
            gaps=found.gaps,
            problem=self.app.resources.network_problem,
            why=found.why,
        )
        panel = self.query_one(SuggestionPanel)
        panel.show(heading=heading, suggestions=found.suggestions, referrals=record.referrals)

    @on(SuggestionPanel.Refer)
    def _refer(self, event: SuggestionPanel.Refer) -> None:
        entry = event.suggestion.entry
        if self.app.write(
            repo.add_referral,
            visit_id=self.visit_id,
            naam=entry.naam,
            soort=entry.soort,
            wijk=entry.wijk,
            themes=event.suggestion.matched,
            contact=contact_line(entry),
            now=datetime.now(UTC),
        ):
            self._referrals_changed()
            self.notify(f"Verwijzing vastgelegd: {entry.naam} (besproken).", markup=False)

    @on(SuggestionPanel.ChangeReferral)
    def _change_referral(self, event: SuggestionPanel.ChangeReferral) -> None:
        from wijkgesprek.screens.referral_state import ReferralStateScreen, StateChange

        referral = event.referral

        def done(change: StateChange | None) -> None:
            if change is not None and self.app.write(
                repo.update_referral,
                referral_id=referral.id,
                visit_id=self.visit_id,
                state=change.state,
                reason=change.reason,
                now=datetime.now(UTC),
            ):
                self._referrals_changed()

        self.app.push_screen(ReferralStateScreen(referral), done)

    def _referrals_changed(self) -> None:
        self._reload()
        assert self.record is not None
        self.query_one(SuggestionPanel).show_referrals(self.record.referrals)

    def action_safety(self) -> None:
        from wijkgesprek.screens.safety import SafetyScreen

        if not self._online():
            return
        self.flush()
        self.open_screen(SafetyScreen(self.visit_id), self._reload)

    def action_network_map(self) -> None:
        """Ctrl+N: the netwerkkaart of this visit, from anywhere in it."""
        from wijkgesprek.screens.network_map import NetworkMapScreen

        if not self._online():
            return
        self.flush()
        self.open_screen(NetworkMapScreen(self.visit_id), self._reload)

    def action_finish(self) -> None:
        from wijkgesprek.screens.summary import SummaryScreen

        if not self._online():
            return
        self.flush()
        self.app.connection.settle()  # the notes on the server first: the summary shows them
        if not self._online():
            return
        self.open_screen(SummaryScreen(self.visit_id), self._finished)

    def _finished(self, ended: bool | None) -> None:
        if ended:
            self.dismiss()
        else:
            self._reload()
