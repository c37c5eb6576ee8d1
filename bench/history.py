"""Opening a household with 50 visits in a database of 100,000 notes (goal ≤ 100 ms).

The database is the one of ``search.py`` (2,000 households × 10 visits × 5 notes),
plus one household with 50 visits, each with 5 notes, 2 agreements and 3 safety
entries. wijkgesprek runs ``repo.get_household`` through ``Store.run`` (a fresh
session, as the history screen does): every visit with notes, themes, agreements,
additions, safety trail, gaps and referrals. Baseline: the least any history view must
read, one plain ``sqlite3`` query for the household's note texts.
"""

from __future__ import annotations

import sqlite3
import statistics
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from common import Options, Result
from search import build, timed

GOAL_MS = 100.0
VISITS = 50
CODE = "GZ-50"


def _add_household(database: Path) -> None:
    from wijkgesprek.domain.household import Children
    from wijkgesprek.domain.safety import KINDCHECK, SCALE, SIGNAL
    from wijkgesprek.store import repo
    from wijkgesprek.store.engine import Store

    store = Store(database)
    start = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
    for number in range(VISITS):
        now = start + timedelta(weeks=number)
        visit = store.run(
            repo.start_visit,
            code=CODE,
            wijk="Noord",
            children=Children(birth_years=(2018,)),
            now=now,
        )
        for topic in ("kennismaking", "stress", "netwerk", "dromen", "afspraken"):
            store.run(
                repo.save_note,
                visit_id=visit,
                topic=topic,
                text=f"Bezoek {number}: verzonnen aantekening over {topic}.",
                now=now,
            )
        for what in ("Bellen met de schuldhulp", "Samen naar het buurthuis"):
            store.run(
                repo.add_agreement,
                visit_id=visit,
                wat=what,
                wie="moeder",
                wanneer="volgende week",
                now=now,
            )
        for kind, key, value in (
            (KINDCHECK, "", "geen-zorgen"),
            (SCALE, "ouder", "6"),
            (SIGNAL, "kind/verzuim", "uit"),
        ):
            store.run(
                repo.add_safety_entry, visit_id=visit, kind=kind, key=key, value=value, now=now
            )
        store.run(repo.end_visit, visit_id=visit, now=now + timedelta(hours=1))
    store.engine.dispose()


def bench(options: Options) -> list[Result]:
    from wijkgesprek.store import repo
    from wijkgesprek.store.engine import Store
    from wijkgesprek.store.schema import prepare_database

    runs = 10 if options.quick else 30
    with tempfile.TemporaryDirectory(prefix="wijkbench-history-") as tmp:
        database = Path(tmp) / "wijkgesprek.db"
        prepare_database(database)
        build(database, households=200 if options.quick else 2_000, sizes=[])
        _add_household(database)
        store = Store(database)
        connection = sqlite3.connect(database)
        plain = (
            "SELECT note.text FROM note JOIN visit ON visit.id = note.visit_id "
            "JOIN household ON household.id = visit.household_id WHERE household.code = ?"
        )
        baseline: list[float] = []
        app: list[float] = []
        for _ in range(runs):
            baseline.append(timed(lambda: connection.execute(plain, (CODE,)).fetchall())[0])
            app.append(timed(lambda: [store.run(repo.get_household, code=CODE)])[0])
        visits = len(store.run(repo.get_household, code=CODE).visits)
        connection.close()
        store.engine.dispose()
    median = statistics.median(app)
    notes: dict[str, object] = {
        "visits": visits,
        "open_ms": round(median, 1),
        "absolute": "ok" if median <= GOAL_MS else "TOO SLOW",
        "goal": f"open a household with {VISITS} visits ≤ {GOAL_MS:.0f} ms",
    }
    return [Result("history: household with 50 visits", "ms", baseline, app, None, notes=notes)]
