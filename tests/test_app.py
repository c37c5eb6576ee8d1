"""The whole conversation flow through the real app, driven by Pilot at 80×24."""

from __future__ import annotations

import sqlite3
import stat
from datetime import date, timedelta
from pathlib import Path

import pytest
from helpers import SIZE, notifications, start_visit, type_text, wait_until
from textual import events
from textual.command import CommandList
from textual.widgets import DataTable, Input, Static, TextArea

from wijkgesprek import paths
from wijkgesprek.app import WijkgesprekApp
from wijkgesprek.config import Config, load_config
from wijkgesprek.content.questions import load_guide
from wijkgesprek.paths import shipped_questions
from wijkgesprek.screens.agreements import AgreementsScreen
from wijkgesprek.screens.help import HelpScreen
from wijkgesprek.screens.home import HomeScreen
from wijkgesprek.screens.new_visit import NewVisitScreen
from wijkgesprek.screens.safety import SafetyScreen
from wijkgesprek.screens.summary import SummaryScreen
from wijkgesprek.screens.themes import ThemesScreen
from wijkgesprek.screens.visit import VisitScreen
from wijkgesprek.store.schema import prepare_database
from wijkgesprek.widgets.topic_list import TopicList


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "wijkgesprek.db"
    prepare_database(path)
    return path


def make_app(db_path: Path, config: Config | None = None) -> WijkgesprekApp:
    return WijkgesprekApp(guide=load_guide(shipped_questions()), database=db_path, config=config)


def query(db_path: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db_path) as connection:
        return connection.execute(sql).fetchall()


def topic_markers(app: WijkgesprekApp) -> list[str]:
    topics = app.screen.query_one(TopicList)
    return [str(topics.get_option_at_index(i).prompt) for i in range(topics.option_count)]


async def test_whole_visit_from_new_to_summary(db_path: Path) -> None:
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await start_visit(pilot)
        screen = app.screen
        assert isinstance(screen, VisitScreen)
        assert isinstance(app.focused, TextArea)
        assert screen.topic_id == "kennismaking"
        assert topic_markers(app)[0].startswith("1 ○")

        await type_text(pilot, "Vraag van school over huiswerk")
        await pilot.press("f2", "2")  # jump to "stress en zorgen": saves the first note
        assert screen.topic_id == "stress"
        assert query(db_path, "SELECT topic, text FROM note") == [
            ("kennismaking", "Vraag van school over huiswerk")
        ]
        assert topic_markers(app)[0].startswith("1 ●")
        assert topic_markers(app)[1].startswith("2 ○")
        assert app.focused is screen.query_one("#note")

        await pilot.press("f3")
        await wait_until(pilot, lambda: isinstance(app.screen, ThemesScreen))
        await pilot.press("space", "enter")  # the first theme of the guide
        await wait_until(pilot, lambda: app.screen is screen)
        first_theme = app.guide.themes[0]
        assert query(db_path, "SELECT themes FROM note WHERE topic = 'stress'") == [
            (first_theme.id,)
        ]
        assert first_theme.naam in str(screen.query_one("#themes-line", Static).render())

        await pilot.press("f4")
        await wait_until(pilot, lambda: isinstance(app.screen, AgreementsScreen))
        await type_text(pilot, "Aanmelden schuldhulp")
        await pilot.press("enter")
        await type_text(pilot, "moeder")
        await pilot.press("enter", *"voor vrijdag", "enter")
        soon = date.today() + timedelta(days=7)  # a next contact in the future
        await pilot.press("tab", "tab", "tab", *f"{soon.day}-{soon.month}-{soon.year}", "enter")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen)
        assert query(db_path, "SELECT wat, wie, wanneer FROM agreement") == [
            ("Aanmelden schuldhulp", "moeder", "voor vrijdag")
        ]
        assert query(db_path, "SELECT next_contact FROM visit") == [(soon.isoformat(),)]
        assert topic_markers(app)[5].startswith("6 ●")

        await pilot.press("f8")
        await wait_until(pilot, lambda: isinstance(app.screen, SummaryScreen))
        text = str(app.screen.query_one("#summary-text", Static).render())
        touched, untouched = text.split("Niet aan bod gekomen")
        assert "Kennismaking en vraag" in touched and "Stress en zorgen" in touched
        assert "Dromen en hoop" in untouched and "Veiligheid" in untouched
        assert "Aanmelden schuldhulp — moeder — voor vrijdag" in text
        assert f"{soon:%d-%m-%Y}" in text

        await pilot.press("ctrl+e")  # refused: there are children and no kindcheck yet
        assert isinstance(app.screen, SummaryScreen)
        assert "kindcheck" in str(app.screen.query_one("#summary-todo", Static).render())
        await pilot.press("escape", "f10")
        await wait_until(pilot, lambda: isinstance(app.screen, SafetyScreen))
        await pilot.press("1", "enter", "enter")  # Kindcheck → "geen zorgen" → save
        await pilot.press("escape", "escape")  # the outcomes → the sections → the visit
        await wait_until(pilot, lambda: app.screen is screen)
        assert topic_markers(app)[4].startswith("5 ●")  # the safety check counts as touched
        await pilot.press("f8")
        await wait_until(pilot, lambda: isinstance(app.screen, SummaryScreen))
        assert not app.screen.query_one("#summary-todo", Static).display
        await pilot.press("ctrl+e")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert query(db_path, "SELECT count(*) FROM visit WHERE ended_at IS NOT NULL") == [(1,)]
        table = app.screen.query_one("#households", DataTable)
        await wait_until(pilot, lambda: table.row_count == 1)
        assert str(table.get_row_at(0)[-1]) == ""  # the visit is no longer open


async def test_left_visit_is_resumed_with_its_notes(db_path: Path) -> None:
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await start_visit(pilot)
        await type_text(pilot, "Eerste indruk")
        await pilot.press("escape", "escape")  # note → topics → home
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        table = app.screen.query_one("#households", DataTable)
        await wait_until(pilot, lambda: table.row_count == 1)
        assert str(table.get_row_at(0)[-1]) == "open"

        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, VisitScreen))
        assert app.screen.query_one("#note", TextArea).text == "Eerste indruk"
    assert query(db_path, "SELECT count(*) FROM visit") == [(1,)]


async def test_note_is_saved_while_typing_without_leaving(db_path: Path) -> None:
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await start_visit(pilot)
        await type_text(pilot, "Zorgen om de huur")
        await wait_until(
            pilot, lambda: query(db_path, "SELECT text FROM note") == [("Zorgen om de huur",)], 3
        )
        assert "opgeslagen" in str(app.screen.query_one("#note-state", Static).render())


async def test_quit_saves_the_note_immediately(db_path: Path) -> None:
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await start_visit(pilot)
        await type_text(pilot, "Laatste woorden")
        await pilot.press("ctrl+q")
    assert query(db_path, "SELECT text FROM note") == [("Laatste woorden",)]


MARKUP = "[bold]vet[/bold] [@click=app.quit]klik[/] [red"


async def test_markup_and_escapes_stay_literal(db_path: Path) -> None:
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await start_visit(pilot)
        await type_text(pilot, MARKUP)
        app.post_message(events.Paste(" \x1b[31mrood\x07"))
        await pilot.press("f2", "2", "f4")  # save by switching; open agreements
        await wait_until(pilot, lambda: isinstance(app.screen, AgreementsScreen))
        await type_text(pilot, MARKUP)
        await pilot.press("enter", "enter", "enter")
        table = app.screen.query_one("#agreement-table", DataTable)
        await wait_until(pilot, lambda: table.row_count == 1)
        cell = str(table.get_cell_at((0, 0)))  # literal, shortened to its column
        assert cell.endswith("…") and MARKUP.startswith(cell[:-1])
        await pilot.press("escape", "f8")
        await wait_until(pilot, lambda: isinstance(app.screen, SummaryScreen))
        summary = str(app.screen.query_one("#summary-text", Static).render())
        assert MARKUP in summary
        assert app.is_running  # [@click=app.quit] was not acted on
    (note,) = query(db_path, "SELECT text FROM note WHERE topic = 'kennismaking'")
    assert note == (MARKUP + " ␛[31mrood␇",)


async def test_new_visit_refuses_a_name_and_conflicting_children(db_path: Path) -> None:
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("n", *"Jansen", "tab", *"Noord", "enter")
        error = app.screen.query_one("#form-error", Static)
        assert "nooit een naam" in str(error.render())
        code = app.screen.query_one("#code", Input)
        code.value = "GZ-7"
        await pilot.press("tab", "4", "tab")  # from the wijk field: an age, then the choices
        await pilot.press("end", "space", "ctrl+n", "ctrl+n")  # 4 jaar and "geen kinderen"
        assert "niet allebei" in str(error.render())
        assert isinstance(app.screen, NewVisitScreen)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
    assert query(db_path, "SELECT count(*) FROM household") == [(0,)]


async def test_help_shows_screen_help_and_binding_ids(db_path: Path) -> None:
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await start_visit(pilot)
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        text = app.screen._text()  # the Markdown shown
        assert "# Het gesprek" in text
        assert "| Afronden | `afronden` |" in text
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, VisitScreen))


async def test_keymap_from_config_moves_a_binding(db_path: Path) -> None:
    app = make_app(db_path, Config(keymap={"afronden": "f10"}))
    async with app.run_test(size=SIZE) as pilot:
        await start_visit(pilot)
        await pilot.press("f8")
        await pilot.pause()
        assert isinstance(app.screen, VisitScreen)
        await pilot.press("f10")
        await wait_until(pilot, lambda: isinstance(app.screen, SummaryScreen))


@pytest.mark.parametrize("theme", ["textual-light", "textual-dark"])
async def test_colours_follow_config_and_toggle(db_path: Path, theme: str) -> None:
    app = make_app(db_path, Config(theme=theme))
    async with app.run_test(size=SIZE) as pilot:
        await start_visit(pilot)
        assert app.theme == theme
        await pilot.press("ctrl+t")
        assert app.theme != theme
        assert app.current_theme.dark == (theme == "textual-light")


async def test_ctrl_t_is_remembered_in_the_config_file_for_the_next_start(db_path: Path) -> None:
    file = paths.config_file()
    file.parent.mkdir(parents=True)
    file.write_text('# verzonnen\nkleuren = "donker"  # mijn keus\nreservekopieen = 3\n')
    app = make_app(db_path, load_config(file))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("ctrl+t")
        assert not app.current_theme.dark
    assert file.read_text() == '# verzonnen\nkleuren = "licht"  # mijn keus\nreservekopieen = 3\n'
    assert not notifications(app)
    again = make_app(db_path, load_config(file))
    async with again.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(again.screen, HomeScreen))
        assert again.theme == "textual-light"
        await pilot.press("ctrl+t")
        assert again.current_theme.dark
    assert load_config(file).theme == "textual-dark"


async def test_ctrl_t_with_a_config_file_that_cannot_be_written(
    db_path: Path, tmp_path: Path
) -> None:
    (tmp_path / "geen-map").write_text("")
    file = tmp_path / "geen-map" / "config.toml"
    app = make_app(db_path, Config(file=file))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("ctrl+t")
        assert not app.current_theme.dark
        (said,) = notifications(app)
        assert said.startswith(f"De kleuren zijn gewisseld, maar niet onthouden: {file} kan niet ")
        await pilot.press("ctrl+t")
        assert app.current_theme.dark
        assert isinstance(app.screen, HomeScreen)


async def test_an_unknown_colour_setting_is_told_with_what_is_allowed(
    db_path: Path, tmp_path: Path
) -> None:
    file = tmp_path / "config.toml"
    app = make_app(db_path, Config(theme="rood", file=file))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: notifications(app))
        (said,) = notifications(app)
        assert said.startswith(f"{file}, bij 'kleuren': 'rood' is geen kleurinstelling; kies ")
        assert "licht of donker (of een Textual-thema: " in said
        assert "De donkere kleuren worden gebruikt." in said
        assert app.current_theme.dark


async def test_command_palette_offers_dutch_commands(db_path: Path) -> None:
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("ctrl+p", *"nieuw huis")
        results = app.screen.query_one(CommandList)

        def position() -> int | None:
            prompts = [str(option.prompt) for option in results.options]
            return next((i for i, p in enumerate(prompts) if "Nieuw huisbezoek" in p), None)

        await wait_until(pilot, lambda: position() == 0)  # the search runs async
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, NewVisitScreen))


async def test_command_palette_says_no_match_in_dutch(db_path: Path) -> None:
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("ctrl+p", *"xyzzy")
        results = app.screen.query_one(CommandList)
        await wait_until(pilot, lambda: results.option_count == 1)
        assert "Geen opdracht gevonden" in str(results.get_option_at_index(0).prompt)


async def test_typing_a_letter_jumps_to_a_theme(db_path: Path) -> None:
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await start_visit(pilot)
        await pilot.press("f3")
        await wait_until(pilot, lambda: isinstance(app.screen, ThemesScreen))
        await pilot.press("e", "space", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, VisitScreen))
        first_e = next(t for t in app.guide.themes if t.naam.lower().startswith("e"))
        assert query(db_path, "SELECT themes FROM note") == [(first_e.id,)]


async def test_keys_typed_in_a_burst_after_tab_land_in_the_next_field(db_path: Path) -> None:
    """A fast typist (or a busy laptop): the keys after Tab arrive before the app has
    handled it. They must still go to the field Tab moved to."""
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, NewVisitScreen))
        burst = [*"GZ-1", "tab", *"Noord"]
        for key in burst:  # all queued at once, no pause in between
            app.post_message(events.Key(key, "\t" if key == "tab" else key))
        await wait_until(pilot, lambda: app.screen.query_one("#wijk", Input).value == "Noord")
        assert app.screen.query_one("#code", Input).value == "GZ-1"


async def test_the_first_letter_may_choose_the_theme_under_the_cursor(db_path: Path) -> None:
    """'g' in a fresh themes dialog means Geldzorgen (the first theme), not the next g."""
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await start_visit(pilot)
        await pilot.press("f3")
        await wait_until(pilot, lambda: isinstance(app.screen, ThemesScreen))
        first = app.guide.themes[0]
        await pilot.press(first.naam[0].lower(), "space", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, VisitScreen))
        assert query(db_path, "SELECT themes FROM note") == [(first.id,)]


async def test_ctrl_d_closes_and_exports_dossier_and_family_version(
    db_path: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "export"
    app = make_app(db_path, Config(export_folder=folder))
    async with app.run_test(size=SIZE) as pilot:
        await start_visit(pilot)
        await type_text(pilot, "Vraag over school.")
        await pilot.press("f10")  # opens on the kindcheck's answers: Enter records one
        await wait_until(pilot, lambda: isinstance(app.screen, SafetyScreen))
        await pilot.press("enter", "escape", "escape", "f8")  # outcome, sections, visit
        await wait_until(pilot, lambda: isinstance(app.screen, SummaryScreen))
        await pilot.press("ctrl+d")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
    assert query(db_path, "SELECT count(*) FROM visit WHERE ended_at IS NOT NULL") == [(1,)]
    assert query(db_path, "SELECT value FROM safety_entry") == [("geen-zorgen",)]
    dossier, family = sorted(folder.iterdir())
    assert "-dossier-bezoek-" in dossier.name and "Vraag over school." in dossier.read_text()
    assert "-gezin-" in family.name and "Vraag over school." not in family.read_text()
    assert {stat.S_IMODE(path.stat().st_mode) for path in (dossier, family)} == {0o600}
    from wijkgesprek.export.record import exports_of

    assert {written.path for written in exports_of(db_path.parent, ["GZ-001"])} == {dossier, family}
