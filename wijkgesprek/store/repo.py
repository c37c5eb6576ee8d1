"""Queries and changes, as keyword-only functions on a session.

Functions return plain domain data (``domain.visit``), never ORM objects, so
screens and the command line do not depend on the session's lifetime.

Referrals (``store.referrals``) and the safety trail (``store.safety_trail``) have modules
of their own; their public functions are re-exported here, so every caller finds the
store's queries and changes in one place (``repo.add_safety_entry``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from sqlalchemy import CursorResult, func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

if TYPE_CHECKING:
    from wijkgesprek.content.model import SafetyGuide

from wijkgesprek.domain.dates import due_date
from wijkgesprek.domain.follow_up import pending_follow_up
from wijkgesprek.domain.household import (
    CHILDREN,
    WIJK,
    Children,
    HouseholdChange,
    format_children,
    parse_children,
)
from wijkgesprek.domain.meldcode import open_report
from wijkgesprek.domain.merge import added
from wijkgesprek.domain.safety import ASSESS, VT_CONTACT, SafetyEntry
from wijkgesprek.domain.visit import (
    AGREEMENT_STATES,
    AgreementData,
    CorrectionData,
    HouseholdHistory,
    HouseholdRow,
    TopicNote,
    VisitHistory,
    VisitRecord,
)
from wijkgesprek.domain.wijk import wijk_key
from wijkgesprek.errors import Finished, SaveConflict
from wijkgesprek.store import network_map
from wijkgesprek.store.models import (
    Agreement,
    Correction,
    Gap,
    Household,
    HouseholdChangeTable,
    Note,
    Referral,
    SafetyEntryTable,
    Visit,
    safe_day,
)
from wijkgesprek.store.referrals import (
    add_referral as add_referral,
)
from wijkgesprek.store.referrals import (
    record_gaps as record_gaps,
)
from wijkgesprek.store.referrals import (
    referrals_of,
    with_steps,
)
from wijkgesprek.store.referrals import (
    update_referral as update_referral,
)
from wijkgesprek.store.safety_trail import (
    add_safety_entry as add_safety_entry,
)
from wijkgesprek.store.safety_trail import (
    entry,
)
from wijkgesprek.store.safety_trail import (
    household_safety as household_safety,
)
from wijkgesprek.store.safety_trail import (
    safety_entries as safety_entries,
)


def ping(*, session: Session) -> None:
    """Ask the database for an answer (is the team database reachable again?)."""
    session.execute(select(1))


def list_households(
    *, session: Session, agreements: bool = False, safety: SafetyGuide | None = None
) -> list[HouseholdRow]:
    """Every household with its last visit, most recent first; with ``agreements`` also
    the earliest day named by an open agreement, with ``safety`` whether a Meldcode route
    waits for its melding (neither for a coordinator, who may not read them on a team
    database)."""
    last = (
        select(Visit.household_id, func.max(Visit.started_at).label("last"))
        .group_by(col(Visit.household_id))
        .subquery()
    )
    open_visits = (
        select(Visit.household_id, func.max(Visit.id).label("open_id"))
        .where(col(Visit.ended_at).is_(None))
        .group_by(col(Visit.household_id))
        .subquery()
    )
    statement = (
        select(Household, last.c.last, open_visits.c.open_id)
        .outerjoin(last, last.c.household_id == Household.id)
        .outerjoin(open_visits, open_visits.c.household_id == Household.id)
    )
    visits: dict[int, list[tuple[date, date | None]]] = {}
    for household_id, started, agreed in session.exec(
        select(Visit.household_id, Visit.started_at, col(Visit.next_contact))
    ):
        visits.setdefault(household_id, []).append((started.astimezone().date(), _as_date(agreed)))
    due = _agreements_due(session) if agreements else {}
    reports = _reports_open(session, safety) if safety is not None else set()
    rows = []
    for household, last_visit, open_id in session.exec(statement):
        follow_up = pending_follow_up(visits.get(household.id or 0, []))
        rows.append(
            HouseholdRow(
                code=household.code,
                wijk=household.wijk,
                children=children_of(household),
                last_visit=last_visit,
                open_visit_id=open_id,
                next_contact=follow_up[1] if follow_up else None,
                agreement_due=due.get(household.id or 0),
                report_open=household.id in reports,
                follow_up=follow_up[0] if follow_up else 1,
            )
        )
    # Stored datetimes come back aware (UTC): the fallback must be aware too, or a
    # household without visits makes the comparison raise TypeError.
    never = datetime.min.replace(tzinfo=UTC)
    rows.sort(key=lambda row: (row.last_visit or never, row.code), reverse=True)
    return rows


def _reports_open(session: Session, guide: SafetyGuide) -> set[int]:
    """The households whose Meldcode route says "melden" without a recorded melding."""
    statement = (
        select(Visit.household_id, Visit.started_at, SafetyEntryTable)
        .join(Visit, col(Visit.id) == SafetyEntryTable.visit_id)
        .where(col(SafetyEntryTable.kind).in_((ASSESS, VT_CONTACT)))
    )
    trails: dict[int, dict[int, tuple[datetime, list[SafetyEntry]]]] = {}
    for household_id, started, record in session.exec(statement):
        visit = trails.setdefault(household_id, {}).setdefault(record.visit_id, (started, []))
        visit[1].append(entry(record))
    return {
        household_id
        for household_id, visits in trails.items()
        if open_report(visits.values(), guide) is not None
    }


def _agreements_due(session: Session) -> dict[int, date]:
    """Per household, the earliest day named in the "wanneer" of an open agreement."""
    statement = (
        select(Visit.household_id, Agreement.wanneer, Agreement.created_at)
        .join(Visit, col(Visit.id) == Agreement.visit_id)
        .where(Agreement.status == "open", Agreement.wanneer != "")
    )
    due: dict[int, date] = {}
    for household_id, wanneer, created_at in session.exec(statement):
        day = due_date(wanneer, made=created_at.astimezone().date())
        if day is not None and (household_id not in due or day < due[household_id]):
            due[household_id] = day
    return due


def _as_date(value: object) -> date | None:
    """A DATE from a scalar subquery arrives as text in SQLite."""
    if value is None:
        return None
    return safe_day(value if isinstance(value, date) else date.fromisoformat(str(value)))


def household_wijken(*, session: Session) -> list[str]:
    """Every wijk a household has, as stored (for completing a wijk)."""
    return list(session.exec(select(Household.wijk).distinct()))


def find_household(*, session: Session, code: str) -> Household | None:
    return session.exec(select(Household).where(Household.code == code)).first()


def children_of(household: Household) -> Children:
    return parse_children(household.children, recorded=household.children_at)


def start_visit(
    *,
    session: Session,
    code: str,
    wijk: str,
    children: Children,
    now: datetime,
    carry_map: bool = True,
) -> int:
    """Open a visit for the household ``code`` and return its id; when the household
    already has an open visit, that visit is returned (resumed).

    ``wijk`` and ``children`` are only used for a new household: a known household keeps
    its own (they change only through :func:`change_household`). A new visit starts from
    a copy of the household's last netwerkkaart, unless ``carry_map`` is False (a practice
    attempt: the trainee discovers the network again).
    """
    household = find_household(session=session, code=code)
    if household is None:
        household = Household(
            code=code,
            wijk=wijk,
            children=format_children(children),
            children_at=now,
            created_at=now,
        )
        session.add(household)
        session.flush()
    assert household.id is not None
    open_visit = session.exec(
        select(Visit)
        .where(Visit.household_id == household.id, col(Visit.ended_at).is_(None))
        .order_by(col(Visit.id).desc())
    ).first()
    if open_visit is None:
        open_visit = Visit(household_id=household.id, started_at=now)
        session.add(open_visit)
        session.flush()
        assert open_visit.id is not None
        if carry_map:
            network_map.copy_last_map(
                session=session, household_id=household.id, visit_id=open_visit.id, now=now
            )
    session.commit()
    assert open_visit.id is not None
    return open_visit.id


def change_household(
    *, session: Session, code: str, wijk: str, children: Children, now: datetime
) -> list[HouseholdChange]:
    """Change a household's wijk and children on purpose; each change is kept with its
    time (old → new). Returns the changes (none when both stay the same; a wijk in
    another case is the same wijk)."""
    household = find_household(session=session, code=code)
    if household is None or household.id is None:
        raise LookupError(code)
    changes = []
    if wijk_key(wijk) != wijk_key(household.wijk):
        changes.append(HouseholdChange(at=now, kind=WIJK, old=household.wijk, new=wijk))
        household.wijk = wijk
    stored = format_children(children)
    if stored != household.children:
        changes.append(HouseholdChange(at=now, kind=CHILDREN, old=household.children, new=stored))
        household.children, household.children_at = stored, now
    if not changes:
        return []
    session.add(household)
    add_changes(session=session, household_id=household.id, changes=changes)
    session.commit()
    return household_changes(session=session, household_id=household.id)[-len(changes) :]


def add_changes(*, session: Session, household_id: int, changes: Sequence[HouseholdChange]) -> None:
    """Keep ``changes`` in the household's trail (the caller commits)."""
    for change in changes:
        session.add(
            HouseholdChangeTable(
                household_id=household_id,
                kind=change.kind,
                old=change.old,
                new=change.new,
                at=change.at,
            )
        )
    session.flush()


def household_changes(*, session: Session, household_id: int) -> list[HouseholdChange]:
    """The household's trail of changes, oldest first."""
    statement = (
        select(HouseholdChangeTable)
        .where(HouseholdChangeTable.household_id == household_id)
        .order_by(col(HouseholdChangeTable.at), col(HouseholdChangeTable.id))
    )
    return [
        HouseholdChange(at=r.at, kind=r.kind, old=r.old, new=r.new, author=r.author)
        for r in session.exec(statement)
    ]


def get_visit(*, session: Session, visit_id: int) -> VisitRecord:
    visit = session.get(Visit, visit_id)
    if visit is None:
        raise LookupError(visit_id)
    household = session.get(Household, visit.household_id)
    assert household is not None
    notes = session.exec(select(Note).where(Note.visit_id == visit_id)).all()
    agreements = session.exec(
        select(Agreement).where(Agreement.visit_id == visit_id).order_by(col(Agreement.id))
    ).all()
    recorded = session.exec(
        select(SafetyEntryTable.id).where(SafetyEntryTable.visit_id == visit_id).limit(1)
    ).first()
    return VisitRecord(
        network=network_map.get_map(session=session, visit_id=visit_id),
        network_recorded=bool(network_map.recorded_in_visit(session=session, visit_ids=[visit_id])),
        safety_recorded=recorded is not None,
        referrals=tuple(referrals_of(session, visit)),
        gaps=tuple(
            session.exec(
                select(Gap.theme).where(Gap.visit_id == visit_id).order_by(col(Gap.id))
            ).all()
        ),
        id=visit_id,
        household_code=household.code,
        wijk=household.wijk,
        children=children_of(household),
        started_at=visit.started_at,
        ended_at=visit.ended_at,
        next_contact=visit.next_contact,
        notes={
            note.topic: TopicNote(
                note.text,
                tuple(t for t in note.themes.split(",") if t),
                note.version,
                by=note.updated_by,
            )
            for note in notes
        },
        agreements=tuple(_agreement(a) for a in agreements),
        author=visit.author,
    )


def _agreement(agreement: Agreement) -> AgreementData:
    return AgreementData(
        id=agreement.id or 0,
        wat=agreement.wat,
        wie=agreement.wie,
        wanneer=agreement.wanneer,
        status=agreement.status,
        status_visit_id=agreement.status_visit_id,
        status_at=agreement.status_at,
        created_at=agreement.created_at,
        author=agreement.author,
        status_by=agreement.status_by,
    )


def _note(session: Session, visit_id: int, topic: str, now: datetime) -> Note:
    note = session.exec(select(Note).where(Note.visit_id == visit_id, Note.topic == topic)).first()
    return note or Note(visit_id=visit_id, topic=topic, updated_at=now)


def save_note(
    *,
    session: Session,
    visit_id: int,
    topic: str,
    text: str,
    now: datetime,
    base: int | None = None,
    resolve: Callable[[SaveConflict], str | None] | None = None,
) -> int:
    """Save the note and return its version.

    ``base`` is the version the text was written on (0: the note did not exist yet).
    When someone saved the note since, nothing is written and :class:`SaveConflict`
    carries their version — unless ``resolve`` is given: then the note is locked, and
    ``resolve`` says what to write instead (a merge; None: nothing), in the same
    transaction, so a colleague who saves all the time cannot slip in between the merge
    and its save. The check is part of the UPDATE itself, so it also holds when two saves
    race on a team database. ``base=None`` saves without checking. A visit that was
    finished meanwhile raises :class:`Finished`: its notes stay as they were.
    """
    again = partial(
        save_note,
        session=session,
        visit_id=visit_id,
        topic=topic,
        text=text,
        now=now,
        base=base,
        resolve=resolve,
    )
    row = session.exec(
        select(Visit.ended_at, Note)
        .outerjoin(Note, (col(Note.visit_id) == col(Visit.id)) & (col(Note.topic) == topic))
        .where(Visit.id == visit_id)
    ).first()
    if row is None:
        raise LookupError(visit_id)  # erased meanwhile
    ended, found = row
    if ended is not None:  # finished meanwhile (the team database's server refuses too)
        raise Finished(ended)
    note = found or Note(visit_id=visit_id, topic=topic, updated_at=now)
    if base is not None and note.version != base and note.text != text:
        if resolve is None or note.id is None:
            raise SaveConflict(
                theirs=note.text, by=note.updated_by, version=note.version, at=note.updated_at
            )
        return _resolve(session, note, resolve, now)
    if note.id is not None and note.text == text:
        return note.version
    if note.id is None:
        note.text, note.version = text, 1
        session.add(note)
        try:
            session.commit()
        except IntegrityError:
            session.rollback()
            if _note(session, visit_id, topic, now).id is None:
                raise  # not a colleague's note: a mistake in wijkgesprek (no such visit)
            # A colleague created the same note just now: save on top of theirs, or conflict.
            return again()
        return 1
    version = note.version
    result: CursorResult[Any] = session.execute(  # type: ignore[assignment]
        update(Note)
        .where(col(Note.id) == note.id, col(Note.version) == version)
        .values(text=text, updated_at=now, version=version + 1)
    )
    if result.rowcount != 1:  # saved by someone else between our read and our write
        session.rollback()
        return again()
    session.commit()
    return version + 1


def _resolve(
    session: Session, note: Note, resolve: Callable[[SaveConflict], str | None], now: datetime
) -> int:
    """A conflict resolved under the note's lock: ``resolve`` decides on the version that
    is there now, and what it says is written before anyone else can save."""
    locked = session.exec(
        select(Note)
        .where(Note.id == note.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    conflict = SaveConflict(
        theirs=locked.text, by=locked.updated_by, version=locked.version, at=locked.updated_at
    )
    wanted = resolve(conflict)
    version = conflict.version  # read now: a commit expires the row
    if wanted is None or wanted == conflict.theirs:
        session.commit()  # the lock goes
        return version
    result: CursorResult[Any] = session.execute(  # type: ignore[assignment]
        update(Note)
        .where(col(Note.id) == locked.id, col(Note.version) == version)
        .values(text=wanted, updated_at=now, version=version + 1)
    )
    if result.rowcount != 1:  # a database without row locks (SQLite) let a save in
        session.rollback()
        raise conflict
    session.commit()
    return version + 1


def set_themes(
    *, session: Session, visit_id: int, topic: str, themes: Sequence[str], now: datetime
) -> None:
    note = _note(session, visit_id, topic, now)
    note.themes = ",".join(dict.fromkeys(themes))
    note.updated_at = now
    session.add(note)
    session.commit()


def add_agreement(
    *, session: Session, visit_id: int, wat: str, wie: str, wanneer: str, now: datetime
) -> int:
    agreement = Agreement(visit_id=visit_id, wat=wat, wie=wie, wanneer=wanneer, created_at=now)
    session.add(agreement)
    session.commit()
    assert agreement.id is not None
    return agreement.id


def remove_agreement(*, session: Session, agreement_id: int) -> None:
    agreement = session.get(Agreement, agreement_id)
    if agreement is not None:
        session.delete(agreement)
        session.commit()


def set_next_contact(*, session: Session, visit_id: int, when: date | None) -> None:
    visit = session.get(Visit, visit_id)
    if visit is None:
        raise LookupError(visit_id)
    visit.next_contact = when
    session.add(visit)
    session.commit()


def end_visit(*, session: Session, visit_id: int, now: datetime) -> None:
    visit = session.get(Visit, visit_id)
    if visit is None:
        raise LookupError(visit_id)
    visit.ended_at = now
    session.add(visit)
    session.commit()


def visit_safety(
    *, session: Session, visit_id: int
) -> tuple[VisitRecord, list[SafetyEntry], list[tuple[datetime, SafetyEntry]]]:
    """The visit, its safety entries and the household's earlier ones, read at once."""
    return (
        get_visit(session=session, visit_id=visit_id),
        safety_entries(session=session, visit_id=visit_id),
        household_safety(session=session, visit_id=visit_id),
    )


# -- a household over time ---------------------------------------------------------------


def get_household(*, session: Session, code: str) -> HouseholdHistory:
    """Every visit of the household (oldest first) with notes, agreements, additions and
    safety trail, in a fixed number of queries (also for a household with many visits)."""
    household = find_household(session=session, code=code)
    if household is None or household.id is None:
        raise LookupError(code)
    visits = session.exec(
        select(Visit)
        .where(Visit.household_id == household.id)
        .order_by(col(Visit.started_at), col(Visit.id))
    ).all()
    ids = [visit.id for visit in visits]
    notes: dict[int, dict[str, TopicNote]] = {}
    for note in session.exec(select(Note).where(col(Note.visit_id).in_(ids))):
        themes = tuple(t for t in note.themes.split(",") if t)
        notes.setdefault(note.visit_id, {})[note.topic] = TopicNote(
            note.text, themes, note.version, by=note.updated_by
        )
    agreements: dict[int, list[AgreementData]] = {}
    for agreement in session.exec(
        select(Agreement).where(col(Agreement.visit_id).in_(ids)).order_by(col(Agreement.id))
    ):
        agreements.setdefault(agreement.visit_id, []).append(_agreement(agreement))
    corrections: dict[int, list[CorrectionData]] = {}
    for correction in session.exec(
        select(Correction).where(col(Correction.visit_id).in_(ids)).order_by(col(Correction.id))
    ):
        assert correction.id is not None
        corrections.setdefault(correction.visit_id, []).append(
            CorrectionData(
                correction.id,
                correction.topic,
                correction.text,
                correction.created_at,
                correction.author,
            )
        )
    safety: dict[int, list[SafetyEntry]] = {}
    for record in session.exec(
        select(SafetyEntryTable)
        .where(col(SafetyEntryTable.visit_id).in_(ids))
        .order_by(col(SafetyEntryTable.at), col(SafetyEntryTable.id))
    ):
        safety.setdefault(record.visit_id, []).append(entry(record))
    gaps: dict[int, list[str]] = {}
    for gap in session.exec(select(Gap).where(col(Gap.visit_id).in_(ids)).order_by(col(Gap.id))):
        gaps.setdefault(gap.visit_id, []).append(gap.theme)
    referrals = with_steps(
        session,
        session.exec(
            select(Referral).where(Referral.household_id == household.id).order_by(col(Referral.id))
        ).all(),
    )
    children = children_of(household)
    maps = network_map.maps(session=session, visit_ids=[i for i in ids if i is not None])
    mapped = network_map.recorded_in_visit(
        session=session, visit_ids=[i for i in ids if i is not None]
    )
    return HouseholdHistory(
        code=household.code,
        wijk=household.wijk,
        children=children,
        created_at=household.created_at,
        changes=tuple(household_changes(session=session, household_id=household.id)),
        visits=tuple(
            VisitHistory(
                record=VisitRecord(
                    id=visit.id or 0,
                    household_code=household.code,
                    wijk=household.wijk,
                    children=children,
                    started_at=visit.started_at,
                    ended_at=visit.ended_at,
                    next_contact=visit.next_contact,
                    notes=notes.get(visit.id or 0, {}),
                    agreements=tuple(agreements.get(visit.id or 0, ())),
                    referrals=tuple(
                        r for r in referrals if any(st.visit_id == visit.id for st in r.steps)
                    ),
                    gaps=tuple(gaps.get(visit.id or 0, ())),
                    safety_recorded=bool(safety.get(visit.id or 0)),
                    author=visit.author,
                    network=maps.get(visit.id or 0),
                    network_recorded=visit.id in mapped,
                ),
                corrections=tuple(corrections.get(visit.id or 0, ())),
                safety=tuple(safety.get(visit.id or 0, ())),
            )
            for visit in visits
        ),
        referrals=tuple(referrals),
    )


def set_agreement_status(
    *, session: Session, agreement_id: int, status: str, visit_id: int, now: datetime
) -> None:
    """Mark an earlier agreement done, still open or dropped, during ``visit_id``."""
    if status not in AGREEMENT_STATES:
        raise ValueError(f"Onbekende stand '{status}'. Kies uit: {', '.join(AGREEMENT_STATES)}.")
    agreement = session.get(Agreement, agreement_id)
    if agreement is None:
        raise LookupError(agreement_id)
    agreement.status = status
    agreement.status_visit_id = visit_id
    agreement.status_at = now
    session.add(agreement)
    session.commit()


def add_correction(*, session: Session, visit_id: int, topic: str, text: str, now: datetime) -> int:
    """Add an addition (aanvulling) to a visit; the original notes stay as they were."""
    correction = Correction(visit_id=visit_id, topic=topic, text=text, created_at=now)
    session.add(correction)
    session.commit()
    assert correction.id is not None
    return correction.id


def keep_after_end(
    *, session: Session, visit_id: int, topic: str, text: str, now: datetime
) -> TopicNote:
    """A note typed on after its visit was finished (by a colleague, or in another
    window): what it adds to the note as it stays is kept as an addition, once (a save
    tried again adds nothing twice). Returns the note as it stays."""
    note = session.exec(select(Note).where(Note.visit_id == visit_id, Note.topic == topic)).first()
    if session.get(Visit, visit_id) is None:
        raise LookupError(visit_id)
    current = note.text if note is not None else ""
    extra = added(current, text)
    if extra:
        kept = f"{AFTER_END}\n{extra}"
        same = select(Correction).where(
            Correction.visit_id == visit_id, Correction.topic == topic, Correction.text == kept
        )
        if session.exec(same).first() is None:
            session.add(Correction(visit_id=visit_id, topic=topic, text=kept, created_at=now))
            session.commit()
    return TopicNote(text=current, version=note.version if note is not None else 0)


AFTER_END = "Geschreven nadat het bezoek was afgerond:"
"""The first line of an addition that holds what was typed after the visit was finished."""


def erase_household(*, session: Session, code: str) -> int:
    """Remove a household with every visit, note, agreement, referral, safety entry,
    addition and search-index entry; return the number of visits removed.

    Deleted pages are overwritten (``secure_delete``, set on every connection); the
    caller then runs :func:`wijkgesprek.store.schema.scrub`, so that nothing stays
    behind in the search index, free pages or the WAL either. On a team database the
    server erases (``wijkgesprek_erase_household``) and refuses anyone but the
    household's owner, a team lead and the owner of the database.
    """
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        from sqlalchemy import text as sql

        visits = connection.execute(
            sql("SELECT wijkgesprek_erase_household(:code)"), {"code": code}
        ).scalar()
        if visits is None:
            raise LookupError(code)
        session.commit()
        return int(visits)
    household = find_household(session=session, code=code)
    if household is None:
        raise LookupError(code)
    visits = session.exec(
        select(func.count()).select_from(Visit).where(Visit.household_id == household.id)
    ).one()
    session.delete(household)  # ON DELETE CASCADE removes the rest; triggers the index
    session.commit()
    return int(visits)


def may_erase(*, session: Session, code: str) -> bool:
    """Whether this account may erase the household (the laptop's file: always; a team
    database: its owner, a team lead, the owner of the database, as the server decides)."""
    from sqlalchemy import text as sql

    connection = session.connection()
    if connection.dialect.name != "postgresql":
        return True
    return bool(
        connection.execute(sql("SELECT wijkgesprek_may_erase(:code)"), {"code": code}).scalar()
    )
