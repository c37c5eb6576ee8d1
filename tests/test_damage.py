"""A damaged database: a damaged first page, an empty file, damage further on (issue 18,
point 5). Each is called damaged in Dutch and the newest good backup is offered; a
plain file is never taken for an encrypted one."""

from __future__ import annotations

import random
import sqlite3
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from helpers import SIZE, notifications, wait_until

from wijkgesprek.app import WijkgesprekApp
from wijkgesprek.cli import main
from wijkgesprek.content.questions import load_guide
from wijkgesprek.domain.household import Children
from wijkgesprek.paths import shipped_questions
from wijkgesprek.store import backup as backups
from wijkgesprek.store import crypto, repo
from wijkgesprek.store.backup import daily_backup, list_backups
from wijkgesprek.store.engine import Store

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
BACKUP = "wijkgesprek-2026-11-01.db"


def fill(database: Path, *codes: str) -> None:
    store = Store(database)
    try:
        for code in codes:
            visit = store.run(
                repo.start_visit, code=code, wijk="Noord", children=Children(), now=NOW
            )
            store.run(repo.save_note, visit_id=visit, topic="stress", text="Huur achter.", now=NOW)
    finally:
        store.engine.dispose()


@pytest.fixture
def with_backup(database: Path) -> Path:
    """A database with one household, its backup of 1 November, then a second household
    (only in the database itself); no WAL left."""
    fill(database, "GZ-001")
    daily_backup(database, today=date(2026, 11, 1))
    fill(database, "GZ-002")
    assert not database.with_name(database.name + "-wal").exists()
    return database


def codes(database: Path) -> list[str]:
    store = Store(database)
    try:
        return [row.code for row in store.run(repo.list_households)]
    finally:
        store.engine.dispose()


@pytest.fixture
def no_passphrase(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("getpass.getpass", lambda prompt: pytest.fail("asked a passphrase"))


def overwrite(path: Path, start: int, data: bytes) -> None:
    with path.open("r+b") as handle:
        handle.seek(start)
        handle.write(data)


FIRST_PAGE_DAMAGE = {
    "het kopje gewist": (0, b"\0" * 16),
    "het kopje vervangen": (0, b"Geen SQLite hier" + b"\x07" * 84),
    "de eerste pagina vol 0xff": (0, b"\xff" * 4096),
    "de eerste pagina willekeurig": (0, random.Random(18).randbytes(4096)),
    "de eerste pagina na het kopje": (100, random.Random(5).randbytes(3996)),
}


@pytest.mark.parametrize("where", FIRST_PAGE_DAMAGE)
def test_a_damaged_first_page_is_called_damaged_not_encrypted(
    with_backup: Path,
    where: str,
    no_passphrase: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    overwrite(with_backup, *FIRST_PAGE_DAMAGE[where])
    before = with_backup.read_bytes()
    assert not crypto.is_encrypted(with_backup)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)
    monkeypatch.setattr(WijkgesprekApp, "run", lambda app: pytest.fail("the app started"))
    assert main([]) == 1
    err = capsys.readouterr().err
    assert f"De database {with_backup} is beschadigd" in err and BACKUP in err
    assert "versleuteld" not in err and "wachtwoord" not in err and "Traceback" not in err
    assert with_backup.read_bytes() == before


def test_a_damaged_first_page_gets_the_backup_offered_on_a_terminal(
    with_backup: Path,
    no_passphrase: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    overwrite(with_backup, 0, b"\xff" * 4096)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: "ja")
    monkeypatch.setattr(WijkgesprekApp, "run", lambda app: None)
    assert main([]) == 0
    captured = capsys.readouterr()
    assert "beschadigd" in captured.err and f"Teruggezet: {BACKUP}" in captured.out
    assert codes(with_backup) == ["GZ-001"]


def test_herstel_of_a_database_with_a_damaged_first_page_asks_no_passphrase(
    with_backup: Path, no_passphrase: None, capsys: pytest.CaptureFixture[str]
) -> None:
    overwrite(with_backup, 0, random.Random(1).randbytes(4096))
    assert main(["herstel", "--ja"]) == 0
    assert f"Teruggezet: {with_backup.parent / 'reservekopieen' / BACKUP}" in (
        capsys.readouterr().out
    )
    assert codes(with_backup) == ["GZ-001"]


def test_an_empty_database_file_is_damage_not_a_new_start(
    with_backup: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with_backup.write_bytes(b"")
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)
    monkeypatch.setattr(WijkgesprekApp, "run", lambda app: pytest.fail("the app started"))
    assert main([]) == 1
    err = capsys.readouterr().err
    assert f"De database {with_backup} is leeg (0 bytes)" in err and BACKUP in err
    assert with_backup.read_bytes() == b""  # not made into a new, empty database
    assert main(["zoek", "huur"]) == 1
    assert "is leeg (0 bytes)" in capsys.readouterr().err
    assert with_backup.read_bytes() == b""
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: "ja")
    monkeypatch.setattr(WijkgesprekApp, "run", lambda app: None)
    assert main([]) == 0
    assert codes(with_backup) == ["GZ-001"]


def test_an_empty_database_file_without_backups_says_what_to_do(
    database: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    database.write_bytes(b"")
    for suffix in ("-wal", "-shm"):
        database.with_name(database.name + suffix).unlink(missing_ok=True)
    monkeypatch.setattr(WijkgesprekApp, "run", lambda app: pytest.fail("the app started"))
    assert main([]) == 1
    err = capsys.readouterr().err
    assert "is leeg (0 bytes)" in err and "verwijder" in err and "Traceback" not in err
    assert database.read_bytes() == b""


def note_page(path: Path) -> int:
    connection = sqlite3.connect(path)
    try:
        row = connection.execute("SELECT rootpage FROM sqlite_master WHERE name = 'note'")
        return int(row.fetchone()[0])
    finally:
        connection.close()


async def test_damage_further_on_is_found_at_the_start_and_told(with_backup: Path) -> None:
    page = note_page(with_backup)
    overwrite(with_backup, (page - 1) * 4096, b"\xa5" * 4096)
    before = {path: path.read_bytes() for path in list_backups(with_backup)}
    app = WijkgesprekApp(guide=load_guide(shipped_questions()), database=with_backup)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: notifications(app))
        (said,) = notifications(app)
    assert said.startswith(f"De database {with_backup} is beschadigd")
    assert "wijkgesprek herstel" in said and BACKUP in said
    assert {path: path.read_bytes() for path in list_backups(with_backup)} == before


def many_visits(database: Path, *, households: int, visits: int) -> None:
    """Households with ``visits`` visits of 8 notes (about 600 characters) each, written
    straight into the tables (the app's own functions would take minutes)."""
    words = [
        "huur",
        "achter",
        "brief",
        "school",
        "slaapt",
        "slecht",
        "loket",
        "budget",
        "buurt",
        "werk",
        "oma",
        "post",
    ]
    chosen = random.Random(18)
    connection = sqlite3.connect(database)
    with connection:
        for household in range(1, households + 1):
            connection.execute(
                "INSERT INTO household (id, code, wijk, created_at) VALUES (?, ?, 'Noord', ?)",
                (household, f"GZ-{household:03d}", NOW),
            )
            for number in range(visits):
                visit = connection.execute(
                    "INSERT INTO visit (household_id, started_at) VALUES (?, ?)",
                    (household, NOW),
                ).lastrowid
                for topic in ("intro", "geld", "wonen", "kinderen", "stress", "werk", "a", "b"):
                    text = " ".join(chosen.choice(words) for _ in range(100))
                    connection.execute(
                        "INSERT INTO note (visit_id, topic, text, updated_at) VALUES (?, ?, ?, ?)",
                        (visit, f"{topic}-{number}", text, NOW),
                    )
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()


def test_the_check_at_the_start_is_bounded_in_time(
    database: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    many_visits(database, households=20, visits=20)  # 3,200 notes: 3 MB
    assert database.stat().st_size > 2_000_000
    monkeypatch.setattr(backups, "CHECK_SECONDS", 0.001)
    started = time.monotonic()
    assert backups.check_database(database) is None  # not finished: no verdict
    assert time.monotonic() - started < 0.5
    daily_backup(database, today=date(2026, 11, 1))  # unchecked, so made as before
    monkeypatch.undo()
    assert backups.check_database(database) is True
    assert list_backups(database)


def test_a_check_that_cannot_read_gives_no_verdict_and_no_traceback(
    with_backup: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = backups.connect

    def disk_error(path: Path, **options: object) -> object:
        connection = real(path, **options)

        class Failing:
            def set_progress_handler(self, *args: object) -> None:
                pass

            def execute(self, sql: str) -> object:
                raise sqlite3.OperationalError("disk I/O error")

            def close(self) -> None:
                connection.close()

        return Failing()

    monkeypatch.setattr(backups, "connect", disk_error)
    assert backups.check_database(with_backup) is None
