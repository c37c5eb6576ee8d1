"""Search time against the size of a note (issue 18): does it grow linearly?

One database per size holds one note of that many characters, the word looked for in
every sentence (the worst case for FTS5's ``snippet()``, which scores every hit against
every other one), next to 50 short notes in other visits. wijkgesprek runs ``store.search.search``
through ``Store.run`` as the search screen does. The baseline is the same search in a
note 16 times smaller (62,500 characters), measured in the same run, alternating, so
the ratio says how the time grows: linear growth gives a ratio near 16, quadratic growth
near 256. The largest size is the largest note allowed (``limits.MAX_NOTE_CHARS``).
An information row times FTS5's own ``snippet()`` on the middle size, the path that was
quadratic (a 1.6 MB note took 21 s).
"""

from __future__ import annotations

import math
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from common import Options, Result

SENTENCE = "Moeder vertelt dat er geen geld meer is voor boodschappen in het café. "
SIZES = (62_500, 250_000, 1_000_000)
QUERY = "geld"


def _text(size: int) -> str:
    return (SENTENCE * (size // len(SENTENCE) + 1))[:size]


def _build(database: Path, size: int) -> None:
    from wijkgesprek.store.schema import prepare_database

    prepare_database(database)
    connection = sqlite3.connect(database, isolation_level=None)
    connection.execute(
        "INSERT INTO household (id, code, wijk, children, created_at) "
        "VALUES (1, 'GZ-001', 'Noord', '', '2026-01-01 09:00:00')"
    )
    connection.executemany(
        "INSERT INTO visit (id, household_id, started_at) VALUES (?, 1, '2026-01-01 09:00:00')",
        [(visit,) for visit in range(1, 52)],
    )
    rows = [(1, _text(size))] + [(visit, SENTENCE) for visit in range(2, 52)]
    connection.executemany(
        "INSERT INTO note (visit_id, topic, text, updated_at) "
        "VALUES (?, 'stress', ?, '2026-01-01 09:00:00')",
        rows,
    )
    connection.close()


def _time(action: Callable[[], list[Any]]) -> tuple[float, list[Any]]:
    """Milliseconds taken by ``action``, and what it returned."""
    began = time.perf_counter()
    result = action()
    return (time.perf_counter() - began) * 1000, result


def bench(options: Options) -> list[Result]:
    from wijkgesprek.domain.search import fts_query
    from wijkgesprek.limits import MAX_NOTE_CHARS
    from wijkgesprek.store.engine import Store
    from wijkgesprek.store.search import search

    assert SIZES[-1] == MAX_NOTE_CHARS, "the largest size is the largest note allowed"
    runs = 5 if options.quick else 15
    samples: dict[int, list[float]] = {size: [] for size in SIZES}
    fts5: list[float] = []
    with tempfile.TemporaryDirectory(prefix="wijkbench-longnote-") as tmp:
        stores = {}
        for size in SIZES:
            database = Path(tmp, f"{size}.db")
            _build(database, size)
            stores[size] = Store(database)
        middle = sqlite3.connect(Path(tmp, f"{SIZES[1]}.db"))
        snippet_sql = (
            "SELECT snippet(note_fts, 0, '[', ']', '…', 12) FROM note_fts "
            "WHERE note_fts MATCH ? AND rowid = 1"
        )
        try:
            for index in range(runs + 1):
                for size, store in stores.items():
                    taken, hits = _time(partial(store.run, search, text=QUERY))
                    assert len(hits) == 20 and any(hit.topic == "stress" for hit in hits)
                    if index:  # round 0 is the warm-up
                        samples[size].append(taken)
                if index and (index <= 3 or not options.quick):
                    sql = partial(middle.execute, snippet_sql, (fts_query(QUERY),))
                    fts5.append(_time(lambda sql=sql: sql().fetchall())[0])
        finally:
            middle.close()
            for store in stores.values():
                store.engine.dispose()
    smallest, largest = SIZES[0], SIZES[-1]
    factor = largest / smallest
    growth = statistics.median(samples[largest]) / statistics.median(samples[smallest])
    exponent = math.log(growth) / math.log(factor)
    notes: dict[str, object] = {
        **{f"{size}_chars_ms": round(statistics.median(samples[size]), 1) for size in SIZES},
        "size_factor": factor,
        "exponent": round(exponent, 2),
        "growth": "linear" if exponent <= 1.2 else "FASTER THAN LINEAR",
    }
    return [
        Result(
            f"search, note {largest // 1000}k vs {smallest // 1000}k chars",
            "ms",
            samples[smallest],
            samples[largest],
            factor * 1.5,  # linear, with room for noise; quadratic would be 16 times more
            notes=notes,
        ),
        Result(
            f"FTS5 snippet() alone, {SIZES[1] // 1000}k chars (the old path)",
            "ms",
            samples[SIZES[1]],
            fts5,
            None,
        ),
    ]


if __name__ == "__main__":
    from run import table

    results = bench(Options())
    print(table(results))
    print(", ".join(f"{key}={value}" for key, value in results[0].notes.items()))
