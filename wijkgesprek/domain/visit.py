"""A visit as plain data, and what the app concludes from it (no Textual, no SQL)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from wijkgesprek.domain.dates import due_date
from wijkgesprek.domain.household import Children, HouseholdChange
from wijkgesprek.domain.network_map import Person
from wijkgesprek.domain.referral import ReferralData, ReferralStep
from wijkgesprek.domain.safety import SafetyEntry
from wijkgesprek.text import quoted

AGREEMENTS_TOPIC = "afspraken"
SAFETY_TOPIC = "veiligheid"
NETWORK_TOPIC = "netwerk"


@dataclass(frozen=True)
class TopicNote:
    text: str = ""
    themes: tuple[str, ...] = ()
    version: int = 0
    """The saved version this text belongs to (0: never saved); see ``repo.save_note``."""
    base: str | None = None
    """The text of ``version`` when ``text`` holds more that is not saved there yet
    (waiting on the laptop); None: ``text`` is that version's text."""
    by: str = field(default="", compare=False)
    """Who saved ``version`` (a team database's login role; empty on the laptop)."""

    @property
    def saved(self) -> str:
        """The text of ``version``: where a merge with a newer version starts from."""
        return self.text if self.base is None else self.base


@dataclass(frozen=True)
class AgreementData:
    id: int
    wat: str
    wie: str
    wanneer: str
    status: str = "open"
    """``open``, ``gedaan`` or ``vervallen`` (marked on a later visit)."""
    status_visit_id: int | None = None
    """The visit in which the status was last marked (None: never, or not known)."""
    status_at: datetime | None = None
    created_at: datetime | None = field(default=None, compare=False)
    author: str = field(default="", compare=False)
    """Who made it (a team database's login role; empty on the laptop)."""
    status_by: str = field(default="", compare=False)
    """Who marked its status last."""

    def due(self) -> date | None:
        """The day named in "wanneer" (see ``domain.dates.due_date``), if any."""
        made = self.created_at.astimezone().date() if self.created_at else date.today()
        return due_date(self.wanneer, made=made)

    def when(self, day: Callable[[date], str] = lambda day: f"{day:%d-%m-%Y}") -> str:
        """ "Wanneer" as typed, and when it names a day only by its name ("vrijdag"),
        which day that was when agreed: "vrijdag (04-12-2026)". Kept in every place
        the agreement is read later, where "vrijdag" alone would mean another day."""
        due = self.due()
        if due is None or any(char.isdigit() for char in self.wanneer):
            return self.wanneer
        return f"{self.wanneer} ({day(due)})"

    def overdue(self, today: date) -> bool:
        """Still open, and the day it named has passed."""
        due = self.due()
        return self.status == "open" and due is not None and due < today


@dataclass(frozen=True)
class VisitRecord:
    """Everything recorded in one visit."""

    id: int
    household_code: str
    wijk: str
    children: Children
    started_at: datetime
    ended_at: datetime | None = None
    next_contact: date | None = None
    notes: dict[str, TopicNote] = field(default_factory=dict)
    agreements: tuple[AgreementData, ...] = ()
    referrals: tuple[ReferralData, ...] = ()
    """The household's referrals that are still open, or were made or updated in this visit
    (in a ``HouseholdHistory``: only those made or updated in it)."""
    gaps: tuple[str, ...] = ()
    """Themes for which the network had nothing in the wijk during this visit."""
    safety_recorded: bool = False
    """Something of the safety check (kindcheck, signals, …) was recorded in this visit."""
    author: str = field(default="", compare=False)
    """Who started the visit (a team database's login role; empty on the laptop)."""
    network: tuple[Person, ...] | None = None
    """The netwerkkaart of this visit; None when it has none."""
    network_recorded: bool = False
    """The map was made or changed in this visit (a copy of the last map alone is not)."""

    @property
    def is_open(self) -> bool:
        return self.ended_at is None


@dataclass(frozen=True)
class HouseholdRow:
    """A line on the home screen."""

    code: str
    wijk: str
    children: Children
    last_visit: datetime | None
    open_visit_id: int | None
    next_contact: date | None = None
    """The next contact agreed in the most recent visit."""
    agreement_due: date | None = None
    """The earliest day named by an agreement that is still open (see ``AgreementData.due``)."""
    report_open: bool = False
    """The Meldcode route says "melden" and no melding is recorded (``meldcode.open_report``)."""
    follow_up: int = 1
    """Which follow-up of the household ``next_contact`` is (``pending_follow_up``): the
    same number when it is rescheduled, so its calendar event is replaced."""


OTHER_NOTES = "Overige aantekeningen"
"""The heading of notes under topics the guide does not know."""


def other_topics(record: VisitRecord, known: Iterable[str], also: Iterable[str] = ()) -> list[str]:
    """Topics with written text that the guide (``known`` topic ids) does not know: a
    colleague with another guide, or an imported hand-over. ``also``: the topics of
    additions. In the order first written; never hidden, shown as "Overige aantekeningen"."""
    skip = set(known)
    written = [topic for topic, note in record.notes.items() if note.text.strip()]
    return [topic for topic in dict.fromkeys([*written, *also]) if topic not in skip]


def is_touched(topic_id: str, record: VisitRecord) -> bool:
    """A topic counts as touched when something was written or tagged for it, or (safety,
    network, agreements) recorded in its own screen during the visit."""
    note = record.notes.get(topic_id)
    if note and (note.text.strip() or note.themes):
        return True
    if topic_id == SAFETY_TOPIC:
        return record.safety_recorded
    if topic_id == NETWORK_TOPIC:
        return record.network_recorded
    return topic_id == AGREEMENTS_TOPIC and (
        bool(record.agreements) or record.next_contact is not None
    )


def tagged_themes(record: VisitRecord) -> tuple[str, ...]:
    """All themes tagged in the visit, in the order first tagged per topic."""
    seen: dict[str, None] = {}
    for note in record.notes.values():
        for theme in note.themes:
            seen.setdefault(theme, None)
    return tuple(seen)


@dataclass(frozen=True)
class Summary:
    touched: tuple[str, ...]
    untouched: tuple[str, ...]
    themes: tuple[str, ...]
    agreements: tuple[AgreementData, ...]
    next_contact: date | None
    referrals: tuple[ReferralData, ...] = ()
    gaps: tuple[str, ...] = ()


def summarise(record: VisitRecord, topic_ids: tuple[str, ...]) -> Summary:
    """What the end-of-visit summary shows, for the topics of the guide in order."""
    touched = tuple(topic for topic in topic_ids if is_touched(topic, record))
    untouched = tuple(topic for topic in topic_ids if topic not in touched)
    return Summary(
        touched=touched,
        untouched=untouched,
        themes=tagged_themes(record),
        agreements=record.agreements,
        next_contact=record.next_contact,
        referrals=record.referrals,
        gaps=record.gaps,
    )


def parse_date(text: str) -> date | None:
    """Read a Dutch date as typed: 3-12-2026, 03-12-2026, 3/12/2026 or 2026-12-03.

    Returns None when the text is not a valid date.
    """
    text = text.strip()
    for separator in ("-", "/", "."):
        parts = text.split(separator)
        if len(parts) == 3 and all(part.isdigit() for part in parts):
            try:
                if len(parts[0]) == 4:
                    return date(int(parts[0]), int(parts[1]), int(parts[2]))
                if len(parts[2]) == 4:
                    return date(int(parts[2]), int(parts[1]), int(parts[0]))
            except ValueError:
                return None
    return None


def next_contact_date(text: str, today: date | None = None) -> date | None:
    """A typed next contact: a full date (3-12-2026), or a day without a year (17-12,
    17 december, vrijdag) read as the first such day from ``today`` on."""
    text = text.strip()
    if not text:
        return None
    return parse_date(text) or due_date(text, made=today or date.today())


def format_date(value: date | None) -> str:
    return value.strftime("%d-%m-%Y") if value else ""


AGREEMENT_STATES = ("open", "gedaan", "vervallen")


@dataclass(frozen=True)
class CorrectionData:
    """An addition (aanvulling) to a finished visit."""

    id: int
    topic: str
    text: str
    created_at: datetime
    author: str = ""
    """Who added it (a team database's login role; empty on the laptop)."""


@dataclass(frozen=True)
class VisitHistory:
    record: VisitRecord
    corrections: tuple[CorrectionData, ...] = ()
    safety: tuple[SafetyEntry, ...] = ()


@dataclass(frozen=True)
class HouseholdHistory:
    """A household over time: every visit, oldest first, and all its referrals."""

    code: str
    wijk: str
    children: Children
    created_at: datetime
    visits: tuple[VisitHistory, ...]
    referrals: tuple[ReferralData, ...] = ()
    changes: tuple[HouseholdChange, ...] = ()
    """Deliberate changes of the wijk or the children, oldest first."""


def open_agreements(history: HouseholdHistory, *, before_visit: int) -> tuple[AgreementData, ...]:
    """Agreements of earlier visits that are still open: shown when a new visit starts."""
    return tuple(
        agreement
        for visit in history.visits
        if visit.record.id != before_visit
        for agreement in visit.record.agreements
        if agreement.status == "open"
    )


def visit_day(history: HouseholdHistory, record: VisitRecord) -> str:
    """The day a visit started (DD-MM-YYYY), with the time (HH:MM) when another visit of
    the household started on the same day."""
    return _day(record, _days_started(history))


def visit_days(history: HouseholdHistory) -> dict[int | None, str]:
    """:func:`visit_day` of every visit (by id), in one pass: calling ``visit_day`` per
    visit is quadratic in the visits (a household of 20,000 visits did not open)."""
    started = _days_started(history)
    return {v.record.id: _day(v.record, started) for v in history.visits}


def _days_started(history: HouseholdHistory) -> Counter[date]:
    return Counter(v.record.started_at.astimezone().date() for v in history.visits)


def _day(record: VisitRecord, started: Counter[date]) -> str:
    start = record.started_at.astimezone()
    return start.strftime("%d-%m-%Y %H:%M" if started[start.date()] > 1 else "%d-%m-%Y")


@dataclass(frozen=True)
class VisitEvents:
    """What was agreed and referred in one visit: everything in the visit it happened in."""

    agreements: tuple[AgreementData, ...]
    """Made in this visit, as they were made (a status marked in a later visit is there)."""
    marked: tuple[tuple[int, AgreementData], ...]
    """Agreements of other visits whose status was marked in this one, with the number of
    the visit they were made in."""
    referrals: tuple[tuple[ReferralData, tuple[ReferralStep, ...]], ...]
    """Referrals with the steps taken in this visit (made, registered, …), oldest first."""


def visit_events(history: HouseholdHistory, visit_id: int) -> VisitEvents:
    return events_by_visit(history).get(visit_id, VisitEvents((), (), ()))


def events_by_visit(history: HouseholdHistory) -> dict[int, VisitEvents]:
    """:func:`visit_events` of every visit (by id), in one pass over the household:
    asking per visit is quadratic in the visits (a dossier of 20,000 took minutes)."""
    marked: dict[int | None, list[tuple[int, AgreementData]]] = {}
    for number, visit in enumerate(history.visits, start=1):
        for agreement in visit.record.agreements:
            if agreement.status_visit_id != visit.record.id:
                marked.setdefault(agreement.status_visit_id, []).append((number, agreement))
    referrals: dict[int | None, list[tuple[ReferralData, tuple[ReferralStep, ...]]]] = {}
    for referral in history.referrals:
        steps: dict[int | None, list[ReferralStep]] = {}
        for step in referral.steps:
            steps.setdefault(step.visit_id, []).append(step)
        for visit_id, taken in steps.items():
            referrals.setdefault(visit_id, []).append((referral, tuple(taken)))
    return {
        visit.record.id: VisitEvents(
            tuple(_as_made(a, visit.record.id) for a in visit.record.agreements),
            tuple(marked.get(visit.record.id, ())),
            tuple(referrals.get(visit.record.id, ())),
        )
        for visit in history.visits
    }


def _as_made(agreement: AgreementData, visit_id: int) -> AgreementData:
    if agreement.status_visit_id in (None, visit_id):
        return agreement  # marked in this visit, or not known where: as it is
    return replace(agreement, status="open", status_visit_id=None, status_at=None)


def marked_text(number: int, agreement: AgreementData) -> str:
    """An agreement of visit ``number`` marked later, e.g. "Afspraak “Bellen” uit bezoek 1:
    gedaan (gemarkeerd op 09-03-2026)", on a team database "… door bob)"."""
    what = quoted(agreement.wat) if agreement.wat.strip() else "zonder omschrijving"
    text = f"Afspraak {what} uit bezoek {number}: {agreement.status}"
    if agreement.status_at is None:
        return text
    day = agreement.status_at.astimezone().strftime("%d-%m-%Y")
    who = f" door {agreement.status_by}" if agreement.status_by else ""
    return f"{text} (gemarkeerd op {day}{who})"


def map_before(history: HouseholdHistory, visit_id: int) -> tuple[Person, ...] | None:
    """The map of the last visit before ``visit_id`` that has one (None: none had)."""
    found: tuple[Person, ...] | None = None
    for visit in history.visits:
        if visit.record.id == visit_id:
            return found
        if visit.record.network is not None:
            found = visit.record.network
    return found
