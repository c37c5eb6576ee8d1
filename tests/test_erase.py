"""Erasing a household: everything goes, also from the search index, free pages and WAL."""

from __future__ import annotations

import sqlite3
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from helpers import SIZE, notifications, type_text, wait_until
from textual.command import CommandList
from textual.widgets import Input, Static

from wijkgesprek.app import WijkgesprekApp
from wijkgesprek.cli import main
from wijkgesprek.config import Config, load_config
from wijkgesprek.content.questions import load_guide
from wijkgesprek.domain.household import Children
from wijkgesprek.domain.retention import past_retention, years_before
from wijkgesprek.domain.safety import SIGNAL
from wijkgesprek.domain.visit import HouseholdRow
from wijkgesprek.errors import ConfigError
from wijkgesprek.paths import shipped_questions
from wijkgesprek.screens.erase import EraseScreen
from wijkgesprek.screens.history import HistoryScreen
from wijkgesprek.screens.home import HomeScreen
from wijkgesprek.store import repo
from wijkgesprek.store.backup import daily_backup, list_backups
from wijkgesprek.store.engine import Store
from wijkgesprek.store.search import search

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
SECRETS = {
    "note": "Vertrouwelijk-Zebravink-notitie over de schuldeiser",
    "addition": "Aanvulling-Kwartelkoning achteraf",
    "agreement": "Afspraak-Roerdomp met de bewindvoerder",
    "signal": "In eigen woorden: Lepelaar-schrikt",
}


def fill(store: Store, code: str, marker: str) -> None:
    marker = f"{marker} {marker.lower()}marker"
    visit = store.run(
        repo.start_visit, code=code, wijk="Noord", children=Children(birth_years=(2018,)), now=NOW
    )
    store.run(
        repo.save_note, visit_id=visit, topic="stress", text=f"{marker} {SECRETS['note']}", now=NOW
    )
    store.run(
        repo.add_agreement,
        visit_id=visit,
        wat=f"{marker} {SECRETS['agreement']}",
        wie="moeder",
        wanneer="maandag",
        now=NOW,
    )
    store.run(
        repo.add_safety_entry,
        visit_id=visit,
        kind=SIGNAL,
        key="kind/verzuim",
        value="aan",
        note=f"{marker} {SECRETS['signal']}",
        now=NOW,
    )
    store.run(repo.end_visit, visit_id=visit, now=NOW)
    store.run(
        repo.add_correction,
        visit_id=visit,
        topic="stress",
        text=f"{marker} {SECRETS['addition']}",
        now=NOW,
    )


def raw_bytes(database: Path) -> bytes:
    return b"".join(
        path.read_bytes()
        for path in database.parent.iterdir()
        if path.name.startswith(database.name)
    )


def test_erase_removes_every_trace_and_keeps_the_others(
    store: Store, database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fill(store, "GZ-001", "WEG")
    fill(store, "GZ-002", "BLIJFT")
    store.engine.dispose()
    before = raw_bytes(database)
    assert f"WEG wegmarker {SECRETS['note']}".encode() in before
    assert b"wegmarker" in before  # the search index holds the words in lower case

    assert main(["wis", "GZ-001", "--bevestig", "gz-001"]) == 0
    assert "GZ-001 is gewist, met 1 bezoek(en)" in capsys.readouterr().out
    data = raw_bytes(database)
    for secret in SECRETS.values():
        assert f"WEG wegmarker {secret}".encode() not in data
        assert f"BLIJFT blijftmarker {secret}".encode() in data
    assert b"wegmarker" not in data and b"blijftmarker" in data
    assert b"Zebravink" in data  # still there for the other household
    found = store.run(search, text="zebravink")
    assert [hit.household_code for hit in found] == ["GZ-002"]
    assert [row.code for row in store.run(repo.list_households)] == ["GZ-002"]
    store.engine.dispose()
    backup = daily_backup(database, today=date(2026, 11, 26))  # written afterwards
    assert backup is not None
    assert b"wegmarker" not in backup.read_bytes() and b"blijftmarker" in backup.read_bytes()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["wis", "GZ-001", "--bevestig", "GZ-002"], "De code klopt niet; er is niets gewist."),
        (["wis", "GZ-009", "--bevestig", "GZ-009"], "bestaat niet; er is niets gewist."),
    ],
)
def test_nothing_is_erased_without_the_right_code(
    store: Store,
    database: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    fill(store, "GZ-001", "WEG")
    store.engine.dispose()
    assert main(args) == 1
    assert message in capsys.readouterr().err
    assert [row.code for row in store.run(repo.list_households)] == ["GZ-001"]


# -- erasing from the app, and retention --------------------------------------------------

OLD = datetime(2001, 3, 1, 10, 0, tzinfo=UTC)


def old_household(store: Store, code: str, when: datetime = OLD) -> None:
    visit = store.run(repo.start_visit, code=code, wijk="Noord", children=Children(), now=when)
    store.run(repo.save_note, visit_id=visit, topic="stress", text=f"{code} Grutto-oud", now=when)
    store.run(repo.end_visit, visit_id=visit, now=when)


def app_for(database: Path, config: Config | None = None) -> WijkgesprekApp:
    return WijkgesprekApp(
        guide=load_guide(shipped_questions()), database=database, config=config or Config()
    )


async def test_erase_from_the_history_screen_needs_the_typed_code(
    store: Store, database: Path
) -> None:
    fill(store, "GZ-001", "WEG")
    fill(store, "GZ-002", "BLIJFT")
    app = app_for(database)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.rows)
        await pilot.press("g")  # the first row: GZ-002 or GZ-001, both visited at NOW
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen))
        code = app.screen.code
        await pilot.press("w")
        await wait_until(pilot, lambda: isinstance(app.screen, EraseScreen))
        await type_text(pilot, "GZ-999")
        await pilot.press("enter")
        assert "niets gewist" in str(app.screen.query_one("#form-error", Static).render())
        assert len(store.run(repo.list_households)) == 2
        field = app.screen.query_one(Input)
        field.value = ""
        await pilot.press(*code.lower(), "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await wait_until(pilot, lambda: len(app.screen.rows) == 1)
    kept = "GZ-002" if code == "GZ-001" else "GZ-001"
    assert [row.code for row in store.run(repo.list_households)] == [kept]
    gone = "wegmarker" if code == "GZ-001" else "blijftmarker"
    assert gone.encode() not in raw_bytes(database)


def test_years_before_and_past_retention() -> None:
    assert years_before(date(2028, 2, 29), 5) == date(2023, 2, 28)
    rows = [
        HouseholdRow("GZ-001", "Noord", (), OLD, None),
        HouseholdRow("GZ-002", "Noord", (), OLD, open_visit_id=3),  # open: never past
        HouseholdRow("GZ-003", "Noord", (), datetime(2021, 11, 26, 12, tzinfo=UTC), None),
        HouseholdRow("GZ-004", "Noord", (), datetime(2021, 11, 24, 12, tzinfo=UTC), None),
        HouseholdRow("GZ-005", "Noord", (), None, None),
    ]
    past = past_retention(rows, today=date(2026, 11, 25), years=5)
    assert [row.code for row in past] == ["GZ-001", "GZ-004"]


def test_bewaartermijn_lists_and_erases_on_request(
    store: Store,
    database: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    old_household(store, "GZ-001")
    fill(store, "GZ-002", "BLIJFT")
    store.engine.dispose()
    monkeypatch.setattr("wijkgesprek.cli.common.today", lambda: date(2026, 11, 25))
    assert main(["bewaartermijn"]) == 0
    out = capsys.readouterr().out
    assert "bewaartermijn van 20 jaar" in out and "GZ-001  01-03-2001" in out
    assert "GZ-002" not in out
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)
    assert main(["bewaartermijn", "--wis"]) == 2  # no keyboard and no --ja
    assert b"Grutto-oud" in raw_bytes(database)
    assert main(["bewaartermijn", "--wis", "--ja"]) == 0
    assert "1 huishouden(s) gewist, met 1 bezoek(en)" in capsys.readouterr().out
    assert b"Grutto-oud" not in raw_bytes(database)
    assert [row.code for row in store.run(repo.list_households)] == ["GZ-002"]


def test_bewaartermijn_follows_the_config(
    store: Store, database: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    old_household(store, "GZ-001", datetime(2024, 1, 1, tzinfo=UTC))
    store.engine.dispose()
    assert main(["bewaartermijn"]) == 0
    assert "Geen huishoudens over de bewaartermijn van 20 jaar." in capsys.readouterr().out
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.toml").write_text("bewaartermijn = 1\n", encoding="utf-8")
    assert main(["bewaartermijn"]) == 0
    assert "GZ-001" in capsys.readouterr().out


@pytest.mark.parametrize("value", ["0", "101", '"vijf"', "true"])
def test_a_wrong_bewaartermijn_is_named(tmp_path: Path, value: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(f"bewaartermijn = {value}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"config\.toml: 'bewaartermijn' moet een aantal jaren"):
        load_config(path)


async def test_the_app_offers_to_erase_households_past_retention(
    store: Store, database: Path
) -> None:
    old_household(store, "GZ-001")
    old_household(store, "GZ-003")
    fill(store, "GZ-002", "BLIJFT")
    app = app_for(database, Config(retention_years=5))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.rows)
        home = app.screen
        status = str(home.query_one("#home-status", Static).render())
        assert "2 over de bewaartermijn" in status
        await pilot.press("ctrl+p", *"bewaartermijn")
        results = app.screen.query_one(CommandList)
        await wait_until(  # the palette searches asynchronously
            pilot,
            lambda: results.option_count and "Bewaartermijn" in str(results.options[0].prompt),
        )
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, EraseScreen))
        assert "GZ-001, GZ-003" in str(app.screen.query_one(".hint", Static).render())
        await type_text(pilot, "WISSEN")
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is home and len(home.rows) == 1)
        assert "bewaartermijn" not in str(home.query_one("#home-status", Static).render())
    assert b"Grutto-oud" not in raw_bytes(database)


def test_an_unknown_code_is_skipped_and_the_others_erased(store: Store) -> None:
    from wijkgesprek.store.erase import erase_households

    old_household(store, "GZ-001")
    old_household(store, "GZ-002")
    erased = erase_households(store, ["GZ-009", "GZ-001"])
    assert erased.codes == ("GZ-001",) and erased.visits == 1
    assert [row.code for row in store.run(repo.list_households)] == ["GZ-002"]


async def test_the_erase_screen_reports_what_was_really_erased(
    store: Store, database: Path
) -> None:
    old_household(store, "GZ-001")
    old_household(store, "GZ-003")
    app = app_for(database)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.rows)
        await wait_until(pilot, lambda: list_backups(database))  # today's, with both
        app.push_screen(
            EraseScreen(["GZ-001", "GZ-003"], confirm_word="WISSEN", explanation="Twee oude.")
        )
        await wait_until(pilot, lambda: isinstance(app.screen, EraseScreen))
        store.run(repo.erase_household, code="GZ-003")  # meanwhile, in another window
        await type_text(pilot, "WISSEN")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        said = notifications(app)
    assert (
        "Huishouden GZ-001 is gewist. 1 bestond(en) al niet meer. Ook gewist uit 1 "
        "reservekopie(ën)." in said
    )
    assert store.run(repo.list_households) == []
    (backup,) = list_backups(database)
    assert Store(backup).run(repo.list_households) == []


def test_a_wal_another_window_holds_is_reported_not_claimed_scrubbed(
    store: Store,
    database: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sqlite3

    monkeypatch.setattr("wijkgesprek.store.schema.CHECKPOINT_TRIES", 2)
    fill(store, "GZ-001", "WEG")
    fill(store, "GZ-002", "BLIJFT")
    store.engine.dispose()
    window = sqlite3.connect(database, isolation_level=None)  # reading, in another window
    try:
        window.execute("BEGIN")
        window.execute("SELECT count(*) FROM note").fetchone()
        assert main(["wis", "GZ-001", "--bevestig", "GZ-001"]) == 0
        captured = capsys.readouterr()
        assert "GZ-001 is gewist" in captured.out
        assert "logbestand van de database (WAL) niet worden geleegd" in captured.err
        window.execute("COMMIT")
    finally:
        window.close()
    assert [row.code for row in store.run(repo.list_households)] == ["GZ-002"]
    store.engine.dispose()
    assert main(["wis", "GZ-002", "--bevestig", "GZ-002"]) == 0  # no reader: emptied
    assert "logbestand" not in capsys.readouterr().err
    wal = database.with_name(database.name + "-wal")
    assert not wal.exists() or not wal.stat().st_size


def backup_bytes(database: Path) -> bytes:
    return b"".join(p.read_bytes() for p in (database.parent / "reservekopieen").iterdir())


def test_erase_reaches_every_backup_of_any_version(
    store: Store, database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    from wijkgesprek.store.backup import check_backup

    fill(store, "GZ-001", "WEG")
    fill(store, "GZ-002", "BLIJFT")
    store.engine.dispose()
    daily_backup(database, today=date(2026, 11, 1))
    daily_backup(database, today=date(2026, 11, 2))
    folder = database.parent / "reservekopieen"
    old = folder / "voor-migratie-wijkgesprek-v1-20240101-090000.db"  # schema 1
    shutil.copyfile(Path(__file__).parent / "fixtures" / "schema-v1.db", old)
    assert b"wegmarker" in backup_bytes(database)

    assert main(["wis", "GZ-001", "--bevestig", "GZ-001"]) == 0
    assert "ook gewist uit 2 reservekopie(ën)" in capsys.readouterr().out
    data = backup_bytes(database)
    assert b"wegmarker" not in data and b"Zebravink" in data  # GZ-002's stays
    for backup in list_backups(database):
        check_backup(backup)  # still whole
        assert [row.code for row in Store(backup).run(repo.list_households)] == ["GZ-002"]

    assert main(["wis", "GZ-101", "--bevestig", "GZ-101"]) == 0  # only in the old copy
    out = capsys.readouterr().out
    assert "stond niet (meer) in de database" in out and "1 reservekopie(ën)" in out
    with sqlite3.connect(old) as connection:
        assert connection.execute("SELECT code FROM household").fetchall() == [("GZ-102",)]
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_backup_that_cannot_be_opened_is_named(
    store: Store, database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fill(store, "GZ-001", "WEG")
    store.engine.dispose()
    daily_backup(database, today=date(2026, 11, 1))
    broken = database.parent / "reservekopieen" / "wijkgesprek-2026-10-31.db"
    broken.write_bytes(b"SQLite format 3\0" + b"\xff" * 4000)
    assert main(["wis", "GZ-001", "--bevestig", "GZ-001"]) == 0
    captured = capsys.readouterr()
    assert "ook gewist uit 1 reservekopie(ën)" in captured.out
    assert "wijkgesprek-2026-10-31.db kon(den) niet worden geopend" in captured.err
    assert "Traceback" not in captured.err


@pytest.mark.parametrize(
    ("typed", "erased"), [(" wissen ", True), ("Wissen", True), ("WISSE", False)]
)
def test_wissen_is_confirmed_the_same_way_as_in_the_app(
    store: Store,
    database: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    typed: str,
    erased: bool,
) -> None:
    from wijkgesprek.text import confirms

    old_household(store, "GZ-001")
    store.engine.dispose()
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: typed)
    assert main(["bewaartermijn", "--wis"]) == (0 if erased else 1)
    assert (store.run(repo.list_households) == []) is erased
    assert confirms(typed, "WISSEN") is erased  # the erase screen's test
