"""When the family is seen next: labels and order for follow-ups (plain functions)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date


def follow_up_label(next_contact: date, today: date) -> str:
    days = (next_contact - today).days
    if days < 0:
        return f"{-days} dag{'en' if days < -1 else ''} over tijd"
    if days == 0:
        return "vandaag"
    return f"over {days} dag{'en' if days > 1 else ''}"


def follow_up_order(next_contact: date | None, today: date, soon_days: int = 14) -> tuple[int, int]:
    """Sort key for the home screen: overdue first (longest overdue first), then coming
    within ``soon_days`` (soonest first), then the rest."""
    if next_contact is None:
        return (3, 0)
    days = (next_contact - today).days
    if days < 0:
        return (0, days)
    if days <= soon_days:
        return (1, days)
    return (2, days)


def first_due(
    next_contact: date | None, agreement_due: date | None, today: date
) -> tuple[date | None, bool]:
    """What asks for action first on the home screen: the next contact, or an open
    agreement whose day has passed (then True). Agreements not yet due wait their turn."""
    overdue = agreement_due if agreement_due is not None and agreement_due < today else None
    if overdue is not None and (next_contact is None or overdue < next_contact):
        return overdue, True
    return next_contact, False


def short_label(day: date, today: date, *, agreement: bool = False) -> str:
    """A follow-up in a few characters, for the home list at 80 columns."""
    days = (day - today).days
    if agreement:
        return "afspraak over tijd"
    if days < 0:
        return f"over tijd {-days} d"
    if days == 0:
        return "vandaag"
    return f"over {days} d"


def pending_contact(visits: Sequence[tuple[date, date | None]]) -> date | None:
    """The next contact still to come for a household, from its visits as (day started,
    next contact agreed), in any order: the one agreed most recently, unless a later
    visit took place on or after that day. A visit that agreed none (or is still open)
    does not undo an earlier agreement: the family stays in sight."""
    pending = pending_follow_up(visits)
    return pending[1] if pending else None


def pending_follow_up(visits: Sequence[tuple[date, date | None]]) -> tuple[int, date] | None:
    """The pending contact (see :func:`pending_contact`) with its number in the household:
    1 for the first follow-up, one more after each that took place (a visit on or after
    its day). Moving the day before it came keeps the number: it is the same follow-up,
    rescheduled (the calendar event keeps its UID)."""
    pending: tuple[date, date] | None = None
    number = 1
    for started, agreed in sorted(visits, key=lambda visit: visit[0]):
        if pending is not None and started >= pending[1]:
            pending = None  # seen on or after the agreed day
            number += 1
        if agreed is not None:
            pending = (started, agreed)
    return (number, pending[1]) if pending else None
