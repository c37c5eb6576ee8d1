"""The team database under load, as teams use it (issue 21): shared notes, durable
commits, a network delay, one process per professional.

A throwaway PostgreSQL server (``tests/pgserver.py``) with ``fsync`` and
``synchronous_commit`` on (the tests run without ``fsync``), reached through a proxy
that delays every piece of data (``tests/netproxy.py``; half of each of
``ROUND_TRIPS`` each way). Each
professional is a process of its own (``team_load_child.py``) with its own outbox, and
saves a note every ``CADENCE`` seconds as the app does; they work in pairs on one note, so
every save of one meets the other's (a three-way merge). The baseline is one professional
alone on their own note, on the same server through the same delay, in the same run.

Reported: the save time (outbox, server, outbox again) at the 95th percentile, and how
often a professional would have been pushed offline: by the app's rule (the server
silent for ``connection.SILENCE`` s) and by the rule before issue 21 (a save over 1 s).
Afterwards every note is read back: each sentence written must be in it exactly once.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from common import BENCH_DIR, REPO_DIR, Options, Result, child_env

sys.path.insert(0, str(REPO_DIR / "tests"))

PROFESSIONALS = 20
"""In pairs: two on each note."""
CADENCE = 0.5  # seconds between saves, the autosave's throttle
ROUND_TRIPS = (0.08, 0.25)
"""Seconds there and back through the proxy (each a run of its own)."""


def _run(url: str, visits: list[int], seconds: float) -> list[dict]:
    """One process per entry of ``visits`` (a visit twice: two on one note), started
    together once all are ready; their reports."""
    with tempfile.TemporaryDirectory(prefix="wijkload-") as tmp:
        env = child_env(Path(tmp, "data"), Path(tmp, "config"))
        env["PYTHONPATH"] = f"{BENCH_DIR}:{REPO_DIR}"
        children = [
            subprocess.Popen(
                [
                    sys.executable,
                    str(BENCH_DIR / "team_load_child.py"),
                    url,
                    str(visit),
                    f"P{number:02d}-",
                    str(seconds),
                    str(CADENCE),
                ],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=env,
                text=True,
            )
            for number, visit in enumerate(visits)
        ]
        try:
            for child in children:
                assert child.stdout is not None
                if child.stdout.readline().strip() != "klaar":
                    raise RuntimeError(child.communicate(timeout=30)[1][-3000:])
            start = time.time() + 1.0
            for child in children:  # all at once
                assert child.stdin is not None
                child.stdin.write(f"{start}\n")
                child.stdin.flush()
            reports = []
            for child in children:
                out, err = child.communicate(timeout=seconds + 120)
                if child.returncode != 0:
                    raise RuntimeError(err[-3000:])
                reports.append(json.loads(out.strip().splitlines()[-1]))
            return reports
        finally:
            for child in children:
                if child.poll() is None:
                    child.kill()


def _check(url: str, visits: list[int], reports: list[dict]) -> tuple[int, int, int]:
    """Sentences lost or doubled, and the marker lines, over all notes."""
    from wijkgesprek.store import repo
    from wijkgesprek.store.engine import Store
    from wijkgesprek.store.target import TeamServer

    store = Store(TeamServer(url))
    lost = doubled = markers = 0
    texts = {
        visit: store.run(repo.get_visit, visit_id=visit).notes["stress"].text
        for visit in set(visits)
    }
    store.engine.dispose()
    for visit, report in zip(visits, reports, strict=True):
        for sentence in report["written"]:
            count = texts[visit].count(sentence)
            lost += count == 0
            doubled += count > 1
    for text in texts.values():
        markers += text.count("tegelijk geschreven")
    return lost, doubled, markers


def _visits(url: str, count: int, prefix: str) -> list[int]:
    from wijkgesprek.domain.household import Children
    from wijkgesprek.store import repo
    from wijkgesprek.store.engine import Store
    from wijkgesprek.store.target import TeamServer

    store = Store(TeamServer(url))
    now = datetime.now(UTC)
    visits = [
        store.run(
            repo.start_visit, code=f"{prefix}-{n:02d}", wijk="Noord", children=Children(), now=now
        )
        for n in range(count)
    ]
    store.engine.dispose()
    return visits


def bench(options: Options) -> list[Result]:
    import pgserver
    import psycopg

    from wijkgesprek.store import postgres

    server = pgserver.start("-c fsync=on -c synchronous_commit=on")
    if isinstance(server, str):
        print(f"team_load skipped: {server}", file=sys.stderr)
        return []
    results = []
    try:
        with psycopg.connect(server.url(), autocommit=True) as connection:
            durable = {
                name: connection.execute(f"SHOW {name}").fetchone()[0]  # type: ignore[index]
                for name in ("fsync", "synchronous_commit")
            }
            for trip in ROUND_TRIPS:
                connection.execute(f"CREATE DATABASE wijk_load_{trip * 1000:.0f}")
        for trip in ROUND_TRIPS:
            database = f"wijk_load_{trip * 1000:.0f}"
            postgres.prepare(server.url(database))
            results.append(_measure(server, database, trip, options, durable))
    finally:
        server.stop()
    return results


def _measure(
    server: object, database: str, trip: float, options: Options, durable: dict[str, str]
) -> Result:
    from netproxy import FreezingProxy

    folder = Path(tempfile.mkdtemp(prefix="wijknet-", dir="/tmp"))
    socket = Path(server.socket) / ".s.PGSQL.5432"  # type: ignore[attr-defined]
    line = FreezingProxy(socket, folder, delay=trip / 2)
    try:
        url = line.url(database)
        seconds = 10.0 if options.quick else 60.0
        alone_visits = _visits(url, 1, "ALLEEN")
        alone = _run(url, alone_visits, seconds / 2)
        pairs = _visits(url, PROFESSIONALS // 2, "TEAM")
        team_visits = [visit for visit in pairs for _ in range(2)]
        team = _run(url, team_visits, seconds)
        lost, doubled, markers = _check(url, team_visits, team)
        alone_lost, alone_doubled, _ = _check(url, alone_visits, alone)
    finally:
        line.close()
    samples = [ms for report in team for ms in report["saves"]]
    baseline = [ms for report in alone for ms in report["saves"]]
    return Result(
        name=f"team save, {PROFESSIONALS} in pairs, {trip * 1000:.0f} ms",
        unit="ms",
        baseline=baseline,
        app=samples,
        target=None,
        statistic="p95",
        notes={
            "seconds": seconds,
            "saves": len(samples),
            "saves alone": len(baseline),
            "pushed offline (silence rule)": sum(r["offline"] for r in team),
            "pushed offline alone (silence rule)": sum(r["offline"] for r in alone),
            "offline under the old 1 s rule": sum(r["old_offline"] for r in team),
            "offline under the old 1 s rule, alone": sum(r["old_offline"] for r in alone),
            "merges": sum(r["merges"] for r in team),
            "busy (a colleague saved during the merge 3 times), sent next time": sum(
                r["refused"] for r in team
            ),
            "marker lines": markers,
            "sentences lost": lost + alone_lost,
            "sentences doubled": doubled + alone_doubled,
            "still waiting": sum(r["waiting"] for r in team + alone),
            **durable,
        },
    )
