"""What the netwerkkaart feeds: the sociale kaart puts informal offers first when no one
on the map helps with a theme (or the informal network is thin) and says why; the safety
check lists the veiligheidsnetwerk and an agreement can name its people; the trends count
households with a thin informal network."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from helpers import SIZE, frame, start_visit, type_text, wait_until
from test_suggest import entry
from textual.widgets import Input

from wijkgesprek.app import WijkgesprekApp
from wijkgesprek.content.model import CLOSE, COSTS, FAR, Guide, Network
from wijkgesprek.content.questions import load_guide
from wijkgesprek.domain import trends as t
from wijkgesprek.domain.household import Children
from wijkgesprek.domain.network_map import Person, is_thin
from wijkgesprek.domain.suggest import offer
from wijkgesprek.paths import shipped_questions
from wijkgesprek.screens.agreements import AgreementsScreen
from wijkgesprek.screens.safety import SafetyScreen
from wijkgesprek.store import network_map, repo
from wijkgesprek.store.engine import Store
from wijkgesprek.store.schema import prepare_database
from wijkgesprek.store.trends import visit_rows

TODAY = date(2026, 11, 25)
NOW = datetime(2026, 11, 10, 10, 0, tzinfo=UTC)
KAART = Network(
    entries=(
        entry("Ontmoetingscentrum", ("eenzaamheid",), kosten="gratis"),  # formal, free
        entry("Maatjesproject", ("eenzaamheid",), informal=True),
        entry("Schuldhulp", ("schulden",), kosten="gratis"),
        entry("Geldcafé vrijwilligers", ("schulden",), informal=True),
    )
)
NAMES = {"eenzaamheid": "Eenzaamheid", "schulden": "Schulden"}
OMA = Person(1, "oma", "Ria", "familie", True, "", ("gezelschap",), CLOSE)
BUURMAN = Person(2, "buurman", "", "buurt", True, "", ("praktisch",), FAR)
SCHULDHULP = Person(3, "schuldhulp", "", "hulpverlening", False, "", ("informatie",), FAR)


def offered(guide: Guide, people: tuple[Person, ...] | None, themes: tuple[str, ...]):  # type: ignore[no-untyped-def]
    return offer(
        KAART,
        themes=themes,
        wijk="Noord",
        ages=None,
        today=TODAY,
        theme_names=NAMES,
        people=people,
        network_guide=guide.network,
    )


def test_without_a_map_nothing_is_preferred(guide: Guide) -> None:
    found = offered(guide, None, ("eenzaamheid",))
    assert [s.entry.naam for s in found.suggestions] == ["Ontmoetingscentrum", "Maatjesproject"]
    assert found.why == "" and not any(s.preferred for s in found.suggestions)


def test_a_theme_no_one_helps_with_puts_informal_offers_first_and_says_why(
    guide: Guide,
) -> None:
    people = (BUURMAN, SCHULDHULP, BUURMAN.replace(number=4, role="tante", group="familie"))
    found = offered(guide, people, ("eenzaamheid", "schulden"))
    names = [s.entry.naam for s in found.suggestions]
    assert names.index("Maatjesproject") < names.index("Ontmoetingscentrum")
    assert names.index("Schuldhulp") < names.index("Geldcafé vrijwilligers")  # schulden: helped
    maatjes = next(s for s in found.suggestions if s.entry.naam == "Maatjesproject")
    assert maatjes.preferred and "informeel" in maatjes.reason
    assert found.why == (
        "Informeel aanbod eerst: niemand op de netwerkkaart helpt met gezelschap (eenzaamheid)."
    )


def test_a_theme_someone_helps_with_is_not_pushed(guide: Guide) -> None:
    people = (OMA, BUURMAN)  # oma keeps her company; two informal helpers: not thin
    found = offered(guide, people, ("eenzaamheid",))
    assert found.suggestions[0].entry.naam == "Ontmoetingscentrum"
    assert found.why == ""


def test_a_thin_network_puts_informal_offers_first_for_every_theme(guide: Guide) -> None:
    people = (OMA.replace(energy=COSTS), SCHULDHULP)  # no informal helper left
    assert is_thin(people)
    found = offered(guide, people, ("schulden",))
    assert found.suggestions[0].entry.naam == "Geldcafé vrijwilligers"
    assert found.why == "Informeel aanbod eerst: het informele netwerk is dun."


def test_the_shipped_kaart_marks_informal_offers_and_controleer_reads_them(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import json

    from wijkgesprek.cli import main

    shipped = Path(__file__).resolve().parent.parent / "data" / "network.yaml"
    assert main(["controleer", str(shipped), "--json"]) == 0
    read = json.loads(capsys.readouterr().out)
    informal = {item["naam"] for item in read if item.get("informeel")}
    assert {"Maatjesproject Samen op Pad", "Koffieochtend Jonge Moeders"} <= informal
    assert "Schuldhulp Op Orde" not in informal


def test_a_wrong_informeel_in_the_kaart_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from wijkgesprek.cli import main

    shipped = Path(__file__).resolve().parent.parent / "data" / "network.yaml"
    text = shipped.read_text("utf-8").replace("    informeel: ja\n", "    informeel: soms\n", 1)
    path = tmp_path / "kaart.yaml"
    path.write_text(text, "utf-8")
    line = text[: text.index("informeel: soms")].count("\n") + 1
    assert main(["controleer", str(path)]) == 1
    assert f"{path}:{line}:16: 'informeel' is ja of nee" in capsys.readouterr().err


# -- the safety check and the agreements ---------------------------------------------------------


@pytest.fixture
def app(tmp_path: Path) -> WijkgesprekApp:
    database = tmp_path / "data" / "wijkgesprek.db"
    prepare_database(database)
    return WijkgesprekApp(guide=load_guide(shipped_questions()), database=database)


def put(app: WijkgesprekApp, visit_id: int, *people: Person) -> None:
    store = Store(app.database.path)
    try:
        for person in people:
            store.run(network_map.add_person, visit_id=visit_id, person=person, now=NOW)
    finally:
        store.engine.dispose()


async def test_the_safety_check_lists_the_safety_network_hidden_when_discreet(
    app: WijkgesprekApp,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        visit = await start_visit(pilot)
        put(app, visit.visit_id, OMA.replace(safety=True), BUURMAN, SCHULDHULP.replace(safety=True))
        await pilot.press("f10")
        await wait_until(pilot, lambda: isinstance(app.screen, SafetyScreen))
        await pilot.pause()
        assert "Veiligheidsnetwerk (netwerkkaart, Ctrl+N): oma Ria, schuldhulp" in frame(app)
        assert "buurman" not in frame(app)
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert "Veiligheidsnetwerk" not in frame(app) and "Ria" not in frame(app)


async def test_an_agreement_names_someone_of_the_safety_network_with_tab(
    app: WijkgesprekApp,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        visit = await start_visit(pilot)
        put(app, visit.visit_id, BUURMAN, OMA.replace(safety=True))
        visit._reload()
        await pilot.press("f4")
        await wait_until(pilot, lambda: isinstance(app.screen, AgreementsScreen))
        await type_text(pilot, "Oppassen op woensdag")
        await pilot.press("enter")
        await type_text(pilot, "oma")
        await pilot.press("tab")
        await pilot.pause()
        assert app.screen.query_one("#wie", Input).value == "oma Ria"


# -- the trends -------------------------------------------------------------------------------


def test_trends_count_households_with_a_thin_informal_network(either: Store) -> None:
    """The SQL of the trends agrees with the domain's rule, on both databases."""
    store = either
    maps = {
        "GZ-001": None,  # no map made: not counted as thin
        "GZ-002": (),  # an empty map: no one helps
        "GZ-003": (OMA,),
        "GZ-004": (OMA, BUURMAN),  # two informal helpers
        "GZ-005": (OMA, BUURMAN.replace(energy=COSTS)),  # one costs energy
        "GZ-006": (OMA, SCHULDHULP),
        "GZ-007": (OMA.replace(helps=()), BUURMAN),
    }
    for code, people in maps.items():
        visit = store.run(repo.start_visit, code=code, wijk="Noord", children=Children(), now=NOW)
        if people is not None:
            store.run(network_map.record_map, visit_id=visit, now=NOW)
            for person in people:
                store.run(network_map.add_person, visit_id=visit, person=person, now=NOW)
    rows = store.run(visit_rows, first="2026-11", last="2026-11")
    thin = sorted(row[7] for row in rows)
    expected = sorted(people is not None and is_thin(people) for people in maps.values())
    assert thin == expected and sum(thin) == 5
    figures = t.trends(rows, [t.parse_span("2026-11")]).figures[0]
    assert figures.get(t.ALL, t.THIN) == 5
