"""Where typed keys land: the professional types at once, comes back to notes, and
follows the README literally. Every key goes where it was meant, in the order typed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from helpers import SIZE, burst, paste, start_visit, type_text, wait_until
from textual.widgets import Input, SelectionList

from wijkgesprek.app import WijkgesprekApp
from wijkgesprek.content.questions import load_guide
from wijkgesprek.paths import shipped_questions
from wijkgesprek.screens.agreements import AgreementsScreen
from wijkgesprek.screens.home import HomeScreen
from wijkgesprek.screens.new_visit import NewVisitScreen
from wijkgesprek.screens.themes import ThemesScreen
from wijkgesprek.screens.visit import VisitScreen
from wijkgesprek.store.schema import prepare_database
from wijkgesprek.widgets.topic_list import TopicList


@pytest.fixture
def app(tmp_path: Path) -> WijkgesprekApp:
    database = tmp_path / "data" / "wijkgesprek.db"
    prepare_database(database)
    return WijkgesprekApp(guide=load_guide(shipped_questions()), database=database)


def notes(app: WijkgesprekApp) -> dict[str, str]:
    with sqlite3.connect(app.database.path) as connection:
        return dict(connection.execute("SELECT topic, text FROM note").fetchall())


async def saved(pilot, screen: VisitScreen) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The notes in the database once the screen has kept what it shows (under load a
    save can miss its bound and be tried again: wait for it, never read half-way)."""
    screen.flush()
    await wait_until(pilot, lambda: not screen.unsaved)
    await pilot.pause()
    return notes(pilot.app)


# -- 1. coming back to a note -----------------------------------------------------------


async def test_coming_back_to_a_topic_goes_on_at_the_end(app: WijkgesprekApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_visit(pilot)
        await type_text(pilot, "Gezin met vier kinderen.")
        await pilot.press("f2", "2")
        await type_text(pilot, "Geldzorgen.")
        await pilot.press("f2", "1")
        await type_text(pilot, " Vervolg: school belt.")
        assert (await saved(pilot, screen))["kennismaking"] == (
            "Gezin met vier kinderen. Vervolg: school belt."
        )


async def test_a_resumed_visit_goes_on_at_the_end_of_its_note(app: WijkgesprekApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await start_visit(pilot)
        await type_text(pilot, "Eerste regel.\nTweede regel.")
        await pilot.press("escape", "escape")  # to the topics, then home: the visit stays open
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.rows)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, VisitScreen))
        screen = app.screen
        assert isinstance(screen, VisitScreen)
        await type_text(pilot, " Vervolg.")
        assert (await saved(pilot, screen))["kennismaking"] == (
            "Eerste regel.\nTweede regel. Vervolg."
        )


# -- 2. choosing a topic never types into the note -------------------------------------------


async def test_a_digit_and_enter_choose_a_topic_and_type_nothing(app: WijkgesprekApp) -> None:
    """The habit of pressing Enter after the digit (as older help said) is harmless."""
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_visit(pilot)
        await pilot.press("escape", "2", "enter")
        await type_text(pilot, "Grootste zorg is geld.")
        assert await saved(pilot, screen) == {"stress": "Grootste zorg is geld."}


async def test_a_digit_and_enter_arriving_together_type_nothing(app: WijkgesprekApp) -> None:
    """Over SSH the digit and the Enter after it come in one read."""
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_visit(pilot)
        await pilot.press("escape")
        await burst(pilot, "2", "<enter>", "Grootste zorg is geld.")
        assert await saved(pilot, screen) == {"stress": "Grootste zorg is geld."}


@pytest.mark.parametrize("key", ["f8", "f10"])
async def test_after_a_whole_screen_a_digit_chooses_the_next_topic(
    app: WijkgesprekApp, key: str
) -> None:
    """F8 and F10 are screens of their own: leaving either comes back to the topics,
    the same way, so the next digit chooses a topic (and Enter writes on). F10 opens on
    the kindcheck's outcomes here: Escape goes up one level, to the list of sections,
    then back to the visit."""
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_visit(pilot)
        await type_text(pilot, "Over school.")
        await pilot.press(key)
        await wait_until(pilot, lambda: app.screen is not screen)
        await pilot.press(*["escape"] * (2 if key == "f10" else 1))
        await wait_until(pilot, lambda: app.screen is screen)
        assert app.focused is screen.query_one(TopicList)
        await pilot.press("6")
        assert screen.topic_id == "afspraken"
        await type_text(pilot, "Bellen.")
        assert await saved(pilot, screen) == {
            "kennismaking": "Over school.",
            "afspraken": "Bellen.",
        }


@pytest.mark.parametrize("key", ["f3", "f4"])
async def test_after_a_dialog_typing_goes_on_at_the_end_of_the_note(
    app: WijkgesprekApp, key: str
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_visit(pilot)
        await type_text(pilot, "Over school.")
        await pilot.press("escape")  # the dialog is opened from the topics, even
        await pilot.press(key)
        await wait_until(pilot, lambda: app.screen is not screen)
        await burst(pilot, "<escape>", " Verder.")
        await wait_until(pilot, lambda: app.screen is screen)
        assert await saved(pilot, screen) == {"kennismaking": "Over school. Verder."}


async def test_alt_and_a_digit_choose_a_topic_from_the_note(app: WijkgesprekApp) -> None:
    """Escape and a digit typed quickly arrive as Alt+digit from many terminals."""
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_visit(pilot)
        await burst(pilot, "Over school.", "<alt+3>", "Oma helpt.")
        assert screen.topic_id == "netwerk"
        assert await saved(pilot, screen) == {
            "kennismaking": "Over school.",
            "netwerk": "Oma helpt.",
        }


# -- 3. keys typed while a dialog opens go to the dialog --------------------------------------


async def test_typing_on_while_themes_open_goes_to_the_themes(app: WijkgesprekApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_visit(pilot)
        await type_text(pilot, "Voetbal.")
        await burst(pilot, "<f3>", "w")
        await wait_until(pilot, lambda: isinstance(app.screen, ThemesScreen))
        listing = app.screen.query_one(SelectionList)
        await wait_until(pilot, lambda: listing.highlighted is not None and listing.highlighted > 0)
        theme = app.guide.themes[listing.highlighted or 0]
        assert theme.naam.lower().startswith("w")
        await burst(pilot, "<space>", "<enter>", " Verder.")
        await wait_until(pilot, lambda: app.screen is screen)
        assert await saved(pilot, screen) == {"kennismaking": "Voetbal. Verder."}
        with sqlite3.connect(app.database.path) as connection:
            assert connection.execute("SELECT themes FROM note").fetchall() == [(theme.id,)]


async def test_typing_on_while_agreements_open_goes_to_the_first_field(
    app: WijkgesprekApp,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_visit(pilot)
        await type_text(pilot, "Voetbal.")
        await burst(pilot, "<f4>", "Bel de school")
        await wait_until(pilot, lambda: isinstance(app.screen, AgreementsScreen))
        await pilot.pause()
        assert app.screen.query_one("#wat", Input).value == "Bel de school"
        await pilot.press("escape")
        assert await saved(pilot, screen) == {"kennismaking": "Voetbal."}


async def test_typing_on_while_the_aanbod_opens_goes_to_its_filter(app: WijkgesprekApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_visit(pilot)
        await wait_until(pilot, lambda: app.network is not None)
        await type_text(pilot, "Voetbal.")
        await burst(pilot, "<f9>", "bijstand")
        await pilot.pause()
        assert app.screen.query_one("#aanbod-filter", Input).value == "bijstand"
        assert await saved(pilot, screen) == {"kennismaking": "Voetbal."}


async def test_a_household_code_typed_right_after_n_lands_in_the_code(
    app: WijkgesprekApp,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await burst(pilot, "n", "gz-007")
        await wait_until(pilot, lambda: isinstance(app.screen, NewVisitScreen))
        await pilot.pause()
        assert app.screen.query_one("#code", Input).value == "gz-007"


async def test_a_paste_right_after_opening_a_dialog_lands_in_it(app: WijkgesprekApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_visit(pilot)
        await burst(pilot, "<f4>")
        await paste(pilot, "Aanmelden bij de voedselbank")
        await wait_until(pilot, lambda: isinstance(app.screen, AgreementsScreen))
        await pilot.pause()
        assert app.screen.query_one("#wat", Input).value == "Aanmelden bij de voedselbank"
        await pilot.press("escape")
        assert await saved(pilot, screen) == {}


async def test_a_paste_right_after_choosing_a_topic_lands_in_its_note(
    app: WijkgesprekApp,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_visit(pilot)
        await burst(pilot, "Eerste.", "<escape>", "3")
        await paste(pilot, "Oma past op. De buurvrouw helpt ook.")
        await pilot.pause()
        assert await saved(pilot, screen) == {
            "kennismaking": "Eerste.",
            "netwerk": "Oma past op. De buurvrouw helpt ook.",
        }


async def test_typing_as_a_second_visit_opens_goes_into_the_note(app: WijkgesprekApp) -> None:
    """What is still open from last time never pops up to take the keys: letters typed
    as the visit opens are the note, not g(edaan)/o/v(ervallen) for an agreement."""
    async with app.run_test(size=SIZE) as pilot:
        await start_visit(pilot)
        await pilot.press("f4")
        await wait_until(pilot, lambda: isinstance(app.screen, AgreementsScreen))
        await burst(pilot, "Formulier toeslag", "<enter>", "moeder", "<enter>", "na de vakantie")
        await burst(pilot, "<enter>", "<ctrl+s>", "<f10>")
        await wait_until(pilot, lambda: not isinstance(app.screen, AgreementsScreen))
        await burst(pilot, "<enter>", "<escape>", "<escape>", "<f8>", "<ctrl+e>")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.rows)
        await burst(pilot, "<enter>", "<enter>", "Goed gesprek gehad, vader was er ook.")
        await wait_until(pilot, lambda: isinstance(app.screen, VisitScreen))
        screen = app.screen
        assert isinstance(screen, VisitScreen)
        await pilot.pause()
        with sqlite3.connect(app.database.path) as connection:
            assert connection.execute("SELECT status FROM agreement").fetchall() == [("open",)]
        assert (await saved(pilot, screen))[
            "kennismaking"
        ] == "Goed gesprek gehad, vader was er ook."
