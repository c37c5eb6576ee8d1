"""The safety trail holds what the professional decided, not keystrokes (issue 17,
points 7–11): Escape cancels a field, not the safety check; nothing is kept by accident;
balance answers are explicit; a saved value shows at once and is never appended twice;
typed quotes are kept as typed. All words are invented."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import SIZE, burst, frame, type_text, wait_until
from test_safety_screens import open_safety, trail
from textual.widgets import ContentSwitcher, Input, OptionList

from wijkgesprek.app import WijkgesprekApp
from wijkgesprek.content.questions import load_guide
from wijkgesprek.paths import shipped_questions
from wijkgesprek.screens.choice import ChoiceScreen
from wijkgesprek.screens.help import HelpScreen
from wijkgesprek.screens.safety import SafetyScreen
from wijkgesprek.screens.visit import VisitScreen
from wijkgesprek.store import repo
from wijkgesprek.store.schema import prepare_database


@pytest.fixture
def app(tmp_path: Path) -> WijkgesprekApp:
    database = tmp_path / "data" / "wijkgesprek.db"
    prepare_database(database)
    return WijkgesprekApp(guide=load_guide(shipped_questions()), database=database)


def focused_id(app: WijkgesprekApp) -> str | None:
    return app.focused.id if app.focused is not None else None


async def to_column(pilot, key: str) -> Input:  # type: ignore[no-untyped-def]
    """The scaling section, then Tab to one of its three columns (by keyboard)."""
    app = pilot.app
    await pilot.press("4")
    assert focused_id(app) == "scale-role"
    tabs = {"zorgen": 3, "goed": 4, "gebeuren": 5}[key]
    await pilot.press(*["tab"] * tabs)
    assert focused_id(app) == f"column-{key}"
    return app.screen.query_one(f"#column-{key}", Input)  # type: ignore[no-any-return]


# -- 7. Escape cancels a field, never the whole safety check --------------------------------


async def test_escape_in_a_typed_field_asks_and_drops_only_that_field(
    app: WijkgesprekApp,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_safety(pilot)
        await pilot.press("4")
        role = screen.query_one("#scale-role", Input)
        # A fast typist: the "2" after Escape is meant for the question, not the field.
        await burst(pilot, "buurvrouw", "<escape>", "2")
        await wait_until(pilot, lambda: app.screen is screen and role.value == "")
        assert isinstance(app.screen, SafetyScreen)  # still in the safety check
        assert app.focused is screen.query_one("#sections")
        assert screen.query_one(ContentSwitcher).current == "section-4"
    assert trail(app) == []


async def test_escape_in_a_typed_field_and_back_keeps_the_words(app: WijkgesprekApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_safety(pilot)
        await pilot.press("4")
        await type_text(pilot, "buurvrouw")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        assert "buurvrouw" not in str(app.screen.query_one(".hint").render())  # no detail
        await pilot.press("escape")  # the question itself: back to the field
        await wait_until(pilot, lambda: app.screen is screen)
        role = screen.query_one("#scale-role", Input)
        assert app.focused is role and role.value == "buurvrouw"
        await burst(pilot, "<escape>", "1")  # "1 Terug om het af te maken"
        await wait_until(pilot, lambda: app.screen is screen and app.focused is role)
        assert role.value == "buurvrouw"


async def test_escape_goes_up_one_level_at_a_time(app: WijkgesprekApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_safety(pilot)
        sections = screen.query_one("#sections")
        await pilot.press("2", "enter")  # the first signal: the field for its words
        assert focused_id(app) == "signal-note"
        await pilot.press("escape")  # nothing typed: the field closes, back to the signals
        assert focused_id(app) == "signal-list"
        assert not screen.query_one("#signal-note").display
        await pilot.press("escape")  # from a list in a section: the list of sections
        assert app.focused is sections and app.screen is screen
        await pilot.press("4", "escape")  # an empty field: the list of sections
        assert app.focused is sections and app.screen is screen
        await pilot.press("3", "escape")
        assert app.focused is sections and app.screen is screen
        await pilot.press("escape")  # from the list of sections: back to the visit
        await wait_until(pilot, lambda: isinstance(app.screen, VisitScreen))
    assert trail(app) == []


async def test_f2_goes_to_the_sections_and_leaving_still_asks(app: WijkgesprekApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_safety(pilot)
        await pilot.press("4")
        await burst(pilot, "grootvader", "<f2>", "2")  # F2, then the signals at once
        assert screen.query_one(ContentSwitcher).current == "section-2"
        assert focused_id(app) == "signal-list"
        assert screen.query_one("#scale-role", Input).value == "grootvader"  # kept
        await pilot.press("f2", "escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        assert "Nog niet bewaard" in frame(app)
        await pilot.press("2")
        await wait_until(pilot, lambda: isinstance(app.screen, VisitScreen))
    assert trail(app) == []


async def test_the_keys_are_in_the_help_and_the_footer(app: WijkgesprekApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_safety(pilot)
        shown = frame(app).splitlines()[-1]
        assert "f2 Onderdelen" in shown and "esc Terug" in shown
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        help_text = app.screen.query_one("Markdown").source  # type: ignore[attr-defined]
        assert "**F2**" in help_text and "**Escape**" in help_text
        assert "**j**" in help_text and "**Enter nog eens**" in help_text


# -- 8. Nothing reaches the trail by accident ------------------------------------------------


async def test_a_stray_digit_and_enter_in_a_column_keep_nothing(app: WijkgesprekApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_safety(pilot)
        column = await to_column(pilot, "goed")
        await pilot.press("1")  # a digit in a field is text, it opens no section
        assert column.value == "1"
        assert screen.query_one(ContentSwitcher).current == "section-4"
        await pilot.press("enter")  # shows what would be kept, keeps nothing yet
        assert trail(app) == []
        assert "Enter nog eens" in frame(app)
        await pilot.press("escape")  # cancels the confirmation
        assert "Enter nog eens" not in frame(app)
        assert app.screen is screen and app.focused is column and column.value == "1"
    assert trail(app) == []


async def test_a_column_is_kept_after_a_second_enter(app: WijkgesprekApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_safety(pilot)
        column = await to_column(pilot, "goed")
        await pilot.press("enter")  # empty: nothing
        assert trail(app) == [] and "Enter nog eens" not in frame(app)
        await type_text(pilot, "Oma haalt de kinderen op")
        await pilot.press("enter")
        assert trail(app) == []
        await burst(pilot, "<enter>", "<enter>", "<enter>")  # kept once; then unchanged
        await wait_until(pilot, lambda: len(trail(app)) == 1)
        await pilot.pause()
        assert trail(app) == [("kolom", "goed", "", "Oma haalt de kinderen op", 0)]
        assert "Enter nog eens" not in frame(app)
        await type_text(pilot, " en")  # changed after the first Enter: asked again
        await pilot.press("enter")
        await type_text(pilot, " naar school")
        await pilot.press("enter")
        assert len(trail(app)) == 1
        await pilot.press("enter")
        assert trail(app)[-1] == ("kolom", "goed", "", "Oma haalt de kinderen op en naar school", 1)
        assert column.value == "Oma haalt de kinderen op en naar school"


async def test_a_field_is_not_selected_so_a_digit_does_not_replace_it(
    app: WijkgesprekApp,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_safety(pilot)
        column = await to_column(pilot, "goed")
        await type_text(pilot, "Oma helpt")
        await pilot.press("enter", "enter", "escape")  # kept; the list of sections
        assert app.focused is screen.query_one("#sections")
        column = await to_column(pilot, "goed")
        assert column.value == "Oma helpt"
        await pilot.press("1")
        assert column.value == "Oma helpt1"
        for field in screen.query(Input):
            assert not field.select_on_focus, field.id
    assert trail(app) == [("kolom", "goed", "", "Oma helpt", 0)]


async def test_escape_in_a_changed_column_restores_what_was_kept(app: WijkgesprekApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_safety(pilot)
        column = await to_column(pilot, "zorgen")
        await type_text(pilot, "Vader drinkt")
        await pilot.press("enter", "enter")
        await type_text(pilot, " soms")
        await burst(pilot, "<escape>", "2")  # asked; "niet bewaren"
        await wait_until(pilot, lambda: app.focused is screen.query_one("#sections"))
        assert column.value == "Vader drinkt"
    assert trail(app) == [("kolom", "zorgen", "", "Vader drinkt", 0)]


async def test_keys_typed_fast_after_enter_land_where_it_moved_the_focus(
    app: WijkgesprekApp,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_safety(pilot)
        await pilot.press("2")
        await burst(pilot, "<enter>", "zegt weinig", "<enter>", "<down>")  # a signal, words
        await wait_until(pilot, lambda: trail(app))
        first = app.guide.safety.signal_groups[0]
        key = f"{first.id}/{first.signals[0].id}"
        assert trail(app) == [("signaal", key, "aan", "zegt weinig", 0)]
        assert focused_id(app) == "signal-list"
        await pilot.press("4")
        await burst(pilot, "moeder", "<enter>", "3", "<enter>", "zwaar", "<enter>", "vader")
        await wait_until(pilot, lambda: len(trail(app)) == 2)
        assert trail(app)[-1] == ("schaal", "moeder", "3", "zwaar", 0)
        assert screen.query_one("#scale-role", Input).value == "vader"


# -- 9. Balance questions are answered with explicit keys -----------------------------------


async def test_balance_is_answered_with_j_n_o_never_by_cycling(app: WijkgesprekApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_safety(pilot)
        first, second = (q.id for q in app.guide.safety.balance[:2])
        await pilot.press("3")
        questions = screen.query_one("#balance-questions", OptionList)
        assert app.focused is questions
        await pilot.press("enter")  # records nothing, explains the keys
        assert trail(app) == []
        assert "j = ja" in frame(app)
        await pilot.press("n")
        assert trail(app) == [("balans", first, "nee", "", 0)]
        assert "[  nee   ]" in str(questions.get_option_at_index(0).prompt)
        await pilot.press("n")  # the same answer again: nothing
        await pilot.press("down", "o")  # "onbekend" where nothing was answered: nothing
        assert trail(app) == [("balans", first, "nee", "", 0)]
        await pilot.press("j", "up", "j")
        assert trail(app) == [
            ("balans", first, "nee", "", 0),
            ("balans", second, "ja", "", 0),
            ("balans", first, "ja", "", 1),
        ]


# -- 10. A saved value shows at once, and is never appended twice ---------------------------


async def test_a_saved_value_shows_without_reading_everything_again(
    app: WijkgesprekApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[int] = []
    original = repo.visit_safety

    def counted(**kwargs):  # type: ignore[no-untyped-def]
        reads.append(1)
        return original(**kwargs)

    monkeypatch.setattr(repo, "visit_safety", counted)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_safety(pilot)
        before = len(reads)
        await pilot.press("4")
        await burst(pilot, "ouder", "<enter>", "6", "<enter>", "gaat beter", "<enter>")
        await wait_until(pilot, lambda: len(trail(app)) == 1)
        assert "ouder: 6" in frame(app)
        assert "1 gevraagd" in str(
            screen.query_one("#sections", OptionList).get_option_at_index(3).prompt
        )
        assert len(reads) == before  # nothing slow between the Enter and the value shown


async def test_the_same_value_twice_in_a_row_is_kept_once(app: WijkgesprekApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_safety(pilot)
        await pilot.press("4")
        entry = ("ouder", "<enter>", "6", "<enter>", "gaat beter", "<enter>")
        await burst(pilot, *entry, *entry)  # a second entry, the screen seemed slow
        await wait_until(pilot, lambda: trail(app))
        await pilot.pause()
        await burst(pilot, "ouder", "<enter>", "7", "<enter>", "<enter>")
        await wait_until(pilot, lambda: len(trail(app)) == 2)
        await burst(pilot, *entry)  # back to 6: a change, kept
        await wait_until(pilot, lambda: len(trail(app)) == 3)
    assert trail(app) == [
        ("schaal", "ouder", "6", "gaat beter", 0),
        ("schaal", "ouder", "7", "", 1),
        ("schaal", "ouder", "6", "gaat beter", 1),
    ]


# -- 11. Quotes as typed, not doubled --------------------------------------------------------


async def test_typed_quotes_are_shown_once(app: WijkgesprekApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_safety(pilot)
        await pilot.press("2", "enter")
        await type_text(pilot, '"Ik ken hier eigenlijk niemand."')
        await pilot.press("enter")
        shown = frame(app)
        assert "“Ik ken hier eigenlijk niemand.”" in shown
        assert '“"' not in shown and '"”' not in shown
        await pilot.press("4")
        await burst(pilot, "ouder", "<enter>", "5", "<enter>", "“Het gaat net”", "<enter>")
        await wait_until(pilot, lambda: len(trail(app)) == 2)
        shown = frame(app)
        assert "ouder: 5 — “Het gaat net”" in shown
        assert "““" not in shown and "””" not in shown
    assert trail(app)[0][3] == '"Ik ken hier eigenlijk niemand."'  # kept as typed
    assert trail(app)[1][3] == "“Het gaat net”"


# -- discreet mode hides what was added -----------------------------------------------------


async def test_discreet_hides_a_confirmation_and_a_question_about_a_field(
    app: WijkgesprekApp,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_safety(pilot)
        await to_column(pilot, "gebeuren")
        await type_text(pilot, "Zwanenmeer")
        await pilot.press("enter")
        assert "Zwanenmeer" in frame(app)
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert "Zwanenmeer" not in frame(app) and "Enter nog eens" not in frame(app)
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert "Enter nog eens" not in frame(app)  # the column lost the focus: taken back
        screen = app.screen
        screen.set_focus(screen.query_one("#column-gebeuren"))
        await pilot.press("escape")  # the question about the typed words
        await wait_until(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert "Zwanenmeer" not in frame(app)
        await pilot.press("1")  # back to finish it: nothing shows, nothing is focused
        await wait_until(pilot, lambda: app.screen is screen)
        assert app.focused is None and "Zwanenmeer" not in frame(app)
    assert trail(app) == []


async def test_a_stray_enter_on_a_meldcode_step_keeps_nothing_letters_set_it(
    app: WijkgesprekApp,
) -> None:
    """Audit finding (point 8): '5' and Enter, the 'cijfer en Enter' habit, moved step 1 to
    'bezig' in the append-only trail. A step is set with its own letter, never by going
    round the states; the same state again writes nothing."""
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_safety(pilot)
        await burst(pilot, "5", "<enter>", "<enter>")
        await pilot.pause()
        assert app.focused is screen.query_one("#steps")
        assert trail(app) == []
        assert "b = bezig, g = gedaan, o = open" in frame(app)
        await burst(pilot, "b", "b")
        await wait_until(pilot, lambda: len(trail(app)) == 1)
        await burst(pilot, "<down>", "g")
        await wait_until(pilot, lambda: len(trail(app)) == 2)
        await pilot.pause()
        assert trail(app) == [("stap", "1", "bezig", "", 0), ("stap", "2", "gedaan", "", 0)]
        shown = frame(app)
        assert "1. Signalen in kaart brengen — bezig" in shown and "gedaan" in shown
