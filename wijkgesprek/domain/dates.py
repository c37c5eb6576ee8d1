"""Dates as professionals write them in an agreement's "wanneer" (plain functions).

"Wanneer" stays free text ("na de vakantie" is fine); when it names a day, that day is
the agreement's due date, so an overdue agreement can be shown with the follow-ups.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

FIRST_YEAR, LAST_YEAR = 2000, 2100
"""The years a visit, an event or a trends period may lie in. Sociale wijkteams date from
2015 and the longest usual retention is 20 years, so nothing real lies before 2000; a
follow-up is planned months ahead, not a century. A date outside (year 1 or 9999, a typo)
is refused where it comes in, so no stored date comes near the ends of the calendar."""


def sensible_year(year: int) -> bool:
    return FIRST_YEAR <= year <= LAST_YEAR


OUTSIDE = f"ligt niet tussen {FIRST_YEAR} en {LAST_YEAR}"

MONTH_NAMES = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("januari", "jan"),
            ("februari", "feb"),
            ("maart", "mrt", "mar"),
            ("april", "apr"),
            ("mei",),
            ("juni", "jun"),
            ("juli", "jul"),
            ("augustus", "aug"),
            ("september", "sep", "sept"),
            ("oktober", "okt", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")

_NUMERIC = re.compile(
    r"\b(\d{1,2})[-/.](\d{1,2})(?:[-/.](\d{4}))?\b|\b(\d{4})-(\d{1,2})-(\d{1,2})\b"
)
_WRITTEN = re.compile(r"\b(\d{1,2})\s+([a-z]+)\.?(?:\s+(\d{4}))?\b")
_WEEKDAY = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b")


def due_date(text: str, *, made: date) -> date | None:
    """The day named in ``text`` (an agreement's "wanneer"), or None when it names none.

    Understood: 11-12-2026, 11/12, 2026-12-11, 11 december (2026), 11 dec, and a weekday
    ("voor vrijdag": the first Friday after ``made``). A day without a year is the first
    such day on or after ``made``, the day the agreement was made.
    """
    text = text.casefold()
    found = _NUMERIC.search(text)
    if found:
        if found.group(4):
            return _day(int(found.group(4)), int(found.group(5)), int(found.group(6)))
        year = found.group(3)
        day, month = int(found.group(1)), int(found.group(2))
        return _day(int(year), month, day) if year else _next(day, month, made)
    for written in _WRITTEN.finditer(text):
        named = MONTHS.get(written.group(2))
        if named is not None:
            day, year = int(written.group(1)), written.group(3)
            return _day(int(year), named, day) if year else _next(day, named, made)
    weekday = _WEEKDAY.search(text)
    if weekday:
        ahead = (WEEKDAYS.index(weekday.group(1)) - made.weekday() - 1) % 7 + 1
        return made + timedelta(days=ahead)
    return None


def plain_date(value: date) -> str:
    """E.g. '2 maart 2026'."""
    return f"{value.day} {MONTH_NAMES[value.month - 1]} {value.year}"


def long_date(value: date) -> str:
    """E.g. 'maandag 2 maart 2026'."""
    return f"{WEEKDAYS[value.weekday()]} {plain_date(value)}"


def _day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _next(day: int, month: int, made: date) -> date | None:
    """The first ``day``-``month`` on or after ``made``."""
    this_year = _day(made.year, month, day)
    if this_year is None or this_year >= made:
        return this_year
    return _day(made.year + 1, month, day)
