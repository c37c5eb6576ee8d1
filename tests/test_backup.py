"""Daily rotating backups and restoring one."""

from __future__ import annotations

import os
import sqlite3
import stat
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from helpers import SIZE, wait_until

from wijkgesprek.app import WijkgesprekApp
from wijkgesprek.cli import main
from wijkgesprek.content.questions import load_guide
from wijkgesprek.domain.household import Children
from wijkgesprek.errors import DamagedDatabase, StoreError
from wijkgesprek.paths import shipped_questions
from wijkgesprek.store import repo
from wijkgesprek.store.backup import (
    backup_folder,
    check_backup,
    daily_backup,
    list_backups,
    restore,
)
from wijkgesprek.store.engine import Store

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def codes(database: Path) -> list[str]:
    store = Store(database)
    try:
        return [row.code for row in store.run(repo.list_households)]
    finally:
        store.engine.dispose()


def add(store: Store, code: str) -> None:
    store.run(repo.start_visit, code=code, wijk="Noord", children=Children(), now=NOW)


def test_one_private_backup_a_day_and_only_the_newest_kept(store: Store, database: Path) -> None:
    add(store, "GZ-001")
    first = daily_backup(database, today=date(2026, 11, 1), keep=3)
    assert first is not None and daily_backup(database, today=date(2026, 11, 1), keep=3) is None
    for day in range(2, 6):
        daily_backup(database, today=date(2026, 11, day), keep=3)
    assert [p.name for p in list_backups(database)] == [
        "wijkgesprek-2026-11-05.db",
        "wijkgesprek-2026-11-04.db",
        "wijkgesprek-2026-11-03.db",
    ]
    if sys.platform != "win32":
        assert stat.S_IMODE(list_backups(database)[0].stat().st_mode) == 0o600
        assert stat.S_IMODE(list_backups(database)[0].parent.stat().st_mode) == 0o700


def test_restore_puts_the_backup_back_and_keeps_the_current_file(
    store: Store, database: Path
) -> None:
    add(store, "GZ-001")
    backup = daily_backup(database, today=date(2026, 11, 1))
    add(store, "GZ-002")
    store.engine.dispose()
    assert backup is not None
    kept = restore(database, backup, now=datetime(2026, 11, 2, 10, 0))
    assert codes(database) == ["GZ-001"]
    assert kept is not None and codes(kept) == ["GZ-002", "GZ-001"]
    assert kept not in list_backups(database)  # never rotated away as a daily backup


def test_a_damaged_backup_is_refused_and_nothing_changes(store: Store, database: Path) -> None:
    add(store, "GZ-001")
    store.engine.dispose()
    broken = database.parent / "kapot.db"
    broken.write_bytes(b"geen database" * 100)
    before = database.read_bytes()
    with pytest.raises(StoreError, match="geen gave reservekopie"):
        restore(database, broken, now=datetime(2026, 11, 2))
    assert database.read_bytes() == before
    with pytest.raises(StoreError):
        check_backup(broken)


def test_herstel_on_the_command_line(
    store: Store, database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["herstel", "--ja"]) == 1
    assert "nog geen reservekopieën" in capsys.readouterr().err
    add(store, "GZ-001")
    daily_backup(database, today=date(2026, 11, 1))
    add(store, "GZ-002")
    store.engine.dispose()
    assert main(["herstel", "--lijst"]) == 0
    assert "wijkgesprek-2026-11-01.db" in capsys.readouterr().out
    assert main(["herstel", "--ja"]) == 0
    out = capsys.readouterr().out
    assert "Teruggezet" in out and "De vorige database is bewaard" in out
    assert codes(database) == ["GZ-001"]


async def test_the_app_makes_todays_backup_after_the_first_frame(database: Path) -> None:
    app = WijkgesprekApp(guide=load_guide(shipped_questions()), database=database)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: bool(list_backups(database)))
    (backup,) = list_backups(database)
    assert backup.name == f"wijkgesprek-{date.today():%Y-%m-%d}.db"
    assert os.path.getsize(backup) > 0


def damage(database: Path) -> None:
    for suffix in ("-wal", "-shm"):
        database.with_name(database.name + suffix).unlink(missing_ok=True)
    database.write_bytes(b"SQLite format 3\0" + b"\xff" * 4000)


@pytest.fixture
def damaged_with_backup(store: Store, database: Path) -> Path:
    add(store, "GZ-001")
    daily_backup(database, today=date(2026, 11, 1))
    store.engine.dispose()
    damage(database)
    return database


def test_start_offers_the_newest_backup_for_a_damaged_database(
    damaged_with_backup: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    started: list[Path] = []
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: "ja")
    monkeypatch.setattr(WijkgesprekApp, "run", lambda app: started.append(app.database.path))
    assert main([]) == 0
    captured = capsys.readouterr()
    assert "beschadigd" in captured.err
    assert "Teruggezet: wijkgesprek-2026-11-01.db" in captured.out
    assert started == [damaged_with_backup]
    assert codes(damaged_with_backup) == ["GZ-001"]
    (kept,) = (damaged_with_backup.parent / "reservekopieen").glob("voor-herstel-*.db")
    assert kept.read_bytes().startswith(b"SQLite format 3\0\xff")  # the damaged bytes


def test_declining_the_backup_changes_nothing(
    damaged_with_backup: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = damaged_with_backup.read_bytes()
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: "nee")
    monkeypatch.setattr(WijkgesprekApp, "run", lambda app: pytest.fail("the app started"))
    assert main([]) == 1
    assert "niet gewijzigd" in capsys.readouterr().err
    assert damaged_with_backup.read_bytes() == before


def test_without_a_keyboard_the_message_names_the_newest_backup(
    damaged_with_backup: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)
    monkeypatch.setattr(WijkgesprekApp, "run", lambda app: pytest.fail("the app started"))
    assert main([]) == 1
    err = capsys.readouterr().err
    assert "beschadigd" in err and "wijkgesprek-2026-11-01.db" in err
    assert "Traceback" not in err


def test_a_restore_that_fails_halfway_leaves_the_current_database_whole(
    store: Store, database: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add(store, "GZ-001")
    backup = daily_backup(database, today=date(2026, 11, 1))
    add(store, "GZ-002")
    store.engine.dispose()
    assert backup is not None
    from wijkgesprek.store import backup as backups

    real_connect = backups.connect

    def failing_connect(path: Path, **options: object) -> object:
        # A new file in the data folder is the copy of the backup: the disk fails there.
        if Path(path).parent == database.parent and not Path(path).exists():
            raise sqlite3.OperationalError("disk I/O error")
        return real_connect(path, **options)

    monkeypatch.setattr(backups, "connect", failing_connect)
    with pytest.raises(StoreError, match="niets veranderd"):
        restore(database, backup, now=datetime(2026, 11, 2, 10, 0))
    monkeypatch.undo()
    assert codes(database) == ["GZ-002", "GZ-001"]
    assert sorted(p.name for p in database.parent.iterdir() if ".tmp" in p.name) == []


def test_restore_makes_the_private_backup_folder_for_the_kept_database(
    store: Store, database: Path, tmp_path: Path
) -> None:
    add(store, "GZ-001")
    store.engine.dispose()
    elsewhere = tmp_path / "elders.db"  # a backup from a USB stick, say
    elsewhere.write_bytes(database.read_bytes())
    add_store = Store(database)
    try:
        add(add_store, "GZ-002")
    finally:
        add_store.engine.dispose()
    folder = database.parent / "reservekopieen"
    assert not folder.exists()
    kept = restore(database, elsewhere, now=datetime(2026, 11, 2, 10, 0))
    assert kept is not None and kept.parent == folder
    assert codes(kept) == ["GZ-002", "GZ-001"] and codes(database) == ["GZ-001"]
    if sys.platform != "win32":
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert stat.S_IMODE(kept.stat().st_mode) == 0o600


# -- issue 18, point 4: a damaged database never pushes the last good backup out ------


def damage_page(path: Path, page: int) -> None:
    """Overwrite one whole page (4096 bytes, counted from 1) of a database file."""
    for suffix in ("-wal", "-shm"):
        assert not path.with_name(path.name + suffix).exists()
    with path.open("r+b") as handle:
        handle.seek((page - 1) * 4096)
        handle.write(b"\xa5" * 4096)


def note_page(path: Path) -> int:
    """The page of the note table (its root: with a few notes, where they are)."""
    connection = sqlite3.connect(path)
    try:
        return int(
            connection.execute("SELECT rootpage FROM sqlite_master WHERE name = 'note'").fetchone()[
                0
            ]
        )
    finally:
        connection.close()


def backups_of_days(store: Store, database: Path, days: range, *, keep: int = 7) -> None:
    """One backup per day, each after a new household (so each holds one more)."""
    for day in days:
        add(store, f"GZ-{day:03d}")
        daily_backup(database, today=date(2026, 11, day), keep=keep)
    store.engine.dispose()


def names(database: Path) -> list[str]:
    return [path.name for path in list_backups(database)]


def test_a_damaged_database_is_not_backed_up_and_no_good_backup_is_rotated_out(
    store: Store, database: Path
) -> None:
    backups_of_days(store, database, range(1, 4), keep=3)
    damage_page(database, note_page(database))
    before = {path: path.read_bytes() for path in list_backups(database)}
    for day in range(4, 8):  # a week of starts with the damaged database
        with pytest.raises(DamagedDatabase, match="beschadigd") as caught:
            daily_backup(database, today=date(2026, 11, day), keep=3)
        assert "wijkgesprek herstel" in str(caught.value)
        assert "wijkgesprek-2026-11-03.db" in str(caught.value)  # the newest good one
    assert {path: path.read_bytes() for path in list_backups(database)} == before
    for backup in list_backups(database):
        check_backup(backup)


def test_rotation_keeps_the_last_good_backup_when_the_newer_ones_are_damaged(
    store: Store, database: Path
) -> None:
    backups_of_days(store, database, range(1, 5), keep=7)
    for day in (2, 3, 4):  # damaged on disk (or made by an older version from bad data)
        backup = backup_folder(database) / f"wijkgesprek-2026-11-0{day}.db"
        damage_page(backup, note_page(backup))
    daily_backup(database, today=date(2026, 11, 4), keep=3)  # today's is there already
    assert names(database) == [
        "wijkgesprek-2026-11-04.db",
        "wijkgesprek-2026-11-03.db",
        "wijkgesprek-2026-11-02.db",
        "wijkgesprek-2026-11-01.db",  # the last good one stays
    ]
    daily_backup(database, today=date(2026, 11, 5), keep=3)  # a good one again
    assert names(database) == [
        "wijkgesprek-2026-11-05.db",
        "wijkgesprek-2026-11-04.db",
        "wijkgesprek-2026-11-03.db",
    ]


@pytest.fixture
def damaged_newest_backup(store: Store, database: Path) -> Path:
    """Backups of 1–4 November, each with one more household; the newest is damaged."""
    backups_of_days(store, database, range(1, 5))
    newest = list_backups(database)[0]
    damage_page(newest, note_page(newest))
    return newest


def test_herstel_takes_the_newest_intact_backup_and_says_it_skipped_one(
    damaged_newest_backup: Path, database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["herstel", "--ja"]) == 0
    captured = capsys.readouterr()
    assert "wijkgesprek-2026-11-04.db is beschadigd" in captured.err
    assert "Teruggezet: " in captured.out and "wijkgesprek-2026-11-03.db" in captured.out
    assert codes(database) == ["GZ-003", "GZ-002", "GZ-001"]
    assert "Traceback" not in captured.err


def test_herstel_without_an_intact_backup_changes_nothing(
    store: Store, database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backups_of_days(store, database, range(1, 3))
    for backup in list_backups(database):
        damage_page(backup, note_page(backup))
    before = database.read_bytes()
    assert main(["herstel", "--ja"]) == 1
    err = capsys.readouterr().err
    assert "wijkgesprek-2026-11-02.db is beschadigd" in err
    assert "geen gave reservekopie" in err and "niets veranderd" in err
    assert database.read_bytes() == before


def test_the_start_offers_the_newest_intact_backup(
    damaged_newest_backup: Path,
    database: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    damage(database)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    asked: list[str] = []
    monkeypatch.setattr("builtins.input", lambda prompt: asked.append(prompt) or "ja")
    monkeypatch.setattr(WijkgesprekApp, "run", lambda app: None)
    assert main([]) == 0
    captured = capsys.readouterr()
    assert "wijkgesprek-2026-11-04.db is beschadigd" in captured.err
    assert "wijkgesprek-2026-11-03.db" in asked[0]
    assert codes(database) == ["GZ-003", "GZ-002", "GZ-001"]
