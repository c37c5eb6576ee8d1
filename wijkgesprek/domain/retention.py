"""Retention (bewaartermijn): households whose last visit is longer ago than the team's
period. A household with an open visit is never past it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from wijkgesprek.domain.visit import HouseholdRow


def years_before(day: date, years: int) -> date:
    """The same day ``years`` earlier (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def past_retention(rows: Iterable[HouseholdRow], *, today: date, years: int) -> list[HouseholdRow]:
    """Households last visited before ``today`` minus ``years``, longest ago first."""
    limit = years_before(today, years)
    past = [
        row
        for row in rows
        if row.open_visit_id is None
        and row.last_visit is not None
        and row.last_visit.astimezone().date() < limit
    ]
    return sorted(past, key=lambda row: (row.last_visit, row.code))
