"""The netwerkkaart screen at 80×24: a map built by keyboard only, the list beside the
drawing, editing and removing, Escape per field, the empty map, discreet mode hiding
first names and the veiligheidsnetwerk, and F1 in Dutch."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from helpers import SIZE, frame, start_visit, type_text, wait_until
from textual.widgets import Input, Select

from wijkgesprek.app import WijkgesprekApp
from wijkgesprek.content.model import CLOSE, FAR, GIVES, Guide
from wijkgesprek.content.questions import load_guide
from wijkgesprek.domain.network_map import Person
from wijkgesprek.paths import shipped_questions
from wijkgesprek.screens.choice import ChoiceScreen
from wijkgesprek.screens.help import HelpScreen
from wijkgesprek.screens.network_map import NetworkMapScreen
from wijkgesprek.screens.network_person import PersonDialog
from wijkgesprek.screens.visit import VisitScreen
from wijkgesprek.store import network_map
from wijkgesprek.store.engine import Store
from wijkgesprek.store.schema import prepare_database

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


@pytest.fixture
def app(tmp_path: Path) -> WijkgesprekApp:
    database = tmp_path / "data" / "wijkgesprek.db"
    prepare_database(database)
    return WijkgesprekApp(guide=load_guide(shipped_questions()), database=database)


def stored(app: WijkgesprekApp, visit_id: int) -> tuple[Person, ...] | None:
    store = Store(app.database.path)
    try:
        return store.run(network_map.get_map, visit_id=visit_id)
    finally:
        store.engine.dispose()


async def open_map(pilot) -> NetworkMapScreen:  # type: ignore[no-untyped-def]
    visit = await start_visit(pilot)
    await pilot.press("ctrl+n")  # from the note: one key, anywhere in the visit
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, NetworkMapScreen))
    assert visit.visit_id == pilot.app.screen.visit_id
    return pilot.app.screen  # type: ignore[no-any-return]


async def add_buurvrouw(pilot) -> None:  # type: ignore[no-untyped-def]
    """Every field by keyboard: role (its group follows), name, member, closeness chosen
    in its list, energy, a kind of help ticked, would do more, in the safety network."""
    await pilot.press("n")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, PersonDialog))
    await type_text(pilot, "buurvrouw")
    await pilot.press("enter")  # on to the next field
    await type_text(pilot, "Fien")
    await pilot.press("enter")
    await type_text(pilot, "moeder")
    await pilot.press("tab", "tab")  # past the group the role chose, to Afstand
    await pilot.press("enter", "down", "enter")  # verder weg
    await pilot.press("tab", "enter", "down", "enter")  # energie: geeft energie
    await pilot.press("tab", "down", "down", "down", "space")  # helpt met: gezelschap
    await pilot.press("tab", "space", "tab", "space")  # meer doen; veiligheidsnetwerk
    await pilot.press("ctrl+s")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, NetworkMapScreen))


BUURVROUW = Person(
    1, "buurvrouw", "Fien", "buurt", True, "moeder", ("gezelschap",), FAR, GIVES, True, True
)


async def test_a_map_is_built_by_keyboard_at_80x24(app: WijkgesprekApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_map(pilot)
        assert "Nog geen kaart in dit bezoek" in frame(app)
        await add_buurvrouw(pilot)
        assert stored(app, screen.visit_id) == (BUURVROUW,)
        shown = frame(app)
        assert "◆↑+ buurvrouw Fien" in shown  # the list: marks and who,
        assert "Buurt · verder weg" in shown  # then the details, wrapped in the column
        assert "gezin" in shown and "◆buurvrouw Fien↑" in shown  # the drawing
        assert "Dun informeel netwerk: 1 persoon" in shown
        assert all(len(line) <= 80 for line in shown.splitlines())


async def test_the_list_wraps_what_does_not_fit_instead_of_cutting_it(
    app: WijkgesprekApp,
) -> None:
    """A long role and every kind of help: the list shows all of it at 80x24, wrapped at
    word boundaries in its own column, nothing cut off with '…'."""
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_map(pilot)
        everything = ("praktisch", "emotioneel", "informatie", "gezelschap", "veiligheid")
        person = Person(0, "moeder van een klasgenoot van de oudste", "Anne-Marie",
                        "school", False, "", everything, FAR, more=True)  # fmt: skip
        store = Store(app.database.path)
        try:
            store.run(network_map.add_person, visit_id=screen.visit_id, person=person, now=NOW)
        finally:
            store.engine.dispose()
        screen._show(stored(app, screen.visit_id))
        await pilot.pause()
        shown = frame(app)
        rows = [line for line in shown.splitlines()[2:] if line.startswith("▊")]
        listed = " ".join(line[1:].split("▎")[0] for line in rows)
        words = " ".join(listed.replace("·", " ").replace(",", " ").split())
        assert "moeder van een klasgenoot van de oudste Anne-Marie" in words
        assert (
            "School en opvang verder weg praktische hulp een luisterend oor informatie "
            "en advies gezelschap en veiligheid"
        ) in words
        assert "…" not in listed
        assert all(len(line) <= 80 for line in shown.splitlines())


async def test_a_surname_is_refused_and_the_form_stays(app: WijkgesprekApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_map(pilot)
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, PersonDialog))
        await type_text(pilot, "oma")
        await pilot.press("enter")
        await type_text(pilot, "Ria de Vries")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PersonDialog)
        assert "geen achternaam" in frame(app) and "toestemming" in frame(app)
        assert app.screen.focused is app.screen.query_one("#name", Input)
        assert stored(app, screen.visit_id) is None


async def test_the_role_chooses_its_group(app: WijkgesprekApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_map(pilot)
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, PersonDialog))
        await type_text(pilot, "huisarts")
        await pilot.pause()
        assert app.screen.query_one("#group", Select).value == "hulpverlening"


async def test_editing_and_removing_by_keyboard(app: WijkgesprekApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_map(pilot)
        await add_buurvrouw(pilot)
        await pilot.press("enter")  # change the chosen person
        await wait_until(pilot, lambda: isinstance(app.screen, PersonDialog))
        await pilot.press("tab", "tab", "tab", "tab", "enter", "up", "enter")  # dichtbij
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, NetworkMapScreen))
        assert stored(app, screen.visit_id) == (BUURVROUW.replace(closeness=CLOSE),)
        await pilot.press("delete")
        await wait_until(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        await pilot.press("2")  # van de kaart halen
        await wait_until(pilot, lambda: isinstance(app.screen, NetworkMapScreen))
        assert stored(app, screen.visit_id) == ()  # a map, with no one on it now


async def test_escape_puts_a_changed_field_back_then_closes(app: WijkgesprekApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_map(pilot)
        await add_buurvrouw(pilot)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, PersonDialog))
        role = app.screen.query_one("#role", Input)
        await type_text(pilot, " van hiernaast")  # typing goes on at the end
        assert role.value == "buurvrouw van hiernaast"
        await pilot.press("escape")
        assert isinstance(app.screen, PersonDialog) and role.value == "buurvrouw"
        await pilot.press("escape")  # nothing changed now: closes
        await wait_until(pilot, lambda: isinstance(app.screen, NetworkMapScreen))
        # A change in another field is asked about before it is lost.
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, PersonDialog))
        await pilot.press("tab")
        await type_text(pilot, "je")
        await pilot.press("tab", "escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        await pilot.press("1")  # bewaren en sluiten
        await wait_until(pilot, lambda: isinstance(app.screen, NetworkMapScreen))
        assert stored(app, screen.visit_id) == (BUURVROUW.replace(name="Fienje"),)


async def test_an_empty_map_is_recorded_on_purpose(app: WijkgesprekApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_map(pilot)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: stored(app, screen.visit_id) == ())
        assert "Dun informeel netwerk: niemand" in frame(app)


async def test_discreet_mode_hides_first_names_and_the_safety_network(
    app: WijkgesprekApp,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_map(pilot)
        await add_buurvrouw(pilot)
        await pilot.press("ctrl+g")
        await pilot.pause()
        shown = frame(app)
        assert "buurvrouw" in shown
        assert "Fien" not in shown and "◆" not in shown and "veiligheidsnetwerk" not in shown
        await pilot.press("enter")  # the form too: no name field, no safety tick
        await wait_until(pilot, lambda: isinstance(app.screen, PersonDialog))
        shown = frame(app)
        assert "Fien" not in shown and "weet van de zorgen" not in shown
        assert "de voornaam is verborgen" in shown
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, NetworkMapScreen))
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert "buurvrouw Fien" in frame(app)


async def test_f1_explains_the_map_in_dutch(app: WijkgesprekApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_map(pilot)
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        text = app.screen._text()  # type: ignore[attr-defined]
        assert "wie zou willen meedenken" in text and "netwerk-nieuw" in text


async def test_the_network_topic_tells_what_is_on_the_map(app: WijkgesprekApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_map(pilot)
        await add_buurvrouw(pilot)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, VisitScreen))
        await pilot.press("3")  # Netwerk en omgeving
        await pilot.pause()
        guide = str(app.screen.query_one("#guide-text").render())
        assert "Netwerkkaart (Ctrl+N): 1 persoon, 1 uit de eigen kring" in guide
        assert "veiligheidsnetwerk" not in guide  # never where the family may look along


async def test_a_map_made_in_this_visit_marks_the_network_topic(app: WijkgesprekApp) -> None:
    """Walk finding: a map with people, yet the summary said Netwerk was not discussed."""
    async with app.run_test(size=SIZE) as pilot:
        await open_map(pilot)
        await add_buurvrouw(pilot)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, VisitScreen))
        screen = app.screen
        assert isinstance(screen, VisitScreen)
        await wait_until(pilot, lambda: "netwerk" in screen.touched_topics())


async def test_in_practice_the_map_is_made_by_asking_and_the_reflection_says_so(
    guide: Guide, isolated_home: Path
) -> None:
    """Issue 23.5 at 80x24: asked about the network, the mother tells about her sister;
    Ctrl+N opens the attempt's map, the sister goes on it, and the reflection says the
    network was mapped. The next attempt starts with an empty map."""
    from wijkgesprek import paths
    from wijkgesprek.content.cases import load_cases
    from wijkgesprek.screens.ask import AskScreen
    from wijkgesprek.screens.practice_home import PracticeHomeScreen
    from wijkgesprek.screens.practice_visit import PracticeVisitScreen
    from wijkgesprek.screens.reflection import ReflectionScreen

    database = paths.data_dir() / paths.PRACTICE_DATABASE_NAME
    prepare_database(database, practice=True)
    cases = load_cases(
        paths.shipped_cases(), topic_ids=[t.id for t in guide.topics], network=guide.network
    )
    sister = cases.case("moeder-twee-kinderen").netwerk[0]
    app = WijkgesprekApp(guide=guide, database=database, cases=cases)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, PracticeHomeScreen))
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, PracticeVisitScreen))
        first = app.screen.visit_id
        await pilot.press("f2", "3")  # Netwerk en omgeving
        await pilot.pause()
        assert "Netwerkkaart (Ctrl+N): nog niet gemaakt." in frame(app)
        await pilot.press("f5")
        await wait_until(pilot, lambda: isinstance(app.screen, AskScreen))
        await type_text(pilot, "Hoe vaak belt u met uw zus?")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, PracticeVisitScreen))
        await pilot.pause()
        shown = " ".join(frame(app).split())
        assert " ".join(sister.vertelt.split()[:5]) in shown
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: isinstance(app.screen, NetworkMapScreen))
        assert "Nog geen kaart in dit bezoek" in frame(app)
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, PersonDialog))
        await type_text(pilot, "zus")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, NetworkMapScreen))
        await pilot.pause()
        assert "zus" in frame(app)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, PracticeVisitScreen))
        await pilot.press("f8")
        await wait_until(pilot, lambda: isinstance(app.screen, ReflectionScreen))
        report = app.screen.report
        assert "- Door te vragen gevonden (1 van 3): zus." in report
        assert (
            "Het netwerk is in kaart gebracht: 1 van de 3 mensen om het gezin staat op de "
            "netwerkkaart."
        ) in report
        await pilot.pause()
        assert all(len(line) <= 80 for line in frame(app).splitlines())
        await pilot.press("ctrl+e")
        await wait_until(pilot, lambda: isinstance(app.screen, PracticeHomeScreen))
        await pilot.press("enter")  # a new attempt: the network is discovered again
        await wait_until(pilot, lambda: isinstance(app.screen, PracticeVisitScreen))
        second = app.screen.visit_id
    store = Store(database)
    try:
        assert [p.role for p in store.run(network_map.get_map, visit_id=first) or ()] == ["zus"]
        assert store.run(network_map.get_map, visit_id=second) is None
    finally:
        store.engine.dispose()
