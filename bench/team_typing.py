"""Typing on the team database over a slow line vs. typing on the laptop's own file
(issue 21, point 5): keystroke to screen in the visit's note, autosave on.

Each round runs fresh processes (``keystroke_child.py``): the app on a SQLite file (the
baseline), then the app on a throwaway PostgreSQL server reached through a proxy that
delays every piece of data by half the round trip (``tests/netproxy.py``), for an 80 ms
and a 250 ms round trip. The autosave fires every 0.5 s during typing; on the team
database it keeps the note on the laptop and a thread takes it to the server, so a
keystroke should cost the same as on SQLite. The notes count how often the app went
offline (it must not: a slow line is not a dead one) and how long the saves took on the
server.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
from pathlib import Path

from common import BENCH_DIR, REPO_DIR, Options, Result, child_env, run_python

sys.path.insert(0, str(REPO_DIR / "tests"))

ROUND_TRIPS = (0.08, 0.25)
"""Seconds, there and back."""
TYPIST = 0.1
"""Seconds between keys: a typist in a thread of its own, as a terminal's input thread
(``keystroke_child.type_in_a_thread``), whatever the app is doing."""
LATE = 100.0
"""Milliseconds: a keystroke that takes longer waited for something (a save)."""


def bench(options: Options) -> list[Result]:
    import pgserver
    import psycopg
    from netproxy import FreezingProxy

    from wijkgesprek.store import postgres

    rounds, keys = (2, 50) if options.quick else (5, 80)
    server = pgserver.start()
    if isinstance(server, str):
        print(f"team_typing skipped: {server}", file=sys.stderr)
        return []
    lines = {
        trip: FreezingProxy(
            Path(server.socket) / ".s.PGSQL.5432",
            Path(tempfile.mkdtemp(prefix="wijknet-", dir="/tmp")),
            delay=trip / 2,
        )
        for trip in ROUND_TRIPS
    }
    samples: dict[str, list[float]] = {"sqlite": [], **{str(t): [] for t in ROUND_TRIPS}}
    saves: dict[float, list[float]] = {trip: [] for trip in ROUND_TRIPS}
    offline: dict[float, int] = dict.fromkeys(ROUND_TRIPS, 0)
    size = ""
    try:
        with psycopg.connect(server.url(), autocommit=True) as connection:
            for number in range(rounds * len(ROUND_TRIPS)):
                connection.execute(f"CREATE DATABASE wijk_typen_{number}")
        number = 0
        for _ in range(rounds):
            with tempfile.TemporaryDirectory(prefix="wijkbench-") as tmp:
                env = child_env(Path(tmp, "data"), Path(tmp, "config"))
                env["BENCH_TYPIST"] = "thread"
                args = [str(BENCH_DIR / "keystroke_child.py"), "app", str(keys), str(TYPIST)]
                report = json.loads(run_python([*args, size], env))
                samples["sqlite"] += report["latencies"]
                size = "{}x{}".format(*report["note"])
            for trip, line in lines.items():
                database = f"wijk_typen_{number}"
                number += 1
                postgres.prepare(server.url(database))
                with tempfile.TemporaryDirectory(prefix="wijkbench-") as tmp:
                    env = child_env(Path(tmp, "data"), Path(tmp, "config"))
                    env["BENCH_TEAM_URL"] = line.url(database)
                    env["BENCH_TYPIST"] = "thread"
                    args = [str(BENCH_DIR / "keystroke_child.py"), "team", str(keys), str(TYPIST)]
                    report = json.loads(run_python([*args, size], env, timeout=300))
                samples[str(trip)] += report["latencies"]
                saves[trip] += report["saves"]
                offline[trip] += report["offline"]
    finally:
        for line in lines.values():
            line.close()
        server.stop()
    results = []
    for trip in ROUND_TRIPS:
        late = [ms for ms in samples[str(trip)] if ms > LATE]
        notes: dict[str, object] = {
            "keystrokes": rounds * keys,
            f"keystrokes over {LATE:.0f} ms": len(late),
            "slowest keystroke ms": round(max(samples[str(trip)]), 1),
            f"keystrokes over {LATE:.0f} ms on the laptop": sum(
                ms > LATE for ms in samples["sqlite"]
            ),
            "went offline": offline[trip],
            "saves on the server": len(saves[trip]),
            "server save ms (median)": round(statistics.median(saves[trip]), 1)
            if saves[trip]
            else None,
            "server save ms (max)": round(max(saves[trip]), 1) if saves[trip] else None,
        }
        name = f"keystroke, team {trip * 1000:.0f} ms vs laptop"
        results.append(Result(name, "ms", samples["sqlite"], samples[str(trip)], 1.2, notes=notes))
        results.append(Result(name, "ms", samples["sqlite"], samples[str(trip)], None, "p95"))
    return results
