"""Encryption at rest (SQLCipher with an scrypt key) and the lock of the app."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from helpers import SIZE, notifications, start_visit, wait_until
from textual.widgets import Input, Static

from wijkgesprek import paths
from wijkgesprek.app import WijkgesprekApp
from wijkgesprek.cli import main
from wijkgesprek.config import Config
from wijkgesprek.content.questions import load_guide
from wijkgesprek.domain.household import Children
from wijkgesprek.errors import StoreError
from wijkgesprek.screens.lock import LockScreen
from wijkgesprek.screens.visit import VisitScreen
from wijkgesprek.store import crypto, repo
from wijkgesprek.store.backup import daily_backup, list_backups, restore
from wijkgesprek.store.engine import Store
from wijkgesprek.store.search import search

pytest.importorskip("sqlcipher3", reason="SQLCipher (wijkgesprek[versleuteling]) is not installed")

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
PASSPHRASE = "een lang en geheim wachtwoord"
SECRET = "Roerdomp-vertrouwelijk"


def raw_bytes(folder: Path) -> bytes:
    return b"".join(path.read_bytes() for path in folder.rglob("*") if path.is_file())


def fill(database: Path) -> None:
    store = Store(database)
    try:
        visit = store.run(
            repo.start_visit, code="GZ-001", wijk="Noord", children=Children(), now=NOW
        )
        store.run(repo.save_note, visit_id=visit, topic="stress", text=SECRET, now=NOW)
    finally:
        store.engine.dispose()


@pytest.fixture
def keyboard(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the user will type at the passphrase prompts, in order."""
    typed: list[str] = []
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr("getpass.getpass", lambda prompt: typed.pop(0))
    return typed


@pytest.fixture
def encrypted(database: Path, keyboard: list[str]) -> Path:
    fill(database)
    daily_backup(database, today=date(2026, 11, 1))
    keyboard += [PASSPHRASE, PASSPHRASE]
    assert main(["versleutel"]) == 0
    assert crypto.is_encrypted(database)
    crypto.forget()  # as after a restart
    return database


def test_versleutel_says_what_it_did(
    database: Path, keyboard: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    fill(database)
    keyboard += [PASSPHRASE, PASSPHRASE]
    assert main(["versleutel"]) == 0
    assert "De database en 0 reservekopie(ën) zijn versleuteld" in capsys.readouterr().out
    assert main(["versleutel"]) == 1  # once is enough
    assert "al versleuteld" in capsys.readouterr().err


def test_versleutel_leaves_no_plain_text_anywhere(encrypted: Path) -> None:
    assert all(crypto.is_encrypted(path) for path in list_backups(encrypted))
    data = raw_bytes(encrypted.parent)
    assert SECRET.encode() not in data and b"GZ-001" not in data
    with pytest.raises(StoreError, match="versleuteld"):
        Store(encrypted).run(repo.list_households)


def test_the_passphrase_opens_it_and_search_still_works(
    encrypted: Path, keyboard: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    keyboard += ["verkeerd wachtwoord", PASSPHRASE]
    assert main(["zoek", "roerdomp"]) == 0
    captured = capsys.readouterr()
    assert "Het wachtwoord klopt niet" in captured.err
    assert "GZ-001" in captured.out
    store = Store(encrypted)  # the key stays for this process
    try:
        assert [hit.household_code for hit in store.run(search, text="roerdomp")] == ["GZ-001"]
        visit = store.run(
            repo.start_visit, code="GZ-002", wijk="Oost", children=Children(), now=NOW
        )
        store.run(repo.save_note, visit_id=visit, topic="stress", text="Nieuw-Kievit", now=NOW)
    finally:
        store.engine.dispose()
    assert b"Nieuw-Kievit" not in raw_bytes(encrypted.parent)


def test_three_wrong_passphrases_stop_without_a_traceback(
    encrypted: Path, keyboard: list[str], capfd: pytest.CaptureFixture[str]
) -> None:
    keyboard += ["fout een", "fout twee", "fout drie"]
    assert main(["zoek", "roerdomp"]) == 1
    err = capfd.readouterr().err  # also what the C library writes itself
    assert err.count("Het wachtwoord klopt niet") == 3
    assert "3 keer een verkeerd wachtwoord" in err and "Traceback" not in err
    assert "ERROR" not in err  # SQLCipher's own log lines stay off the terminal


def test_without_a_terminal_the_passphrase_cannot_be_asked(
    encrypted: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)
    assert main(["trends"]) == 1
    assert "is versleuteld; start wijkgesprek in een terminal" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (["kort", "kort"], "minstens 10 tekens"),
        ([PASSPHRASE, PASSPHRASE + "!"], "niet gelijk"),
    ],
)
def test_versleutel_refuses_a_short_or_mistyped_passphrase(
    database: Path,
    keyboard: list[str],
    capsys: pytest.CaptureFixture[str],
    typed: list[str],
    message: str,
) -> None:
    fill(database)
    keyboard += typed
    assert main(["versleutel"]) == 1
    assert message in capsys.readouterr().err
    assert not crypto.is_encrypted(database)


def test_versleutel_without_sqlcipher_says_how_to_install(
    database: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "sqlcipher3", None)  # as if it were not installed
    assert main(["versleutel"]) == 1
    assert "wijkgesprek[versleuteling]" in capsys.readouterr().err


def test_backups_of_an_encrypted_database_are_encrypted_and_restore(encrypted: Path) -> None:
    crypto.unlock(encrypted, PASSPHRASE)
    made = daily_backup(encrypted, today=date(2026, 11, 2))
    assert made is not None and crypto.is_encrypted(made)
    assert SECRET.encode() not in made.read_bytes()
    restore(encrypted, made, now=datetime(2026, 11, 3))
    store = Store(encrypted)
    try:
        assert [row.code for row in store.run(repo.list_households)] == ["GZ-001"]
    finally:
        store.engine.dispose()


# -- the lock -------------------------------------------------------------------------------


def locked_app(database: Path, minutes: float) -> WijkgesprekApp:
    crypto.unlock(database, PASSPHRASE)
    return WijkgesprekApp(
        guide=load_guide(paths.shipped_questions()),
        database=database,
        config=Config(lock_minutes=minutes),
    )


async def unlock(pilot, passphrase: str) -> None:  # type: ignore[no-untyped-def]
    field = pilot.app.screen.query_one(Input)
    field.value = passphrase
    await pilot.press("enter")


async def test_ctrl_l_locks_and_only_the_passphrase_unlocks(encrypted: Path) -> None:
    app = locked_app(encrypted, minutes=0)  # no idle lock: only the key
    async with app.run_test(size=SIZE) as pilot:
        await start_visit(pilot, code="GZ-003")
        await pilot.press(*"Kwartel-notitie")
        visit = app.screen
        await pilot.press("ctrl+l")
        await wait_until(pilot, lambda: isinstance(app.screen, LockScreen))
        lock = app.screen
        shown = " ".join(str(widget.render()) for widget in lock.query(Static))
        assert "Kwartel" not in shown and "GZ-003" not in shown
        await pilot.press("ctrl+p", "ctrl+g")  # the palette and discreet mode stay shut
        assert app.screen is lock and not app.discreet
        await unlock(pilot, "verkeerd wachtwoord")
        error = lock.query_one("#form-error", Static)
        await wait_until(pilot, lambda: "klopt niet" in str(error.render()))
        assert app.screen is lock
        await unlock(pilot, PASSPHRASE)
        await wait_until(pilot, lambda: app.screen is visit)
        assert isinstance(visit, VisitScreen) and visit.note.text == "Kwartel-notitie"
    store = Store(encrypted)
    try:
        (row,) = [r for r in store.run(repo.list_households) if r.code == "GZ-003"]
        assert row.open_visit_id is not None
        note = store.run(repo.get_visit, visit_id=row.open_visit_id).notes["kennismaking"]
        assert note.text == "Kwartel-notitie"  # saved before the lock
    finally:
        store.engine.dispose()


async def test_the_app_locks_itself_when_left_alone(encrypted: Path) -> None:
    app = locked_app(encrypted, minutes=0.01)  # 0.6 s without keys
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, LockScreen), seconds=15)


async def test_without_encryption_ctrl_l_explains(database: Path) -> None:
    app = WijkgesprekApp(guide=load_guide(paths.shipped_questions()), database=database)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert not isinstance(app.screen, LockScreen)
        assert any("versleutel" in said for said in notifications(app))


def test_a_plain_backup_restores_into_an_encrypted_setup_encrypted(
    database: Path, keyboard: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fill(database)
    made = daily_backup(database, today=date(2026, 11, 1))
    assert made is not None
    plain = tmp_path / "van-voor-versleutelen.db"  # kept elsewhere, so never encrypted
    plain.write_bytes(made.read_bytes())
    keyboard += [PASSPHRASE, PASSPHRASE]
    assert main(["versleutel"]) == 0
    crypto.forget()
    crypto.unlock(database, PASSPHRASE)
    store = Store(database)
    try:
        store.run(repo.start_visit, code="GZ-002", wijk="Oost", children=Children(), now=NOW)
    finally:
        store.engine.dispose()
    crypto.forget()  # as a new `wijkgesprek herstel`, which asks the passphrase
    keyboard += [PASSPHRASE]
    assert main(["herstel", str(plain), "--ja"]) == 0
    assert "Teruggezet" in capsys.readouterr().out
    assert crypto.is_encrypted(database)  # the setup stays encrypted
    assert SECRET.encode() not in raw_bytes(database.parent)
    store = Store(database)
    try:
        assert [row.code for row in store.run(repo.list_households)] == ["GZ-001"]
    finally:
        store.engine.dispose()
    (kept,) = (database.parent / "reservekopieen").glob("voor-herstel-*.db")
    store = Store(kept)
    try:
        assert [row.code for row in store.run(repo.list_households)] == ["GZ-002", "GZ-001"]
    finally:
        store.engine.dispose()


def test_herstel_without_a_database_asks_the_passphrase_of_the_backup(
    encrypted: Path, keyboard: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    for suffix in ("", "-wal", "-shm"):
        encrypted.with_name(encrypted.name + suffix).unlink(missing_ok=True)
    keyboard += ["verkeerd wachtwoord", PASSPHRASE]
    assert main(["herstel", "--ja"]) == 0
    captured = capsys.readouterr()
    assert "Het wachtwoord klopt niet" in captured.err
    assert "Teruggezet" in captured.out and "Traceback" not in captured.err
    assert crypto.is_encrypted(encrypted)
    store = Store(encrypted)
    try:
        assert [row.code for row in store.run(repo.list_households)] == ["GZ-001"]
    finally:
        store.engine.dispose()


def test_herstel_lijst_needs_no_passphrase(
    encrypted: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("getpass.getpass", lambda prompt: pytest.fail("asked a passphrase"))
    assert main(["herstel", "--lijst"]) == 0
    assert "wijkgesprek-2026-11-01.db" in capsys.readouterr().out


def test_a_damaged_encrypted_database_is_called_damaged_and_the_backup_offered(
    encrypted: Path,
    keyboard: list[str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for suffix in ("-wal", "-shm"):
        encrypted.with_name(encrypted.name + suffix).unlink(missing_ok=True)
    data = bytearray(encrypted.read_bytes())
    data[16:4096] = b"\xa5" * (4096 - 16)  # the salt stays; the first pages are gone
    encrypted.write_bytes(bytes(data))
    keyboard += [PASSPHRASE] * 3
    monkeypatch.setattr("builtins.input", lambda prompt: "ja")
    started: list[Path] = []
    monkeypatch.setattr(WijkgesprekApp, "run", lambda app: started.append(app.database.path))
    assert main([]) == 0
    captured = capsys.readouterr()
    assert "beschadigd" in captured.err and "klopt niet" not in captured.err
    assert "Teruggezet: wijkgesprek-2026-11-01.db" in captured.out
    assert started == [encrypted] and len(keyboard) == 2  # asked once
    assert crypto.is_encrypted(encrypted)
    store = Store(encrypted)
    try:
        assert [row.code for row in store.run(repo.list_households)] == ["GZ-001"]
    finally:
        store.engine.dispose()


HOLDER = """
import sys
from pathlib import Path
from wijkgesprek.store import repo
from wijkgesprek.store.engine import Store

store = Store(Path(sys.argv[1]))
store.run(repo.list_households)  # as the app: a pooled connection stays open, idle
print("open", flush=True)
sys.stdin.readline()
store.engine.dispose()
"""


@contextmanager
def open_in_a_window(database: Path) -> Iterator[None]:
    """Another process holds the database open, idle, as a window of wijkgesprek does."""
    import subprocess

    window = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(database)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert window.stdout is not None and window.stdout.readline() == "open\n"
        yield
    finally:
        window.communicate("\n", timeout=30)


def test_herstel_refuses_while_wijkgesprek_has_the_database_open(
    database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fill(database)
    backup = daily_backup(database, today=date(2026, 11, 1), keep=7)
    assert backup is not None
    with open_in_a_window(database):
        assert main(["herstel", "--ja"]) == 1
        err = capsys.readouterr().err
        assert "Sluit eerst alle vensters van wijkgesprek" in err and "Traceback" not in err
        assert not list(backup.parent.glob("voor-herstel-*"))  # nothing was changed
    assert main(["herstel", "--ja"]) == 0  # once the window is closed


def test_versleutel_refuses_while_wijkgesprek_has_the_database_open(
    database: Path, keyboard: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    fill(database)
    with open_in_a_window(database):
        keyboard += [PASSPHRASE, PASSPHRASE]
        assert main(["versleutel"]) == 1
        err = capsys.readouterr().err
        assert "Sluit eerst alle vensters van wijkgesprek" in err and "Traceback" not in err
        assert not crypto.is_encrypted(database)
    crypto.forget()
    keyboard += [PASSPHRASE, PASSPHRASE]
    assert main(["versleutel"]) == 0  # once the window is closed
    assert crypto.is_encrypted(database)


def test_a_failing_swap_leaves_the_plain_database_whole(
    database: Path, keyboard: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno
    import os

    fill(database)
    real_replace = os.replace

    def failing_replace(source: object, target: object) -> None:
        if Path(str(target)) == database:  # the moment the encrypted file takes its place
            raise OSError(errno.EIO, "I/O error")
        real_replace(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", failing_replace)
    keyboard += [PASSPHRASE, PASSPHRASE]
    assert main(["versleutel"]) == 1
    monkeypatch.undo()
    crypto.forget()
    assert not crypto.is_encrypted(database)
    assert sorted(p.name for p in database.parent.iterdir() if p.is_file()) == [database.name]
    store = Store(database)
    try:
        assert [row.code for row in store.run(repo.list_households)] == ["GZ-001"]
        assert store.run(search, text="roerdomp")  # the note is still there, readable
    finally:
        store.engine.dispose()


def test_versleutel_overwrites_the_plain_copy_an_interruption_left(
    encrypted: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    aside = encrypted.with_name(encrypted.name + crypto.ASIDE)
    aside.write_bytes(b"SQLite format 3\0" + SECRET.encode() * 100)  # as after a crash
    assert main(["versleutel"]) == 0  # already encrypted: only the leftover to remove
    assert "overschreven en verwijderd" in capsys.readouterr().out
    assert not aside.exists()
    assert SECRET.encode() not in raw_bytes(encrypted.parent)


async def test_help_over_the_lock_opens_nothing_else(encrypted: Path) -> None:
    from wijkgesprek.screens.help import HelpScreen

    app = locked_app(encrypted, minutes=0)
    async with app.run_test(size=SIZE) as pilot:
        await start_visit(pilot, code="GZ-003")
        visit = app.screen
        await pilot.press("ctrl+l")
        await wait_until(pilot, lambda: isinstance(app.screen, LockScreen))
        lock = app.screen
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        help_screen = app.screen
        for action in ("command_palette", "discreet", "veilig_thuis", "toggle_colours"):
            assert not app.check_action(action, ())
        await pilot.press("ctrl+p", "ctrl+g", "ctrl+o")
        await pilot.pause()
        assert app.screen is help_screen and not app.discreet
        # The passphrase arrives while the help is open: help and lock go, nothing else.
        assert isinstance(lock, LockScreen)
        await lock._checked(True)
        await wait_until(pilot, lambda: app.screen is visit)
        assert lock not in app.screen_stack and visit in app.screen_stack
        assert app.check_action("discreet", ())


async def test_the_passphrase_field_is_plainly_visible_at_80_by_24(encrypted: Path) -> None:
    app = locked_app(encrypted, minutes=0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+l")
        await wait_until(pilot, lambda: isinstance(app.screen, LockScreen))
        field = app.screen.query_one(Input)
        await pilot.pause()
        assert not field.compact and field.region.height == 3  # a bordered box
        assert app.screen.region.contains_region(field.region)
        assert field.has_focus


async def test_five_wrong_passphrases_stop_the_app_with_the_work_saved(encrypted: Path) -> None:
    app = locked_app(encrypted, minutes=0)
    async with app.run_test(size=SIZE) as pilot:
        await start_visit(pilot, code="GZ-003")
        await pilot.press(*"Grutto-notitie", "ctrl+l")
        await wait_until(pilot, lambda: isinstance(app.screen, LockScreen))
        field = app.screen.query_one(Input)
        for _ in range(5):
            await wait_until(pilot, lambda: not field.disabled)
            await unlock(pilot, "verkeerd wachtwoord")
        await wait_until(pilot, lambda: app._exit)
    assert app.return_code == 1
    store = Store(encrypted)
    try:
        (row,) = [r for r in store.run(repo.list_households) if r.code == "GZ-003"]
        assert row.open_visit_id is not None
        note = store.run(repo.get_visit, visit_id=row.open_visit_id).notes["kennismaking"]
        assert note.text == "Grutto-notitie"
    finally:
        store.engine.dispose()


def test_erase_reaches_the_encrypted_backups_and_keeps_them_encrypted(
    encrypted: Path, keyboard: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    keyboard += [PASSPHRASE]
    assert main(["wis", "GZ-001", "--bevestig", "GZ-001"]) == 0
    assert "ook gewist uit 1 reservekopie(ën)" in capsys.readouterr().out
    (backup,) = list_backups(encrypted)
    assert crypto.is_encrypted(backup)
    store = Store(backup)
    try:
        assert store.run(repo.list_households) == []
        assert store.run(search, text="roerdomp") == []
    finally:
        store.engine.dispose()
