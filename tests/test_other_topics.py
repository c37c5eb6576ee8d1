"""Notes under a topic the guide does not know (a colleague with another guide, an
imported hand-over) are shown under "Overige aantekeningen", never hidden (issue 18,
point 11): in the visit screen (read-only), the history and the dossier.

All households, codes and notes here are invented.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from helpers import SIZE, frame, notifications, type_text, wait_until
from textual.widgets import Static

from wijkgesprek import paths
from wijkgesprek.app import WijkgesprekApp
from wijkgesprek.cli import main
from wijkgesprek.content.questions import load_guide
from wijkgesprek.domain.household import Children
from wijkgesprek.screens.history import HistoryScreen
from wijkgesprek.screens.home import HomeScreen
from wijkgesprek.screens.other_notes import OtherNotesScreen
from wijkgesprek.screens.visit import VisitScreen
from wijkgesprek.store import repo
from wijkgesprek.store.engine import Store

T0 = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
OTHER = "huisvesting-oud"
OTHER_TEXT = "Woning is vochtig; schimmel in de slaapkamer van de jongste."
ADDED = "Verhuurder heeft een afspraak gemaakt voor herstel."


def seed(store: Store, *, open_visit: bool) -> None:
    """A finished visit with a note and an addition under a topic this guide does not
    know; and, when asked, an open visit with such a note too."""
    visit = store.run(repo.start_visit, code="GZ-001", wijk="Noord", children=Children(), now=T0)
    store.run(repo.save_note, visit_id=visit, topic="stress", text="Geldzorgen besproken", now=T0)
    store.run(repo.save_note, visit_id=visit, topic=OTHER, text=OTHER_TEXT, now=T0)
    store.run(repo.end_visit, visit_id=visit, now=T0 + timedelta(hours=1))
    store.run(repo.add_correction, visit_id=visit, topic=OTHER, text=ADDED, now=T0 + timedelta(1))
    if open_visit:
        later = T0 + timedelta(weeks=2)
        visit = store.run(
            repo.start_visit, code="GZ-001", wijk="Noord", children=Children(), now=later
        )
        store.run(repo.save_note, visit_id=visit, topic=OTHER, text=OTHER_TEXT, now=later)


def app_for(database: Path) -> WijkgesprekApp:
    return WijkgesprekApp(guide=load_guide(paths.shipped_questions()), database=database)


async def test_the_visit_screen_shows_them_read_only(database: Path, store: Store) -> None:
    seed(store, open_visit=True)
    app = app_for(database)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.rows)
        await pilot.press("enter")  # the open visit is resumed
        await wait_until(pilot, lambda: isinstance(app.screen, VisitScreen))
        visit = app.screen
        await pilot.pause()
        sidebar = " ".join(line[:27].strip() for line in frame(app).splitlines())
        assert "Overige aantekeningen: 1 (F12)" in sidebar  # under the topics, at 80×24
        await pilot.press("f12")
        await wait_until(pilot, lambda: isinstance(app.screen, OtherNotesScreen))
        shown = frame(app)
        assert OTHER in shown and "Woning is vochtig" in shown
        assert "niet wijzigen" in shown  # the hint: read-only, and why
        await type_text(pilot, "xyz")  # nothing to type into
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is visit)
        assert visit.focused is visit.note  # back where the professional was
        await type_text(pilot, "Verder.")
        await wait_until(pilot, lambda: not visit.unsaved)
    with sqlite3.connect(database) as connection:
        texts = dict(connection.execute("SELECT topic, text FROM note WHERE visit_id = 2"))
    assert texts == {OTHER: OTHER_TEXT, "kennismaking": "Verder."}


async def test_without_such_notes_there_is_no_line_and_f12_says_so(database: Path) -> None:
    app = app_for(database)
    async with app.run_test(size=SIZE) as pilot:
        from helpers import start_visit

        visit = await start_visit(pilot)
        assert "Overige aantekeningen" not in frame(app)
        await pilot.press("f12")
        await pilot.pause()
        assert app.screen is visit
        assert any("geen" in said for said in notifications(app))


async def test_the_history_shows_them(database: Path, store: Store) -> None:
    seed(store, open_visit=False)
    app = app_for(database)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.rows)
        await pilot.press("g")
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen))
        detail = str(app.screen.query_one("#visit-text", Static).render())
        assert "Overige aantekeningen" in detail
        assert OTHER in detail and OTHER_TEXT in detail and ADDED in detail
        assert detail.index("Geldzorgen besproken") < detail.index("Overige aantekeningen")


def test_the_dossier_shows_them(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    seed(store, open_visit=False)
    assert main(["export", "GZ-001"]) == 0
    out = capsys.readouterr().out
    assert "### Overige aantekeningen" in out
    section = out[out.index("### Overige aantekeningen") :]
    assert f"#### {OTHER}" in section and OTHER_TEXT in section and ADDED in section
