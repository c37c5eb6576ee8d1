"""Dialogs as a professional uses them: F1 in each, Escape half-way, keys as pressed."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import SIZE, frame, start_visit, type_text, wait_until
from textual.screen import Screen
from textual.widgets import Input

from wijkgesprek.app import WijkgesprekApp
from wijkgesprek.content.questions import load_guide
from wijkgesprek.paths import shipped_questions
from wijkgesprek.screens.agreements import AgreementsScreen
from wijkgesprek.screens.export import ExportScreen
from wijkgesprek.screens.help import HelpScreen
from wijkgesprek.screens.history import HistoryScreen
from wijkgesprek.screens.home import HomeScreen
from wijkgesprek.screens.new_visit import NewVisitScreen
from wijkgesprek.screens.themes import ThemesScreen
from wijkgesprek.screens.veilig_thuis import VeiligThuisScreen
from wijkgesprek.screens.visit import VisitScreen
from wijkgesprek.store.schema import prepare_database
from wijkgesprek.widgets.suggestion_panel import SuggestionPanel


@pytest.fixture
def app(tmp_path: Path) -> WijkgesprekApp:
    database = tmp_path / "data" / "wijkgesprek.db"
    prepare_database(database)
    return WijkgesprekApp(guide=load_guide(shipped_questions()), database=database)


async def open_new_visit(pilot) -> type[Screen[object]]:  # type: ignore[no-untyped-def]
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, HomeScreen))
    await pilot.press("n")
    return NewVisitScreen


async def open_themes(pilot) -> type[Screen[object]]:  # type: ignore[no-untyped-def]
    await start_visit(pilot)
    await pilot.press("f3")
    return ThemesScreen


async def open_agreements(pilot) -> type[Screen[object]]:  # type: ignore[no-untyped-def]
    await start_visit(pilot)
    await pilot.press("f4")
    return AgreementsScreen


async def open_export(pilot) -> type[Screen[object]]:  # type: ignore[no-untyped-def]
    await start_visit(pilot)
    await pilot.press("escape", "escape")
    await wait_until(
        pilot, lambda: isinstance(pilot.app.screen, HomeScreen) and pilot.app.screen.rows
    )
    await pilot.press("g")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, HistoryScreen))
    await pilot.press("e")
    return ExportScreen


async def open_veilig_thuis(pilot) -> type[Screen[object]]:  # type: ignore[no-untyped-def]
    await start_visit(pilot)
    await pilot.press("ctrl+o")
    return VeiligThuisScreen


@pytest.mark.parametrize(
    ("opener", "heading"),
    [
        (open_new_visit, "Nieuw huisbezoek"),
        (open_themes, "Thema's koppelen"),
        (open_agreements, "Afspraken"),
        (open_export, "Exporteren"),
        (open_veilig_thuis, "Veilig Thuis"),
    ],
    ids=["nieuw", "themas", "afspraken", "export", "veilig-thuis"],
)
async def test_f1_opens_the_help_of_the_dialog_and_closes_it_again(
    app: WijkgesprekApp, opener, heading: str
) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=SIZE) as pilot:
        kind = await opener(pilot)
        await wait_until(pilot, lambda: isinstance(app.screen, kind))
        dialog = app.screen
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert app.screen.for_screen is dialog
        assert heading in frame(app)
        await pilot.press("f1")  # F1 again closes the help
        await wait_until(pilot, lambda: app.screen is dialog)


async def test_help_shows_keys_as_they_are_pressed(app: WijkgesprekApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await start_visit(pilot)
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        text = app.screen._text()
        assert "| `F10 of Ctrl+R` | Veiligheid |" in text
        assert "| `Ctrl+G` | Discreet |" in text
        await pilot.press("escape", "escape", "escape")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.rows)
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        text = app.screen._text()
        assert "| `g` | Geschiedenis |" in text and "| `/ of Ctrl+F` | Zoeken |" in text
        assert "**g** toont de geschiedenis" in text
        assert "`G`" not in text and "**G**" not in text and "^" not in text


async def test_escape_in_the_offer_filter_goes_back_to_the_note(app: WijkgesprekApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_visit(pilot)
        await wait_until(pilot, lambda: app.network is not None)
        await pilot.press("f9")
        panel = screen.query_one(SuggestionPanel)
        assert app.focused is panel.query_one("#aanbod-filter", Input)
        await type_text(pilot, "taal")
        await pilot.press("escape")
        assert app.screen is screen
        assert not panel.display
        assert app.focused is screen.note
        await pilot.press("f9", "down", "escape")  # from the list as well
        assert app.screen is screen and not panel.display
        assert app.focused is screen.note
        await pilot.press("escape", "escape")  # the note, then the topics, then home
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert not isinstance(app.screen, VisitScreen)
