"""The safety check followed through, by keyboard at 80×24: what was done with Veilig
Thuis, closing a visit whose route says "melden", correcting an answer, the kindcheck's
outcomes, and the next visit starting from the last safety state."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from helpers import SIZE, burst, frame, notifications, start_visit, wait_until
from household_data import add_trail
from textual.widgets import Input, OptionList, Static

from wijkgesprek.app import WijkgesprekApp
from wijkgesprek.content.questions import load_guide
from wijkgesprek.domain.household import parse_children
from wijkgesprek.domain.meldcode import REPORT, Contact
from wijkgesprek.domain.safety import ASSESS, COLUMN, KINDCHECK, SCALE, VT_CONTACT, WHEN
from wijkgesprek.paths import shipped_questions
from wijkgesprek.screens.choice import ChoiceScreen
from wijkgesprek.screens.home import HomeScreen
from wijkgesprek.screens.new_visit import NewVisitScreen
from wijkgesprek.screens.safety import SafetyScreen
from wijkgesprek.screens.summary import SummaryScreen
from wijkgesprek.screens.visit import VisitScreen
from wijkgesprek.screens.vt_contact import VtContactScreen
from wijkgesprek.store import repo
from wijkgesprek.store.engine import Store
from wijkgesprek.store.schema import prepare_database
from wijkgesprek.widgets.safety.meldcode import AnswerBox, FollowBox

MELDEN = [("1", "ja", "signalen en verhaal"), ("2", "ja", "het kind vertelt over geweld")]


@pytest.fixture
def app(tmp_path: Path) -> WijkgesprekApp:
    database = tmp_path / "data" / "wijkgesprek.db"
    prepare_database(database)
    return WijkgesprekApp(guide=load_guide(shipped_questions()), database=database)


def trail(app: WijkgesprekApp, kind: str | None = None) -> list[tuple[str, str, str, str, int]]:
    with sqlite3.connect(app.database.path) as connection:
        rows = connection.execute(
            "SELECT kind, key, value, note, corrects_id IS NOT NULL FROM safety_entry ORDER BY id"
        ).fetchall()
    return [row for row in rows if kind is None or row[0] == kind]


def seed(app: WijkgesprekApp, entries: list[tuple[str, str, str, str]], *, code: str = "GZ-001",
         days_ago: int = 0, end: bool = False) -> int:  # fmt: skip
    """A visit with a safety trail, written as the app writes it."""
    store = Store(app.database)
    started = datetime.now(UTC) - timedelta(days=days_ago, hours=1)  # its trail in the past
    visit_id = store.run(
        repo.start_visit, code=code, wijk="Noord", children=parse_children("2020"), now=started
    )
    add_trail(store, visit_id, entries, start=started)
    if end:
        store.run(repo.end_visit, visit_id=visit_id, now=started + timedelta(hours=1))
    return visit_id


async def open_meldcode(pilot, code: str = "GZ-001") -> SafetyScreen:  # type: ignore[no-untyped-def]
    """Resume the household's open visit and open the Meldcode section."""
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.rows)
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(app.screen, VisitScreen))
    await pilot.press("f10")
    await wait_until(pilot, lambda: isinstance(app.screen, SafetyScreen))
    await pilot.press("escape") if app.focused and app.focused.id == "kc-outcome" else None
    screen = app.screen
    screen.action_section(5)
    await pilot.pause()
    return screen  # type: ignore[return-value]


def assessments() -> list[tuple[str, str, str, str]]:
    return [(ASSESS, key, value, note) for key, value, note in MELDEN]


async def test_a_melding_is_recorded_and_step_five_shows_it(app: WijkgesprekApp) -> None:
    seed(app, [(KINDCHECK, "", "zorgen", ""), *assessments()])
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_meldcode(pilot)
        steps = screen.query_one("#steps", OptionList)
        assert "melden: nog vastleggen" in str(steps.get_option_at_index(4).prompt)
        screen.set_focus(screen.query_one(FollowBox))
        # A fast typist: the dialog is not open yet when the keys after Enter arrive.
        await burst(pilot, "<enter>", "2", "<ctrl+a>", "<ctrl+k>", "vandaag", "<enter>")
        await wait_until(pilot, lambda: isinstance(app.screen, VtContactScreen))
        await burst(pilot, "medewerker Veilig Thuis", "<enter>", "VT-0001", "<enter>")
        await burst(pilot, "VT belt moeder binnen 5 dagen", "<enter>")
        await wait_until(pilot, lambda: isinstance(app.screen, SafetyScreen))
        assert app.focused is screen.query_one(FollowBox)
        today = date.today().strftime("%d-%m-%Y")
        assert f"gemeld op {today}" in str(steps.get_option_at_index(4).prompt)
        assert "kenmerk VT-0001" in str(screen.query_one(FollowBox).render())
    ((kind, key, value, note, _),) = trail(app, VT_CONTACT)
    assert (kind, key, value) == (VT_CONTACT, "1", REPORT)
    assert json.loads(note) == {
        "datum": date.today().isoformat(),
        "met": "medewerker Veilig Thuis",
        "kenmerk": "VT-0001",
        "afspraak": "VT belt moeder binnen 5 dagen",
    }


async def test_the_contact_dialog_refuses_a_future_day_and_escape_asks(
    app: WijkgesprekApp,
) -> None:
    seed(app, [(KINDCHECK, "", "zorgen", ""), *assessments()])
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_meldcode(pilot)
        screen.set_focus(screen.query_one(FollowBox))
        await pilot.press("v")
        await wait_until(pilot, lambda: isinstance(app.screen, VtContactScreen))
        dialog = app.screen
        tomorrow = (date.today() + timedelta(days=1)).strftime("%d-%m-%Y")
        await pilot.press("2", "ctrl+a", "ctrl+k", *tomorrow, "enter", *"collega VT", "ctrl+s")
        assert "toekomst" in str(dialog.query_one("#vt-error", Static).render())
        assert app.focused is dialog.query_one("#vt-day", Input)
        await pilot.press("escape")  # typed words: asked first
        await wait_until(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        await pilot.press("3")  # niet vastleggen
        await wait_until(pilot, lambda: isinstance(app.screen, SafetyScreen))
    assert trail(app, VT_CONTACT) == []


async def test_melden_closes_only_with_a_choice_and_its_reason(app: WijkgesprekApp) -> None:
    visit_id = seed(app, [(KINDCHECK, "", "zorgen", ""), *assessments()])
    Store(app.database).run(
        repo.set_next_contact, visit_id=visit_id, when=date.today() + timedelta(days=7)
    )
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_meldcode(pilot)
        await pilot.press("escape")  # back to the visit (Escape goes one level up)
        while isinstance(app.screen, SafetyScreen):
            await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, VisitScreen))
        await pilot.press("f8")
        await wait_until(pilot, lambda: isinstance(app.screen, SummaryScreen))
        todo = str(app.screen.query_one("#summary-todo", Static).render())
        assert "melden bij Veilig Thuis" in todo and "nog niet gemeld" in todo
        assert "Nog niet vastgelegd wat er met de melding is gedaan." in str(
            app.screen.query_one("#summary-safety", Static).render()
        )
        await pilot.press("ctrl+e")  # refused
        assert isinstance(app.screen, SummaryScreen)
        assert Store(app.database).run(repo.get_visit, visit_id=visit_id).is_open
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, VisitScreen))
        await pilot.press("f10")
        await wait_until(pilot, lambda: isinstance(app.screen, SafetyScreen))
        screen = app.screen
        screen.action_section(5)
        screen.set_focus(screen.query_one(FollowBox))
        await pilot.press("enter", "3", "enter")  # "nog niet gemeld" without a reason
        dialog = app.screen
        assert isinstance(dialog, VtContactScreen)
        assert "waarom" in str(dialog.query_one("#vt-error", Static).render())
        await pilot.press(*"eerst gesprek met beide ouders op maandag", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, SafetyScreen))
        assert "nog niet gemeld" in str(
            screen.query_one("#steps", OptionList).get_option_at_index(4).prompt
        )
        while not isinstance(app.screen, VisitScreen):
            await pilot.press("escape")
        await pilot.press("f8")
        await wait_until(pilot, lambda: isinstance(app.screen, SummaryScreen))
        await pilot.press("ctrl+e")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        (closing,) = [said for said in notifications(app) if "afgesloten" in said]
        assert "Het huisbezoek is afgesloten" in closing
        assert "Uitkomst afwegingskader: Melden bij Veilig Thuis" in closing
        assert "Nog niet gemeld, omdat eerst gesprek met beide ouders op maandag." in closing
        assert not Store(app.database).run(repo.get_visit, visit_id=visit_id).is_open
        await wait_until(pilot, lambda: "meldcode: melden" in frame(app))  # not reported yet


async def test_an_answer_is_corrected_after_the_route_ended(app: WijkgesprekApp) -> None:
    seed(app, [(KINDCHECK, "", "zorgen", ""), *assessments()])
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_meldcode(pilot)
        box = screen.query_one(AnswerBox)
        assert box.display and "De route is klaar" in str(box.render())
        screen.set_focus(box)
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        await pilot.press("2")  # question 2
        await wait_until(pilot, lambda: isinstance(app.screen, SafetyScreen))
        assert "Correctie van vraag 2 (nu: ja)" in str(box.render())
        await pilot.press("n", *"geen acuut gevaar, na overleg", "enter")
        route = str(screen.query_one("#route", Static).render())
        assert "2. " in route and "nee: geen acuut gevaar, na overleg" in route
        assert "Uitkomst" not in route  # re-derived: question 3 is next
        assert "Vraag 3" in str(box.render())
    rows = trail(app, ASSESS)
    assert rows[-1] == (ASSESS, "2", "nee", "geen acuut gevaar, na overleg", 1)
    assert (ASSESS, "2", "ja", "het kind vertelt over geweld", 0) in rows  # kept


async def test_a_kindcheck_outcome_is_recorded_by_choosing_it(app: WijkgesprekApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await start_visit(pilot)
        await pilot.press("f10")
        await wait_until(pilot, lambda: isinstance(app.screen, SafetyScreen))
        screen = app.screen
        assert app.focused is screen.query_one("#kc-outcome")
        await pilot.press("enter")  # geen zorgen: recorded at once
        assert trail(app) == [(KINDCHECK, "", "geen-zorgen", "", 0)]
        assert "Vastgelegd: geen zorgen" in str(screen.query_one("#kc-current", Static).render())
        await pilot.press("enter")  # the same again: nothing new
        assert len(trail(app)) == 1
        await pilot.press("down", "enter")  # aandachtspunt: what to watch, and when
        assert app.focused is screen.query_one("#kc-reason", Input)
        assert len(trail(app)) == 1
        await pilot.press(*"slaapt slecht sinds de verhuizing", "enter")
        assert app.focused is screen.query_one("#kc-when", Input)
        await pilot.press(*"volgend bezoek", "enter")
        assert trail(app)[1:] == [
            (KINDCHECK, "", "aandachtspunt", "slaapt slecht sinds de verhuizing", 1),
            (KINDCHECK, WHEN, "volgend bezoek", "", 0),
        ]
        assert "aandachtspunt: slaapt slecht sinds de verhuizing (kijken: volgend bezoek)" in (
            str(screen.query_one("#kc-current", Static).render())
        )
        status = str(screen.query_one("#sections", OptionList).get_option_at_index(0).prompt)
        assert "aandachtspunt" in status


async def next_visit_safety(pilot) -> None:  # type: ignore[no-untyped-def]
    """From the list of households, a new visit at the (only) household as it is, and its
    safety check (F10)."""
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.rows)
    await pilot.press("enter")  # no open visit: a new one at this household
    await wait_until(pilot, lambda: isinstance(app.screen, NewVisitScreen))
    await pilot.press("enter")  # the household as it is
    await wait_until(pilot, lambda: isinstance(app.screen, VisitScreen))
    await pilot.press("f10")
    await wait_until(pilot, lambda: isinstance(app.screen, SafetyScreen))


async def test_the_next_visit_shows_the_last_safety_state(app: WijkgesprekApp) -> None:
    report = Contact(REPORT, day=date.today(), met="medewerker Veilig Thuis", kenmerk="VT-0002")
    seed(
        app,
        [
            (KINDCHECK, "", "zorgen", ""),
            (SCALE, "ouder", "4", "het gaat net"),
            (SCALE, "kind", "3", ""),
            (COLUMN, "goed", "", "oma haalt de kinderen op"),
            *assessments(),
            (VT_CONTACT, "", REPORT, report.note()),
        ],
        days_ago=14,
        end=True,
    )
    async with app.run_test(size=SIZE) as pilot:
        await next_visit_safety(pilot)
        shown = str(app.screen.query_one("#kc-previous", Static).render())
        assert "Vorige keer" in shown
        assert "Kindcheck: zorgen → meldcode" in shown
        assert "Meldcode: melden — gemeld op" in shown and "kenmerk VT-0002" in shown
        assert "ouder 4" in shown and "kind 3" in shown
        assert "Wat gaat goed? oma haalt de kinderen op" in shown
        # Read-only: nothing of it is in this visit's trail, and nothing can be typed into it.
        assert not app.screen.query_one("#kc-previous").can_focus
        assert trail(app, KINDCHECK)[-1][2] == "zorgen" and len(trail(app, KINDCHECK)) == 1
        await pilot.press("ctrl+g")  # discreet: gone with every other detail
        assert "VT-0002" not in frame(app) and "Vorige keer" not in frame(app)


async def test_home_lists_an_unreported_melding_first_and_calmly_when_discreet(
    app: WijkgesprekApp,
) -> None:
    seed(app, [], code="GZ-100", days_ago=0, end=True)
    seed(app, [(KINDCHECK, "", "zorgen", ""), *assessments()], code="GZ-200", days_ago=20, end=True)
    seed(app, [], code="GZ-300", days_ago=1, end=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.rows)
        home = app.screen
        assert home.rows[0].code == "GZ-200"
        await wait_until(pilot, lambda: "meldcode: melden" in frame(app))
        await pilot.press("ctrl+g")
        await wait_until(pilot, lambda: "actie nodig" in frame(app))
        assert "meldcode" not in frame(app)


async def test_history_and_dossier_tell_the_route_and_what_was_done(app: WijkgesprekApp) -> None:
    from wijkgesprek.export.markdown import dossier
    from wijkgesprek.screens.history import HistoryScreen

    report = Contact(REPORT, day=date(2026, 11, 30), met="medewerker VT", kenmerk="VT-0003")
    seed(
        app,
        [(KINDCHECK, "", "zorgen", ""), *assessments(), (VT_CONTACT, "", REPORT, report.note())],
        end=True,
    )
    told = "Melding gedaan bij Veilig Thuis op 30-11-2026, met medewerker VT, kenmerk VT-0003."
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.rows)
        await pilot.press("g")
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen))
        await pilot.pause()
        shown = str(app.screen.query_one("#visit-safety", Static).render())
        assert "Uitkomst afwegingskader: Melden bij Veilig Thuis (0800-2000)." in shown
        assert told in shown
    history = Store(app.database).run(repo.get_household, code="GZ-001")
    text = dossier(history, app.guide)
    assert "- Besluit: Melden bij Veilig Thuis (0800-2000)." in text
    assert f"- Veilig Thuis: {told}" in text


async def test_kindcheck_words_typed_fast_land_in_their_fields_and_escape_cancels(
    app: WijkgesprekApp,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await start_visit(pilot)
        await pilot.press("f10")
        await wait_until(pilot, lambda: isinstance(app.screen, SafetyScreen))
        screen = app.screen
        await burst(pilot, "<down>", "<enter>", "eet weinig", "<enter>", "over 2 weken", "<enter>")
        await wait_until(pilot, lambda: len(trail(app)) == 2)
        assert trail(app) == [
            (KINDCHECK, "", "aandachtspunt", "eet weinig", 0),
            (KINDCHECK, WHEN, "over 2 weken", "", 0),
        ]
        # "niet gedaan", words typed, then Escape: asked; not kept; nothing recorded.
        await pilot.press("down", "down", "enter", *"moeder had haast")
        reason = screen.query_one("#kc-reason", Input)
        assert app.focused is reason and reason.value == "moeder had haast"
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        await pilot.press("2")  # niet bewaren
        await wait_until(pilot, lambda: app.screen is screen)
        assert app.focused is screen.query_one("#kc-outcome")
        assert not screen.query_one("#kc-reason-field").display
        assert len(trail(app)) == 2
        assert isinstance(app.screen, SafetyScreen)  # the safety check stays open


async def test_escape_in_an_answer_reason_goes_back_to_the_question(app: WijkgesprekApp) -> None:
    seed(app, [(KINDCHECK, "", "zorgen", "")])
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_meldcode(pilot)
        box = screen.query_one(AnswerBox)
        screen.set_focus(box)
        await pilot.press("j")
        assert app.focused is screen.query_one("#answer-reason", Input)
        await pilot.press("escape")  # nothing typed: no question, back to the box
        assert app.focused is box
        assert not screen.query_one("#answer-field").display
        await burst(pilot, "n", "geen vermoeden", "<enter>")
        await wait_until(pilot, lambda: len(trail(app, ASSESS)) == 1)
    assert trail(app, ASSESS) == [(ASSESS, "1", "nee", "geen vermoeden", 0)]


async def test_an_aandachtspunt_chosen_again_keeps_its_when(app: WijkgesprekApp) -> None:
    """aandachtspunt (when X) → geen zorgen → the same aandachtspunt again: the same "wanneer"
    is written again after the new outcome, so it still belongs to it."""
    async with app.run_test(size=SIZE) as pilot:
        await start_visit(pilot)
        await pilot.press("f10")
        await wait_until(pilot, lambda: isinstance(app.screen, SafetyScreen))
        screen = app.screen
        words = ("<enter>", "eet weinig", "<enter>", "volgend bezoek", "<enter>")
        await burst(pilot, "<down>", *words)
        await wait_until(pilot, lambda: len(trail(app)) == 2)
        await pilot.press("up", "enter")  # geen zorgen
        await wait_until(pilot, lambda: len(trail(app)) == 3)
        await burst(pilot, "<down>", *words)
        await wait_until(pilot, lambda: len(trail(app)) >= 4)
        await pilot.pause()
        assert "aandachtspunt: eet weinig (kijken: volgend bezoek)" in str(
            screen.query_one("#kc-current", Static).render()
        )
    assert trail(app)[-2:] == [
        (KINDCHECK, "", "aandachtspunt", "eet weinig", 1),
        (KINDCHECK, WHEN, "volgend bezoek", "", 1),
    ]


async def test_the_last_safety_state_is_on_screen_at_80x24_beside_the_outcomes(
    app: WijkgesprekApp,
) -> None:
    """Walk finding: the kindcheck's questions pushed "Vorige keer" off the top at 80×24,
    where no key could scroll it back while the outcome list had the focus."""
    report = Contact(REPORT, day=date.today(), met="medewerker Veilig Thuis", kenmerk="VT-0004")
    seed(
        app,
        [
            (KINDCHECK, "", "zorgen", ""),
            (SCALE, "ouder", "4", ""),
            (COLUMN, "zorgen", "", "vader drinkt"),
            (COLUMN, "goed", "", "oma haalt op"),
            *assessments(),
            (VT_CONTACT, "", REPORT, report.note()),
        ],
        days_ago=14,
        end=True,
    )
    async with app.run_test(size=SIZE) as pilot:
        await next_visit_safety(pilot)
        await pilot.pause()
        assert app.focused is app.screen.query_one("#kc-outcome")
        shown = frame(app)
        for line in ("Vorige keer", "Kindcheck: zorgen → meldcode", "Meldcode: melden — gemeld",
                     "hoe is het nu?", "geen zorgen", "niet gedaan"):  # fmt: skip
            assert line in shown, line


async def test_a_date_typed_in_the_contact_dialog_is_the_date(app: WijkgesprekApp) -> None:
    """Walk finding: the day field held "vandaag" and a typed date was added to it
    ("vandaag2-12"); an empty day is today, as its placeholder says."""
    seed(app, [(KINDCHECK, "", "zorgen", ""), *assessments()])
    yesterday = date.today() - timedelta(days=1)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_meldcode(pilot)
        screen.set_focus(screen.query_one(FollowBox))
        await burst(pilot, "v", "1", f"{yesterday:%d-%m-%Y}", "<enter>", "collega VT", "<enter>")
        dialog = app.screen
        assert isinstance(dialog, VtContactScreen)
        assert dialog.query_one("#vt-day", Input).value == f"{yesterday:%d-%m-%Y}"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, SafetyScreen))
        await pilot.press("v", "1", "enter", *"collega VT", "ctrl+s")  # the day left empty
        await wait_until(pilot, lambda: len(trail(app, VT_CONTACT)) == 2)
    first, second = (json.loads(row[3]) for row in trail(app, VT_CONTACT))
    assert first["datum"] == yesterday.isoformat()
    assert second["datum"] == date.today().isoformat()


async def test_escape_cancels_a_correction_and_the_choice_shows_each_answer(
    app: WijkgesprekApp,
) -> None:
    """Walk findings: the list of answers to correct cut off the answer itself, and a
    correction stayed chosen after Escape, so a later J or N corrected by surprise."""
    seed(app, [(KINDCHECK, "", "zorgen", ""), *assessments()])
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_meldcode(pilot)
        box = screen.query_one(AnswerBox)
        screen.set_focus(box)
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        choices = frame(app)
        assert "1. ja — Is er op basis" in choices and "2. ja — Is er sprake" in choices
        await pilot.press("2")
        await wait_until(pilot, lambda: isinstance(app.screen, SafetyScreen))
        assert "Correctie van vraag 2" in str(box.render())
        await pilot.press("escape")  # cancels the correction, stays on the question
        assert app.focused is box and "Correctie" not in str(box.render())
        assert "De route is klaar" in str(box.render())
        await pilot.press("j")  # the route has ended: nothing to answer
        assert not screen.query_one("#answer-field").display
        await pilot.press("escape")
        assert app.focused is screen.query_one("#sections")
    assert len(trail(app, ASSESS)) == 2
