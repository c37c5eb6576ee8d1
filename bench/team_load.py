"""The team database under load: 20 professionals saving notes at the same time.

A throwaway PostgreSQL server (``tests/pgserver.py``). Each simulated professional has
their own household and visit and saves their note as the app does (every 0.5 s, the
text grown a little): into their own laptop's outbox first, then to the server with the
version it last saw (``outbox.write_one``, the optimistic-locking path), then out of the
outbox again. The baseline is one professional alone on the same server, measured
in the same run; the ratio is what sharing the server costs at the 95th percentile.
Afterwards every note is read back: the last text each professional saved must be there,
at the version they were given (nothing lost, nothing overwritten).
"""

from __future__ import annotations

import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from common import Options, Result

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

PROFESSIONALS = 20
CADENCE = 0.5  # seconds between saves, the autosave's throttle


def _professional(
    url: str, code: str, seconds: float, out: list[float], last: dict, failed: list[str]
) -> None:
    try:
        _save_for(url, code, seconds, out, last)
    except Exception as error:  # counted and reported: a failed save is a lost note
        failed.append(type(error).__name__)


def _save_for(url: str, code: str, seconds: float, out: list[float], last: dict) -> None:
    import tempfile

    from wijkgesprek.domain.household import Children
    from wijkgesprek.store import repo
    from wijkgesprek.store.engine import Store
    from wijkgesprek.store.outbox import OUTBOX_NAME, Outbox, write_one

    store = Store(url)
    laptop = Path(tempfile.mkdtemp(prefix="wijklaptop-"))
    outbox = Outbox(laptop / OUTBOX_NAME, url)
    now = datetime.now(UTC)
    visit = store.run(repo.start_visit, code=code, wijk="Noord", children=Children(), now=now)
    text, version = "", 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        text += f"Zin {version} van een verzonnen gesprek over de buurt. "
        started = time.perf_counter()
        item = outbox.keep(
            visit_id=visit, topic="stress", text=text, base=version, now=now, trying=True
        )
        written = write_one(item, store)
        outbox.done(item, written)
        version = written.version
        out.append((time.perf_counter() - started) * 1000)
        time.sleep(max(0.0, CADENCE - (time.perf_counter() - started)))
    last[visit] = (text, version)
    store.engine.dispose()


def _run(url: str, prefix: str, count: int, seconds: float) -> tuple[list[float], dict, list]:
    samples: list[float] = []
    last: dict = {}
    failed: list[str] = []
    threads = [
        threading.Thread(
            target=_professional, args=(url, f"{prefix}-{n:02d}", seconds, samples, last, failed)
        )
        for n in range(count)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return samples, last, failed


def _lost(url: str, last: dict) -> int:
    from wijkgesprek.store import repo
    from wijkgesprek.store.engine import Store

    store = Store(url)
    lost = 0
    for visit, (text, version) in last.items():
        note = store.run(repo.get_visit, visit_id=visit).notes["stress"]
        lost += (note.text, note.version) != (text, version)
    store.engine.dispose()
    return lost


def bench(options: Options) -> list[Result]:
    import pgserver
    import psycopg

    from wijkgesprek.store import postgres

    server = pgserver.start()
    if isinstance(server, str):
        print(f"team_load skipped: {server}", file=sys.stderr)
        return []
    try:
        with psycopg.connect(server.url(), autocommit=True) as connection:
            connection.execute("CREATE DATABASE wijk_load")
        url = server.url("wijk_load")
        postgres.prepare(url)
        seconds = 10.0 if options.quick else 60.0
        alone, _, _ = _run(url, "ALLEEN", 1, seconds / 3)
        shared, last, failed = _run(url, "TEAM", PROFESSIONALS, seconds)
        lost = _lost(url, last) + len(failed)
    finally:
        server.stop()
    return [
        Result(
            name=f"team save, {PROFESSIONALS} professionals",
            unit="ms",
            baseline=alone,
            app=shared,
            target=None,
            statistic="p95",
            notes={
                "saves": len(shared),
                "seconds": seconds,
                "notes lost": lost,
                "failed savers": failed,
            },
        )
    ]
