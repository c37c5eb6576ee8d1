"""Screens reach the database one way (docs/architecture.md, "Screens and the database"):
through the connection (``App.read``/``App.write``, or ``App.connection.run`` for a screen
that shows the problem in its own place), so on a team database no store call ever runs on
the UI thread, and while offline a call is refused at once."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import SIZE, start_visit, type_text, wait_until
from textual.widgets import Static

from wijkgesprek import paths
from wijkgesprek.app import WijkgesprekApp
from wijkgesprek.content.cases import load_cases
from wijkgesprek.content.model import Guide
from wijkgesprek.screens.agreements import AgreementsScreen
from wijkgesprek.screens.choice import ChoiceScreen
from wijkgesprek.screens.erase import EraseScreen
from wijkgesprek.screens.export import ExportScreen
from wijkgesprek.screens.history import HistoryScreen
from wijkgesprek.screens.home import HomeScreen
from wijkgesprek.screens.practice_home import PracticeHomeScreen
from wijkgesprek.screens.practice_visit import PracticeVisitScreen
from wijkgesprek.screens.reflection import ReflectionScreen
from wijkgesprek.screens.safety import SafetyScreen
from wijkgesprek.screens.search import SearchScreen
from wijkgesprek.screens.summary import SummaryScreen
from wijkgesprek.screens.trends import TrendsScreen
from wijkgesprek.store.engine import Store
from wijkgesprek.store.outbox import OUTBOX_NAME, Outbox
from wijkgesprek.store.schema import prepare_database

PACKAGE = Path(__file__).resolve().parent.parent / "wijkgesprek"
STORE_DIRECTLY = re.compile(r"\bapp\.store\b|\bstore\.run\(")


@pytest.mark.parametrize("folder", ["screens", "widgets"])
def test_no_screen_or_widget_uses_the_store_directly(folder: str) -> None:
    found = [
        f"{path.name}:{number}: {line.strip()}"
        for path in sorted((PACKAGE / folder).rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if STORE_DIRECTLY.search(line)
    ]
    assert found == []


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, bool]]]:
    """Every ``Store.run``: the function's name, and whether it ran on the UI thread."""
    seen: list[tuple[str, bool]] = []
    real = Store.run

    def run(self: Store, function: Callable[..., Any], /, **kwargs: Any) -> Any:
        on_ui = threading.current_thread() is threading.main_thread()
        seen.append((getattr(function, "__name__", repr(function)), on_ui))
        return real(self, function, **kwargs)

    monkeypatch.setattr(Store, "run", run)
    yield seen


def on_ui_thread(calls: list[tuple[str, bool]]) -> list[str]:
    return [name for name, on_ui in calls if on_ui]


def team_mode(database: Path, **settings: Any) -> WijkgesprekApp:
    """The app as on a team database: with an outbox, every call goes through the
    connection's threads (the file stands in for the server: no network needed)."""
    return WijkgesprekApp(
        database=database,
        outbox=Outbox(paths.data_dir() / OUTBOX_NAME, "postgresql://team@server/wijk"),
        **settings,
    )


async def test_on_a_team_database_no_screen_waits_on_the_store(
    guide: Guide, database: Path, calls: list[tuple[str, bool]]
) -> None:
    app = team_mode(database, guide=guide)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_visit(pilot, code="GZ-501")  # the list, then starting a visit
        await type_text(pilot, "Huur te hoog")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not screen.unsaved)
        for key, kind in (("f4", AgreementsScreen), ("f10", SafetyScreen), ("f8", SummaryScreen)):
            await pilot.press(key)
            await wait_until(pilot, lambda kind=kind: isinstance(app.screen, kind))
            for _ in range(3):  # the safety check goes up one level at a time
                if app.screen is not screen:
                    await pilot.press("escape")
            await wait_until(pilot, lambda: app.screen is screen)
        await pilot.press("escape", "escape")  # note → topics → the households
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.rows)
        await pilot.press("slash")
        await wait_until(pilot, lambda: isinstance(app.screen, SearchScreen))
        await type_text(pilot, "huur")
        await wait_until(pilot, lambda: app.screen.searched == "huur")
        await pilot.press("escape", "t")
        await wait_until(pilot, lambda: isinstance(app.screen, TrendsScreen) and app.screen.loaded)
        await pilot.press("escape", "g")
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen))
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportScreen))
        await pilot.press("2")  # the whole household's dossier
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen))
        await pilot.press("w")
        await wait_until(pilot, lambda: isinstance(app.screen, EraseScreen))
        await type_text(pilot, "GZ-501")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        await pilot.press("enter")  # the dossier just written goes too
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await wait_until(pilot, lambda: app.screen.rows == [])
    used = {name for name, _ in calls}
    assert {"list_households", "start_visit", "save_note", "get_visit", "search"} <= used
    assert {"visit_rows", "get_household", "erase_household"} <= used
    assert on_ui_thread(calls) == []


async def test_in_practice_no_screen_waits_on_the_store_either(
    guide: Guide, calls: list[tuple[str, bool]]
) -> None:
    database = paths.data_dir() / paths.PRACTICE_DATABASE_NAME
    prepare_database(database, practice=True)
    cases = load_cases(paths.shipped_cases(), topic_ids=[t.id for t in guide.topics])
    app = team_mode(database, guide=guide, cases=cases)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, PracticeHomeScreen))
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, PracticeVisitScreen))
        await type_text(pilot, "Wat brengt u hier?")
        await pilot.press("f8")
        await wait_until(pilot, lambda: isinstance(app.screen, ReflectionScreen))
        await wait_until(pilot, lambda: app.screen.report)
        await pilot.press("ctrl+e")
        await wait_until(pilot, lambda: isinstance(app.screen, PracticeHomeScreen))
        progress = app.screen.query_one("#case-progress", Static)
        await wait_until(pilot, lambda: "Enter begint een nieuwe poging" in str(progress.render()))
    used = {name for name, _ in calls}
    assert {"scores", "start_visit", "turns", "attempt_data", "attempts", "end_visit"} <= used
    assert on_ui_thread(calls) == []
