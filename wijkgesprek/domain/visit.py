"""A visit as plain data, and what the app concludes from it (no Textual, no SQL)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from wijkgesprek.domain.household import Children, HouseholdChange
from wijkgesprek.domain.referral import ReferralData
from wijkgesprek.domain.safety import SafetyEntry

AGREEMENTS_TOPIC = "afspraken"
SAFETY_TOPIC = "veiligheid"


@dataclass(frozen=True)
class TopicNote:
    text: str = ""
    themes: tuple[str, ...] = ()
    version: int = 0
    """The saved version this text belongs to (0: never saved); see ``repo.save_note``."""


@dataclass(frozen=True)
class AgreementData:
    id: int
    wat: str
    wie: str
    wanneer: str
    status: str = "open"
    """``open``, ``gedaan`` or ``vervallen`` (marked on a later visit)."""


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
    """The household's referrals that are still open, or were made or updated in this visit."""
    gaps: tuple[str, ...] = ()
    """Themes for which the network had nothing in the wijk during this visit."""
    safety_recorded: bool = False
    """Something of the safety check (kindcheck, signals, …) was recorded in this visit."""

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


def is_touched(topic_id: str, record: VisitRecord) -> bool:
    """A topic counts as touched when something was written or tagged for it."""
    note = record.notes.get(topic_id)
    if note and (note.text.strip() or note.themes):
        return True
    if topic_id == SAFETY_TOPIC:
        return record.safety_recorded
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


def merge_versions(theirs: str, mine: str, when: datetime) -> str:
    """Two versions of one note saved at the same time, kept both: the colleague's
    version first, then this screen's under a line that says so."""
    return f"{theirs}\n\n— Mijn versie ({when:%H:%M}) —\n{mine}"
