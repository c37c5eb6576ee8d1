"""The netwerkkaart in the database, as keyword-only functions on a session.

A map belongs to a visit: ``network_map`` says the visit has one (also an empty one),
``network_person`` holds the people. A new visit of a household starts from a copy of
its last map (:func:`copy_last_map`, called by ``repo.start_visit``). A person keeps the
number it got in the household, so two maps can be compared (``domain.network_map
.map_changes``). What is typed is checked by the domain's rules here too, so no screen
or import can store a surname, an address or a phone number.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from wijkgesprek.domain.network_map import (
    Person,
    member_problem,
    name_problem,
    next_number,
    role_problem,
)
from wijkgesprek.store.models import NetworkMap, NetworkPerson, Visit


def person_problem(person: Person) -> str | None:
    """Why ``person`` cannot be kept (Dutch), or None."""
    return role_problem(person.role) or name_problem(person.name) or member_problem(person.member)


def _person(record: NetworkPerson) -> Person:
    return Person(
        number=record.number,
        role=record.role,
        name=record.name,
        group=record.grouping,
        informal=record.informal,
        member=record.member,
        helps=tuple(kind for kind in record.helps.split(",") if kind),
        closeness=record.closeness,
        energy=record.energy,
        more=record.wants_more,
        safety=record.safety_network,
    )


def _record(visit_id: int, person: Person) -> NetworkPerson:
    return NetworkPerson(
        visit_id=visit_id,
        number=person.number,
        role=person.role.strip(),
        name=person.name.strip(),
        grouping=person.group,
        informal=person.informal,
        member=person.member.strip(),
        helps=",".join(person.helps),
        closeness=person.closeness,
        energy=person.energy,
        wants_more=person.more,
        safety_network=person.safety,
    )


def maps(*, session: Session, visit_ids: Sequence[int]) -> dict[int, tuple[Person, ...]]:
    """The maps of these visits (a visit without one is not in the result)."""
    found: dict[int, list[Person]] = {
        visit_id: []
        for visit_id in session.exec(
            select(NetworkMap.visit_id).where(col(NetworkMap.visit_id).in_(visit_ids))
        )
    }
    for record in session.exec(
        select(NetworkPerson)
        .where(col(NetworkPerson.visit_id).in_(visit_ids))
        .order_by(col(NetworkPerson.visit_id), col(NetworkPerson.number))
    ):
        found.setdefault(record.visit_id, []).append(_person(record))
    return {visit_id: tuple(people) for visit_id, people in found.items()}


def recorded_in_visit(*, session: Session, visit_ids: Sequence[int]) -> set[int]:
    """The visits whose map was made or changed after the visit started (a new visit's copy
    of the last map carries the visit's start as its time)."""
    rows = session.exec(
        select(NetworkMap.visit_id, NetworkMap.updated_at, Visit.started_at)
        .join(Visit, col(Visit.id) == NetworkMap.visit_id)
        .where(col(NetworkMap.visit_id).in_(visit_ids))
    )
    return {visit_id for visit_id, updated, started in rows if updated > started}


def get_map(*, session: Session, visit_id: int) -> tuple[Person, ...] | None:
    """The visit's map; None when it has none."""
    return maps(session=session, visit_ids=[visit_id]).get(visit_id)


def _touch(session: Session, visit_id: int, now: datetime) -> None:
    record = session.exec(select(NetworkMap).where(NetworkMap.visit_id == visit_id)).first()
    if record is None:
        if session.get(Visit, visit_id) is None:
            raise LookupError(visit_id)
        record = NetworkMap(visit_id=visit_id, updated_at=now)
    record.updated_at = now
    session.add(record)


def _highest_number(session: Session, visit_id: int) -> int:
    """The highest number any map of the visit's household gave a person."""
    visit = session.get(Visit, visit_id)
    if visit is None:
        raise LookupError(visit_id)
    highest = session.exec(
        select(func.max(NetworkPerson.number))
        .join(Visit, col(Visit.id) == NetworkPerson.visit_id)
        .where(Visit.household_id == visit.household_id)
    ).one()
    return int(highest or 0)


def record_map(*, session: Session, visit_id: int, now: datetime) -> None:
    """The visit has a map, also when no one is on it (the family named no one)."""
    _touch(session, visit_id, now)
    session.commit()


def add_person(*, session: Session, visit_id: int, person: Person, now: datetime) -> int:
    """Put ``person`` on the visit's map with a new number (returned); its own number is
    ignored. ValueError (Dutch) when a field cannot be kept."""
    problem = person_problem(person)
    if problem:
        raise ValueError(problem)
    current = get_map(session=session, visit_id=visit_id) or ()
    number = next_number(current, used=_highest_number(session, visit_id))
    _touch(session, visit_id, now)
    session.add(_record(visit_id, person.replace(number=number)))
    session.commit()
    return number


def update_person(*, session: Session, visit_id: int, person: Person, now: datetime) -> None:
    """Change the person with ``person.number`` on the visit's map."""
    problem = person_problem(person)
    if problem:
        raise ValueError(problem)
    record = session.exec(
        select(NetworkPerson).where(
            NetworkPerson.visit_id == visit_id, NetworkPerson.number == person.number
        )
    ).first()
    if record is None:
        raise LookupError(person.number)
    changed = _record(visit_id, person)
    for name, value in changed.model_dump(exclude={"id"}).items():
        setattr(record, name, value)
    session.add(record)
    _touch(session, visit_id, now)
    session.commit()


def remove_person(*, session: Session, visit_id: int, number: int, now: datetime) -> None:
    """Take the person off this visit's map (earlier maps keep it)."""
    record = session.exec(
        select(NetworkPerson).where(
            NetworkPerson.visit_id == visit_id, NetworkPerson.number == number
        )
    ).first()
    if record is not None:
        session.delete(record)
    _touch(session, visit_id, now)
    session.commit()


def put_map(*, session: Session, visit_id: int, people: Iterable[Person], at: datetime) -> None:
    """The visit's map is ``people`` with their numbers (an import, a copy); the caller
    commits."""
    _touch(session, visit_id, at)
    for record in session.exec(select(NetworkPerson).where(NetworkPerson.visit_id == visit_id)):
        session.delete(record)
    session.flush()
    for person in people:
        session.add(_record(visit_id, person))
    session.flush()


def copy_last_map(*, session: Session, household_id: int, visit_id: int, now: datetime) -> None:
    """A new visit starts from the household's last map (copied, to be edited); the
    caller commits. Nothing when the household has no map yet."""
    last = session.exec(
        select(NetworkMap.visit_id)
        .join(Visit, col(Visit.id) == NetworkMap.visit_id)
        .where(Visit.household_id == household_id, Visit.id != visit_id)
        .order_by(col(Visit.started_at).desc(), col(Visit.id).desc())
    ).first()
    if last is not None:
        people = get_map(session=session, visit_id=last) or ()
        put_map(session=session, visit_id=visit_id, people=people, at=now)
