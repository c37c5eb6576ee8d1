"""Markup in data files is legal data and every screen shows it literally.

Every free text of the guide, the sociale kaart and the practice cases starts with the
mark ``[b]§``; if a widget read it as markup, ``[b]`` would vanish and ``§`` stand alone.
A case title ``[@click=app.quit]…`` is text: clicking it does nothing.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import yaml
from helpers import SIZE, frame, type_text, wait_until
from household_data import CODE
from test_hostile_data import HOSTILE_NAME, no_escape

from wijkgesprek import paths
from wijkgesprek.app import WijkgesprekApp
from wijkgesprek.content.cases import load_cases
from wijkgesprek.content.questions import load_guide
from wijkgesprek.domain.household import Children
from wijkgesprek.errors import ContentError
from wijkgesprek.screens.ask import AskScreen
from wijkgesprek.screens.home import HomeScreen
from wijkgesprek.screens.network_map import NetworkMapScreen
from wijkgesprek.screens.network_person import PersonDialog
from wijkgesprek.screens.practice_home import PracticeHomeScreen
from wijkgesprek.screens.practice_visit import PracticeVisitScreen
from wijkgesprek.screens.reflection import ReflectionScreen
from wijkgesprek.screens.safety import SafetyScreen
from wijkgesprek.screens.summary import SummaryScreen
from wijkgesprek.screens.themes import ThemesScreen
from wijkgesprek.screens.visit import VisitScreen
from wijkgesprek.store import repo
from wijkgesprek.store.engine import Store
from wijkgesprek.store.schema import prepare_database

MARK = "[b]§"
KEEP = {"wijk", "sleutelwoorden", "moeten", "labels", "versie"}
"""Values that must match something else (the wijk of a household, words found in notes)."""


def _scalars(node: yaml.Node, key: object = None) -> list[tuple[object, yaml.ScalarNode]]:
    if isinstance(node, yaml.ScalarNode):
        return [(key, node)]
    if isinstance(node, yaml.SequenceNode):
        return [found for item in node.value for found in _scalars(item, key)]
    if isinstance(node, yaml.MappingNode):
        return [found for k, v in node.value for found in _scalars(v, k.value)]
    return []


def marked_copy(file: str, target: Path, check, titel: str = "") -> None:  # type: ignore[no-untyped-def]
    """The shipped ``file`` with every free text marked; a value the file's checks refuse
    marked (an id, a date, a choice) is left as it was. ``titel``: the first case's."""
    text = (paths.shipped_data_dir() / file).read_text("utf-8")
    nodes = [node for key, node in _scalars(yaml.compose(text)) if key not in KEEP]
    refused: set[int] = set()  # lines whose values the checks refused marked
    for _ in range(20):
        result = text
        for node in sorted(nodes, key=lambda n: n.start_mark.index, reverse=True):
            if node.start_mark.line + 1 in refused:
                continue
            value = MARK + node.value
            if titel and node.value.startswith("Moeder met twee jonge kinderen"):
                value = titel
            end = node.end_mark.index
            ending = "\n" * text.count("\n", node.start_mark.index, end)  # lines stay
            result = result[: node.start_mark.index] + json.dumps(value) + ending + result[end:]
        target.write_text(result, "utf-8")
        try:
            check(target)
            return
        except ContentError as error:
            refused |= {p.line for p in error.problems}
    raise AssertionError("no marked copy could be made")


def literal(shown: str) -> None:
    assert MARK in shown  # data-file text is on this screen
    assert re.search(r"(?<!\[b\])§", shown) is None, shown  # and none was read as markup
    assert no_escape(shown)


def hostile_guide(tmp_path: Path) -> Path:
    target = tmp_path / "questions.yaml"
    marked_copy("questions.yaml", target, load_guide)
    return target


async def test_every_screen_shows_data_file_markup_literally(tmp_path: Path) -> None:
    guide = load_guide(hostile_guide(tmp_path))
    themes = [theme.id for theme in guide.themes]
    network = tmp_path / "network.yaml"

    def check_network(target: Path) -> None:
        from datetime import date

        from wijkgesprek.content.network import load_network

        load_network([target], themes=themes, today=date(2026, 11, 25))

    marked_copy("network.yaml", network, check_network)
    database = tmp_path / "data" / "wijkgesprek.db"
    prepare_database(database)
    store = Store(database)
    now = datetime.now(UTC)
    children = Children(birth_years=(now.year - 4,))
    visit_id = store.run(repo.start_visit, code=CODE, wijk="Noord", children=children, now=now)
    store.run(  # a name from before names were checked: escapes and markup
        repo.add_referral,
        visit_id=visit_id,
        naam=HOSTILE_NAME,
        soort="dienst\x1b[31m",
        wijk="Noord",
        themes=["geldzorgen"],
        contact="",
        now=now,
    )
    store.engine.dispose()
    app = WijkgesprekApp(guide=guide, database=database, network=(network,))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await wait_until(pilot, lambda: CODE in frame(app))
        assert no_escape(frame(app))
        await pilot.press("enter")  # the open visit
        await wait_until(pilot, lambda: isinstance(app.screen, VisitScreen))
        await wait_until(pilot, lambda: app.network is not None)
        literal(frame(app))  # the topic titles, the questions
        await pilot.press("f6")
        literal(frame(app))  # doorvragen and tip
        await pilot.press("f3")
        await wait_until(pilot, lambda: isinstance(app.screen, ThemesScreen))
        literal(frame(app))  # theme names
        await pilot.press("space", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, VisitScreen))
        await pilot.press("f9")
        await pilot.pause()
        shown = frame(app)
        literal(shown)  # offers: name, kind, reason, when, costs, contact
        assert "[@click=a" in shown  # the referral name
        await pilot.press("f9", "f10")
        await wait_until(pilot, lambda: isinstance(app.screen, SafetyScreen))
        for _ in range(6):  # every section of the safety check
            literal(frame(app))
            await pilot.press("down")
        await pilot.press("escape", "escape")  # the section's list, the sections, the visit
        await wait_until(pilot, lambda: isinstance(app.screen, VisitScreen))
        await pilot.press("f8")
        await wait_until(pilot, lambda: isinstance(app.screen, SummaryScreen))
        literal(frame(app))
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, VisitScreen))
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: isinstance(app.screen, NetworkMapScreen))
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, PersonDialog))
        await type_text(pilot, "buurvrouw")  # its group (the guide's name) follows
        await pilot.pause()
        literal(frame(app))  # groups, kinds of help
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, NetworkMapScreen))
        await pilot.pause()
        literal(frame(app))  # the person's group and closeness from the guide
        assert app.return_code is None


async def test_practice_screens_show_markup_literally_and_a_click_does_nothing(
    tmp_path: Path,
) -> None:
    guide = load_guide(hostile_guide(tmp_path))
    topics = tuple(topic.id for topic in guide.topics)
    file = tmp_path / "cases.yaml"
    title = "[@click=app.quit]Klik hier[/]"
    marked_copy("cases.yaml", file, lambda f: load_cases(f, topic_ids=topics), titel=title)
    cases = load_cases(file, topic_ids=topics)
    database = paths.data_dir() / paths.PRACTICE_DATABASE_NAME
    prepare_database(database, practice=True)
    app = WijkgesprekApp(guide=guide, database=database, cases=cases)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, PracticeHomeScreen))
        shown = frame(app)
        literal(shown)
        assert title in shown
        row = next(n for n, line in enumerate(shown.splitlines()) if "Klik hier" in line)
        column = shown.splitlines()[row].index("Klik hier")
        await pilot.click(offset=(column + 2, row))
        await pilot.pause()
        assert app.return_code is None and app.is_running  # no action ran
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, PracticeVisitScreen))
        assert title in frame(app)
        literal(frame(app))
        await pilot.press("f5")
        await wait_until(pilot, lambda: isinstance(app.screen, AskScreen))
        literal(frame(app))  # the voices
        await type_text(pilot, "Wat brengt u hier?")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, PracticeVisitScreen))
        literal(frame(app))  # the family's answer
        await pilot.press("f8")
        await wait_until(pilot, lambda: isinstance(app.screen, ReflectionScreen))
        await pilot.pause()
        shown = frame(app)
        assert "@click=app.quit" in shown
        assert no_escape(shown)
        assert app.return_code is None


async def test_history_and_addition_show_markup_literally(tmp_path: Path) -> None:
    from household_data import build

    from wijkgesprek.screens.addition import AdditionScreen
    from wijkgesprek.screens.history import HistoryScreen

    guide = load_guide(hostile_guide(tmp_path))
    database = tmp_path / "data" / "wijkgesprek.db"
    prepare_database(database)
    store = Store(database)
    build(store)
    store.engine.dispose()
    app = WijkgesprekApp(guide=guide, database=database)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await wait_until(pilot, lambda: CODE in frame(app))
        await pilot.press("g")
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen))
        await pilot.pause()
        literal(frame(app))  # topic titles over the notes
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, AdditionScreen))
        literal(frame(app))  # the topics to choose from
