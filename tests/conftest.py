"""Shared fixtures. Every test runs with its home, data and config folders in tmp_path."""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pgserver
import pytest
from netproxy import FreezingProxy

from wijkgesprek import paths
from wijkgesprek.content.model import Guide
from wijkgesprek.content.questions import load_guide
from wijkgesprek.store import crypto, postgres
from wijkgesprek.store.engine import Store
from wijkgesprek.store.schema import prepare_database
from wijkgesprek.store.target import TeamServer


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """``-n auto``: two workers per core, at most eight. Most of a screen test is spent
    waiting on the app's timers and worker threads, so a second worker per core fills
    that time (measured on 2 cores: 5:11 with two workers, 3:56 with four, 4:14 with
    six); each worker may start its own PostgreSQL server, hence the cap."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return min(2 * (cores or 1), 8)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Keep every test (and every subprocess it starts) away from the real home folder,
    and every test starts without a database passphrase."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("WIJKGESPREK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("WIJKGESPREK_CONFIG_DIR", str(tmp_path / "config"))
    yield home
    crypto.forget()


@pytest.fixture
def database(isolated_home: Path) -> Path:
    """A prepared (migrated) database file in the test's data folder (under tmp_path)."""
    path = paths.data_dir() / paths.DATABASE_NAME
    prepare_database(path)
    return path


@pytest.fixture
def store(database: Path) -> Iterator[Store]:
    opened = Store(database)
    yield opened
    opened.engine.dispose()


@pytest.fixture(scope="session")
def guide() -> Guide:
    return load_guide(paths.shipped_questions())


# -- the team database: a throwaway PostgreSQL server (pgserver.py) ---------------

_numbers = itertools.count()


@pytest.fixture(scope="session")
def server() -> Iterator[pgserver.Server]:
    started = pgserver.start()
    if isinstance(started, str):
        pytest.skip(f"PostgreSQL-tests overgeslagen: {started}")
    yield started
    started.stop()


@pytest.fixture
def team_url(server: pgserver.Server) -> str:
    """A new, empty database on the server."""
    import psycopg

    name = f"wijk_{next(_numbers)}"
    with psycopg.connect(server.url(), autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    return server.url(name)


@pytest.fixture
def team(team_url: str) -> Iterator[Store]:
    postgres.prepare(team_url)
    store = Store(TeamServer(team_url))
    yield store
    store.engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def either(request: pytest.FixtureRequest) -> Store:
    """The same test on the laptop's SQLite file and on the team database."""
    fixture = "store" if request.param == "sqlite" else "team"
    return request.getfixturevalue(fixture)


@pytest.fixture
def network(server: pgserver.Server) -> Iterator[Callable[[float], FreezingProxy]]:
    """Proxies in front of the test server: a network that can stop answering, with a
    delay in each direction (a short socket path each)."""
    import tempfile

    opened: list[FreezingProxy] = []

    def make(delay: float = 0.0) -> FreezingProxy:
        folder = Path(tempfile.mkdtemp(prefix="wijknet-", dir="/tmp"))
        opened.append(FreezingProxy(Path(server.socket) / ".s.PGSQL.5432", folder, delay=delay))
        return opened[-1]

    yield make
    for each in opened:
        each.close()


@pytest.fixture
def proxy(network: Callable[[float], FreezingProxy]) -> FreezingProxy:
    """The test server behind a network that can stop answering (no delay)."""
    return network(0.0)
