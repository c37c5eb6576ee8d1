"""The netwerkkaart beyond the screen: the history tells how it changed, the dossier has a
table and an SVG drawing beside it (read back with an XML parser), the family version
says "Wie helpt mee?", and the hand-over carries the map (a round trip; a broken map is
refused with file, line and column, never repeating the value)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from helpers import SIZE, frame, wait_until

from wijkgesprek import paths
from wijkgesprek.app import WijkgesprekApp
from wijkgesprek.cli import main
from wijkgesprek.content.model import CLOSE, FAR, GIVES, Guide
from wijkgesprek.domain.household import Children
from wijkgesprek.domain.network_map import Person
from wijkgesprek.exchange.handover import SCHEMA_VERSION, dumps, parse_handover, to_handover
from wijkgesprek.export.markdown import dossier, family_version
from wijkgesprek.export.network import svg
from wijkgesprek.export.record import exports_of
from wijkgesprek.screens.history import HistoryScreen
from wijkgesprek.store import network_map, repo
from wijkgesprek.store.engine import Store

T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
T1 = T0 + timedelta(weeks=2)
CODE = "GZ-007"
OMA = Person(0, "oma", "Ria", "familie", True, "moeder", ("praktisch",), CLOSE, GIVES, safety=True)
BUURVROUW = Person(0, "buurvrouw", "Fien", "buurt", True, "", ("gezelschap",), FAR, more=True)
VRIENDIN = Person(0, "vriendin", "Sanne", "vrienden", True, "", ("emotioneel",), CLOSE)
HOSTILE_ROLE = '<b>juf</b> & "groep 3" ]]>'
"""A role with markup and XML in it: only ever text, in every export."""


def build(store: Store) -> tuple[int, int]:
    """Two finished visits; the second starts from a copy of the first map: the buurvrouw
    goes off, a vriendin comes on, oma moves further away."""
    first = store.run(
        repo.start_visit, code=CODE, wijk="Noord", children=Children(birth_years=(2019,)), now=T0
    )
    for person in (OMA, BUURVROUW):
        store.run(network_map.add_person, visit_id=first, person=person, now=T0)
    store.run(repo.end_visit, visit_id=first, now=T0)
    second = store.run(
        repo.start_visit, code=CODE, wijk="Noord", children=Children(birth_years=(2019,)), now=T1
    )
    store.run(network_map.remove_person, visit_id=second, number=2, now=T1)
    store.run(network_map.add_person, visit_id=second, person=VRIENDIN, now=T1)
    store.run(
        network_map.update_person,
        visit_id=second,
        person=OMA.replace(number=1, closeness=FAR),
        now=T1,
    )
    store.run(repo.end_visit, visit_id=second, now=T1)
    return first, second


# -- the dossier and the family version ---------------------------------------------------------


def test_the_dossier_has_a_table_and_what_changed(store: Store, guide: Guide) -> None:
    build(store)
    text = dossier(store.run(repo.get_household, code=CODE), guide)
    assert text.count("### Netwerkkaart") == 2
    assert (
        "| oma Ria | Familie | moeder | praktische hulp | dichtbij | geeft energie | — | ja |"
        in text
    )
    assert "Veranderd sinds het bezoek ervoor:" in text
    assert "- \\+ vriendin Sanne (vrienden) helpt met een luisterend oor" in text
    assert "- − buurvrouw Fien" in text
    assert "- · oma Ria: nu verder weg" in text
    assert "![Netwerkkaart" not in text  # no drawing named: none linked


def test_the_family_version_says_who_helps_in_plain_words(store: Store, guide: Guide) -> None:
    first, _ = build(store)
    history = store.run(repo.get_household, code=CODE)
    text = family_version(history, guide)
    assert "## Wie helpt mee?" in text
    assert "- Oma Ria helpt met praktische hulp." in text
    assert "- Vriendin Sanne helpt met een luisterend oor." in text
    assert "Buurvrouw" not in text  # off the last map
    assert "veiligheidsnetwerk" not in text.casefold()
    of_first = family_version(history, guide, visit_id=first)
    assert "- Buurvrouw Fien helpt met gezelschap, en wil graag meer doen." in of_first


def test_user_text_in_the_table_is_never_markup(store: Store, guide: Guide) -> None:
    visit = store.run(repo.start_visit, code=CODE, wijk="Noord", children=Children(), now=T0)
    store.run(
        network_map.add_person, visit_id=visit, person=OMA.replace(role="juf | groep *3*"), now=T0
    )
    text = dossier(store.run(repo.get_household, code=CODE), guide)
    assert "| juf \\| groep \\*3\\* Ria |" in text


# -- the drawing beside the dossier ----------------------------------------------------------------

SVG = "{http://www.w3.org/2000/svg}"


def test_the_svg_parses_back_and_holds_user_text_only_as_text(guide: Guide) -> None:
    people = (
        OMA.replace(number=1),
        BUURVROUW.replace(number=2, role=HOSTILE_ROLE),
        VRIENDIN.replace(number=3, name="Zoë"),
    )
    root = ET.fromstring(svg(people, guide, title=f"Netwerkkaart {CODE} <1>"))
    assert root.tag == f"{SVG}svg"
    assert root.findtext(f"{SVG}title") == f"Netwerkkaart {CODE} <1>"
    assert len(root.findall(f"{SVG}circle")) == 2
    texts = [element.text for element in root.iter(f"{SVG}text")]
    assert "gezin" in texts
    assert "◆ oma Ria" in texts
    assert f"{HOSTILE_ROLE} Fien ↑" in texts  # the markup came back as text
    assert "vriendin Zoë" in texts
    assert not root.findall(f".//{SVG}b")  # no element was made from it


def test_export_writes_the_drawing_beside_the_dossier_and_records_it(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    build(store)
    store.engine.dispose()
    target = tmp_path / "uit" / "dossier.md"
    target.parent.mkdir()
    assert main(["export", CODE, "--uitvoer", str(target)]) == 0
    assert "met dossier-netwerkkaart.svg" in capsys.readouterr().out
    drawing = target.with_name("dossier-netwerkkaart.svg")
    assert drawing.stat().st_mode & 0o777 == 0o600
    text = target.read_text("utf-8")
    assert "![Netwerkkaart van bezoek 2](dossier-netwerkkaart.svg)" in text
    root = ET.parse(drawing).getroot()
    texts = [element.text for element in root.iter(f"{SVG}text")]
    assert "vriendin Sanne" in texts and "◆ oma Ria" in texts  # the last map
    recorded = {w.path.name: w.kind for w in exports_of(paths.data_dir(), [CODE])}
    assert recorded == {"dossier.md": "dossier", "dossier-netwerkkaart.svg": "netwerkkaart"}
    # Without a map nothing is drawn, and to the screen (no file) nothing either.
    assert main(["export", CODE]) == 0
    assert "![Netwerkkaart" not in capsys.readouterr().out


# -- the history ------------------------------------------------------------------------------


async def test_the_history_shows_how_the_network_changed_and_hides_names_when_discreet(
    store: Store, database: Path
) -> None:
    from wijkgesprek.content.questions import load_guide

    build(store)
    store.engine.dispose()
    app = WijkgesprekApp(guide=load_guide(paths.shipped_questions()), database=database)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.push_screen(HistoryScreen(CODE))
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen))
        await pilot.pause()
        detail = str(app.screen.query_one("#visit-text").render())
        assert "Netwerkkaart: 2 mensen, 2 uit de eigen kring" in detail
        assert "+ vriendin Sanne (vrienden) helpt met een luisterend oor" in detail
        assert "− buurvrouw Fien" in detail and "· oma Ria: nu verder weg" in detail
        await pilot.press("ctrl+g")
        await pilot.pause()
        detail = str(app.screen.query_one("#visit-text").render())
        assert "+ vriendin (vrienden)" in detail and "− buurvrouw" in detail
        assert "Sanne" not in frame(app) and "Fien" not in frame(app)
        assert "veiligheidsnetwerk" not in detail


# -- the hand-over ----------------------------------------------------------------------------


def export(store: Store) -> dict[str, Any]:
    return to_handover(store.run(repo.get_household, code=CODE))


def test_the_hand_over_carries_the_map_and_comes_back_the_same(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    build(store)
    data = export(store)
    assert data["schema"] == SCHEMA_VERSION == 3
    first = data["bezoeken"][0]["netwerkkaart"]
    assert first[0] == {
        "nummer": 1,
        "rol": "oma",
        "naam": "Ria",
        "groep": "familie",
        "informeel": True,
        "dichtbij_wie": "moeder",
        "helpt_met": ["praktisch"],
        "afstand": "dichtbij",
        "energie": "geeft",
        "meer_doen": False,
        "veiligheidsnetwerk": True,
    }
    file = tmp_path / "overdracht.json"
    file.write_text(dumps(data), "utf-8")
    other = tmp_path / "collega"
    assert main(["--data-dir", str(other), "import", str(file)]) == 0
    theirs = Store(other / paths.DATABASE_NAME)
    try:
        mine = store.run(repo.get_household, code=CODE)
        imported = theirs.run(repo.get_household, code=CODE)
        assert [v.record.network for v in imported.visits] == [
            v.record.network for v in mine.visits
        ]
        assert to_handover(imported) == data  # the same file again
    finally:
        theirs.engine.dispose()
    assert main(["--data-dir", str(other), "import", str(file)]) == 0  # twice: nothing new
    assert "2 gelijk" in capsys.readouterr().out


def test_a_file_of_schema_2_has_no_maps(store: Store) -> None:
    build(store)
    data = export(store)
    data["schema"] = 2
    for visit in data["bezoeken"]:
        del visit["netwerkkaart"]
    handover = parse_handover(json.dumps(data), source=Path("oud.json"))
    assert [visit.network for visit in handover.visits] == [None, None]


def test_a_changed_map_in_the_file_is_a_difference_and_taken_over_on_request(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    build(store)
    data = export(store)
    data["bezoeken"][1]["netwerkkaart"][0]["afstand"] = "dichtbij"
    file = tmp_path / "overdracht.json"
    file.write_text(dumps(data), "utf-8")
    store.engine.dispose()
    assert main(["import", str(file)]) == 1
    out, err = capsys.readouterr()
    assert "bezoeken[2].netwerkkaart" in out + err
    assert main(["import", str(file), "--neem-over"]) == 0
    history = store.run(repo.get_household, code=CODE)
    assert history.visits[1].record.network[0].closeness == CLOSE  # type: ignore[index]
    additions = [c.text for c in history.visits[1].corrections]
    assert any("netwerkkaart “oma, vriendin” (2)" in text for text in additions)


BROKEN = {
    "surname": (("naam",), "Ria de Vries", "geen achternaam"),
    "digits in the name": (("naam",), "Ria06", "geen cijfers"),
    "phone number in the role": (("rol",), "oma 06-12345678", "telefoonnummer"),
    "address as member": (("dichtbij_wie",), "moeder, Kerkstraat 12", "adres"),
    "free text as group": (("groep",), "Jansen, Dorpsstraat 1", "geen vrije tekst"),
    "free text as help": (("helpt_met", 0), "Jansen, Dorpsstraat 1", "geen vrije tekst"),
    "unknown closeness": (("afstand",), "heel ver", "onbekende waarde"),
    "unknown energy": (("energie",), "veel", "onbekende waarde"),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_a_broken_map_is_refused_with_its_place_never_its_value(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    keys, value, fragment = BROKEN[case]
    build(store)
    data = export(store)
    person = data["bezoeken"][0]["netwerkkaart"][1]
    if len(keys) == 2:
        person[keys[0]][keys[1]] = value
    else:
        person[keys[0]] = value
    file = tmp_path / "overdracht.json"
    file.write_text(json.dumps(data, ensure_ascii=False, indent=2), "utf-8")
    text = file.read_text("utf-8")
    offset = text.index(json.dumps(value, ensure_ascii=False))
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    path = f"bezoeken[1].netwerkkaart[2].{keys[0]}" + (f"[{keys[1] + 1}]" if len(keys) == 2 else "")
    assert main(["controleer", str(file)]) == 1
    out, err = capsys.readouterr()
    assert f"{file}:{line}:{column}: {path}: " in err and fragment in err
    assert value not in out + err


@pytest.mark.parametrize(
    ("change", "path", "fragment"),
    [
        (lambda p: p.update(nummer=1), "bezoeken[1].netwerkkaart[2].nummer", "hetzelfde nummer"),
        (lambda p: p.update(meer_doen="ja"), "bezoeken[1].netwerkkaart[2].meer_doen", "ja/nee"),
        (lambda p: p.pop("informeel"), "bezoeken[1].netwerkkaart[2].informeel", "ontbreekt"),
        (lambda p: p.update(nummer=0), "bezoeken[1].netwerkkaart[2].nummer", "vanaf 1"),
    ],
    ids=["same-number", "not-a-boolean", "missing-field", "number-zero"],
)
def test_a_malformed_person_is_refused_with_its_path(
    store: Store,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    change: Any,
    path: str,
    fragment: str,
) -> None:
    build(store)
    data = export(store)
    change(data["bezoeken"][0]["netwerkkaart"][1])
    file = tmp_path / "overdracht.json"
    file.write_text(json.dumps(data, ensure_ascii=False, indent=2), "utf-8")
    assert main(["controleer", str(file)]) == 1
    err = capsys.readouterr().err
    assert f"{file}:" in err and f": {path}: " in err and fragment in err


def test_an_import_never_gives_a_number_the_household_uses_for_someone_else(
    store: Store, guide: Guide, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A colleague had our hand-over and made a visit with a new juf (their number 4);
    meanwhile we put a huisarts on our own new visit (our number 4). After the import the
    juf has a number of her own, oma and the vriendin keep theirs, and importing the same
    file again changes nothing."""
    from wijkgesprek.domain.network_map import map_changes

    build(store)
    data = export(store)
    theirs = json.loads(json.dumps(data["bezoeken"][1]))
    theirs["begonnen"] = (T1 + timedelta(weeks=2)).isoformat()
    theirs["afgerond"] = theirs["begonnen"]
    juf = dict(theirs["netwerkkaart"][1], nummer=4, rol="juf", naam="", groep="school")
    theirs["netwerkkaart"].append(juf | {"informeel": False, "helpt_met": []})
    data["bezoeken"].append(theirs)
    file = tmp_path / "overdracht.json"
    file.write_text(dumps(data), "utf-8")
    ours = store.run(
        repo.start_visit,
        code=CODE,
        wijk="Noord",
        children=Children(birth_years=(2019,)),
        now=T1 + timedelta(weeks=3),
    )
    huisarts = Person(0, "huisarts", group="hulpverlening")
    assert store.run(network_map.add_person, visit_id=ours, person=huisarts, now=T1) == 4
    store.engine.dispose()
    assert main(["import", str(file)]) == 0
    history = store.run(repo.get_household, code=CODE)
    maps = {visit.record.started_at: visit.record.network or () for visit in history.visits}
    imported = maps[T1 + timedelta(weeks=2)]
    numbers = {person.role: person.number for person in imported}
    assert numbers["oma"] == 1 and numbers["vriendin"] == 3
    assert numbers["juf"] not in (1, 2, 3, 4)
    assert map_changes(maps[T1], imported, guide.network) == ["+ juf (school en opvang)"]
    capsys.readouterr()
    store.engine.dispose()
    assert main(["import", str(file)]) == 0  # again: the same visits, nothing to take over
    assert "3 gelijk" in capsys.readouterr().out
