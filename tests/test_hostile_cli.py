"""Hostile command lines: one Dutch sentence and exit 1 or 2, never a traceback or a hang."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from helpers import SIZE, wait_until

from wijkgesprek.app import WijkgesprekApp
from wijkgesprek.cli import main
from wijkgesprek.config import Config
from wijkgesprek.content.questions import load_guide
from wijkgesprek.domain.household import Children
from wijkgesprek.paths import shipped_questions
from wijkgesprek.screens.history import HistoryScreen
from wijkgesprek.screens.home import HomeScreen
from wijkgesprek.store import repo
from wijkgesprek.store.engine import Store

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def one_sentence(err: str) -> None:
    assert "Traceback" not in err and "Error" not in err
    assert err.strip() and len(err.strip().splitlines()) <= 2


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["zoek", "a\udcff\udcfe"], 2, "Argument 2 bevat tekens die geen geldige tekst"),
        (["import", "/tmp/\udcff.json"], 2, "Argument 2 bevat tekens"),
        (["--database", "postgresql://anna@[::1/db", "zoek", "x"], 2, "geen geldig databaseadres"),
        (["--database", "postgresql://anna@host:poort/db", "zoek", "x"], 2, "poort is een getal"),
        (["--database", "postgresql://anna@host:99999/db", "zoek", "x"], 2, "geen geldig"),
        (["--database", "postgresql://%zz@host/db", "vervolg"], 2, "geen geldig databaseadres"),
        (["--database", "postgres:/x", "zoek", "x"], 2, "geen adres van een teamdatabase"),
        (["--database", "postgresql://h/d\x1b]0;x\x07", "zoek", "x"], 2, "geen geldig"),
        (["trends", "--van", "2026", "--tot", "9999"], 2, "'9999': het jaar ligt niet tussen"),
        (["trends", "--van", "0001"], 2, "'0001': het jaar ligt niet tussen 2000 en 2100"),
        (["trends", "--van", "2026-K1..9999-K4"], 2, "het jaar ligt niet tussen"),
        (["import", "/dev/zero"], 1, "/dev/zero niet lezen: geen gewoon bestand"),
        (["controleer", "/dev/zero"], 1, "/dev/zero:1:1: bestand kan niet worden gelezen"),
        (["--questions", "/dev/zero", "waar"], 0, ""),  # not read by 'waar'
        (["--network", "/dev/zero", "suggesties", "--wijk", "Noord"], 1, "geen gewoon bestand"),
        (["oefenen", "--casussen", "/dev/zero"], 1, "geen gewoon bestand"),
        (["herstel", "/dev/zero", "--ja"], 1, "/dev/zero is geen"),
        (["trends", "--uitvoer", "/dev/zero", "--overschrijven"], 1, "geen gewoon bestand"),
    ],
)
def test_hostile_arguments_get_one_sentence(
    database: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    code: int,
    message: str,
) -> None:
    assert main(args) == code
    err = capsys.readouterr().err
    if code:
        one_sentence(err)
        assert message in err
        assert "\x1b" not in err and "\x07" not in err


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    path = tmp_path / "pijp"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize(
    "args",
    [
        ["import", "{}"],
        ["controleer", "{}"],
        ["--questions", "{}"],  # the app itself: refused before the first frame
        ["--network", "{}", "suggesties", "--wijk", "Noord"],
        ["oefenen", "--casussen", "{}"],
        ["herstel", "{}", "--ja"],
        ["export", "GZ-001", "--uitvoer", "{}", "--overschrijven"],
        ["vervolg", "--uitvoer", "{}", "--overschrijven"],
    ],
)
def test_a_fifo_is_refused_without_waiting(database: Path, fifo: Path, args: list[str]) -> None:
    Store(database).run(repo.start_visit, code="GZ-001", wijk="Noord", children=Children(), now=NOW)
    command = [sys.executable, "-m", "wijkgesprek", *(a.replace("{}", str(fifo)) for a in args)]
    started = time.monotonic()
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL, check=False
    )
    assert time.monotonic() - started < 30
    assert done.returncode in (1, 2)
    one_sentence(done.stderr)
    assert "geen gewoon bestand" in done.stderr


# -- a date at the end of the calendar, already in a database -----------------------------


@pytest.fixture(params=["Europe/Amsterdam", "America/New_York"])
def local_zone(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """East of UTC, year 9999 overflows in local time; west of it, year 1 does."""
    monkeypatch.setenv("TZ", request.param)
    time.tzset()
    yield request.param
    monkeypatch.undo()
    time.tzset()


def far_dates(store: Store, database: Path) -> None:
    """Two households with visits at the ends of the calendar, written past the import's
    checks (a hand-edited file, an older version), with a follow-up on 31-12-9999."""
    for code in ("GZ-001", "GZ-002"):
        visit = store.run(
            repo.start_visit, code=code, wijk="Noord", children=Children((2020,)), now=NOW
        )
        store.run(repo.save_note, visit_id=visit, topic="stress", text="Huurschuld", now=NOW)
        store.run(
            repo.add_agreement, visit_id=visit, wat="Bellen", wie="moeder", wanneer="x", now=NOW
        )
    store.engine.dispose()
    with sqlite3.connect(database) as connection:
        connection.execute(
            "UPDATE visit SET started_at = '9999-12-31 23:59:59.000000', "
            "next_contact = '9999-12-31' WHERE household_id = 1"
        )
        connection.execute(
            "UPDATE visit SET started_at = '0001-01-01 00:00:00.000000', "
            "ended_at = '0001-01-01 00:00:00.000000', next_contact = '0001-01-01' "
            "WHERE household_id = 2"
        )
        connection.execute("UPDATE agreement SET created_at = '9999-12-31 23:59:59.000000'")
    connection.close()


async def test_the_app_starts_with_dates_at_the_ends_of_the_calendar(
    store: Store, database: Path, local_zone: str
) -> None:
    far_dates(store, database)
    app = WijkgesprekApp(guide=load_guide(shipped_questions()), database=database, config=Config())
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.rows)
        assert len(app.screen.rows) == 2
        for _ in range(2):
            await pilot.press("g")
            await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen))
            await pilot.press("escape", "down")
            await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
    assert app._exception is None and app.return_code in (None, 0)


@pytest.mark.parametrize(
    "args",
    [
        ["export", "GZ-001"],
        ["export", "GZ-002", "--soort", "overdracht"],
        ["export", "GZ-001", "--soort", "gezin"],
        ["zoek", "huurschuld", "--json"],
        ["vervolg", "--alles"],
        ["vervolg", "--formaat", "ics", "--alles"],
        ["trends"],
        ["bewaartermijn"],
    ],
)
def test_exports_work_with_dates_at_the_ends_of_the_calendar(
    store: Store,
    database: Path,
    local_zone: str,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
) -> None:
    far_dates(store, database)
    assert main(args) == 0
    assert capsys.readouterr().err == ""
