"""What keeps the first frame quick: header-only database check, guide from the cache."""

from __future__ import annotations

import os
import sqlite3
import sys
import threading
from pathlib import Path

import pytest
from helpers import SIZE, wait_until

from wijkgesprek.app import WijkgesprekApp
from wijkgesprek.content.cache import cached, is_current
from wijkgesprek.content.model import Guide
from wijkgesprek.content.questions import load_guide
from wijkgesprek.errors import ContentError, Problem
from wijkgesprek.paths import shipped_questions
from wijkgesprek.screens.home import HomeScreen
from wijkgesprek.store.schema import APPLICATION_ID, SCHEMA_VERSION, is_ready, prepare_database


def test_a_prepared_database_is_ready_from_its_header(tmp_path: Path) -> None:
    path = tmp_path / "data" / "wijkgesprek.db"
    assert not is_ready(path)  # nothing there yet
    prepare_database(path)
    assert is_ready(path)


@pytest.mark.parametrize(
    ("version", "application"),
    [
        (SCHEMA_VERSION - 1, APPLICATION_ID),
        (SCHEMA_VERSION + 1, APPLICATION_ID),
        (SCHEMA_VERSION, 7),
    ],
    ids=["older", "newer", "other-application"],
)
def test_anything_else_is_left_to_the_full_check(
    tmp_path: Path, version: int, application: int
) -> None:
    path = tmp_path / "wijkgesprek.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE t (x)")
        connection.execute(f"PRAGMA user_version = {version}")
        connection.execute(f"PRAGMA application_id = {application}")
    assert not is_ready(path)


def test_a_wal_with_content_is_left_to_the_full_check(tmp_path: Path) -> None:
    path = tmp_path / "data" / "wijkgesprek.db"
    prepare_database(path)
    path.with_name(path.name + "-wal").write_bytes(b"\0" * 32)
    assert not is_ready(path)


def test_the_guide_cache_is_current_until_the_file_changes(tmp_path: Path) -> None:
    guide_file = tmp_path / "vragen.yaml"
    guide_file.write_bytes(shipped_questions().read_bytes())
    cache = tmp_path / "cache"
    assert not is_current(guide_file, kind="leidraad", cache_dir=cache)
    first = cached(
        guide_file,
        kind="leidraad",
        build=lambda: load_guide(guide_file),
        cache_dir=cache,
        expect=Guide,
    )
    assert is_current(guide_file, kind="leidraad", cache_dir=cache)

    def fail() -> Guide:
        raise AssertionError("parsed again")

    assert cached(guide_file, kind="leidraad", build=fail, cache_dir=cache, expect=Guide) == first
    (cache_file,) = cache.iterdir()
    if sys.platform != "win32":
        os.chmod(cache_file, 0o644)  # readable by others: never trusted
        assert not is_current(guide_file, kind="leidraad", cache_dir=cache)
        os.chmod(cache_file, 0o600)
    guide_file.write_bytes(guide_file.read_bytes() + b"\n# gewijzigd\n")
    assert not is_current(guide_file, kind="leidraad", cache_dir=cache)


async def test_app_loads_the_guide_after_the_first_frame(tmp_path: Path) -> None:
    database = tmp_path / "data" / "wijkgesprek.db"
    prepare_database(database)
    calls: list[str] = []

    def loader() -> Guide:
        calls.append("geladen")
        return load_guide(shipped_questions())

    app = WijkgesprekApp(guide=loader, database=database)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and calls)
        assert app.guide.topics[0].id == "kennismaking"
    assert calls == ["geladen"]


async def test_a_guide_broken_since_the_check_ends_the_app_with_its_message(
    tmp_path: Path,
) -> None:
    database = tmp_path / "data" / "wijkgesprek.db"
    prepare_database(database)
    problem = Problem(tmp_path / "vragen.yaml", 3, 1, "onbekende sleutel 'vragn'")

    def loader() -> Guide:
        raise ContentError([problem])

    app = WijkgesprekApp(guide=loader, database=database)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: not app.is_running, 5)
    assert app.return_code == 1


def test_the_guide_is_loaded_once_when_a_worker_asks_at_the_same_time(tmp_path: Path) -> None:
    """The home screen's worker thread reads the guide while the first frame loads it."""
    inside, release = threading.Event(), threading.Event()
    calls: list[str] = []

    def loader() -> Guide:
        calls.append("geladen")
        if len(calls) == 1:
            inside.set()
            release.wait(timeout=10)
        return load_guide(shipped_questions())

    app = WijkgesprekApp(guide=loader, database=tmp_path / "wijkgesprek.db")
    first = threading.Thread(target=lambda: app.guide)
    first.start()
    assert inside.wait(timeout=10)
    second = threading.Thread(target=lambda: app.guide)
    second.start()
    second.join(timeout=1)  # without a lock it loads a second time and is done by now
    release.set()
    first.join(timeout=10)
    second.join(timeout=10)
    assert calls == ["geladen"]
