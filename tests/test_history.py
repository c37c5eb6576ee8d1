"""A household over time, by keyboard: history, carried-over agreements, additions."""

from __future__ import annotations

import sqlite3
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from helpers import SIZE, notifications, wait_until
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from wijkgesprek import paths
from wijkgesprek.app import WijkgesprekApp
from wijkgesprek.config import Config, load_config
from wijkgesprek.content.questions import load_guide
from wijkgesprek.domain.household import Children
from wijkgesprek.domain.safety import SCALE
from wijkgesprek.paths import shipped_questions
from wijkgesprek.screens.addition import AdditionScreen
from wijkgesprek.screens.carry_over import CarryOverScreen
from wijkgesprek.screens.export import ExportScreen, default_folder
from wijkgesprek.screens.history import HistoryScreen
from wijkgesprek.screens.home import HomeScreen
from wijkgesprek.screens.new_visit import NewVisitScreen
from wijkgesprek.screens.visit import VisitScreen
from wijkgesprek.store import repo
from wijkgesprek.store.engine import Store
from wijkgesprek.store.schema import prepare_database
from wijkgesprek.text import spark

T0 = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def app(tmp_path: Path) -> WijkgesprekApp:
    database = tmp_path / "data" / "wijkgesprek.db"
    prepare_database(database)
    store = Store(database)
    for week, (score, note) in enumerate([(3, "Huur achterstallig"), (5, "Regeling aangevraagd")]):
        now = T0 + timedelta(weeks=week)
        visit = store.run(
            repo.start_visit, code="GZ-001", wijk="Noord", children=Children(), now=now
        )
        store.run(repo.save_note, visit_id=visit, topic="stress", text=note, now=now)
        store.run(
            repo.add_agreement,
            visit_id=visit,
            wat=f"Afspraak {week + 1}",
            wie="moeder",
            wanneer="volgende week",
            now=now,
        )
        store.run(
            repo.add_safety_entry,
            visit_id=visit,
            kind=SCALE,
            key="ouder",
            value=str(score),
            now=now,
        )
        store.run(repo.end_visit, visit_id=visit, now=now + timedelta(hours=1))
    store.engine.dispose()
    return WijkgesprekApp(guide=load_guide(shipped_questions()), database=database)


def rows(app: WijkgesprekApp, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(app.database.path) as connection:
        return connection.execute(sql).fetchall()


def test_spark_draws_one_block_per_figure() -> None:
    assert spark([0, 5, 10]) == "▁▅█"


async def test_history_shows_every_visit_and_scaling_over_time(app: WijkgesprekApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.rows)
        await pilot.press("g")
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen))
        screen = app.screen
        head = str(screen.query_one("#history-head", Static).render())
        scaling = str(screen.query_one("#history-scaling", Static).render())
        assert "2 bezoek(en)" in head and "Schaalvraag ouder: ▃▅  3 → 5" in scaling
        visits = screen.query_one("#visits", OptionList)
        assert visits.option_count == 2
        detail = str(screen.query_one("#visit-text", Static).render())
        assert "Regeling aangevraagd" in detail  # the newest visit first
        await pilot.press("down")
        assert "Huur achterstallig" in str(screen.query_one("#visit-text", Static).render())


async def test_an_addition_keeps_the_original_and_has_its_own_time(
    app: WijkgesprekApp,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.rows)
        await pilot.press("g")
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen))
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, AdditionScreen))
        await pilot.press("down", "tab", *"Vader belde later: [b]geen[/b] huurschuld meer")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen))
        detail = str(app.screen.query_one("#visit-text", Static).render())
        assert "Regeling aangevraagd" in detail
        assert "Aanvulling" in detail and "[b]geen[/b] huurschuld" in detail
    assert rows(app, "SELECT text FROM note WHERE topic = 'stress' ORDER BY id") == [
        ("Huur achterstallig",),
        ("Regeling aangevraagd",),
    ]
    assert rows(app, "SELECT topic, text FROM correction") == [
        ("stress", "Vader belde later: [b]geen[/b] huurschuld meer")
    ]


async def test_a_new_visit_starts_with_what_is_still_open(app: WijkgesprekApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.rows)
        await pilot.press("enter")  # no open visit: a new one, asked for the household
        await wait_until(pilot, lambda: isinstance(app.screen, NewVisitScreen))
        await pilot.press("enter")  # the household as it is known: nothing asked again
        await wait_until(pilot, lambda: isinstance(app.screen, VisitScreen))
        await pilot.press("f7")  # what is still open, gone through on purpose
        await wait_until(pilot, lambda: isinstance(app.screen, CarryOverScreen))
        items = app.screen.query_one("#open-items", OptionList)
        assert items.option_count == 2
        await pilot.press("g", "v")  # first done, second dropped
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, VisitScreen))
    assert rows(app, "SELECT wat, status, status_visit_id IS NOT NULL FROM agreement") == [
        ("Afspraak 1", "gedaan", 1),
        ("Afspraak 2", "vervallen", 1),
    ]


@pytest.mark.parametrize(
    ("choice", "expected", "absent"),
    [
        (0, "Regeling aangevraagd", "Huur achterstallig"),  # this visit only
        (1, "Huur achterstallig", None),  # the whole household
        (2, "Afspraak 2", "Regeling aangevraagd"),  # family version: no notes
        (4, '"wijkgesprek-overdracht"', None),
    ],
)
async def test_export_from_the_history_writes_a_private_file(
    app: WijkgesprekApp, tmp_path: Path, choice: int, expected: str, absent: str | None
) -> None:
    folder = tmp_path / "export"
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.rows)
        await pilot.press("g")
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen))
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportScreen))
        app.screen.query_one("#export-folder", Input).value = str(folder)
        for _ in range(choice):
            await pilot.press("down")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen))
    (written,) = folder.iterdir()
    text = written.read_text("utf-8")
    assert expected in text
    assert absent is None or absent not in text
    assert stat.S_IMODE(written.stat().st_mode) == 0o600


async def open_export(pilot: Pilot[None]) -> Input:
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.rows)
    await pilot.press("g")
    await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen))
    await pilot.press("e")
    await wait_until(pilot, lambda: isinstance(app.screen, ExportScreen))
    return app.screen.query_one("#export-folder", Input)


async def test_a_digit_exports_at_once(app: WijkgesprekApp, tmp_path: Path) -> None:
    folder = tmp_path / "export"
    async with app.run_test(size=SIZE) as pilot:
        (await open_export(pilot)).value = str(folder)
        await pilot.press("3")  # the family version of this visit
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen))
    (written,) = folder.iterdir()
    assert "-gezin-" in written.name


async def test_the_export_folder_is_remembered_also_after_a_restart(
    app: WijkgesprekApp, tmp_path: Path
) -> None:
    file = paths.config_file()
    file.parent.mkdir(parents=True)
    file.write_text("# verzonnen\n[toetsen]\nafronden = 'f10'\n")
    app.config = load_config(file)
    folder = tmp_path / "export"
    async with app.run_test(size=SIZE) as pilot:
        field = await open_export(pilot)
        assert field.value == str(default_folder())
        field.value = str(folder)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen))
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportScreen))
        assert app.screen.query_one("#export-folder", Input).value == str(folder)
    expected = f"# verzonnen\nexportmap = \"{folder}\"\n\n[toetsen]\nafronden = 'f10'\n"
    assert file.read_text() == expected
    again = WijkgesprekApp(guide=app.guide, database=app.database, config=load_config(file))
    async with again.run_test(size=SIZE) as pilot:
        assert (await open_export(pilot)).value == str(folder)


async def test_a_folder_that_cannot_be_remembered_still_exports(
    app: WijkgesprekApp, tmp_path: Path
) -> None:
    (tmp_path / "geen-map").write_text("")
    app.config = Config(file=tmp_path / "geen-map" / "config.toml")
    folder = tmp_path / "export"
    async with app.run_test(size=SIZE) as pilot:
        (await open_export(pilot)).value = str(folder)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen))
        said = notifications(app)
        assert said[0].startswith("Bewaard, maar de map wordt niet onthouden: ")
        assert said[1].startswith(f"Bewaard in {folder}")
    assert len(list(folder.iterdir())) == 1


async def test_a_second_export_the_same_day_gets_its_own_name(
    app: WijkgesprekApp, tmp_path: Path
) -> None:
    folder = tmp_path / "export"
    async with app.run_test(size=SIZE) as pilot:
        (await open_export(pilot)).value = str(folder)
        await pilot.press("1")  # the dossier of this visit
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen))
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportScreen))
        app.screen.query_one("#export-folder", Input).value = str(folder)
        await pilot.press("1")  # again: a second file, the first one untouched
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen))
    first, second = sorted(folder.iterdir(), key=lambda path: len(path.name))
    assert second.name == first.name.replace(".md", "-2.md")


async def test_an_addition_enter_on_a_topic_goes_to_the_text_and_escape_asks(
    app: WijkgesprekApp,
) -> None:
    from helpers import burst

    from wijkgesprek.screens.choice import ChoiceScreen

    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.rows)
        await pilot.press("g")
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen))
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, AdditionScreen))
        await burst(pilot, "<down>", "<enter>", "Navraag school gedaan.")
        await pilot.press("escape")  # typed, not saved: asked first
        await wait_until(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        await pilot.press("1")  # keep it
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen))
    assert rows(app, "SELECT topic, text FROM correction") == [("stress", "Navraag school gedaan.")]
