"""The safety check by keyboard: the Meldcode route, signals, discreet mode."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from helpers import SIZE, frame, start_visit, type_text, wait_until
from textual.widgets import Input, OptionList, Static, TextArea

from wijkgesprek.app import WijkgesprekApp
from wijkgesprek.content.questions import load_guide
from wijkgesprek.paths import shipped_questions
from wijkgesprek.screens.safety import SafetyScreen
from wijkgesprek.screens.summary import SummaryScreen
from wijkgesprek.screens.veilig_thuis import VeiligThuisScreen
from wijkgesprek.screens.visit import VisitScreen
from wijkgesprek.store.schema import prepare_database
from wijkgesprek.widgets.safety.meldcode import AnswerBox


@pytest.fixture
def app(tmp_path: Path) -> WijkgesprekApp:
    database = tmp_path / "data" / "wijkgesprek.db"
    prepare_database(database)
    return WijkgesprekApp(guide=load_guide(shipped_questions()), database=database)


def trail(app: WijkgesprekApp) -> list[tuple[object, ...]]:
    with sqlite3.connect(app.database.path) as connection:
        return connection.execute(
            "SELECT kind, key, value, note, corrects_id IS NOT NULL FROM safety_entry ORDER BY id"
        ).fetchall()


async def open_safety(pilot) -> SafetyScreen:  # type: ignore[no-untyped-def]
    await start_visit(pilot)
    await pilot.press("f10")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, SafetyScreen))
    return pilot.app.screen  # type: ignore[no-any-return]


async def test_meldcode_route_by_keyboard(app: WijkgesprekApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_safety(pilot)
        await pilot.press("5")  # the Meldcode section; focus on its steps
        assert app.focused is screen.query_one("#steps")
        await pilot.press("b", "g")  # step 1: bezig, then gedaan (each its own letter)
        await pilot.press("tab", *"aandachtsfunctionaris", "enter", *"overleg met VT", "enter")
        box = screen.query_one(AnswerBox)
        box.focus()
        await pilot.press("j")
        assert app.focused is screen.query_one("#answer-reason", Input)
        await pilot.press("enter")  # no reason: refused
        assert "reden" in str(screen.query_one("#route-error", Static).render())
        await pilot.press(*"signalen en verhaal van het kind", "enter")
        assert app.focused is box
        await pilot.press("j", *"het kind vertelt over geweld", "enter")
        route = str(screen.query_one("#route", Static).render())
        assert "Uitkomst: Melden bij Veilig Thuis (0800-2000)." in route
        assert "De route is klaar. C = een antwoord corrigeren." in str(box.render())
        dossier = screen.query_one("#dossier")
        dossier.focus()
        await pilot.press("ctrl+s")
        assert "sections" in {w.id for w in screen.query(OptionList)}
        status = str(screen.query_one("#sections", OptionList).get_option_at_index(4).prompt)
        assert "melden" in status
    rows = trail(app)
    assert rows[:2] == [("stap", "1", "bezig", "", 0), ("stap", "1", "gedaan", "", 1)]
    assert ("overleg", "1", "aandachtsfunctionaris", "overleg met VT", 0) in rows
    assert ("afweging", "2", "ja", "het kind vertelt over geweld", 0) in rows
    (dossier_row,) = [row for row in rows if row[0] == "dossier"]
    assert "Besluit: Melden bij Veilig Thuis" in str(dossier_row[3])


async def test_kindcheck_not_done_needs_a_reason(app: WijkgesprekApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_safety(pilot)
        await pilot.press("1", "down", "down", "down", "enter", "enter")  # "niet gedaan", no reason
        assert "waarom" in str(screen.query_one("#kc-error", Static).render())
        assert trail(app) == []
        await pilot.press(*"moeder had haast", "enter")
        assert trail(app) == [("kindcheck", "", "niet-gedaan", "moeder had haast", 0)]


async def test_signal_ticked_with_own_words_and_unticked(app: WijkgesprekApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_safety(pilot)
        await pilot.press("2")
        listing = screen.query_one("#signal-list", OptionList)
        assert app.focused is listing
        await pilot.press("enter", *"hij schrikt als je hem aanraakt", "enter")
        first = app.guide.safety.signal_groups[0]
        key = f"{first.id}/{first.signals[0].id}"
        assert trail(app) == [("signaal", key, "aan", "hij schrikt als je hem aanraakt", 0)]
        assert "1 aangevinkt" in str(
            screen.query_one("#sections", OptionList).get_option_at_index(1).prompt
        )
        await pilot.press("enter")
        assert trail(app)[-1] == ("signaal", key, "uit", "", 1)


async def test_discreet_mode_hides_every_safety_detail(app: WijkgesprekApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_safety(pilot)
        await pilot.press("1", "enter")  # focus inside the kindcheck
        await pilot.press("ctrl+g")
        assert app.title == "wijkgesprek · discreet"
        hidden = list(screen.query(".safety-detail"))
        assert hidden and all(not widget.display for widget in hidden)
        assert app.focused is None  # nothing typed can land in a hidden field
        assert screen.query_one("#discreet-note").display
        await pilot.press("ctrl+o")  # Veilig Thuis stays one key away
        await wait_until(pilot, lambda: isinstance(app.screen, VeiligThuisScreen))
        await pilot.press("escape", "escape")
        await wait_until(pilot, lambda: isinstance(app.screen, VisitScreen))
        visit = app.screen
        await pilot.press("f2", "5")  # the veiligheid topic
        for container in visit.query("#upper, #lower"):
            assert not container.display
        await pilot.press("f8")
        await wait_until(pilot, lambda: isinstance(app.screen, SummaryScreen))
        assert not app.screen.query_one("#summary-safety").display
        await pilot.press("ctrl+g")
        assert app.title == "wijkgesprek"
        assert app.screen.query_one("#summary-safety").display


async def test_escape_with_typed_words_asks_before_they_are_dropped(app: WijkgesprekApp) -> None:
    from wijkgesprek.screens.choice import ChoiceScreen

    async with app.run_test(size=SIZE) as pilot:
        screen = await open_safety(pilot)
        await pilot.press("2", "enter")  # the first signal: its words are asked
        await type_text(pilot, "zegt dat papa boos wordt")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        assert "Signalen" in frame(app)
        await pilot.press("escape")  # back, the words still there
        await wait_until(pilot, lambda: app.screen is screen)
        await pilot.press("enter")  # and kept now
        assert [row[:3] for row in trail(app)][-1][:3] == ("signaal", trail(app)[-1][1], "aan")
        assert trail(app)[-1][3] == "zegt dat papa boos wordt"
        await pilot.press("5")
        screen.query_one("#dossier").focus()
        await pilot.pause()
        await type_text(pilot, " Extra: oma betrekken.")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        await pilot.press("2")  # not kept: only this field, back to the list of sections
        await wait_until(pilot, lambda: app.focused is screen.query_one("#sections"))
        assert "Extra: oma" not in screen.query_one("#dossier", TextArea).text
        await pilot.press("escape")  # nothing typed is left: back to the visit
        await wait_until(pilot, lambda: isinstance(app.screen, VisitScreen))
        assert not [row for row in trail(app) if row[0] == "dossier"]


async def test_escape_without_typed_text_goes_back_one_level_at_a_time(app: WijkgesprekApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_safety(pilot)
        await pilot.press("1", "enter", "5", "escape")  # from the steps: the sections
        assert app.screen is screen and app.focused is screen.query_one("#sections")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, VisitScreen))


async def test_step_four_follows_the_afwegingskader(app: WijkgesprekApp) -> None:
    """Audit finding: with the afwegingskader answered to its end, step 4 ("Wegen aan de
    hand van het afwegingskader") still said "open"."""
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_safety(pilot)
        await pilot.press("5")
        steps = screen.query_one("#steps", OptionList)

        def step_four() -> str:
            return str(steps.get_option_at_index(3).prompt)

        assert step_four().endswith("— open")
        box = screen.query_one(AnswerBox)
        box.focus()
        await pilot.press("j", *"signalen en verhaal van het kind", "enter")
        await wait_until(pilot, lambda: "bezig (afwegingskader)" in step_four())
        await pilot.press("j", *"het kind vertelt over geweld", "enter")
        await wait_until(pilot, lambda: "gedaan (afwegingskader)" in step_four())
    assert not [row for row in trail(app) if row[0] == "stap"]  # shown, never written
