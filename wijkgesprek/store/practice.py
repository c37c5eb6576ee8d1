"""The practice database: attempts (visits of a practice household) and their turns.

Only ``wijkgesprek oefenen`` opens a practice database (``sqlitefile.PRACTICE_APPLICATION_ID``);
the real database and everything that reads it (search, trends, exports) never see it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from wijkgesprek.content.model import PracticeCase, Words
from wijkgesprek.domain.practice import Turn
from wijkgesprek.domain.progress import Score, score
from wijkgesprek.domain.reflection import reflect_attempt
from wijkgesprek.domain.safety import SafetyEntry
from wijkgesprek.domain.visit import VisitRecord
from wijkgesprek.store import repo
from wijkgesprek.store.models import Household, PracticeTurn, Visit


@dataclass(frozen=True)
class Attempt:
    visit_id: int
    number: int
    """1 for the first attempt at the case."""
    started_at: datetime
    ended_at: datetime | None


def add_turn(*, session: Session, visit_id: int, turn: Turn, now: datetime) -> None:
    session.add(
        PracticeTurn(
            visit_id=visit_id,
            topic=turn.topic,
            voice=turn.voice,
            question=turn.question,
            answer=turn.answer,
            kind=turn.kind,
            number=turn.number,
            at=now,
        )
    )
    session.commit()


def turns(*, session: Session, visit_id: int) -> list[Turn]:
    rows = session.exec(
        select(PracticeTurn).where(PracticeTurn.visit_id == visit_id).order_by(col(PracticeTurn.id))
    ).all()
    return [Turn(r.topic, r.voice, r.question, r.answer, r.kind, r.number) for r in rows]


def attempts(*, session: Session, code: str) -> list[Attempt]:
    """The attempts at the case with household ``code``, oldest first."""
    visits = session.exec(
        select(Visit)
        .join(Household, col(Household.id) == col(Visit.household_id))
        .where(Household.code == code)
        .order_by(col(Visit.id))
    ).all()
    return [
        Attempt(visit_id=v.id, number=n, started_at=v.started_at, ended_at=v.ended_at)
        for n, v in enumerate(visits, start=1)
        if v.id is not None
    ]


def attempt_data(
    *, session: Session, visit_id: int
) -> tuple[VisitRecord, list[SafetyEntry], list[Turn]]:
    """What ``domain.practice.reflect_attempt`` needs of one attempt."""
    return (
        repo.get_visit(session=session, visit_id=visit_id),
        repo.safety_entries(session=session, visit_id=visit_id),
        turns(session=session, visit_id=visit_id),
    )


def scores(*, session: Session, case: PracticeCase, words: Words) -> list[Score]:
    """Every attempt at ``case`` condensed to a line of progress, oldest first."""
    result = []
    for attempt in attempts(session=session, code=case.huishouden.code):
        record, entries, said = attempt_data(session=session, visit_id=attempt.visit_id)
        reflection = reflect_attempt(case, words, record=record, entries=entries, turns=said)
        result.append(
            score(
                case,
                reflection,
                number=attempt.number,
                started_at=attempt.started_at,
                ended=attempt.ended_at is not None,
            )
        )
    return result


def add_interpreter(*, session: Session, visit_id: int, now: datetime) -> None:
    """From now on the attempt is done with an interpreter (once per attempt)."""
    from wijkgesprek.domain.practice import has_interpreter, interpreter_turn

    if not has_interpreter(turns(session=session, visit_id=visit_id)):
        add_turn(session=session, visit_id=visit_id, turn=interpreter_turn(), now=now)
