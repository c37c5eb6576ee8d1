"""The "Aanbod" panel in a visit: suggestions, gaps and referral states, by keyboard."""

from __future__ import annotations

import sqlite3
import textwrap
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from helpers import SIZE, start_visit, wait_until
from textual.widgets import OptionList, Static

from wijkgesprek.app import WijkgesprekApp
from wijkgesprek.content.questions import load_guide
from wijkgesprek.domain.household import Children
from wijkgesprek.paths import shipped_questions
from wijkgesprek.screens.carry_over import CarryOverScreen
from wijkgesprek.screens.home import HomeScreen
from wijkgesprek.screens.new_visit import NewVisitScreen
from wijkgesprek.screens.referral_state import ReferralStateScreen
from wijkgesprek.screens.summary import SummaryScreen
from wijkgesprek.screens.themes import ThemesScreen
from wijkgesprek.screens.visit import VisitScreen
from wijkgesprek.store import repo
from wijkgesprek.store.engine import Store
from wijkgesprek.store.schema import prepare_database
from wijkgesprek.widgets.suggestion_panel import SuggestionPanel

NETWORK = textwrap.dedent(
    """\
    versie: 1
    aanbod:
      - naam: Geldspreekuur Noord
        soort: dienst
        thema's: [geldzorgen, schulden]
        wijk: Noord
        doelgroep:
          groep: iedereen met geldvragen
        kosten: gratis
        contact:
          telefoon: 0800-1234567
        wanneer: dinsdag 10:30–12:00
        beschrijving: Hulp bij rekeningen en regelingen.
        laatst_gecontroleerd: 2026-10-01
      - naam: Bijzondere bijstand
        soort: regeling
        thema's: [geldzorgen]
        wijk: alle
        doelgroep:
          groep: inwoners met een laag inkomen
        kosten: via regeling
        contact:
          website: https://voorbeeld.nl/bijstand
        beschrijving: Vergoeding voor noodzakelijke kosten.
        laatst_gecontroleerd: 2026-09-01
    """
)


@pytest.fixture
def app(tmp_path: Path) -> WijkgesprekApp:
    database = tmp_path / "data" / "wijkgesprek.db"
    prepare_database(database)
    network = tmp_path / "kaart.yaml"
    network.write_text(NETWORK, encoding="utf-8")
    return WijkgesprekApp(
        guide=load_guide(shipped_questions()), database=database, network=(network,)
    )


def rows(database: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(database) as connection:
        return connection.execute(sql).fetchall()


async def tag(pilot, theme_ids: list[str]) -> None:  # type: ignore[no-untyped-def]
    app = pilot.app
    await pilot.press("f3")
    await wait_until(pilot, lambda: isinstance(app.screen, ThemesScreen))
    ids = [theme.id for theme in app.guide.themes]
    for index in sorted(ids.index(theme) for theme in theme_ids):
        app.screen.query_one(OptionList).highlighted = index
        await pilot.press("space")
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(app.screen, VisitScreen))


async def test_suggest_refer_update_and_summarise(app: WijkgesprekApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await start_visit(pilot)
        await wait_until(pilot, lambda: app.network is not None)
        await tag(pilot, ["geldzorgen", "eenzaamheid"])
        await pilot.press("f9")
        panel = app.screen.query_one(SuggestionPanel)
        assert panel.display
        heading = str(panel.query_one("#aanbod-heading", Static).render())
        assert "Geen aanbod voor 'Eenzaamheid' in Noord." in heading
        assert [s.entry.naam for s in panel.shown] == ["Geldspreekuur Noord", "Bijzondere bijstand"]
        assert panel.shown[0].reason == "thema Geldzorgen · in uw wijk · gratis"

        await pilot.press(*"bijstand")  # the filter has focus
        assert [s.entry.naam for s in panel.shown] == ["Bijzondere bijstand"]
        await pilot.press("enter")
        await wait_until(pilot, lambda: len(panel.referrals) == 1)
        assert panel.referrals[0].state == "besproken"

        await pilot.press("tab", "tab", "enter")  # filter → offers → referrals; open it
        await wait_until(pilot, lambda: isinstance(app.screen, ReferralStateScreen))
        await pilot.press("down", "enter")  # "niet gelukt" asks why
        await pilot.press(*"inkomen net te hoog", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, VisitScreen))
        assert panel.referrals[0].state == "niet gelukt"

        await pilot.press("f9")
        assert not panel.display and app.screen.query_one("#guide").display
        await pilot.press("f8")
        await wait_until(pilot, lambda: isinstance(app.screen, SummaryScreen))
        text = str(app.screen.query_one("#summary-text", Static).render())
        today = date.today().strftime("%d-%m-%Y")
        assert f"Bijzondere bijstand — niet gelukt op {today}, reden: inkomen net te hoog" in text
        assert "Geen aanbod gevonden voor\nEenzaamheid" in text
    database = app.database.path
    assert rows(database, "SELECT wijk, theme FROM gap") == [("Noord", "eenzaamheid")]
    assert rows(database, "SELECT state, reason FROM referral_event ORDER BY id") == [
        ("besproken", ""),
        ("niet gelukt", "inkomen net te hoog"),
    ]


async def test_broken_network_file_is_reported_in_dutch(tmp_path: Path) -> None:
    database = tmp_path / "data" / "wijkgesprek.db"
    prepare_database(database)
    broken = tmp_path / "kaart.yaml"
    broken.write_text("versie: 1\naanbod:\n  - naam: [\n", encoding="utf-8")
    app = WijkgesprekApp(
        guide=load_guide(shipped_questions()), database=database, network=(broken,)
    )
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.network is not None)
        assert app.network.entries == ()
        assert str(broken) in app.resources.network_problem
        assert "wijkgesprek controleer" in app.resources.network_problem


def option_texts(listing: OptionList) -> list[str]:
    return [str(listing.get_option_at_index(n).prompt) for n in range(listing.option_count)]


async def test_a_waiting_list_with_an_expected_date(app: WijkgesprekApp) -> None:
    today = date.today().strftime("%d-%m-%Y")
    expected = date.today() + timedelta(days=60)
    async with app.run_test(size=SIZE) as pilot:
        await start_visit(pilot)
        await wait_until(pilot, lambda: app.network is not None)
        await tag(pilot, ["geldzorgen"])
        await pilot.press("f9")
        panel = app.screen.query_one(SuggestionPanel)
        await pilot.press("enter")  # the first offer: Geldspreekuur Noord
        await wait_until(pilot, lambda: len(panel.referrals) == 1)
        await pilot.press("tab", "tab", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ReferralStateScreen))
        await pilot.press("enter")  # aangemeld
        await wait_until(pilot, lambda: panel.referrals[0].state == "aangemeld")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ReferralStateScreen))
        assert option_texts(app.screen.query_one("#states", OptionList)) == [
            "wachtlijst",
            "gestart",
            "niet gelukt",
        ]
        await pilot.press("enter")  # wachtlijst asks from when help is expected
        await pilot.press(*"31-02-2099", "enter")
        error = str(app.screen.query_one("#form-error", Static).render())
        assert "31-02-2099" not in error and "datum" in error
        assert isinstance(app.screen, ReferralStateScreen)
        await pilot.press("ctrl+u", *expected.strftime("%-d-%-m-%Y"), "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, VisitScreen))
        waiting = f"op de wachtlijst sinds {today}, verwacht vanaf {expected:%d-%m-%Y}"
        (shown,) = option_texts(panel.query_one("#referral-list", OptionList))
        assert shown == f"Geldspreekuur Noord — {waiting}"
        await pilot.press("f9", "f8")
        await wait_until(pilot, lambda: isinstance(app.screen, SummaryScreen))
        text = str(app.screen.query_one("#summary-text", Static).render())
        assert f"Geldspreekuur Noord — {waiting}" in text
    assert rows(app.database.path, "SELECT state, reason FROM referral_event ORDER BY id") == [
        ("besproken", ""),
        ("aangemeld", ""),
        ("wachtlijst", f"verwacht vanaf {expected:%d-%m-%Y}"),
    ]


async def test_carry_over_puts_a_referral_on_the_waiting_list(app: WijkgesprekApp) -> None:
    store = Store(app.database)
    earlier = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    first = store.run(
        repo.start_visit, code="GZ-001", wijk="Noord", children=Children(), now=earlier
    )
    referral = store.run(
        repo.add_referral,
        visit_id=first,
        naam="Geldspreekuur Noord",
        soort="dienst",
        wijk="Noord",
        themes=["geldzorgen"],
        contact="0800-1234567",
        now=earlier,
    )
    store.run(
        repo.update_referral,
        referral_id=referral,
        visit_id=first,
        state="aangemeld",
        reason="",
        now=earlier,
    )
    store.run(repo.end_visit, visit_id=first, now=earlier)
    store.engine.dispose()
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.rows)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, NewVisitScreen))
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, VisitScreen))
        await pilot.press("f7")
        await wait_until(pilot, lambda: isinstance(app.screen, CarryOverScreen))
        items = app.screen.query_one("#open-items", OptionList)
        assert option_texts(items) == ["Verwijzing: Geldspreekuur Noord — aangemeld op 02-03-2026"]
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ReferralStateScreen))
        await pilot.press("enter", "enter")  # wachtlijst, no expected date
        await wait_until(pilot, lambda: isinstance(app.screen, CarryOverScreen))
        today = date.today().strftime("%d-%m-%Y")
        assert option_texts(items) == [
            f"Verwijzing: Geldspreekuur Noord — op de wachtlijst sinds {today}"
        ]
