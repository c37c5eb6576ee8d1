"""Follow-up contacts as an iCalendar file.

Privacy: an event carries the household code and a neutral Dutch summary, nothing
else. No wijk, no names, no themes, no note text: a calendar is often synced to
places (phones, shared agendas) where case data must never go.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Event

from wijkgesprek.domain.follow_up import follow_up_order
from wijkgesprek.domain.visit import HouseholdRow

PRODID = "-//wijkgesprek//NL"


def summary(code: str) -> str:
    return f"Vervolgcontact {code}"


def event_uid(code: str, when: date) -> str:
    """Stable across exports, so a calendar updates an event instead of doubling it."""
    digest = hashlib.sha256(f"{code}\n{when.isoformat()}".encode()).hexdigest()
    return f"{digest}@wijkgesprek"


def follow_ups_to_ics(
    rows: Iterable[HouseholdRow], *, today: date, now: datetime | None = None
) -> bytes:
    """One all-day event per household with a next contact, overdue first.

    ``today`` only orders the events (as the home screen does); ``now`` is the
    DTSTAMP (default: the current time in UTC).
    """
    stamp = (now or datetime.now(UTC)).astimezone(UTC)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    dated = [(row.code, row.next_contact) for row in rows if row.next_contact is not None]
    dated.sort(key=lambda item: (follow_up_order(item[1], today), item[0]))
    for code, when in dated:
        event = Event()
        event.add("uid", event_uid(code, when))
        event.add("dtstamp", stamp)
        event.add("dtstart", when)
        event.add("dtend", when + timedelta(days=1))
        event.add("summary", summary(code))
        event.add("categories", ["wijkgesprek"])
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical
