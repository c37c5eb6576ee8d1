"""The access log (NEN 7513): what the app did with which household, and reading it back.

The database writes most of the log itself: triggers (``store.ladder``, version 11) keep
every change of a household's data (at most once a quarter of an hour per kind, so a
note saved while typing is one change) and every erasure, under a neutral id. What only
the app knows it records here, in the same session as the reading it logs: a visit or a
history opened, an export, an import, a search. No access without its row: when the row
cannot be written, the reading fails with it.

On a team database the app cannot write the table at all: it calls the server's function
``wijkgesprek_log``, which takes the login role and the client's address itself, and
reads through ``wijkgesprek_access_log`` (a professional: the households they visited
and what they did; an auditor: everything). On the laptop the same rows go into a local
table without a name (one laptop, one user), whose triggers refuse any change.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlmodel import Session, col, select

from wijkgesprek.domain.access import (
    APP_ACTIONS,
    EXPORTED,
    IMPORTED,
    ONCE,
    OPENED,
    QUARTER,
    READ_LOG,
    SEARCHED,
    AccessEntry,
)
from wijkgesprek.store import repo
from wijkgesprek.store import search as notes_search
from wijkgesprek.store.models import AccessEntryTable, Household

if TYPE_CHECKING:
    from wijkgesprek.domain.search import SearchHit
    from wijkgesprek.domain.visit import HouseholdHistory, VisitRecord


def _on_server(session: Session) -> bool:
    return session.connection().dialect.name == "postgresql"


def record(*, session: Session, action: str, codes: Sequence[str], detail: str = "") -> None:
    """Log ``action`` for each household of ``codes`` that is there (a code erased a
    moment ago is not written back) and commit."""
    if action not in APP_ACTIONS:
        raise ValueError(action)  # the database's own words are never the app's
    codes = list(dict.fromkeys(codes))
    if not codes:
        return
    if _on_server(session):
        session.execute(
            text("SELECT wijkgesprek_log(:action, CAST(:codes AS text[]), :detail)"),
            {"action": action, "codes": codes, "detail": detail},
        )
    else:  # as the server's function: only households that are there
        now = datetime.now(UTC)
        there = set(session.exec(select(Household.code).where(col(Household.code).in_(codes))))
        for code in (c for c in codes if c in there):
            if action not in ONCE or not _seen_lately(session, code, action, detail, now):
                session.add(AccessEntryTable(at=now, action=action, household=code, detail=detail))
    session.commit()


def _seen_lately(session: Session, code: str, action: str, detail: str, now: datetime) -> bool:
    statement = select(AccessEntryTable.id).where(
        AccessEntryTable.household == code,
        AccessEntryTable.action == action,
        AccessEntryTable.detail == detail,
        col(AccessEntryTable.at) > now - timedelta(seconds=QUARTER),
    )
    return session.exec(statement.limit(1)).first() is not None


def read_log(*, session: Session, code: str | None = None) -> list[AccessEntry]:
    """The log, oldest first (only ``code``'s rows when given); reading it is logged too
    (under ``code`` only when that household exists: an erased code is not written back)."""
    if _on_server(session):
        rows = session.execute(
            text(
                "SELECT at, who, action, household, detail, source "
                "FROM wijkgesprek_access_log(:code)"
            ),
            {"code": code},
        ).all()
        session.commit()
        return [AccessEntry(*row) for row in rows]
    known = code is not None and repo.find_household(session=session, code=code) is not None
    shown = code if code is not None and known else ""
    session.add(AccessEntryTable(at=datetime.now(UTC), action=READ_LOG, household=shown))
    session.commit()
    statement = select(AccessEntryTable).order_by(
        col(AccessEntryTable.at), col(AccessEntryTable.id)
    )
    if code is not None:
        statement = statement.where(AccessEntryTable.household == code)
    return [
        AccessEntry(r.at, r.who, r.action, r.household, r.detail, r.source)
        for r in session.exec(statement)
    ]


# -- reading and writing that is logged ------------------------------------------------------


def open_visit(*, session: Session, visit_id: int) -> VisitRecord:
    """``repo.get_visit`` for the visit screen as it opens (new or resumed), logged."""
    visit = repo.get_visit(session=session, visit_id=visit_id)
    record(session=session, action=OPENED, codes=[visit.household_code], detail="bezoek")
    return visit


def open_history(*, session: Session, code: str) -> HouseholdHistory:
    """``repo.get_household`` for the history screen, logged."""
    history = repo.get_household(session=session, code=code)
    record(session=session, action=OPENED, codes=[history.code], detail="geschiedenis")
    return history


def read_for_export(*, session: Session, code: str, kind: str) -> HouseholdHistory:
    """``repo.get_household`` for an export of ``kind`` (``dossier``, ``gezin``,
    ``overdracht``, …), logged: every export is a copy outside the database."""
    history = repo.get_household(session=session, code=code)
    record(session=session, action=EXPORTED, codes=[history.code], detail=kind)
    return history


def search(*, session: Session, text: str, limit: int = 20) -> list[SearchHit]:
    """``store.search.search``, with every household whose notes it showed logged."""
    hits = notes_search.search(session=session, text=text, limit=limit)
    record(session=session, action=SEARCHED, codes=[hit.household_code for hit in hits])
    return hits


def imported(*, session: Session, codes: Sequence[str], detail: str) -> None:
    """Log that households were read in (``overdracht``) or moved to the team
    (``migratie``)."""
    record(session=session, action=IMPORTED, codes=codes, detail=detail)
