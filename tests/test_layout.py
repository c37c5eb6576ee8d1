"""Layouts at 80×24 (a default terminal) with real data: what must stay on the screen.

Each test renders the whole frame as text (``helpers.frame``) and looks for what a
professional needs to see there; they guard the layouts as snapshots would, without
breaking on a date or a colour.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from helpers import SIZE, frame, start_visit, type_text, wait_until
from textual.widgets import OptionList

from wijkgesprek.app import WijkgesprekApp
from wijkgesprek.content.questions import load_guide
from wijkgesprek.domain.household import Children
from wijkgesprek.paths import shipped_network, shipped_questions
from wijkgesprek.screens.agreements import AgreementsScreen
from wijkgesprek.screens.carry_over import CarryOverScreen
from wijkgesprek.screens.home import HomeScreen
from wijkgesprek.screens.safety import SafetyScreen
from wijkgesprek.screens.visit import VisitScreen
from wijkgesprek.store import repo
from wijkgesprek.store.engine import Store
from wijkgesprek.store.schema import prepare_database

TODAY = date.today()
NOW = datetime.now(UTC)
LONG_WIJK = "Rivierkwartier-Oost en de Nieuwe Haven"
MANY = Children(birth_years=(2024, 2021, 2017, 2012), pregnant=True, elsewhere=True)


@pytest.fixture
def app(tmp_path: Path) -> WijkgesprekApp:
    database = tmp_path / "data" / "wijkgesprek.db"
    prepare_database(database)
    return WijkgesprekApp(
        guide=load_guide(shipped_questions()), database=database, network=(shipped_network(),)
    )


def household(
    app: WijkgesprekApp,
    code: str,
    *,
    wijk: str = "Noord",
    children: Children = MANY,
    next_contact: date | None = None,
    wanneer: str = "",
    ended: bool = True,
    days_ago: int = 30,
) -> None:
    store = Store(app.database)
    try:
        started = NOW - timedelta(days=days_ago)
        visit = store.run(repo.start_visit, code=code, wijk=wijk, children=children, now=started)
        if wanneer:
            store.run(
                repo.add_agreement, visit_id=visit, wat="Belt", wie="moeder", wanneer=wanneer,
                now=started,
            )  # fmt: skip
        store.run(repo.set_next_contact, visit_id=visit, when=next_contact)
        if ended:
            store.run(repo.end_visit, visit_id=visit, now=started)
    finally:
        store.engine.dispose()


def line_of(shown: str, code: str) -> str:
    return next(line for line in shown.splitlines() if code in line)


async def test_home_keeps_code_follow_up_and_status_with_long_rows(app: WijkgesprekApp) -> None:
    household(app, "GZ-0042", wijk=LONG_WIJK, next_contact=TODAY - timedelta(days=12), ended=False)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.rows)
        await pilot.pause()
        row = line_of(frame(app), "GZ-0042")
        assert "over tijd 12 d" in row and row.rstrip().endswith("open")
        assert "2,5,9,14" in row and "Rivierkwar…" in row


async def test_an_overdue_dated_agreement_comes_first_on_home(app: WijkgesprekApp) -> None:
    household(app, "GZ-0001", next_contact=TODAY + timedelta(days=40), days_ago=1)
    household(app, "GZ-0002", next_contact=TODAY + timedelta(days=3), days_ago=2)
    made = TODAY - timedelta(days=30)
    household(
        app,
        "GZ-0003",
        wanneer=f"voor {made + timedelta(days=7):%d-%m-%Y}",
        next_contact=TODAY + timedelta(days=20),
        days_ago=30,
    )
    household(app, "GZ-0004", wanneer="na de vakantie", days_ago=3)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.rows)
        await pilot.pause()
        assert [row.code for row in app.screen.rows][:2] == ["GZ-0003", "GZ-0002"]
        assert "afspraak over tijd" in line_of(frame(app), "GZ-0003")
        assert "over tijd" not in line_of(frame(app), "GZ-0004")


async def burst_themes(pilot, *ids: str) -> None:  # type: ignore[no-untyped-def]
    """Tick the themes ``ids`` in the open themes dialog and save."""
    app = pilot.app
    for theme_id in ids:
        index = [theme.id for theme in app.guide.themes].index(theme_id)
        listing = app.screen.query_one("#theme-list")
        listing.highlighted = index
        await pilot.press("space")
    await pilot.press("enter")
    await pilot.pause()


def right_pane(app: WijkgesprekApp) -> str:
    """The words right of the topic list, as one line (the frame interleaves columns)."""
    lines = [line.split("▕", 1)[1] for line in frame(app).splitlines() if "▕" in line]
    return " ".join(" ".join(lines).split())


async def test_f6_shows_the_doorvragen_and_the_whole_tip_of_every_topic(
    app: WijkgesprekApp,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_visit(pilot)
        for number, topic in enumerate(app.guide.topics, start=1):
            await pilot.press(f"alt+{number}")
            await pilot.press("f6")
            shown = right_pane(app)
            assert "Doorvragen" in shown or not topic.doorvragen
            assert " ".join(f"Tip: {topic.tip}".split()) in shown, topic.id
            await pilot.press("f6")  # and back to the questions
            assert " ".join(topic.vragen[0].split()[:5]) in right_pane(app)
            assert app.focused is screen.note  # F6 never takes the typing away


async def test_f4_shows_wanneer_with_ten_long_agreements(app: WijkgesprekApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await start_visit(pilot)
        await pilot.press("f4")
        await wait_until(pilot, lambda: isinstance(app.screen, AgreementsScreen))
        for number in range(10):
            await type_text(pilot, f"Afspraak {number} met een heel lange omschrijving erbij")
            await pilot.press("enter")
            await type_text(pilot, "moeder samen met de wijkcoach")
            await pilot.press("enter")
            await type_text(pilot, "vrijdag 11 december")
            await pilot.press("enter")
        await pilot.pause()
        shown = frame(app)
        assert "Wanneer" in shown.splitlines()[3]  # the table's header
        assert "vrijdag 11" in shown and "Volgend contact" in shown


async def test_the_balance_question_under_the_cursor_stays_visible(app: WijkgesprekApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await start_visit(pilot)
        await pilot.press("f10")
        await wait_until(pilot, lambda: isinstance(app.screen, SafetyScreen))
        await pilot.press("3")
        questions = app.screen.query_one("#balance-questions", OptionList)
        assert app.focused is questions
        for index, question in enumerate(app.guide.safety.balance):
            await pilot.press("j")  # "ja": the columns under the questions grow
            await pilot.pause()
            assert questions.highlighted == index
            assert " ".join(question.vraag.split()[:4]) in right_pane(app)
            await pilot.press("down")


async def test_f9_shows_at_least_five_offers(app: WijkgesprekApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.network is not None)
        screen = await start_visit(pilot, ages="2 en 9")
        await pilot.press("alt+2", "f3")  # two themes: a longer heading over the offers
        await burst_themes(pilot, "geldzorgen", "eenzaamheid")
        await pilot.press("f9")
        await pilot.pause()
        for _ in range(2):  # two referrals, listed under the offers
            await pilot.press("down", "enter")
            await pilot.pause()
        assert len(screen.query_one("#aanbod").referrals) == 2
        panel = screen.query_one("#aanbod-list", OptionList)
        assert panel.option_count >= 5
        shown = frame(app)
        names = [s.entry.naam for s in screen.query_one("#aanbod").shown]
        assert sum(name in shown for name in names) >= 5


async def test_every_footer_fits_80_columns(app: WijkgesprekApp) -> None:
    """The footer ends with F1 and Ctrl+G on every screen: nothing falls off at 80."""
    household(app, "GZ-0042", wijk=LONG_WIJK)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.rows)
        seen = {}
        for key, name in (("g", "history"), ("escape", "home"), ("t", "trends")):
            await pilot.press(key)
            await pilot.pause()
            seen[name] = frame(app).splitlines()[-1]
        await pilot.press("escape", "slash")
        await pilot.pause()
        seen["search"] = frame(app).splitlines()[-1]
        for name, footer in seen.items():
            assert "f1 Hulp" in footer and "^g Discreet" in footer, (name, footer)


async def test_the_next_visit_shows_an_overdue_agreement_as_such(app: WijkgesprekApp) -> None:
    made = TODAY - timedelta(days=30)
    household(app, "GZ-0003", wanneer=f"voor {made + timedelta(days=7):%d-%m-%Y}", days_ago=30)
    household(app, "GZ-0004", wanneer="na de vakantie", days_ago=3)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.rows)
        for code, late in (("GZ-0003", True), ("GZ-0004", False)):
            app.screen.query_one("#households").move_cursor(
                row=[row.code for row in app.screen.rows].index(code)
            )
            await pilot.press("enter")  # a new visit at this known household
            await pilot.press("enter")
            await wait_until(pilot, lambda: isinstance(app.screen, VisitScreen))
            shown = frame(app)
            assert "Nog open van vorige keer:" in shown and "1 afspraak (F7)" in shown
            await pilot.press("f7")
            await wait_until(pilot, lambda: isinstance(app.screen, CarryOverScreen))
            assert ("[open · over tijd]" in frame(app)) is late
            await pilot.press("escape", "escape", "escape")
            await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))


@pytest.mark.parametrize(
    ("visits", "expected"),
    [
        ([(1, 17), (5, None)], 17),  # a second visit before the agreed day: still to come
        ([(1, 17), (17, None)], None),  # a visit on the agreed day: seen
        ([(1, 17), (5, 24)], 24),  # a newer agreement replaces it
        ([(5, None), (1, 17)], 17),  # in any order
        ([(1, None)], None),
        ([], None),
    ],
)
def test_a_next_contact_stays_until_a_visit_takes_place(
    visits: list[tuple[int, int | None]], expected: int | None
) -> None:
    from wijkgesprek.domain.follow_up import pending_contact

    def day(number: int | None) -> date | None:
        return None if number is None else date(2026, 12, number)

    given = [(day(started), day(agreed)) for started, agreed in visits]
    assert pending_contact(given) == day(expected)  # type: ignore[arg-type]


async def test_a_second_visit_keeps_the_follow_up_of_the_first_in_sight(
    app: WijkgesprekApp,
) -> None:
    household(app, "GZ-0101", next_contact=TODAY + timedelta(days=14), days_ago=2)
    household(app, "GZ-0101", ended=False, days_ago=0)  # started, nothing agreed yet
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.rows)
        await pilot.pause()
        assert "over 14 d" in line_of(frame(app), "GZ-0101")


@pytest.mark.parametrize("state", ["offline bewaard 12:30", "opgeslagen 12:30"])
async def test_the_note_bar_shows_its_topic_beside_a_long_state(
    app: WijkgesprekApp, state: str
) -> None:
    """The bar above the note is one line: the topic is cut with an ellipsis, never
    wrapped out of sight (offline it showed "Aantekeningen ·" and nothing more)."""
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_visit(pilot)
        screen._update_note_label(state)
        await pilot.pause()
        (line,) = [row for row in frame(app).splitlines() if state in row]
        assert "Aantekeningen · Kennis" in line
