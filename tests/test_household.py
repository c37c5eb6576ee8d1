"""The household's facts: a known wijk, the code of a known household, and the
children's ages as birth years; changed only on purpose, with a dated trail."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from helpers import SIZE, frame, type_text, wait_until
from textual.widgets import Input, Static

from wijkgesprek.app import WijkgesprekApp
from wijkgesprek.content.questions import load_guide
from wijkgesprek.domain.household import (
    AGE_GROUPS,
    Children,
    HouseholdChange,
    age_group,
    current_ages,
    describe_change,
    describe_children,
    format_children,
    from_ages,
    parse_ages,
    parse_children,
    read_children,
)
from wijkgesprek.domain.safety import kindcheck_required
from wijkgesprek.domain.suggest import ages_of
from wijkgesprek.paths import shipped_network, shipped_questions
from wijkgesprek.screens.help import HelpScreen
from wijkgesprek.screens.history import HistoryScreen
from wijkgesprek.screens.home import HomeScreen
from wijkgesprek.screens.household_edit import HouseholdEditScreen
from wijkgesprek.screens.new_visit import NewVisitScreen
from wijkgesprek.screens.visit import VisitScreen
from wijkgesprek.store import repo
from wijkgesprek.store.engine import Store
from wijkgesprek.store.schema import prepare_database
from wijkgesprek.widgets.household_fields import HouseholdFields

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


# -- the children (plain functions) ---------------------------------------------------------


def test_every_age_is_in_exactly_one_group() -> None:
    for age in range(100):
        holding = [label for low, high, label in AGE_GROUPS if low <= age <= (high or 999)]
        assert holding == [age_group(age)], age
    assert [age_group(age) for age in (0, 3, 4, 11, 12, 17, 18, 40)] == [
        "0–3",
        "0–3",
        "4–11",
        "4–11",
        "12–17",
        "12–17",
        "18+",
        "18+",
    ]


@pytest.mark.parametrize(
    ("typed", "ages"),
    [
        ("2 en 5", (2, 5)),
        ("5, 2", (2, 5)),
        ("2;5", (2, 5)),
        ("3 en 3", (3, 3)),  # twins are two children
        ("0", (0,)),  # a baby
        ("2 jaar en 5 jaar", (2, 5)),
        ("  ", ()),
        ("17 & 19", (17, 19)),
    ],
)
def test_ages_are_read_as_a_parent_says_them(typed: str, ages: tuple[int, ...]) -> None:
    assert parse_ages(typed) == ages


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("2,5", "hele jaren"),  # a Dutch decimal comma, not two children
        ("1.5", "hele jaren"),
        ("twee", "hele jaren"),
        ("6 maanden", "hele jaren"),
        ("-1", "hele jaren"),
        ("100", "0 tot en met 99"),
        ("[b]4[/b]", "hele jaren"),
        ("Jansen 4", "hele jaren"),  # a name is never stored
    ],
)
def test_ages_that_are_not_whole_years_are_refused(typed: str, said: str) -> None:
    with pytest.raises(ValueError, match=said):
        parse_ages(typed)


def test_children_are_stored_as_birth_years_and_grow_older() -> None:
    recorded = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    children = from_ages((2, 5), year=2026, pregnant=True)
    assert children.birth_years == (2024, 2021)
    assert format_children(children) == "2024,2021,zwanger"
    stored = parse_children("2024,2021,zwanger", recorded=recorded)
    assert stored == children
    assert current_ages(stored, date(2026, 12, 31)) == (2, 5)
    assert current_ages(stored, date(2027, 3, 1)) == (2, 5)  # a year has not passed yet
    assert current_ages(stored, date(2027, 3, 2)) == (3, 6)
    assert describe_children(stored, date(2027, 3, 2)) == "3 en 6 jaar (0–3, 4–11), zwanger"
    assert describe_children(stored, date(2031, 6, 1), groups=False) == "7 en 10 jaar, zwanger"


def test_old_overlapping_groups_are_shown_as_recorded_never_as_ages() -> None:
    old = parse_children("0-4,4-12", recorded=datetime(2025, 3, 4, 10, 0, tzinfo=UTC))
    assert old.legacy == ("0-4", "4-12") and old.birth_years == ()
    assert describe_children(old, date(2026, 3, 2)) == (
        "0–4 jaar, 4–12 jaar (vastgelegd op 04-03-2025)"
    )
    assert current_ages(old, date(2026, 3, 2)) == ()
    assert format_children(old) == "0-4,4-12"  # kept exactly as it was


@pytest.mark.parametrize(
    ("stored", "required"),
    [("", False), ("2021", True), ("zwanger", True), ("elders", True), ("18+", True)],
)
def test_the_kindcheck_is_required_with_any_child(stored: str, required: bool) -> None:
    assert kindcheck_required(parse_children(stored)) is required


def test_offers_fit_the_current_ages_and_old_groups_as_recorded() -> None:
    today = date(2026, 3, 2)
    assert ages_of(from_ages((2, 5), year=2026), today) == ((2, 2), (5, 5))
    assert ages_of(from_ages((), year=2026, pregnant=True), today) == ((0, 0),)
    assert ages_of(parse_children("0-4,elders"), today) == ((0, 4),)
    assert ages_of(Children(), today) == ()


@pytest.mark.parametrize(
    ("ages", "pregnant", "elsewhere", "none", "problem"),
    [
        ("", False, False, False, "Vul de leeftijden van de kinderen in"),
        ("4", False, False, True, "niet allebei"),
        ("", True, False, True, "niet allebei"),
        ("vier", False, False, False, "hele jaren"),
    ],
)
def test_children_need_ages_or_no_children_not_both(
    ages: str, pregnant: bool, elsewhere: bool, none: bool, problem: str
) -> None:
    with pytest.raises(ValueError, match=problem):
        read_children(
            ages, pregnant=pregnant, elsewhere=elsewhere, no_children=none, today=date(2026, 3, 2)
        )


def test_retyping_the_same_ages_later_keeps_the_birth_years() -> None:
    known = parse_children("2021", recorded=datetime(2026, 3, 2, 9, 30, tzinfo=UTC))
    later = date(2027, 1, 10)  # still 5: a year has not passed
    same = read_children("5", pregnant=True, elsewhere=False, no_children=False, today=later)
    assert same.birth_years == (2022,)  # as if told today
    kept = read_children(
        "5", pregnant=True, elsewhere=False, no_children=False, today=later, known=known
    )
    assert kept.birth_years == (2021,) and kept.pregnant
    assert format_children(kept) == "2021,zwanger"


def test_a_change_is_described_with_its_time_old_and_new() -> None:
    at = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    wijk = HouseholdChange(at=at, kind="wijk", old="noord", new="Rivierkwartier")
    assert describe_change(wijk).endswith("wijk: noord → Rivierkwartier")
    assert at.astimezone().strftime("%d-%m-%Y %H:%M") in describe_change(wijk)
    children = HouseholdChange(at=at, kind="kinderen", old="0-4", new="2024,2021")
    assert describe_change(children).endswith("kinderen: 0–4 jaar → 2 en 5 jaar")


# -- the store ------------------------------------------------------------------------------


def test_starting_a_visit_never_changes_a_known_household(store: Store) -> None:
    first = store.run(
        repo.start_visit, code="GZ-001", wijk="Noord", children=from_ages((4,), year=2026), now=NOW
    )
    store.run(repo.end_visit, visit_id=first, now=NOW)
    later = NOW + timedelta(days=7)
    second = store.run(repo.start_visit, code="GZ-001", wijk="Oost", children=Children(), now=later)
    assert second != first
    record = store.run(repo.get_visit, visit_id=second)
    assert record.wijk == "Noord"
    assert record.children.birth_years == (2022,)
    assert store.run(repo.get_household, code="GZ-001").changes == ()


def test_a_deliberate_change_keeps_old_and_new_with_the_time(store: Store) -> None:
    store.run(
        repo.start_visit, code="GZ-001", wijk="noord", children=from_ages((4,), year=2026), now=NOW
    )
    later = NOW + timedelta(days=30)
    changes = store.run(
        repo.change_household,
        code="GZ-001",
        wijk="Rivierkwartier",
        children=from_ages((0, 4), year=2026),
        now=later,
    )
    assert [(c.kind, c.old, c.new) for c in changes] == [
        ("wijk", "noord", "Rivierkwartier"),
        ("kinderen", "2022", "2026,2022"),
    ]
    history = store.run(repo.get_household, code="GZ-001")
    assert history.wijk == "Rivierkwartier"
    assert history.children.birth_years == (2026, 2022)
    assert history.changes == tuple(changes)
    assert history.changes[0].at == later
    # Saving the same again is no change.
    same = store.run(
        repo.change_household,
        code="GZ-001",
        wijk="rivierkwartier ",
        children=from_ages((0, 4), year=2026),
        now=later,
    )
    assert same == []
    assert store.run(repo.erase_household, code="GZ-001") == 1
    with sqlite3.connect(store.engine.url.database or "") as connection:
        assert connection.execute("SELECT count(*) FROM household_change").fetchone() == (0,)


# -- the app at 80×24 -----------------------------------------------------------------------


def make_app(tmp_path: Path) -> WijkgesprekApp:
    database = tmp_path / "data" / "wijkgesprek.db"
    prepare_database(database)
    return WijkgesprekApp(
        guide=load_guide(shipped_questions()), database=database, network=(shipped_network(),)
    )


def seed(app: WijkgesprekApp, *, code: str, wijk: str, stored: str) -> None:
    """A household as an older version of wijkgesprek left it (straight into the file)."""
    store = Store(app.database)
    try:
        visit = store.run(repo.start_visit, code=code, wijk=wijk, children=Children(), now=NOW)
        store.run(repo.end_visit, visit_id=visit, now=NOW)
    finally:
        store.engine.dispose()
    with sqlite3.connect(app.database.path) as connection:
        connection.execute("UPDATE household SET children = ? WHERE code = ?", (stored, code))


def rows(app: WijkgesprekApp, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(app.database.path) as connection:
        return connection.execute(sql).fetchall()


async def open_dialog(pilot) -> NewVisitScreen:  # type: ignore[no-untyped-def]
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.network is not None)
    await pilot.press("n")
    await wait_until(pilot, lambda: isinstance(app.screen, NewVisitScreen))
    assert isinstance(app.screen, NewVisitScreen)
    return app.screen


def form_text(app: WijkgesprekApp) -> str:
    return " ".join(str(app.screen.query_one("#form-error", Static).render()).split())


async def test_tab_completes_a_known_wijk_even_when_typed_fast(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_dialog(pilot)
        await type_text(pilot, "GZ-001\tno\t")  # one burst: before any suggestion arrived
        await wait_until(pilot, lambda: app.screen.query_one("#ages", Input).has_focus)
        assert app.screen.query_one("#wijk", Input).value == "Noord"
        await type_text(pilot, "4")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, VisitScreen))
    assert rows(app, "SELECT code, wijk FROM household") == [("GZ-001", "Noord")]


async def test_a_known_wijk_in_other_case_is_stored_as_known(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_dialog(pilot)
        await type_text(pilot, "GZ-002")
        await pilot.press("tab")
        app.screen.query_one("#wijk", Input).value = "rivierKWARTIER "  # no Tab: typed out
        app.screen.query_one("#ages", Input).focus()
        await type_text(pilot, "2 en 5")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, VisitScreen))
    assert rows(app, "SELECT wijk, children FROM household") == [("Rivierkwartier", "2024,2021")]


@pytest.mark.parametrize("typed", ["No", "Nord", "noord-", "[b]Noord[/b]", "Noord\x1b[31m"])
async def test_free_text_never_becomes_a_wijk_without_confirmation(
    tmp_path: Path, typed: str
) -> None:
    """The attacker's test: whatever is typed where a known wijk is expected, Enter
    (even twice, even Ctrl+S) does not make it a wijk of its own in the trends."""
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_dialog(pilot)
        await type_text(pilot, "GZ-003")
        await pilot.press("tab")
        dialog.query_one("#wijk", Input).value = typed
        await pilot.press("enter", "enter", "ctrl+s")
        await pilot.pause()
        assert app.screen is dialog
        assert "is geen bekende wijk" in form_text(app)
        shown = frame(app)
        assert "Ctrl+N" in shown and "Start huisbezoek" in shown  # fits at 80×24
    assert rows(app, "SELECT count(*) FROM household") == [(0,)]


async def test_the_dialog_help_explains_ages_and_the_new_wijk_key(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_dialog(pilot)
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        help_text = " ".join(app.screen._text().split())
        assert "druk daarna op **Ctrl+N** om hem als nieuwe wijk te bewaren" in help_text
        assert "Bewaard wordt alleen het geboortejaar" in help_text


async def test_a_new_wijk_takes_a_deliberate_second_key(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_dialog(pilot)
        await type_text(pilot, "GZ-004\tNo")
        await pilot.press("ctrl+n")  # before the question: nothing to confirm yet
        await pilot.pause()
        assert app.screen is dialog and rows(app, "SELECT count(*) FROM household") == [(0,)]
        dialog.query_one("#ages", Input).focus()
        await type_text(pilot, "7")
        await pilot.press("enter")
        assert "'No' is geen bekende wijk. Bedoelt u Noord?" in form_text(app)
        assert "'No' is geen bekende wijk" in frame(app)
        dialog.query_one("#wijk", Input).value = "Nooo"  # changed: the question is asked again
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.screen is dialog and "'Nooo' is geen bekende wijk" in form_text(app)
        await pilot.press("ctrl+n")  # the deliberate confirmation of 'Nooo'
        await wait_until(pilot, lambda: isinstance(app.screen, VisitScreen))
    assert rows(app, "SELECT code, wijk FROM household") == [("GZ-004", "Nooo")]


async def test_the_code_of_a_known_household_opens_it_unchanged(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    seed(app, code="GZ-001", wijk="Noord", stored="2021,2019")
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_dialog(pilot)
        await type_text(pilot, "gz-001")
        await pilot.pause()
        shown = " ".join(frame(app).split())
        assert "GZ-001 is bekend: Noord, 5 en 7 jaar. Het bezoek wordt daar gestart;" in shown
        assert not dialog.query_one(HouseholdFields).display  # nothing asked again
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, VisitScreen))
    assert rows(app, "SELECT code, wijk, children FROM household") == [
        ("GZ-001", "Noord", "2021,2019")
    ]
    assert rows(app, "SELECT count(*) FROM visit") == [(2,)]
    assert rows(app, "SELECT count(*) FROM household_change") == [(0,)]


@pytest.mark.parametrize(
    ("ages", "said"),
    [("2,5", "hele jaren"), ("twee", "hele jaren"), ("", "Vul de leeftijden")],
)
async def test_the_dialog_refuses_ages_that_are_not_whole_years(
    tmp_path: Path, ages: str, said: str
) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_dialog(pilot)
        await type_text(pilot, "GZ-005\tNoord\t")
        await type_text(pilot, ages)
        await pilot.press("enter")
        assert app.screen is dialog and said in form_text(app)
    assert rows(app, "SELECT count(*) FROM household") == [(0,)]


async def test_household_details_change_from_the_history_with_a_trail(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    seed(app, code="GZ-001", wijk="noord", stored="0-4,4-12")  # from before version 8
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.rows)
        await wait_until(pilot, lambda: app.network is not None)
        # The home list is short: old groups as recorded (waited for: drawn after the rows).
        await wait_until(pilot, lambda: "0–4,4–12" in frame(app))
        await pilot.press("g")
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen))
        await wait_until(
            pilot, lambda: "0–4 jaar, 4–12 jaar (vastgelegd op 02-03-2026)" in frame(app)
        )
        await pilot.press("h")
        await wait_until(pilot, lambda: isinstance(app.screen, HouseholdEditScreen))
        edit = app.screen
        await wait_until(pilot, lambda: "Huishouden GZ-001 wijzigen" in frame(app))
        assert "Opslaan" in frame(app)
        assert edit.query_one("#wijk", Input).value == "noord"
        assert edit.query_one("#ages", Input).value == ""  # old groups: never guessed ages
        edit.query_one("#wijk", Input).value = "Rivierkw"
        edit.query_one("#wijk", Input).focus()
        await pilot.press("tab")  # completes
        assert edit.query_one("#wijk", Input).value == "Rivierkwartier"
        await type_text(pilot, "0 en 4")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen))
        head = " ".join(str(app.screen.query_one("#history-head", Static).render()).split())
        assert "Rivierkwartier" in head
        assert "wijk: noord → Rivierkwartier" in head
        assert "kinderen: 0–4 jaar, 4–12 jaar" in head and "→ 0 en 4 jaar" in head
    this_year = date.today().year
    assert rows(app, "SELECT wijk, children FROM household") == [
        ("Rivierkwartier", f"{this_year},{this_year - 4}")
    ]
    assert rows(app, "SELECT kind, old, new FROM household_change ORDER BY id") == [
        ("wijk", "noord", "Rivierkwartier"),
        ("kinderen", "0-4,4-12", f"{this_year},{this_year - 4}"),
    ]


async def test_the_history_shows_the_latest_changes_and_counts_the_rest(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    seed(app, code="GZ-001", wijk="Noord", stored="2021")
    store = Store(app.database)
    try:
        for day, wijk in enumerate(["Oost", "West", "Zuid", "Noord", "Rivierkwartier"], 1):
            store.run(
                repo.change_household,
                code="GZ-001",
                wijk=wijk,
                children=parse_children("2021"),
                now=NOW + timedelta(days=day),
            )
    finally:
        store.engine.dispose()
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.rows)
        await pilot.press("g")
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen))
        head = str(app.screen.query_one("#history-head", Static).render())
        assert "wijk: Oost → West" not in head and "wijk: West → Zuid" in head
        assert "wijk: Noord → Rivierkwartier" in head
        assert "(en 2 eerdere wijziging(en), in het dossier)" in head


async def test_escape_leaves_the_household_as_it_was(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    seed(app, code="GZ-001", wijk="Noord", stored="2021")
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.rows)
        await pilot.press("g")
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen))
        await pilot.press("h")
        await wait_until(pilot, lambda: isinstance(app.screen, HouseholdEditScreen))
        edit = app.screen
        await pilot.press("f1")  # the dialog's own help, also in a modal dialog
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        help_text = app.screen._text()
        assert "# Huishouden wijzigen" in help_text and "raadt ze nooit" in help_text
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is edit)
        await type_text(pilot, "Oost")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen))
    assert rows(app, "SELECT wijk, children FROM household") == [("Noord", "2021")]
    assert rows(app, "SELECT count(*) FROM household_change") == [(0,)]
