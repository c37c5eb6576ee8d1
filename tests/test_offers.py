"""The "Aanbod" panel in a visit: suggestions, gaps and referral states, by keyboard."""

from __future__ import annotations

import sqlite3
import textwrap
from pathlib import Path

import pytest
from helpers import SIZE, start_visit, wait_until
from textual.widgets import OptionList, Static

from wijkgesprek.app import WijkgesprekApp
from wijkgesprek.content.questions import load_guide
from wijkgesprek.paths import shipped_questions
from wijkgesprek.screens.referral_state import ReferralStateScreen
from wijkgesprek.screens.summary import SummaryScreen
from wijkgesprek.screens.themes import ThemesScreen
from wijkgesprek.screens.visit import VisitScreen
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
        assert "Bijzondere bijstand — niet gelukt (inkomen net te hoog)" in text
        assert "Geen aanbod gevonden voor\nEenzaamheid" in text
    database = app.database
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
        assert str(broken) in app.network_problem
        assert "wijkgesprek controleer" in app.network_problem
