"""Full-text search over notes and additions (FTS5 tables ``note_fts`` and
``correction_fts`` from migration v4).

Per table, one pass over the matches ranks them with bm25 and keeps the best ``limit``;
on a tie the most recently written row wins (the highest id: a visit always starts
"now", so this follows the visits' order). Only for the rows finally shown are the
visit, household and snippet looked up: their cost does not grow with the matches.
What a user typed never reaches FTS5 as such: ``domain.search.fts_query`` turns it
into quoted terms first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session

from wijkgesprek.domain.search import (
    ADDITION,
    LONG_NOTE,
    NOTE,
    SearchHit,
    fts_query,
    long_snippet,
    markers_for,
    snippet_parts,
    ts_terms,
)
from wijkgesprek.store.models import safe_moment

SNIPPET_TOKENS = 12
"""Words around the hits in a snippet (FTS5 allows at most 64)."""

# (FTS5 table, content table) per source. Fixed names: never built from input.
_TABLES = {NOTE: ("note_fts", "note"), ADDITION: ("correction_fts", "correction")}

# The number of visit ``v`` in its household: visits in the order of ``repo.get_household``
# (start, then id), 1 for the first, as ``wijkgesprek export CODE --bezoek N`` counts.
_NUMBER = """(SELECT count(*) FROM visit AS o WHERE o.household_id = v.household_id
   AND (o.started_at < v.started_at OR (o.started_at = v.started_at AND o.id <= v.id)))"""


@dataclass(frozen=True)
class _Match:
    source: str
    row_id: int
    rank: float


def search(*, session: Session, text: str, limit: int = 20) -> list[SearchHit]:
    """The best ``limit`` notes and additions for what a user typed (bm25, then the
    newest visit first). Nothing to look for (empty, only punctuation): no hits."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        return _search_postgres(connection, text, limit)
    query = fts_query(text)
    if query is None or limit <= 0:
        return []
    matches = [match for source in _TABLES for match in _top(connection, source, query, limit)]
    if not matches:
        return []
    details = {
        (source, row[0]): row
        for source in _TABLES
        for row in _details(connection, source, [m.row_id for m in matches if m.source == source])
    }
    # A row deleted meanwhile (another window) is left out.
    matches = [m for m in matches if (m.source, m.row_id) in details]
    # Best rank first; on a tie (also between a note and an addition) the newest visit.
    matches.sort(key=lambda m: (m.rank, _negated(details[m.source, m.row_id][2]), -m.row_id))
    chosen = matches[:limit]
    snippets: dict[tuple[str, int], str] = {}
    for source in _TABLES:
        rows = {m.row_id: details[m.source, m.row_id][6] for m in chosen if m.source == source}
        long = {row_id: rows.pop(row_id) for row_id in list(rows) if len(rows[row_id]) > LONG_NOTE}
        snippets.update(_snippets(connection, source, query, rows))
        for row_id, note_text in long.items():
            start, end = markers_for(note_text)
            snippets[source, row_id] = long_snippet(note_text, text, start, end, SNIPPET_TOKENS)
    hits: list[SearchHit] = []
    for match in chosen:
        _, visit_id, started, ended, code, topic, note_text, number = details[
            match.source, match.row_id
        ]
        start, end = markers_for(note_text)
        hits.append(
            SearchHit(
                household_code=code,
                visit_id=visit_id,
                started_at=_datetime(started),
                topic=topic,
                snippet=snippet_parts(snippets.get((match.source, match.row_id), ""), start, end),
                source=match.source,
                rank=match.rank,
                visit_open=ended is None,
                visit_number=int(number),
            )
        )
    return hits


def _top(connection: Any, source: str, query: str, limit: int) -> list[_Match]:
    """The best ``limit`` rows of one FTS5 table: bm25, ties to the newest row.

    ``bm25()`` rather than FTS5's ``ORDER BY rank``: the same order, computed faster.
    """
    fts = _TABLES[source][0]
    rows = connection.exec_driver_sql(
        f"SELECT rowid, bm25({fts}) AS score FROM {fts} WHERE {fts} MATCH ? "
        "ORDER BY score, rowid DESC LIMIT ?",
        (query, limit),
    ).all()
    return [_Match(source, int(row_id), float(score)) for row_id, score in rows]


def _details(connection: Any, source: str, ids: Sequence[int]) -> list[Any]:
    """id, visit id, visit start, visit end, household code, topic, text and the visit's
    number in its household, per row."""
    if not ids:
        return []
    content = _TABLES[source][1]
    marks = ",".join("?" * len(ids))
    return list(
        connection.exec_driver_sql(
            f"SELECT c.id, v.id, v.started_at, v.ended_at, h.code, c.topic, c.text, {_NUMBER} "
            f"FROM {content} AS c JOIN visit AS v ON v.id = c.visit_id "
            f"JOIN household AS h ON h.id = v.household_id WHERE c.id IN ({marks})",
            tuple(ids),
        ).all()
    )


def _snippets(
    connection: Any, source: str, query: str, texts: dict[int, str]
) -> dict[tuple[str, int], str]:
    """FTS5 snippets for the chosen rows, with markers that do not occur in each text.
    Only for notes up to ``LONG_NOTE`` characters: ``snippet()`` is quadratic in hits."""
    fts = _TABLES[source][0]
    groups: dict[tuple[str, str], list[int]] = {}
    for row_id, text in texts.items():
        groups.setdefault(markers_for(text), []).append(row_id)
    found: dict[tuple[str, int], str] = {}
    for (start, end), ids in groups.items():
        marks = ",".join("?" * len(ids))
        # "+rowid": a filter, not a lookup per id. One pass over the matches (a prefix is
        # expanded once, not once per id); snippet() runs only for the rows that pass.
        rows = connection.exec_driver_sql(
            f"SELECT rowid, snippet({fts}, 0, ?, ?, '…', {SNIPPET_TOKENS}) FROM {fts} "
            f"WHERE {fts} MATCH ? AND +rowid IN ({marks})",
            (start, end, query, *ids),
        ).all()
        found.update({(source, int(row_id)): str(snippet) for row_id, snippet in rows})
    return found


def _datetime(value: object) -> datetime:
    """A stored DATETIME (text in SQLite, UTC) as an aware datetime."""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return safe_moment(moment if moment.tzinfo else moment.replace(tzinfo=UTC))


def _negated(value: object) -> float:
    """Sort key: newer visits first."""
    return -_datetime(value).timestamp()


# -- PostgreSQL (a team database): its own text search, the same hits ----------------------

_PG_QUERY = "to_tsquery('wijkgesprek', :words)"
_PG_MATCHES = f"""
SELECT 'notitie' AS source, c.id, v.id, v.started_at, v.ended_at, h.code, c.topic, c.text,
       ts_rank(c.search, {{query}}) AS score, {_NUMBER} AS number
FROM note AS c JOIN visit AS v ON v.id = c.visit_id JOIN household AS h ON h.id = v.household_id
WHERE c.search @@ {{query}}
UNION ALL
SELECT 'aanvulling', c.id, v.id, v.started_at, v.ended_at, h.code, c.topic, c.text,
       ts_rank(c.search, {{query}}), {_NUMBER}
FROM correction AS c JOIN visit AS v ON v.id = c.visit_id
JOIN household AS h ON h.id = v.household_id
WHERE c.search @@ {{query}}
ORDER BY score DESC, 4 DESC, 2 DESC
LIMIT :limit
"""


def _search_postgres(connection: Any, text: str, limit: int) -> list[SearchHit]:
    from sqlalchemy import text as sql

    terms = ts_terms(text)
    if terms is None or limit <= 0:
        return []
    words, phrases = terms
    parts = [_PG_QUERY] if words else []
    # A phrase is separated into words as the notes are (ladder: wijkgesprek_words).
    parts += [
        f"phraseto_tsquery('wijkgesprek', wijkgesprek_words(:phrase{n}))"
        for n in range(len(phrases))
    ]
    query = "(" + " && ".join(parts) + ")"
    values: dict[str, object] = {"words": words, "limit": limit}
    values.update({f"phrase{n}": phrase for n, phrase in enumerate(phrases)})
    rows = connection.execute(sql(_PG_MATCHES.format(query=query)), values).all()
    hits = []
    for source, _id, visit_id, started, ended, code, topic, note_text, score, number in rows:
        start, end = markers_for(note_text)
        options = (
            f"StartSel={start}, StopSel={end}, MaxWords=24, MinWords=8, "
            "MaxFragments=1, FragmentDelimiter=…"
        )
        headline = connection.execute(
            sql(f"SELECT ts_headline('wijkgesprek', :text, {query}, :options)"),
            {**values, "text": note_text, "options": options},
        ).scalar_one()
        hits.append(
            SearchHit(
                household_code=code,
                visit_id=visit_id,
                started_at=_datetime(started),
                topic=topic,
                snippet=snippet_parts(str(headline), start, end),
                source=NOTE if source == "notitie" else ADDITION,
                rank=-float(score),
                visit_open=ended is None,
                visit_number=int(number),
            )
        )
    return hits
