"""``versleutel`` interrupted at every step, then run again (issue 18, point 6): no plain
byte of a note is left in any file of the data folder, and the job is finished."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from test_encryption import SECRET, fill

from wijkgesprek.cli import main
from wijkgesprek.store import crypto, repo
from wijkgesprek.store.backup import check_backup, daily_backup, list_backups
from wijkgesprek.store.engine import Store

pytest.importorskip("sqlcipher3", reason="SQLCipher (wijkgesprek[versleuteling]) is not installed")

PASSPHRASE = "een lang en geheim wachtwoord"


@pytest.fixture(autouse=True)
def quick_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """A cheaper scrypt: these tests derive the key some hundred times."""
    monkeypatch.setattr(crypto, "SCRYPT_N", 2**10)


@pytest.fixture
def keyboard(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    typed: list[str] = []
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr("getpass.getpass", lambda prompt: typed.pop(0))
    return typed


@pytest.fixture
def plain(database: Path) -> Path:
    """A plain database with a secret note and two daily backups holding it."""
    fill(database)
    daily_backup(database, today=date(2026, 11, 1))
    daily_backup(database, today=date(2026, 11, 2))
    return database


def files(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*") if path.is_file())


def assert_finished(database: Path) -> None:
    """Everything encrypted with the passphrase, nothing plain left anywhere."""
    for path in files(database.parent):
        assert SECRET.encode() not in path.read_bytes(), path
        assert b"GZ-001" not in path.read_bytes(), path
    leftovers = [p.name for p in files(database.parent) if not p.name.endswith((".db", "-shm"))]
    assert leftovers in ([], [f"{database.name}-wal"]), leftovers
    crypto.forget()
    crypto.unlock(database, PASSPHRASE)
    store = Store(database)
    try:
        assert [row.code for row in store.run(repo.list_households)] == ["GZ-001"]
    finally:
        store.engine.dispose()
    assert [p.name for p in list_backups(database)] == [
        "wijkgesprek-2026-11-02.db",
        "wijkgesprek-2026-11-01.db",
    ]
    for backup in list_backups(database):
        assert crypto.is_encrypted(backup)
        check_backup(backup)


def test_versleutel_interrupted_between_the_backups_finishes_when_run_again(
    plain: Path, keyboard: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = crypto.encrypt_file
    done: list[Path] = []

    def ctrl_c_at_the_second_file(path: Path, passphrase: str) -> None:
        if done:
            raise KeyboardInterrupt  # Ctrl+C once the database is encrypted
        real(path, passphrase)
        done.append(path)

    monkeypatch.setattr(crypto, "encrypt_file", ctrl_c_at_the_second_file)
    keyboard += [PASSPHRASE, PASSPHRASE]
    assert main(["versleutel"]) == 130
    assert done == [plain] and not any(crypto.is_encrypted(p) for p in list_backups(plain))
    monkeypatch.setattr(crypto, "encrypt_file", real)
    crypto.forget()
    keyboard += [PASSPHRASE]  # the database's passphrase, asked once
    assert main(["versleutel"]) == 0
    assert not keyboard
    assert_finished(plain)


def test_versleutel_run_again_with_a_wrong_passphrase_changes_nothing(
    plain: Path, keyboard: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = crypto.encrypt_file
    monkeypatch.setattr(
        crypto, "encrypt_file", lambda path, passphrase: real(path, passphrase) or sys.exit(130)
    )
    keyboard += [PASSPHRASE, PASSPHRASE]
    with pytest.raises(SystemExit):
        main(["versleutel"])
    monkeypatch.setattr(crypto, "encrypt_file", real)
    crypto.forget()
    before = {path: path.read_bytes() for path in list_backups(plain)}
    keyboard += ["een ander wachtwoord"] * 3
    assert main(["versleutel"]) == 1
    assert {path: path.read_bytes() for path in list_backups(plain)} == before


def test_a_partial_copy_left_by_a_killed_backup_is_overwritten(
    plain: Path, keyboard: list[str]
) -> None:
    import subprocess

    gone = subprocess.Popen(["true"])
    gone.wait()  # a process that made a copy and is no more
    folder = plain.parent / "reservekopieen"
    partial = folder / f"wijkgesprek-2026-11-03.db.{gone.pid}.tmp"
    partial.write_bytes(list_backups(plain)[0].read_bytes()[:8192])
    running = folder / f"wijkgesprek-2026-11-03.db.{os.getpid()}.tmp"  # still being made
    running.write_bytes(b"")
    keyboard += [PASSPHRASE, PASSPHRASE]
    assert main(["versleutel"]) == 0
    assert not partial.exists() and running.exists()
    running.unlink()
    assert_finished(plain)


def test_without_hard_links_a_database_set_aside_is_put_back(plain: Path) -> None:
    """Killed right after the plain database was renamed aside (a file system without
    hard links): the next run puts it back, never overwrites it."""
    aside = plain.with_name(plain.name + crypto.ASIDE)
    os.replace(plain, aside)
    assert crypto.remove_leftovers(plain)
    assert plain.exists() and not aside.exists()
    store = Store(plain)
    try:
        assert [row.code for row in store.run(repo.list_households)] == ["GZ-001"]
    finally:
        store.engine.dispose()


# -- killed at every step ---------------------------------------------------------------

STEPS = ("replace", "link", "unlink", "fsync", "rename")
"""The calls of ``os`` that change or sync a file: versleutel is killed just before each."""


def killed_at(step: int, keyboard: list[str]) -> int:
    """Run ``versleutel`` in a forked child that kills itself (SIGKILL) just before its
    ``step``-th file step (0: never); the number of steps it took (when not killed)."""
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # the child: never back into pytest
        os.close(read)
        counted = [0]

        def counting(call: Callable[..., Any]) -> Callable[..., Any]:
            def wrapper(*args: Any, **kwargs: Any) -> Any:
                counted[0] += 1
                if counted[0] == step:
                    os.kill(os.getpid(), signal.SIGKILL)
                return call(*args, **kwargs)

            return wrapper

        try:
            for name in STEPS:
                setattr(os, name, counting(getattr(os, name)))
            keyboard += [PASSPHRASE, PASSPHRASE]
            code = main(["versleutel"])
            os.write(write, f"{code} {counted[0]}".encode())
        finally:
            os._exit(0)
    os.close(write)
    _, status = os.waitpid(child, 0)
    said = os.read(read, 100).decode()
    os.close(read)
    if step:
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, said
        return step
    code, steps = said.split()
    assert code == "0"
    return int(steps)


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL (POSIX)")
def test_versleutel_killed_at_every_step_and_run_again(
    plain: Path, keyboard: list[str], tmp_path: Path
) -> None:
    import shutil

    start = tmp_path / "begin"
    shutil.copytree(plain.parent, start)
    steps = killed_at(0, keyboard)  # a whole run: how many steps it takes
    assert steps > 10, steps
    assert_finished(plain)
    for step in range(1, steps + 1):
        shutil.rmtree(plain.parent)
        shutil.copytree(start, plain.parent)
        crypto.forget()
        killed_at(step, keyboard)
        crypto.forget()
        keyboard[:] = [PASSPHRASE, PASSPHRASE]
        code = main(["versleutel"])
        assert code in (0, 1), step  # 1: "al versleuteld", nothing left to do
        assert_finished(plain)
