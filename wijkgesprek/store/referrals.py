"""Referrals in the store: what was discussed, requested and started for a household,
each change kept as an event, and the themes the sociale kaart had nothing for (gaps).
Keyword-only functions on a session, returning plain domain data (as ``repo``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session, col, select

from wijkgesprek.domain.referral import (
    DISCUSSED,
    FINAL,
    ReferralData,
    ReferralStep,
    transition_problem,
)
from wijkgesprek.store.models import Gap, Referral, ReferralEvent, Visit


def referral_data(referral: Referral, steps: Sequence[ReferralStep]) -> ReferralData:
    assert referral.id is not None
    return ReferralData(
        id=referral.id,
        naam=referral.naam,
        soort=referral.soort,
        wijk=referral.wijk,
        contact=referral.contact,
        state=referral.state,
        reason=referral.reason,
        visit_id=referral.visit_id,
        updated_at=referral.updated_at,
        # A referral without events (not written by wijkgesprek) has its state as its step.
        steps=tuple(steps)
        or (ReferralStep(referral.state, referral.reason, referral.updated_at, referral.visit_id),),
    )


def with_steps(session: Session, referrals: Sequence[Referral]) -> list[ReferralData]:
    """The referrals as plain data with every state they went through (one query)."""
    steps: dict[int, list[ReferralStep]] = {}
    for event in session.exec(
        select(ReferralEvent)
        .where(col(ReferralEvent.referral_id).in_([r.id for r in referrals]))
        .order_by(col(ReferralEvent.at), col(ReferralEvent.id))
    ):
        steps.setdefault(event.referral_id, []).append(
            ReferralStep(event.state, event.reason, event.at, event.visit_id, event.author)
        )
    return [referral_data(r, steps.get(r.id or 0, ())) for r in referrals]


def referrals_of(session: Session, visit: Visit) -> list[ReferralData]:
    """The household's open referrals plus those made or updated in ``visit``."""
    touched_here = select(ReferralEvent.referral_id).where(ReferralEvent.visit_id == visit.id)
    statement = (
        select(Referral)
        .where(Referral.household_id == visit.household_id)
        .where(col(Referral.state).not_in(FINAL) | col(Referral.id).in_(touched_here))
        .order_by(col(Referral.id))
    )
    return with_steps(session, session.exec(statement).all())


def add_referral(
    *,
    session: Session,
    visit_id: int,
    naam: str,
    soort: str,
    wijk: str,
    themes: Sequence[str],
    contact: str,
    now: datetime,
) -> int:
    """Record that an entry was discussed (state "besproken"); returns the referral id.

    An open referral to the same entry (naam and wijk) is not made twice.
    """
    visit = session.get(Visit, visit_id)
    if visit is None:
        raise LookupError(visit_id)
    existing = session.exec(
        select(Referral).where(
            Referral.household_id == visit.household_id,
            Referral.naam == naam,
            Referral.wijk == wijk,
            col(Referral.state).not_in(FINAL),
        )
    ).first()
    if existing is not None and existing.id is not None:
        return existing.id
    referral = Referral(
        household_id=visit.household_id,
        visit_id=visit_id,
        naam=naam,
        soort=soort,
        wijk=wijk,
        themes=",".join(themes),
        contact=contact,
        state=DISCUSSED,
        created_at=now,
        updated_at=now,
    )
    session.add(referral)
    session.flush()
    assert referral.id is not None
    session.add(ReferralEvent(referral_id=referral.id, visit_id=visit_id, state=DISCUSSED, at=now))
    session.commit()
    return referral.id


def update_referral(
    *, session: Session, referral_id: int, visit_id: int, state: str, reason: str, now: datetime
) -> None:
    """Move a referral to ``state``; raises ValueError with a Dutch sentence when not allowed.

    Each change is kept as an event (which visit, when, why); nothing is overwritten.
    """
    referral = session.get(Referral, referral_id)
    if referral is None:
        raise LookupError(referral_id)
    problem = transition_problem(referral.state, state, reason)
    if problem:
        raise ValueError(problem)
    referral.state = state
    referral.reason = reason.strip()
    referral.updated_at = now
    session.add(referral)
    session.add(
        ReferralEvent(
            referral_id=referral_id, visit_id=visit_id, state=state, reason=reason.strip(), at=now
        )
    )
    session.commit()


def record_gaps(
    *, session: Session, visit_id: int, wijk: str, themes: Sequence[str], now: datetime
) -> None:
    """Remember, once per visit and theme, that the network had nothing for it."""
    known = set(session.exec(select(Gap.theme).where(Gap.visit_id == visit_id)).all())
    new = [theme for theme in dict.fromkeys(themes) if theme not in known]
    for theme in new:
        session.add(Gap(visit_id=visit_id, wijk=wijk, theme=theme, created_at=now))
    if new:
        session.commit()
