"""The Meldcode route followed through: what was done after the afwegingskader.

When the route ends in "melden" (or the professional asks Veilig Thuis for advice), what
was done is a trail entry of kind :data:`VT_CONTACT`: advice asked, a melding made, or —
only as an explicit choice with a reason — not reported (yet). Step 5 of the route, the
summary, the history, the dossier and the home screen all read it through
:func:`follow_through`. Plain functions: no Textual, no SQL.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from wijkgesprek.domain.safety import (
    COLUMN,
    COLUMNS,
    OUTCOME_TEXT,
    SCALE,
    VT_CONTACT,
    SafetyEntry,
    assessment_from,
    current,
    kindcheck_outcome,
    kindcheck_text,
)
from wijkgesprek.domain.visit import parse_date
from wijkgesprek.text import by, sentence

if TYPE_CHECKING:
    from wijkgesprek.content.model import SafetyGuide

# VT_CONTACT (trail kind): key a running number, value one of CONTACT_KINDS, note the
# details as JSON (``datum``, ``met``, ``kenmerk``, ``afspraak``, ``reden``).
ADVICE = "advies"
REPORT = "melding"
NOT_YET = "nog-niet"
CONTACT_KINDS = {
    ADVICE: "advies gevraagd bij Veilig Thuis",
    REPORT: "melding gedaan bij Veilig Thuis",
    NOT_YET: "nog niet gemeld",
}
_FIELDS = ("datum", "met", "kenmerk", "afspraak", "reden")


@dataclass(frozen=True)
class Contact:
    """What was done: advice asked, a melding made, or (with a reason) not reported yet."""

    kind: str
    day: date | None = None
    met: str = ""
    """With whom, by role (e.g. "medewerker Veilig Thuis"), never a name."""
    kenmerk: str = ""
    """The reference Veilig Thuis gave."""
    afspraak: str = ""
    """What was agreed with Veilig Thuis."""
    reden: str = ""
    """Why not reported yet (only for NOT_YET)."""
    at: datetime | None = None
    """When it was recorded (the trail entry's time)."""
    author: str = field(default="", compare=False)
    """Who recorded it (a team database's login role; empty on the laptop)."""

    def note(self) -> str:
        """The trail entry's note: the details as JSON (Dutch keys, as in the hand-over)."""
        values = {
            "datum": self.day.isoformat() if self.day else "",
            "met": self.met,
            "kenmerk": self.kenmerk,
            "afspraak": self.afspraak,
            "reden": self.reden,
        }
        return json.dumps({k: v for k, v in values.items() if v}, ensure_ascii=False)

    def text(self) -> str:
        """One sentence for the summary, history and dossier."""
        label = CONTACT_KINDS[self.kind]
        if self.kind == NOT_YET:
            return sentence(f"Nog niet gemeld, omdat {self.reden}")
        parts = [label[0].upper() + label[1:]]
        if self.day:
            parts[0] += f" op {self.day:%d-%m-%Y}"
        if self.met:
            parts.append(f"met {self.met}")
        if self.kenmerk:
            parts.append(f"kenmerk {self.kenmerk}")
        if self.afspraak:
            parts.append(f"afgesproken: {self.afspraak}")
        return sentence(", ".join(parts))


def contact_problem(contact: Contact) -> str | None:
    """Why a contact cannot be recorded as it is (None: it can)."""
    if contact.kind not in CONTACT_KINDS:
        return "Kies wat er is gedaan: advies gevraagd, gemeld, of nog niet gemeld."
    if contact.kind == NOT_YET:
        if not contact.reden.strip():
            return "Schrijf op waarom er (nog) niet gemeld is."
        return None
    if contact.day is None:
        return "Vul de datum in (dd-mm-jjjj, of 'vandaag')."
    if not contact.met.strip():
        return "Vul in met wie u sprak (de rol, geen naam)."
    return None


def read_contact(entry: SafetyEntry) -> Contact | None:
    """The contact a trail entry holds; None when it is not one (or cannot be read)."""
    if entry.kind != VT_CONTACT or entry.value not in CONTACT_KINDS:
        return None
    try:
        data = json.loads(entry.note or "{}")
    except ValueError:
        return None
    if not isinstance(data, dict) or not all(isinstance(data.get(k, ""), str) for k in _FIELDS):
        return None
    try:
        day = date.fromisoformat(data["datum"]) if data.get("datum") else None
    except ValueError:
        return None
    return Contact(
        kind=entry.value,
        day=day,
        met=data.get("met", ""),
        kenmerk=data.get("kenmerk", ""),
        afspraak=data.get("afspraak", ""),
        reden=data.get("reden", ""),
        at=entry.at,
        author=entry.author,
    )


def note_is_valid(value: str, note: str) -> bool:
    """For reading a hand-over: whether ``value`` and ``note`` make a contact."""
    probe = SafetyEntry(0, 0, VT_CONTACT, "1", value, note, datetime.min)
    contact = read_contact(probe)
    return contact is not None and contact_problem(contact) is None


def contacts(entries: Iterable[SafetyEntry]) -> list[Contact]:
    """Every contact recorded in a trail, oldest first (a corrected one as corrected); one
    that cannot be read or lacks what it needs is left out (never a melding "made")."""
    found = [read_contact(e) for e in sorted(current(entries, VT_CONTACT).values(), key=_when)]
    return [c for c in found if c is not None and contact_problem(c) is None]


def _when(entry: SafetyEntry) -> tuple[datetime, int]:
    return (entry.at, entry.id)


@dataclass(frozen=True)
class FollowThrough:
    """The route's outcome and what was done about it, for one visit."""

    outcome: str | None
    """``afsluiten``, ``melden``, ``hulp`` or None (the route has not ended)."""
    contacts: tuple[Contact, ...]

    @property
    def reported(self) -> Contact | None:
        """The (latest) melding made, if any."""
        made = [c for c in self.contacts if c.kind == REPORT]
        return made[-1] if made else None

    @property
    def deferred(self) -> Contact | None:
        """The latest explicit "nog niet gemeld" with its reason, if any."""
        later = [c for c in self.contacts if c.kind == NOT_YET]
        return later[-1] if later else None

    @property
    def unreported(self) -> bool:
        """The route says "melden" and no melding is recorded."""
        return self.outcome == "melden" and self.reported is None

    def step_state(self) -> str | None:
        """Step 5 ("Beslissen") as it stands; None when the route has not ended."""
        if self.outcome is None:
            return None
        if self.outcome != "melden":
            return f"besloten: {self.outcome}"
        if self.reported is not None:
            return "gemeld" + (f" op {self.reported.day:%d-%m-%Y}" if self.reported.day else "")
        if self.deferred is not None:
            return "nog niet gemeld"
        return "melden: nog vastleggen"

    def lines(self, *, besides: str | None = None) -> list[str]:
        """The outcome and what was done, one sentence each (summary, history, dossier);
        with ``besides`` (the visit's author), who recorded a contact when someone else."""
        out = []
        if self.outcome is not None:
            out.append("Uitkomst afwegingskader: " + OUTCOME_TEXT[self.outcome])
        out += [
            contact.text() + ("" if besides is None else by(contact.author, besides=besides))
            for contact in self.contacts
        ]
        if self.unreported and self.deferred is None:
            out.append("Nog niet vastgelegd wat er met de melding is gedaan.")
        return out


def follow_through(entries: Sequence[SafetyEntry], guide: SafetyGuide) -> FollowThrough:
    return FollowThrough(
        outcome=assessment_from(entries, guide).outcome, contacts=tuple(contacts(entries))
    )


def close_problem(entries: Sequence[SafetyEntry], guide: SafetyGuide) -> str | None:
    """A visit whose route says "melden" closes only with a melding recorded, or with the
    explicit choice "nog niet gemeld" and its reason."""
    state = follow_through(entries, guide)
    if state.unreported and state.deferred is None:
        return (
            "Het afwegingskader zegt: melden bij Veilig Thuis. Leg vast wat er is gedaan "
            "(F10, Meldcode, v), of kies 'nog niet gemeld' met de reden."
        )
    return None


def open_report(
    visits: Iterable[tuple[datetime, Sequence[SafetyEntry]]], guide: SafetyGuide
) -> FollowThrough | None:
    """For the home screen: the household's route that still says "melden" without a
    melding, from its visits as (start, trail) in any order. A melding recorded in a later
    visit, or a later route that ends otherwise, settles it."""
    pending: FollowThrough | None = None
    for _started, entries in sorted(visits, key=lambda visit: visit[0]):
        state = follow_through(entries, guide)
        if state.reported is not None:
            pending = None
        elif state.outcome is not None:
            pending = state if state.unreported else None
    return pending


# -- the last safety state, for the next visit ----------------------------------------------


@dataclass(frozen=True)
class Previous:
    """The safety state of earlier visits, shown read-only beside a new check."""

    day: date
    """The start of the most recent earlier visit with a safety trail."""
    kindcheck: str
    follow: FollowThrough
    scores: tuple[tuple[str, str, date], ...]
    """The last scaling figure per role over the earlier visits: (role, figure, day)."""
    columns: tuple[tuple[str, str], ...]
    """The three columns as last filled in: (question, text)."""

    def lines(self) -> list[str]:
        out = [f"Kindcheck: {self.kindcheck}"]
        state = self.follow.step_state()
        if self.follow.outcome is not None:
            out.append(f"Meldcode: {self.follow.outcome}" + (f" — {state}" if state else ""))
        out += [f"Contact Veilig Thuis: {c.text()}" for c in self.follow.contacts]
        if self.scores:
            out.append(
                "Schaalvraag: "
                + ", ".join(f"{role} {value} ({day:%d-%m})" for role, value, day in self.scores)
            )
        out += [f"{COLUMNS.get(key, key)} {text}" for key, text in self.columns]
        return out


def previous_state(
    history: Sequence[tuple[datetime, SafetyEntry]],
    guide: SafetyGuide,
    *,
    visit_id: int,
    before: datetime,
) -> Previous | None:
    """What the household's earlier visits (started before ``before``, other than
    ``visit_id``) left: the last kindcheck and route, each role's last figure, the last
    columns. None when there is nothing."""
    per_visit: dict[int, tuple[datetime, list[SafetyEntry]]] = {}
    for started, entry in history:
        if entry.visit_id != visit_id and started < before:
            per_visit.setdefault(entry.visit_id, (started, []))[1].append(entry)
    if not per_visit:
        return None
    visits = sorted(per_visit.values(), key=lambda visit: visit[0])
    checked = [(s, e) for s, e in visits if kindcheck_outcome(e) is not None]
    routed = [(s, e) for s, e in visits if follow_through(e, guide).outcome or contacts(e)]
    scores: dict[str, tuple[str, date]] = {}
    columns: dict[str, str] = {}
    for started, entries in visits:
        for role, entry in current(entries, SCALE).items():
            scores[role] = (entry.value, started.astimezone().date())
        filled = {k: e.note for k, e in current(entries, COLUMN).items() if e.note.strip()}
        if filled:
            columns = filled
    return Previous(
        day=visits[-1][0].astimezone().date(),
        kindcheck=kindcheck_text(checked[-1][1]) if checked else "niet vastgelegd",
        follow=follow_through(routed[-1][1], guide) if routed else FollowThrough(None, ()),
        scores=tuple((role, value, day) for role, (value, day) in scores.items()),
        columns=tuple(columns.items()),
    )


def contact_day(text: str, today: date) -> date | None:
    """The day of a contact as typed: vandaag, gisteren, 3-12-2026 or 3-12 (the last such
    day up to today). None when it is not a day, or lies after ``today``."""
    typed = text.strip().casefold()
    if typed == "vandaag":
        return today
    if typed == "gisteren":
        return date.fromordinal(today.toordinal() - 1)
    day = parse_date(typed)
    if day is None:
        parts = typed.replace("/", "-").split("-")
        if len(parts) == 2 and all(part.isdigit() for part in parts):
            try:
                day = date(today.year, int(parts[1]), int(parts[0]))
                if day > today:
                    day = day.replace(year=today.year - 1)
            except ValueError:
                return None
    return day if day is not None and day <= today else None
