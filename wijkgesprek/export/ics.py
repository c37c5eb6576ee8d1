"""Follow-up contacts as an iCalendar file.

Privacy: an event carries the household code and a neutral Dutch summary, nothing
else. No wijk, no names, no themes, no note text: a calendar is often synced to
places (phones, shared agendas) where case data must never go.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Component, Event, Timezone, TimezoneDaylight, TimezoneStandard

from wijkgesprek.domain.follow_up import follow_up_order
from wijkgesprek.domain.visit import HouseholdRow

PRODID = "-//wijkgesprek//NL"


def summary(code: str) -> str:
    return f"Vervolgcontact {code}"


def event_uid(code: str, follow_up: int) -> str:
    """Stable per household and follow-up, not per date: a rescheduled follow-up (the
    same number, ``HouseholdRow.follow_up``) replaces its event in a calendar instead of
    standing next to it. A hash, so the UID does not show the code twice."""
    digest = hashlib.sha256(f"{code}\nvervolg {follow_up}".encode()).hexdigest()
    return f"{digest}@wijkgesprek"


def _time_zone() -> Component:
    """Europe/Amsterdam with its rules (CET/CEST). RFC 5545 (3.6) wants at least one
    component in a calendar; an export without follow-ups carries this one, so it stays
    valid iCalendar. The events are whole days, so they do not refer to it."""
    zone = Timezone()
    zone.add("tzid", "Europe/Amsterdam")
    for kind, month, start, before, after, name in (
        (TimezoneStandard, 10, datetime(1970, 10, 25, 3), "+0200", "+0100", "CET"),
        (TimezoneDaylight, 3, datetime(1970, 3, 29, 2), "+0100", "+0200", "CEST"),
    ):
        part = kind()
        part.add("dtstart", start)
        part.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1su"})
        part.add("tzoffsetfrom", timedelta(hours=int(before[:3])))
        part.add("tzoffsetto", timedelta(hours=int(after[:3])))
        part.add("tzname", name)
        zone.add_component(part)
    return zone


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
    dated = [(row.code, row.next_contact, row.follow_up) for row in rows if row.next_contact]
    dated.sort(key=lambda item: (follow_up_order(item[1], today), item[0]))
    for code, when, number in dated:
        event = Event()
        event.add("uid", event_uid(code, number))
        event.add("dtstamp", stamp)
        event.add("dtstart", when)
        event.add("dtend", when + timedelta(days=1))
        event.add("summary", summary(code))
        event.add("categories", ["wijkgesprek"])
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    if not dated:
        calendar.add_component(_time_zone())
    ical: bytes = calendar.to_ical()
    return ical
