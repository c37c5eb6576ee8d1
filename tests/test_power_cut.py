"""Power-cut style faults: the writer killed mid-write, again and again, and a WAL file
whose tail was lost. The database must always pass ``integrity_check`` and keep every
transaction that was reported as committed.

The writer is the real store (``Store.run`` with ``repo`` functions, the app's pragmas),
started from a fork server that has it imported already, so 200 kills take seconds.
"""

from __future__ import annotations

import multiprocessing
import random
import shutil
import signal
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from power_writer import write_until_killed

from wijkgesprek.domain.household import Children
from wijkgesprek.store import repo
from wijkgesprek.store.engine import Store
from wijkgesprek.store.schema import prepare_database

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not hasattr(signal, "SIGKILL")
        or "forkserver" not in multiprocessing.get_all_start_methods(),
        reason="needs SIGKILL and a fork server (POSIX)",
    ),
]

KILLS = 200
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


def state(database: Path) -> tuple[str, int, int]:
    """integrity_check, the number in the note, and the highest agreement number."""
    with sqlite3.connect(database) as connection:
        check = connection.execute("PRAGMA integrity_check").fetchone()[0]
        note = connection.execute("SELECT text FROM note WHERE topic = 'stress'").fetchone()
        agreements = connection.execute("SELECT wat FROM agreement").fetchall()
    connection.close()
    number = int(note[0].split()[1]) if note else 0
    highest = max((int(wat.split()[1]) for (wat,) in agreements), default=0)
    return check, number, highest


def new_visit(database: Path) -> int:
    prepare_database(database)
    store = Store(database)
    try:
        return store.run(
            repo.start_visit, code="GZ-001", wijk="Noord", children=Children(), now=NOW
        )
    finally:
        store.engine.dispose()


def test_killed_during_writes_200_times_never_corrupts(tmp_path: Path) -> None:
    database = tmp_path / "wijkgesprek.db"
    visit_id = new_visit(database)
    context = multiprocessing.get_context("forkserver")
    # The store is imported once, in the fork server (Python 3.11's fork server does not
    # see tests/ on its path, so power_writer itself is imported by each child: it is small).
    context.set_forkserver_preload(["wijkgesprek.store.repo", "wijkgesprek.store.engine"])
    chance = random.Random(9)
    committed = 0
    for _ in range(KILLS):
        receiver, sender = context.Pipe(duplex=False)
        child = context.Process(
            target=write_until_killed, args=(str(database), visit_id, committed, sender)
        )
        child.start()
        sender.close()
        wanted = chance.randint(1, 4)  # let it commit a few times, then cut it off mid-write
        reported = committed
        for _ in range(wanted):
            if not receiver.poll(30):
                break
            try:
                reported = receiver.recv()
            except EOFError:
                break
        child.kill()
        child.join(30)
        while receiver.poll(0):  # commits reported after we stopped reading
            try:
                reported = receiver.recv()
            except EOFError:  # the child is gone and everything it sent was read
                break
        receiver.close()
        check, number, highest = state(database)
        assert check == "ok"
        # Every reported commit survived; at most the one in flight was added.
        assert reported <= number <= reported + 1
        assert highest in (number - 1, number)
        committed = number
    assert committed >= KILLS  # each round committed at least once


def test_a_wal_that_lost_its_tail_never_corrupts(tmp_path: Path) -> None:
    """A power cut can lose the end of the WAL file; SQLite's frame checksums must then
    fall back to the last whole transaction."""
    database = tmp_path / "wijkgesprek.db"
    visit_id = new_visit(database)
    writer = sqlite3.connect(database)
    writer.execute("PRAGMA wal_autocheckpoint = 0")  # keep everything in the WAL
    store = Store(database)
    for number in range(1, 41):
        text = f"regel {number} " + "tekst " * number
        store.run(repo.save_note, visit_id=visit_id, topic="stress", text=text, now=NOW)
    wal = database.with_name(database.name + "-wal")
    size = wal.stat().st_size
    assert size > 40 * 4096  # the transactions are all still in the WAL
    saved = {name: (tmp_path / name).read_bytes() for name in (database.name, wal.name)}
    store.engine.dispose()
    writer.close()
    chance = random.Random(3)
    numbers = set()
    for round_ in range(KILLS):
        copy = tmp_path / f"kopie-{round_}"
        copy.mkdir()
        (copy / database.name).write_bytes(saved[database.name])
        (copy / wal.name).write_bytes(saved[wal.name][: chance.randrange(size)])
        check, number, _ = state(copy / database.name)
        assert check == "ok"
        assert 0 <= number <= 40
        numbers.add(number)
        shutil.rmtree(copy)
    assert len(numbers) > 10  # the cuts really landed in different transactions
