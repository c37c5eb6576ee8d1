"""The plain rows behind the wijk trends: one per visit, from one SQL query.

Everything per visit is gathered by SQLite (themes, concerns, referrals, gaps), so that
100,000 visits take one pass; the counting itself is pure (``domain.trends``).

- **Month**: of the visit's start, in local time ("2026-03"), as the app shows dates.
- **Wijk**: the household's wijk (the one it has now; a household counts in one wijk),
  whatever its case: ``noord`` counts under Noord (``domain.wijk.shared_spellings``).
- **Themes**: the union of the themes tagged on the visit's notes.
- **Concerns**: the rule of ``domain.safety.has_concerns`` in SQL, on the current entry
  per kind and key (the latest by time, then id, as ``domain.safety.current``): the
  kindcheck is "zorgen", a signal is "aan", the afwegingskader has an answer, or a
  Meldcode step is past "open", or Veilig Thuis was contacted. ``tests/test_trends.py``
  checks it against the domain.
- **Referrals**: (soort, state) of the referrals made in the visit.
- **Gaps**: the themes for which the network had nothing, recorded in the visit.
- **Thin**: the visit has a netwerkkaart, and fewer than ``THIN_BELOW`` people on it are
  informal helpers (informal, helping with something, not costing energy): the rule of
  ``domain.network_map.is_thin`` in SQL (``tests/test_trends.py`` checks it).

Practice data never appears here: it lives in its own database (``wijkgesprek oefenen``).

On a team database a coordinator may not read visits: ``publish_trends`` keeps the
suppressed publication (every cell as ``trends`` shows it) for them, and
``published_trends`` reads it back.

The SQL is written for SQLite (``strftime``, ``group_concat``) and, for a team database,
for PostgreSQL (``string_agg``; the month is then taken in Python, in local time).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import text
from sqlalchemy.exc import DatabaseError
from sqlmodel import Session

from wijkgesprek.content.model import COSTS
from wijkgesprek.domain.dates import FIRST_YEAR, LAST_YEAR
from wijkgesprek.domain.network_map import THIN_BELOW
from wijkgesprek.domain.safety import ASSESS, KINDCHECK, SIGNAL, STEP, VT_CONTACT
from wijkgesprek.domain.trends import Publication, Value, VisitRow, shift_months
from wijkgesprek.domain.wijk import shared_spellings
from wijkgesprek.store.models import safe_moment

_UNIT = "\x1f"  # between soort and state of one referral
_RECORD = "\x1e"  # between referrals

# A concern as ``domain.safety.has_concerns`` sees it: a concerning entry that is still the
# current one for its kind and key (no later entry by time, then id), or any answer in the
# afwegingskader or contact with Veilig Thuis. Looked up per visit through the index on
# safety_entry.visit_id.
_CONCERNS = f"""EXISTS (
    SELECT 1 FROM safety_entry AS s
    WHERE s.visit_id = v.id
      AND (
        s.kind IN ('{ASSESS}', '{VT_CONTACT}')
        OR (
          ((s.kind = '{KINDCHECK}' AND s.value = 'zorgen')
           OR (s.kind = '{SIGNAL}' AND s.value = 'aan')
           OR (s.kind = '{STEP}' AND s.value <> 'open'))
          AND NOT EXISTS (
            SELECT 1 FROM safety_entry AS later
            WHERE later.visit_id = s.visit_id AND later.kind = s.kind AND later.key = s.key
              AND (later.at > s.at OR (later.at = s.at AND later.id > s.id))
          )
        )
      )
)"""

# A thin informal network as ``domain.network_map.is_thin`` sees it, on the visit's map.
_THIN = f"""(
    EXISTS (SELECT 1 FROM network_map AS nm WHERE nm.visit_id = v.id)
    AND (SELECT count(*) FROM network_person AS np
         WHERE np.visit_id = v.id AND np.informal AND np.helps <> ''
           AND np.energy <> '{COSTS}') < {THIN_BELOW}
)"""

_VISITS = f"""
WITH made AS (
    SELECT visit_id, group_concat(soort || char(31) || state, char(30)) AS referrals
    FROM referral
    GROUP BY visit_id
)
SELECT h.wijk, strftime('%Y-%m', v.started_at, 'localtime') AS month, v.household_id,
       (SELECT group_concat(n.themes) FROM note AS n
        WHERE n.visit_id = v.id AND n.themes <> '') AS themes,
       {_CONCERNS} AS concerns,
       m.referrals,
       (SELECT group_concat(g.theme) FROM gap AS g WHERE g.visit_id = v.id) AS gaps,
       {_THIN} AS thin
FROM visit AS v
JOIN household AS h ON h.id = v.household_id
LEFT JOIN made AS m ON m.visit_id = v.id
WHERE v.started_at >= ? AND v.started_at < ?
"""

_VISITS_POSTGRES = f"""
WITH made AS (
    SELECT visit_id, string_agg(soort || chr(31) || state, chr(30)) AS referrals
    FROM referral
    GROUP BY visit_id
)
SELECT h.wijk, v.started_at, v.household_id,
       (SELECT string_agg(n.themes, ',') FROM note AS n
        WHERE n.visit_id = v.id AND n.themes <> '') AS themes,
       {_CONCERNS} AS concerns,
       m.referrals,
       (SELECT string_agg(g.theme, ',') FROM gap AS g WHERE g.visit_id = v.id) AS gaps,
       {_THIN} AS thin
FROM visit AS v
JOIN household AS h ON h.id = v.household_id
LEFT JOIN made AS m ON m.visit_id = v.id
WHERE v.started_at >= %s AND v.started_at < %s
"""


def _utc_start(month: str) -> str:
    """The start of a local month as a stored (naive UTC) DATETIME, to compare as text."""
    local = datetime(int(month[:4]), int(month[5:7]), 1)  # naive: read as local time
    return local.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


def _referrals(joined: str) -> tuple[tuple[str, str], ...]:
    pairs = (record.split(_UNIT, 1) for record in joined.split(_RECORD))
    return tuple((pair[0], pair[1]) for pair in pairs if len(pair) == 2)


def visit_rows(*, session: Session, first: str, last: str) -> list[VisitRow]:
    """Every counted visit whose month (local time) is ``first`` .. ``last`` ("2026-01")."""
    # The DB-API cursor itself: 100,000 rows as plain tuples, without SQLAlchemy's rows.
    connection = session.connection()
    postgres = connection.dialect.name == "postgresql"
    cursor = connection.connection.cursor()
    start, end = _utc_start(first), _utc_start(shift_months(last, 1))
    try:
        if postgres:  # aware moments; the month is taken below, in local time
            cursor.execute(_VISITS_POSTGRES, (_aware(start), _aware(end)))
        else:
            cursor.execute(_VISITS, (start, end))
        found = cursor.fetchall()
    except connection.dialect.loaded_dbapi.Error as error:  # as SQLAlchemy would raise it
        raise DatabaseError("visit_rows", None, error, hide_parameters=True) from None
    finally:
        cursor.close()
    if postgres:
        found = [(row[0], _month(row[1]), *row[2:]) for row in found]
    spelled = shared_spellings({row[0] for row in found})
    made: dict[str | None, tuple[tuple[str, str], ...]] = {None: ()}
    rows: list[VisitRow] = []
    for wijk, month, household, themes, concerns, referrals, gaps, thin in found:
        pairs = made.get(referrals)
        if pairs is None:
            pairs = made[referrals] = _referrals(referrals)
        # Plain tuples of text: the garbage collector stops tracking them (lists it would not).
        rows.append(
            (
                spelled[wijk],
                month,
                household,
                tuple(themes.split(",")) if themes else (),
                concerns == 1,
                pairs,
                tuple(gaps.split(",")) if gaps else (),
                thin == 1,
            )
        )
    return rows


def data_months(*, session: Session) -> tuple[str, str] | None:
    """The first and last month (local time) with a visit, within the years the app takes
    (``domain.dates``: a visit near the ends of the calendar is never counted); None
    without such visits."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        first, last = connection.execute(
            text("SELECT min(started_at), max(started_at) FROM visit")
        ).one()
        found = None if first is None else (_month(first), _month(last))
    else:
        row = connection.execute(
            text(
                "SELECT min(strftime('%Y-%m', started_at, 'localtime')), "
                "max(strftime('%Y-%m', started_at, 'localtime')) FROM visit"
            )
        ).one()
        found = None if row[0] is None else (str(row[0]), str(row[1]))
    if found is None:
        return None
    first, last = max(found[0], f"{FIRST_YEAR:04d}-01"), min(found[1], f"{LAST_YEAR:04d}-12")
    return (first, last) if first <= last else None


def _aware(stored: str) -> datetime:
    return safe_moment(datetime.fromisoformat(stored).replace(tzinfo=UTC))


def _month(moment: datetime) -> str:
    """The month of a moment in local time, as SQLite's ``strftime('%Y-%m', …, 'localtime')``."""
    return moment.astimezone().strftime("%Y-%m")


# -- published trends: what a coordinator of a team database reads -------------------------


@dataclass(frozen=True)
class Published:
    """The trends as a professional or the owner last published them."""

    publication: Publication
    month: str
    """The month they were counted in ("2026-04"): it and later months were not over."""
    made_at: datetime
    author: str


def reads_visits(*, session: Session) -> bool:
    """Whether this account may count visits itself; on a team database a coordinator
    may not, and reads the published trends instead (the laptop's file: always)."""
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        return True
    return bool(connection.execute(text("SELECT has_table_privilege('visit', 'SELECT')")).scalar())


def publish_trends(*, session: Session, publication: Publication, month: str) -> None:
    """Keep ``publication`` (suppressed: every cell as ``trends`` shows it) in a team
    database for its coordinators, in place of the one before: only the newest is kept,
    so no two publications side by side show what was entered between them."""
    body = json.dumps(
        {
            "groups": list(publication.groups),
            "members": {group: list(wijken) for group, wijken in publication.members.items()},
            "measures": list(publication.measures),
            "cells": [[*cell, value] for cell, value in publication.cells.items()],
        },
        ensure_ascii=False,
    )
    session.connection().execute(text("DELETE FROM trend_publication"))
    session.connection().execute(
        text("INSERT INTO trend_publication (month, body) VALUES (:month, :body)"),
        {"month": month, "body": body},
    )
    session.commit()


def published_trends(*, session: Session) -> Published | None:
    """The newest published trends of a team database; None when none were published.
    ``ValueError`` when what is stored is not a publication."""
    row = (
        session.connection()
        .execute(
            text(
                "SELECT month, made_at, author, body FROM trend_publication "
                "ORDER BY made_at DESC, id DESC LIMIT 1"
            )
        )
        .first()
    )
    if row is None:
        return None
    month, made_at, author, body = row
    try:
        data = json.loads(body)
        cells = {(str(p), str(g), str(m)): _value(v) for p, g, m, v in data["cells"]}
        publication = Publication(
            groups=tuple(str(group) for group in data["groups"]),
            members={str(g): tuple(str(w) for w in ws) for g, ws in data["members"].items()},
            measures=tuple(str(measure) for measure in data["measures"]),
            cells=cells,
        )
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise ValueError("not a publication") from error
    return Published(publication, str(month), made_at, str(author))


def _value(value: object) -> Value:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError("not a shown value")
    return value
