"""The safety check of a visit: kindcheck, signals, balance, scaling and the Meldcode.

The professional decides; this screen makes sure the questions were asked and keeps
what was seen and decided with the reasons, as an append-only trail.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import ContentSwitcher, Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from wijkgesprek.domain.meldcode import Contact
from wijkgesprek.domain.safety import (
    CONSULT,
    SafetyEntry,
    kindcheck_outcome,
    kindcheck_required,
)
from wijkgesprek.domain.visit import tagged_themes
from wijkgesprek.store import repo
from wijkgesprek.text import one_line
from wijkgesprek.widgets.numbered_list import NumberedList
from wijkgesprek.widgets.safety.balance import BalanceSection
from wijkgesprek.widgets.safety.base import Field, SafetyContext, SafetySection
from wijkgesprek.widgets.safety.kindcheck import KindcheckSection
from wijkgesprek.widgets.safety.meldcode import MeldcodeSection
from wijkgesprek.widgets.safety.scaling import ScalingSection
from wijkgesprek.widgets.safety.signals import SignalsSection

if TYPE_CHECKING:
    from wijkgesprek.app import WijkgesprekApp

HELP = """\
# Veiligheid

Doe de veiligheidscheck bij elk bezoek, ook als het gesprek over de problemen van
een volwassene gaat. U beslist; wijkgesprek helpt dat de vragen gesteld zijn en
bewaart wat u zag en besloot, met de redenen. Niets wordt overschreven: een
wijziging is een nieuwe regel met datum en tijd.

1. **Kindcheck**: stel de vragen en kies de uitkomst; kiezen legt haar vast. Bij
   **aandachtspunt** (een lichte zorg) schrijft u op waar u op let en wanneer u er
   weer naar kijkt; bij **niet gedaan** waarom. Bij kinderen, een zwangerschap of
   kinderen elders kan het bezoek niet worden afgesloten zonder uitkomst. Bij een
   volgend bezoek staat hier ook **vorige keer**: de uitkomst, de meldcode en wat
   ermee gedaan is, de laatste schaalcijfers en de drie kolommen. Vraag: hoe is het nu?
2. **Signalen**: vink aan wat u ziet of hoort, in de woorden van het gezin.
3. **Balans**: draaglast tegenover draagkracht, om samen naar te kijken.
4. **Schaalvraag**: 0–10, aan ieder apart, en de drie kolommen.
5. **Meldcode**: de vijf stappen (zet een stap met **b** bezig, **g** gedaan of
   **o** open; Enter legt niets vast), overleg, het afwegingskader (**j**/**n**, met
   reden; **c** corrigeert een eerder antwoord, ook als de route klaar is; **Escape**
   zet een gekozen correctie terug) en een
   tekst voor het dossier. Bij **Veilig Thuis: wat is er gedaan?** legt **Enter** (of
   **v**) vast: advies gevraagd, melding gedaan (datum, met wie, kenmerk, afspraak)
   of nog niet gemeld (met de reden). Zegt de route *melden*, dan sluit het bezoek
   pas af als dat is vastgelegd.

Kies een onderdeel met de pijltjes en **Enter**, of met het cijfer ervoor (niet
terwijl u in een veld typt: daar is een cijfer gewoon tekst); **Tab** gaat door de
velden. **F2** gaat meteen naar de lijst van onderdelen; wat u typte, blijft staan.

**Escape** gaat één stap terug: uit een veld naar de lijst van het onderdeel of naar
de onderdelen, en vanuit de onderdelen terug naar het gesprek. Staat er in het veld
getypte tekst die nog niet is vastgelegd, dan vraagt wijkgesprek eerst of die weg
mag: dan vervalt alleen dat veld, nooit de hele check. Gaat u terug naar het gesprek
terwijl er ergens nog getypte tekst staat, dan vraagt wijkgesprek dat ook.

Niets komt per ongeluk in het verslag. Een Enter in een leeg of onveranderd veld legt
niets vast, en dezelfde waarde twee keer achter elkaar wordt één keer bewaard.
Balans: **j** ja, **n** nee, **o** onbekend (Enter legt niets vast). De drie kolommen
van de schaalvraag: Enter toont wat er wordt vastgelegd, **Enter nog eens** legt het
vast, Escape niet.

**Ctrl+O** toont het nummer van Veilig Thuis (0800-2000, gratis, dag en nacht).
**Ctrl+G** verbergt alle details als het gezin meekijkt.
"""

SECTIONS: tuple[type[SafetySection], ...] = (
    KindcheckSection,
    SignalsSection,
    BalanceSection,
    ScalingSection,
    MeldcodeSection,
)


class SafetyScreen(Screen[None]):
    HELP = HELP
    # The focus is always set on purpose: Textual's auto focus would give a hidden list
    # the focus when a dialog closes in discreet mode (hidden widgets count as focusable).
    AUTO_FOCUS = ""
    BINDINGS = [
        # Escape goes up one level (a field, the section, the list of sections, the
        # visit); F2 goes to the list of sections at once. Both move the focus: priority.
        Binding("escape", "back", "Terug", id="veiligheid-terug", priority=True),
        Binding("f2", "sections", "Onderdelen", id="veiligheid-onderdelen", priority=True),
        # A digit opens that section wherever the focus is (not while typing in a field),
        # at once, so keys typed right after it land in the section.
        *[
            Binding(
                str(number), f"section({number})", f"Onderdeel {number}", show=False, priority=True
            )
            for number in range(1, len(SECTIONS) + 1)
        ],
        # Only for the footer: Ctrl+O itself is the App's (it works in discreet mode too).
        Binding("ctrl+o", "veilig_thuis", "Veilig Thuis", id="veiligheid-veilig-thuis"),
    ]

    app: WijkgesprekApp

    def __init__(self, visit_id: int) -> None:
        super().__init__()
        self.visit_id = visit_id
        self.code = ""
        self.shown: SafetyContext | None = None
        """What the sections show: read once, then kept up to date with every entry."""
        self.started = datetime.now(UTC)
        """The start of this visit (the scaling figures over the visits)."""

    def _title(self) -> None:
        """The title names the safety check only when the family may see it."""
        parts = [] if self.app.discreet else ["Veiligheid"]
        self.sub_title = " · ".join([*parts, self.code] if self.code else parts)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            "Discrete weergave: de details zijn verborgen. Ctrl+G toont ze weer.",
            id="discreet-note",
            classes="discreet-only",
        )
        # Who knows about the worries and helps keep the children safe (the netwerkkaart).
        # A container without inline styles, so discreet mode's CSS always hides it.
        with Vertical(id="safety-network-box", classes="safety-detail"):
            yield Static("", id="safety-network", markup=False)
        with Horizontal(id="safety", classes="safety-detail"):
            yield NumberedList(
                id="sections", on_choose=lambda index: self.action_section(index + 1)
            )
            with ContentSwitcher(id="section-view", initial="section-1"):
                for number, section in enumerate(SECTIONS, start=1):
                    yield section(id=f"section-{number}")
        yield Footer(compact=True, show_command_palette=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # In discreet mode not even "Veilig Thuis" shows in the footer (the key still works).
        return not (action == "veilig_thuis" and self.app.discreet)

    def action_veilig_thuis(self) -> None:
        self.app.action_veilig_thuis()

    def discreet_changed(self) -> None:
        self._title()

    def on_mount(self) -> None:
        self._title()
        self._show_safety_network()
        context = self.refresh_sections()
        sections = self.query_one("#sections", OptionList)
        sections.highlighted = 0
        if (
            context is not None
            and kindcheck_required(context.children)
            and not (kindcheck_outcome(context.entries))
        ):
            self.action_section(1)  # still to do: the kindcheck's answers, at once
        else:
            self.set_focus(sections)

    def _chosen(self, index: int) -> None:
        self.action_section(index + 1)

    def _show_safety_network(self) -> None:
        """The veiligheidsnetwerk of the visit's netwerkkaart, in one line (none: none)."""
        from wijkgesprek.domain.network_map import label, safety_network
        from wijkgesprek.store import network_map

        people = self.app.read(network_map.get_map, visit_id=self.visit_id) or ()
        names = ", ".join(label(person) for person in safety_network(people))
        line = self.query_one("#safety-network", Static)
        line.update(one_line(f"Veiligheidsnetwerk (netwerkkaart, Ctrl+N): {names}", 78))
        line.display = bool(names)

    def action_section(self, number: int) -> None:
        if self.app.discreet:
            return  # everything is hidden; nothing may be chosen unseen
        sections = self.query_one("#sections", OptionList)
        sections.highlighted = number - 1
        self.query_one(ContentSwitcher).current = f"section-{number}"
        self.query_one(f"#section-{number}", SafetySection).focus_first()

    def context(self) -> SafetyContext | None:
        """What the sections show; None (said once) when the database cannot be read."""
        read = self.app.read(repo.visit_safety, visit_id=self.visit_id)
        if read is None:
            return None
        record, entries, history = read
        self.code = record.household_code
        self.started = record.started_at
        self._title()
        return SafetyContext(
            guide=self.app.guide.safety,
            visit_id=self.visit_id,
            started=record.started_at,
            entries=entries,
            history=history,
            children=record.children,
            tagged=tagged_themes(record),
            theme_names={theme.id: theme.naam for theme in self.app.guide.themes},
        )

    def refresh_sections(self) -> SafetyContext | None:
        """Read the trail from the database and redraw every section."""
        context = self.context()
        if context is None:  # locked, or the team database not answering: back
            self.app.call_later(self.dismiss)
            return None
        self.redraw(context)
        return context

    def redraw(self, context: SafetyContext) -> None:
        """Every section and the list of sections from ``context`` (nothing is read)."""
        self.shown = context
        listing = self.query_one("#sections", OptionList)
        highlighted = listing.highlighted
        listing.clear_options()
        for number, section in enumerate(self.query(SafetySection), start=1):
            section.redraw(context)  # typed text that is not kept stays as typed
            status = section.status(context)
            label = f"{number} {section.title}" + (f"\n  {status}" if status else "")
            listing.add_option(Option(Content(label), id=f"section-{number}"))
        listing.highlighted = highlighted

    @on(OptionList.OptionSelected, "#sections")
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        self.action_section(event.option_index + 1)

    @on(OptionList.OptionHighlighted, "#sections")
    def _preview(self, event: OptionList.OptionHighlighted) -> None:
        self.query_one(ContentSwitcher).current = event.option.id

    def record_entry(self, kind: str, key: str, value: str, note: str) -> bool:
        """Append to the safety trail (a section asks) and show it at once; True when it
        is in the trail. The same value as the last one for this key is not appended
        again (a quick second Enter, or a screen that seemed slow)."""
        context = self.shown
        if context is None:
            return False
        last = _last(context.entries, kind, key)
        if last is not None and (last.value, last.note) == (value, note):
            return True
        saved: list[SafetyEntry] = []

        def add(**kwargs: Any) -> SafetyEntry:
            entry = repo.add_safety_entry(**kwargs)
            saved.append(entry)
            return entry

        written = self.app.write(
            add,
            visit_id=self.visit_id,
            kind=kind,
            key=key,
            value=value,
            note=note,
            now=datetime.now(UTC),
        )
        if not written or not saved:
            return False
        entry = saved[0]
        # Shown from what was written, not read again: the value is there at once.
        self.redraw(
            replace(
                context,
                entries=(*context.entries, entry),
                history=(*context.history, (self.started, entry)),
            )
        )
        return True

    def ask_choice(
        self,
        title: str,
        text: str,
        answers: list[tuple[str, str]],
        done: Callable[[str | None], None],
    ) -> None:
        """A question a section asks (its answer goes to ``done``)."""
        from wijkgesprek.screens.choice import ChoiceScreen

        self.app.push_screen(ChoiceScreen(title, text, answers), done)

    def ask_contact(self, done: Callable[[Contact | None], None]) -> None:
        """What was done with Veilig Thuis (Meldcode), for ``done``; None: nothing."""
        from wijkgesprek.screens.vt_contact import VtContactScreen

        self.app.push_screen(VtContactScreen(), done)

    def action_sections(self) -> None:
        """F2: to the list of sections; what was typed in a field stays there."""
        if not self.app.discreet:
            self.set_focus(self.query_one("#sections", OptionList))

    def _section_of(self, widget: object) -> SafetySection | None:
        if not isinstance(widget, Widget):
            return None
        return next(
            (node for node in widget.ancestors_with_self if isinstance(node, SafetySection)),
            None,
        )

    def _up_from(self, section: SafetySection, field: Field) -> None:
        """One level up from ``field``: its section's list, or the list of sections."""
        target = section.leave_field(field)
        if self.app.discreet:
            self.set_focus(None)  # everything is hidden
        else:
            self.set_focus(target or self.query_one("#sections", OptionList))

    def action_back(self) -> None:
        """Escape, one level up: a field is cancelled (asking first when typed text would
        be lost), something in progress is taken back (`SafetySection.cancel`), a list
        in a section goes to the list of sections, and that one (or
        nothing focused, in discreet mode) goes back to the visit."""
        from wijkgesprek.screens.choice import ChoiceScreen

        focused = self.focused
        section = self._section_of(focused)
        if section is None:
            self.leave()
        elif not isinstance(focused, Field):
            if focused is None or not section.cancel(focused):  # e.g. a correction
                self.set_focus(self.query_one("#sections", OptionList))
        elif section.withdraw(focused):
            pass  # a confirmation taken back; the field stays as typed
        elif not section.typed(focused):
            self._up_from(section, focused)
        else:
            field = focused

            def answered(answer: str | None) -> None:
                if answer == "weg":
                    self._up_from(section, field)
                elif not self.app.discreet:  # back to finish it
                    self.set_focus(field)

            # No detail in the question: the family may see it (Ctrl+G does not hide it).
            self.app.push_screen(
                ChoiceScreen(
                    "Nog niet vastgelegd",
                    "In dit veld staat getypte tekst die nog niet is vastgelegd.",
                    [("terug", "Terug om het af te maken"), ("weg", "Niet bewaren")],
                ),
                answered,
            )

    def leave(self) -> None:
        """Back to the visit; asks first when something typed is not kept."""
        from wijkgesprek.screens.choice import ChoiceScreen

        unsaved = [section for section in self.query(SafetySection) if section.unsaved()]
        if not unsaved:
            self.dismiss()
            return
        first = unsaved[0]

        def answered(answer: str | None) -> None:
            if answer == "weg":
                self.dismiss()
            elif not self.app.discreet:  # back to what was typed, to finish it
                number = list(self.query(SafetySection)).index(first) + 1
                self.action_section(number)
                first.focus_unsaved()

        where = "" if self.app.discreet else " in " + ", ".join(s.title for s in unsaved)
        self.app.push_screen(
            ChoiceScreen(
                "Nog niet bewaard",
                f"Er staat getypte tekst{where} die nog niet is vastgelegd.",
                [("terug", "Terug om het af te maken"), ("weg", "Niet bewaren en terug")],
            ),
            answered,
        )


def _last(entries: Sequence[SafetyEntry], kind: str, key: str) -> SafetyEntry | None:
    """The latest entry of ``kind``, when it is for ``key`` (a consultation gets its key
    when it is written: the latest consultation); None otherwise. Only a repeat of that
    one is left out: the same value again after another key of the kind was written
    (a kindcheck "wanneer" after a new outcome) is a new entry."""
    latest = max(
        (entry for entry in entries if entry.kind == kind),
        key=lambda entry: (entry.at, entry.id),
        default=None,
    )
    if latest is None or not (latest.key == key or (kind == CONSULT and not key)):
        return None
    return latest
