"""The safety trail in the store: append-only entries (kindcheck, signals, balance,
scaling, Meldcode), a later entry for the same kind and key correcting the earlier one.
Keyword-only functions on a session, returning plain domain data (as ``repo``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from wijkgesprek.domain.safety import CONSULT, VT_CONTACT, SafetyEntry
from wijkgesprek.store.models import SafetyEntryTable, Visit


def entry(record: SafetyEntryTable) -> SafetyEntry:
    assert record.id is not None
    return SafetyEntry(
        id=record.id,
        visit_id=record.visit_id,
        kind=record.kind,
        key=record.key,
        value=record.value,
        note=record.note,
        at=record.at,
        corrects=record.corrects_id,
        author=record.author,
    )


def add_safety_entry(
    *,
    session: Session,
    visit_id: int,
    kind: str,
    key: str = "",
    value: str = "",
    note: str = "",
    now: datetime,
) -> SafetyEntry:
    """Append to the safety trail; a later entry for the same kind and key corrects the
    earlier one (and points to it). Consultations and contacts with Veilig Thuis are
    lists: each gets its own key."""
    if kind in (CONSULT, VT_CONTACT) and not key:
        count = session.exec(
            select(func.count())
            .select_from(SafetyEntryTable)
            .where(SafetyEntryTable.visit_id == visit_id, SafetyEntryTable.kind == kind)
        ).one()
        key = str(count + 1)
    previous = session.exec(
        select(SafetyEntryTable)
        .where(
            SafetyEntryTable.visit_id == visit_id,
            SafetyEntryTable.kind == kind,
            SafetyEntryTable.key == key,
        )
        .order_by(col(SafetyEntryTable.id).desc())
    ).first()
    record = SafetyEntryTable(
        visit_id=visit_id,
        kind=kind,
        key=key,
        value=value,
        note=note,
        at=now,
        corrects_id=previous.id if previous else None,
    )
    session.add(record)
    session.commit()
    return entry(record)


def safety_entries(*, session: Session, visit_id: int) -> list[SafetyEntry]:
    """The whole trail of one visit, oldest first."""
    statement = (
        select(SafetyEntryTable)
        .where(SafetyEntryTable.visit_id == visit_id)
        .order_by(col(SafetyEntryTable.at), col(SafetyEntryTable.id))
    )
    return [entry(record) for record in session.exec(statement)]


def household_safety(*, session: Session, visit_id: int) -> list[tuple[datetime, SafetyEntry]]:
    """Every safety entry of the household of ``visit_id``, with its visit's start, for
    showing scaling figures over visits."""
    visit = session.get(Visit, visit_id)
    if visit is None:
        raise LookupError(visit_id)
    statement = (
        select(Visit.started_at, SafetyEntryTable)
        .join(Visit, col(Visit.id) == SafetyEntryTable.visit_id)
        .where(Visit.household_id == visit.household_id)
        .order_by(col(Visit.started_at), col(SafetyEntryTable.id))
    )
    return [(started, entry(record)) for started, record in session.exec(statement)]
