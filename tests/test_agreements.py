"""F4, the agreements: nothing typed is lost silently, dates are read as meant."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest
from helpers import SIZE, burst, frame, start_visit, type_text, wait_until
from textual.widgets import Input

from wijkgesprek.app import WijkgesprekApp
from wijkgesprek.content.questions import load_guide
from wijkgesprek.domain.dates import due_date
from wijkgesprek.paths import shipped_questions
from wijkgesprek.screens.agreements import AgreementsScreen
from wijkgesprek.screens.choice import ChoiceScreen
from wijkgesprek.screens.visit import VisitScreen
from wijkgesprek.store.schema import prepare_database


@pytest.fixture
def app(tmp_path: Path) -> WijkgesprekApp:
    database = tmp_path / "data" / "wijkgesprek.db"
    prepare_database(database)
    return WijkgesprekApp(guide=load_guide(shipped_questions()), database=database)


def rows(app: WijkgesprekApp, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(app.database.path) as connection:
        return connection.execute(sql).fetchall()


async def open_agreements(pilot) -> AgreementsScreen:  # type: ignore[no-untyped-def]
    await start_visit(pilot)
    await pilot.press("f4")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, AgreementsScreen))
    return pilot.app.screen  # type: ignore[no-any-return]


def in_days(days: int) -> str:
    return f"{date.today() + timedelta(days=days):%d-%m-%Y}"


async def test_ctrl_s_keeps_a_typed_next_contact(app: WijkgesprekApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_agreements(pilot)
        dialog.query_one("#next-contact", Input).focus()
        await pilot.pause()
        await type_text(pilot, in_days(7))
        await pilot.press("ctrl+s")  # kept, and the dialog closes
        await wait_until(pilot, lambda: isinstance(app.screen, VisitScreen))
        expected = (date.today() + timedelta(days=7)).isoformat()
        assert rows(app, "SELECT next_contact FROM visit") == [(expected,)]


async def test_ctrl_s_with_an_agreement_and_a_next_contact_keeps_both(
    app: WijkgesprekApp,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_agreements(pilot)
        await type_text(pilot, "Belt de school")
        await pilot.press("tab", "tab", "tab")
        await type_text(pilot, in_days(7))
        await pilot.press("ctrl+s")
        assert rows(app, "SELECT wat FROM agreement") == [("Belt de school",)]
        expected = (date.today() + timedelta(days=7)).isoformat()
        assert rows(app, "SELECT next_contact FROM visit") == [(expected,)]


async def test_tabbing_through_and_leaving_keeps_what_was_typed(app: WijkgesprekApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_agreements(pilot)
        await type_text(pilot, "Aanmelden voedselbank")
        await pilot.press("tab")
        await type_text(pilot, "moeder")
        await pilot.press("tab")
        await type_text(pilot, "vrijdag")
        await pilot.press("tab", "escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        assert "Nog niet bewaard" in frame(app)
        await pilot.press("enter")  # the first answer: keep it and close
        await wait_until(pilot, lambda: isinstance(app.screen, VisitScreen))
        assert rows(app, "SELECT wat, wie, wanneer FROM agreement") == [
            ("Aanmelden voedselbank", "moeder", "vrijdag")
        ]


async def test_escape_with_typed_text_asks_and_can_go_back_or_drop_it(
    app: WijkgesprekApp,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_agreements(pilot)
        await type_text(pilot, "Half getypt")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        await pilot.press("escape")  # back to the form, the text still there
        await wait_until(pilot, lambda: app.screen is dialog)
        assert dialog.query_one("#wat", Input).value == "Half getypt"
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        await pilot.press("3")  # "Niet bewaren en sluiten"
        await wait_until(pilot, lambda: isinstance(app.screen, VisitScreen))
        assert rows(app, "SELECT count(*) FROM agreement") == [(0,)]


async def test_delete_asks_first_and_shows_in_the_footer(app: WijkgesprekApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_agreements(pilot)
        await type_text(pilot, "Eerste afspraak")
        await pilot.press("enter", "enter", "enter")
        await type_text(pilot, "Tweede afspraak")
        await pilot.press("enter", "enter", "enter")
        assert rows(app, "SELECT count(*) FROM agreement") == [(2,)]
        await pilot.press("shift+tab")  # the list of agreements
        await wait_until(pilot, lambda: dialog.query_one("#agreement-table").has_focus)
        assert "Verwijderen" in frame(app).splitlines()[-1]  # the footer says how
        await pilot.press("delete")
        await wait_until(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        await pilot.press("escape")  # changed the mind: nothing is removed
        await wait_until(pilot, lambda: app.screen is dialog)
        assert rows(app, "SELECT count(*) FROM agreement") == [(2,)]
        await pilot.press("delete")
        await wait_until(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        await pilot.press("2")  # "Verwijderen"
        await wait_until(pilot, lambda: app.screen is dialog)
        assert rows(app, "SELECT wat FROM agreement") == [("Tweede afspraak",)]


async def test_a_next_contact_in_the_past_needs_a_second_enter(app: WijkgesprekApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_agreements(pilot)
        dialog.query_one("#next-contact", Input).focus()
        await pilot.pause()
        await type_text(pilot, "01-01-2020")
        await pilot.press("enter")
        assert "ligt in het verleden" in frame(app)
        assert rows(app, "SELECT next_contact FROM visit") == [(None,)]
        await pilot.press("escape")  # leaving asks: the date is not saved yet
        await wait_until(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is dialog)
        await pilot.press("enter")  # the second Enter: meant as typed
        assert rows(app, "SELECT next_contact FROM visit") == [("2020-01-01",)]
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, VisitScreen))


async def test_a_next_contact_without_a_year_is_the_next_such_day(
    app: WijkgesprekApp,
) -> None:
    soon = date.today() + timedelta(days=10)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_agreements(pilot)
        dialog.query_one("#next-contact", Input).focus()
        await pilot.pause()
        await type_text(pilot, f"{soon.day}-{soon.month}")
        await pilot.press("enter")
        assert dialog.query_one("#next-contact", Input).value == f"{soon:%d-%m-%Y}"
        assert rows(app, "SELECT next_contact FROM visit") == [(soon.isoformat(),)]


async def test_wanneer_shows_how_a_date_is_read(app: WijkgesprekApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_agreements(pilot)
        await pilot.press("tab", "tab")
        await type_text(pilot, "uiterlijk 11 december 2030")
        assert "woensdag 11 december 2030" in frame(app)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("11-12-2026", date(2026, 12, 11)),
        ("voor 11/12", date(2026, 12, 11)),
        ("2027-01-05", date(2027, 1, 5)),
        ("uiterlijk 11 december", date(2026, 12, 11)),
        ("10 dec.", date(2026, 12, 10)),
        ("1 januari", date(2027, 1, 1)),  # no year: the first one after it was agreed
        ("3 december", date(2026, 12, 3)),  # the day itself counts
        ("voor vrijdag", date(2026, 12, 4)),  # agreed on a Thursday
        ("donderdag", date(2026, 12, 10)),  # the next one, not the day itself
        ("Vrijdag 11 december", date(2026, 12, 11)),
        ("na de vakantie", None),
        ("30-02-2027", None),
        ("", None),
    ],
)
def test_a_due_date_is_read_from_wanneer(text: str, expected: date | None) -> None:
    assert due_date(text, made=date(2026, 12, 3)) == expected


async def test_typing_on_straight_after_enter_lands_in_the_next_field(
    app: WijkgesprekApp,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_agreements(pilot)
        await burst(pilot, "Aanmelden bij schuldhulp", "<enter>", "moeder", "<enter>", "vrijdag")
        await burst(pilot, "<enter>", "Tweede", "<enter>")
        assert rows(app, "SELECT wat, wie, wanneer FROM agreement") == [
            ("Aanmelden bij schuldhulp", "moeder", "vrijdag")
        ]
        assert app.screen.query_one("#wat", Input).value == "Tweede"
        assert app.screen.query_one("#wie", Input).has_focus
