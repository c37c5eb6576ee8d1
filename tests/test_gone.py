"""A household erased while another window shows it: that window says so and goes home."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from helpers import SIZE, burst, notifications, start_visit, type_text, wait_until

from wijkgesprek.app import WijkgesprekApp
from wijkgesprek.config import Config
from wijkgesprek.content.questions import load_guide
from wijkgesprek.domain.household import Children
from wijkgesprek.paths import shipped_questions
from wijkgesprek.screens.history import HistoryScreen
from wijkgesprek.screens.home import HomeScreen
from wijkgesprek.store import repo
from wijkgesprek.store.engine import Store
from wijkgesprek.store.erase import erase_households

GONE = "is intussen gewist"


def app_for(database: Path) -> WijkgesprekApp:
    return WijkgesprekApp(guide=load_guide(shipped_questions()), database=database, config=Config())


def said(app: WijkgesprekApp) -> list[str]:
    return notifications(app)


@pytest.mark.parametrize(
    "keys",
    [
        ("Nog een zin na het wissen",),
        ("<f4>",),
        ("<f8>",),
        ("<f10>",),
        ("<f7>",),
        ("<f3>", "<space>", "<enter>"),
        ("<escape>", "<alt+2>", "Verder"),
    ],
)
async def test_the_visit_screen_says_the_household_is_gone(
    store: Store, database: Path, keys: tuple[str, ...]
) -> None:
    app = app_for(database)
    async with app.run_test(size=SIZE) as pilot:
        await start_visit(pilot, "GZ-001")
        await type_text(pilot, "Eerste zin")
        await pilot.press("ctrl+s")
        erase_households(store, ["GZ-001"])  # another window, or 'wijkgesprek wis'
        await burst(pilot, *keys)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await wait_until(pilot, lambda: any(GONE in m for m in said(app)))
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and len(app.screen_stack) == 1
        assert app.return_code is None  # still running
    assert app._exception is None
    errors = [m for m in said(app) if "Opslaan lukt" in m]
    assert errors == []


@pytest.mark.parametrize("key", ["e", "a", "h", "enter"])
async def test_the_history_screen_says_the_household_is_gone(
    store: Store, database: Path, key: str
) -> None:
    now = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    visit = store.run(repo.start_visit, code="GZ-001", wijk="Noord", children=Children(), now=now)
    store.run(repo.save_note, visit_id=visit, topic="stress", text="Zin", now=now)
    if key == "a":
        store.run(repo.end_visit, visit_id=visit, now=now)
    app = app_for(database)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.rows)
        await pilot.press("g")
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen))
        erase_households(store, ["GZ-001"])
        await pilot.press(key)
        if key == "w":
            await type_text(pilot, "GZ-001")
            await pilot.press("enter")
        elif key != "h":
            await pilot.press("enter", "Z", "ctrl+s", "enter")
        else:
            await pilot.press("ctrl+s", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await wait_until(pilot, lambda: any(GONE in m for m in said(app)))
        assert len(app.screen_stack) == 1
        assert app.return_code is None
    assert app._exception is None
