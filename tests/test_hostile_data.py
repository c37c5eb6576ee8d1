"""Hostile data files: terminal escapes and markup in every text of every data file.

Control characters (ESC, BEL, C1, …) in the guide, the sociale kaart, the practice cases
or a hand-over are a problem with ``file:line:column`` and the key: the file is refused.
Markup (``[bold]``, ``[@click=app.quit]``) is legal data and is shown literally.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from household_data import CODE, build

from wijkgesprek import paths
from wijkgesprek.cli import main
from wijkgesprek.content.cases import load_cases
from wijkgesprek.content.network import load_network
from wijkgesprek.content.questions import load_guide
from wijkgesprek.content.words import load_words
from wijkgesprek.errors import ContentError
from wijkgesprek.exchange.handover import dumps, parse_handover, to_handover
from wijkgesprek.store import repo
from wijkgesprek.store.engine import Store
from wijkgesprek.store.handover import referral_extras

ESCAPES = (
    "\x1b[31mrood",
    "\x1b]52;c;cm0gLXJmIH4K\x07",  # OSC 52: a command on the clipboard
    "\x1b]0;gekaapt\x07",  # OSC 0: the window title
    "\x9b31mrood",  # C1 CSI
    "stil\x7f",
)
MARKUP = ("[@click=app.quit]klik[/]", "[bold]vet[/bold]", "[link=https://example.org]x[/link]")
CONTROL = {chr(code) for code in (*range(0x20), *range(0x7F, 0xA0))} - {"\n", "\t"}


def no_control(text: str) -> bool:
    return not CONTROL & set(text)


# --- the YAML files: one hostile value per kind of field --------------------------------------


def _nodes(node: yaml.Node, path: tuple[str | int, ...]) -> Iterator[tuple[tuple, yaml.Node]]:
    if isinstance(node, yaml.ScalarNode):
        yield path, node
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _nodes(item, (*path, index))
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from _nodes(value, (*path, key.value))


def _pattern(file: str, path: tuple) -> tuple:
    """A kind of field: list positions and ids of topics or cases do not matter."""
    shape = ["*" if isinstance(step, int) else step for step in path]
    if shape[0] in ("onderwerpen", "casussen") and len(shape) > 1:
        shape[1] = "*"
    return (file, *shape)


def _fields(file: str) -> list[tuple[str, tuple]]:
    text = (paths.shipped_questions().parent / file).read_text("utf-8")
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    seen: dict[tuple, tuple[str, tuple]] = {}
    for path, _ in _nodes(root, ()):
        seen.setdefault(_pattern(file, path), (file, path))
    return list(seen.values())


FILES = ("questions.yaml", "network.yaml", "cases.yaml", "woorden.yaml")
FIELDS = [field for file in FILES for field in _fields(file)]


def hostile_copy(file: str, path: tuple, value: str, target: Path) -> tuple[int, int]:
    """The shipped ``file`` with the value at ``path`` replaced by ``value`` (written as a
    double-quoted YAML string); returns the 1-based line and column where it stands."""
    text = (paths.shipped_questions().parent / file).read_text("utf-8")
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    node = dict(_nodes(root, ()))[path]
    start, end = node.start_mark.index, node.end_mark.index
    written = json.dumps(value) + ("\n" if text[start:end].endswith("\n") else "")
    target.write_text(text[:start] + written + text[end:], "utf-8")
    return node.start_mark.line + 1, node.start_mark.column + 1


def load(file: str, target: Path) -> None:
    if file == "questions.yaml":
        load_guide(target)
    elif file == "network.yaml":
        themes = [theme.id for theme in load_guide(paths.shipped_questions()).themes]
        load_network([target], themes=themes, today=date(2026, 11, 25))
    elif file == "woorden.yaml":
        load_words(target)
    else:
        load_cases(target)


def _label(path: tuple) -> str:
    if isinstance(path[-1], int):
        return f"item {path[-1] + 1} van '{path[-2]}'"
    return f"'{path[-1]}'"


@pytest.mark.parametrize(
    ("file", "path", "value"),
    [(file, path, ESCAPES[n % len(ESCAPES)]) for n, (file, path) in enumerate(FIELDS)],
    ids=[".".join(map(str, _pattern(file, path))) for file, path in FIELDS],
)
def test_a_control_character_in_any_yaml_text_is_a_problem(
    file: str, path: tuple, value: str, tmp_path: Path
) -> None:
    target = tmp_path / file
    line, column = hostile_copy(file, path, value, target)
    with pytest.raises(ContentError) as raised:
        load(file, target)
    found = [p for p in raised.value.problems if "stuurteken" in p.message]
    assert [(p.file, p.line, p.column) for p in found] == [(target, line, column)]
    assert _label(path) in found[0].message
    assert no_control(str(raised.value))


@pytest.mark.parametrize("file", FILES)
def test_a_control_character_in_a_key_is_a_problem(file: str, tmp_path: Path) -> None:
    text = (paths.shipped_questions().parent / file).read_text("utf-8")
    target = tmp_path / file
    target.write_text(text + '"extra\\e]0;titel\\a": x\n', "utf-8")
    with pytest.raises(ContentError) as raised:
        load(file, target)
    line = text.count("\n") + 1
    assert any(
        (p.line, p.column) == (line, 1) and "stuurteken" in p.message for p in raised.value.problems
    )
    assert no_control(str(raised.value))


def test_line_ends_and_tabs_are_no_control_characters(tmp_path: Path) -> None:
    text = (paths.shipped_questions().parent / "network.yaml").read_text("utf-8")
    target = tmp_path / "network.yaml"
    target.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    load("network.yaml", target)
    target.write_text(text.replace("naam: Meedoenregeling", 'naam: "Meedoen\\tregeling"'), "utf-8")
    load("network.yaml", target)


@pytest.mark.parametrize("markup", MARKUP)
def test_markup_is_legal_data(markup: str, tmp_path: Path) -> None:
    for file, path in FIELDS:
        if path[-1] in ("naam", "titel", "beschrijving", "tip", "intake", "feit"):
            target = tmp_path / file
            hostile_copy(file, path, markup, target)
            load(file, target)


def test_controleer_names_file_line_column_and_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "network.yaml"
    line, column = hostile_copy("network.yaml", ("aanbod", 0, "naam"), ESCAPES[1], target)
    assert main(["controleer", str(target)]) == 1
    out, err = capsys.readouterr()
    assert "in orde" not in out
    assert f"{target}:{line}:{column}: 'naam' bevat een stuurteken (ESC, U+001B)" in err
    assert no_control(out + err)


# --- the JSON hand-over: every text field -----------------------------------------------------


@pytest.fixture
def handover(store: Store) -> dict[str, Any]:
    build(store)
    history = store.run(repo.get_household, code=CODE)
    data = to_handover(history, extras=store.run(referral_extras, code=CODE))
    # A netwerkkaart (schema 3) with every kind of text field it has.
    data["bezoeken"][-1]["netwerkkaart"] = [
        {"nummer": 1, "rol": "buurvrouw", "naam": "Fien", "groep": "buren", "informeel": True,
         "dichtbij_wie": "moeder", "helpt_met": ["praktisch"], "afstand": "dichtbij",
         "energie": "geeft", "meer_doen": False, "veiligheidsnetwerk": True}
    ]  # fmt: skip
    return data


def _strings(value: object, path: tuple = ()) -> Iterator[tuple]:
    if isinstance(value, str):
        yield path
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key))


def _json_path(path: tuple) -> str:
    """As the hand-over's messages name a field: ``bezoeken[2].notities.stress``."""
    shown = ""
    for step in path:
        shown += f"[{step + 1}]" if isinstance(step, int) else (f".{step}" if shown else step)
    return shown


def _set(data: Any, path: tuple, value: str) -> None:
    for step in path[:-1]:
        data = data[step]
    data[path[-1]] = value


def test_a_control_character_in_any_hand_over_text_is_a_problem(
    handover: dict[str, Any], tmp_path: Path
) -> None:
    kinds: dict[tuple, tuple] = {}
    for path in _strings(handover):
        kinds.setdefault(tuple("*" if isinstance(s, int) else s for s in path), path)
    assert len(kinds) > 30  # every kind of text field the hand-over has
    assert ("bezoeken", "*", "netwerkkaart", "*", "helpt_met", "*") in kinds
    for number, path in enumerate(kinds.values()):
        data = json.loads(json.dumps(handover))
        value = ESCAPES[number % len(ESCAPES)] + f"#{number}"
        _set(data, path, value)
        text = json.dumps(data, ensure_ascii=False, indent=2)
        offset = text.index(json.dumps(value, ensure_ascii=False))
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        source = tmp_path / f"overdracht-{number}.json"
        with pytest.raises(ContentError) as raised:
            parse_handover(text, source=source)
        found = [p for p in raised.value.problems if "stuurteken" in p.message]
        assert [(p.line, p.column) for p in found] == [(line, column)], path
        assert found[0].message.startswith(_json_path(path) + ": "), path
        assert no_control(str(raised.value))


def test_import_refuses_a_hostile_referral_name(
    handover: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    handover["verwijzingen"][0]["naam"] = "Budget\x1b]52;c;cm0gLXJmIH4K\x07"
    file = tmp_path / "overdracht.json"
    file.write_text(json.dumps(handover, indent=2), "utf-8")
    other = tmp_path / "ander"
    assert main(["--data-dir", str(other), "import", str(file)]) == 1
    out, err = capsys.readouterr()
    assert f"{file}:" in err and "verwijzingen[1].naam: bevat een stuurteken" in err
    assert no_control(out + err)
    assert main(["controleer", str(file)]) == 1
    out, err = capsys.readouterr()
    assert "verwijzingen[1].naam: bevat een stuurteken" in err and "in orde" not in out
    assert no_control(out + err)


# --- what the command line writes ---------------------------------------------------------


def no_escape(text: str) -> bool:
    """No byte that steers a terminal: ESC, BEL, DEL or a C1 code (line ends may be CRLF)."""
    return not {"\x1b", "\x07", "\x7f", *map(chr, range(0x80, 0xA0))} & set(text)


HOSTILE_NAME = "Budget\x1b]52;c;cm0gLXJmIH4K\x07\x1b]0;gekaapt\x07[@click=app.quit]klik[/]"


@pytest.fixture
def hostile_household(store: Store) -> Store:
    """The invented household with a referral whose name came in before names were checked
    (an old hand-over or sociale kaart), and a note kept from an old version: escapes and
    markup in the database."""
    from household_data import T1

    _, second = build(store)
    from sqlmodel import Session

    from wijkgesprek.store.models import Note

    with Session(store.engine) as session:  # the visit is finished: as an old version wrote
        session.add(Note(visit_id=second, topic="dromen", text=HOSTILE_NAME, updated_at=T1))
        session.commit()
    store.run(
        repo.add_referral,
        visit_id=second,
        naam=HOSTILE_NAME,
        soort="dienst\x1b[31m",
        wijk="Noord",
        themes=["geldzorgen"],
        contact="06-12345678\x9b31m",
        now=T1,
    )
    return store


@pytest.mark.parametrize(
    "args",
    [
        ["export", CODE],
        ["export", CODE, "--soort", "gezin"],
        ["export", CODE, "--soort", "overdracht"],
        ["vervolg", "--formaat", "ics", "--alles"],
        ["vervolg", "--alles"],
    ],
    ids=["dossier", "gezin", "overdracht", "ics", "vervolg"],
)
def test_exports_never_write_an_escape(
    hostile_household: Store, args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(args) == 0
    out, err = capsys.readouterr()
    assert no_escape(out + err)
    if args[-1] in (CODE, "gezin"):
        assert "@click=app.quit" in out  # shown, as text


def test_an_exported_hand_over_is_read_again(
    hostile_household: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """What the app writes is never refused by the app: old escapes leave as symbols."""
    file = tmp_path / "overdracht.json"
    assert main(["export", CODE, "--soort", "overdracht", "--uitvoer", str(file)]) == 0
    assert main(["controleer", str(file)]) == 0
    assert main(["--data-dir", str(tmp_path / "ander"), "import", str(file)]) == 0
    out, err = capsys.readouterr()
    assert no_escape(out + err)


def test_import_differences_never_write_an_escape(
    hostile_household: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    history = hostile_household.run(repo.get_household, code=CODE)
    data = json.loads(
        dumps(to_handover(history, extras=hostile_household.run(referral_extras, code=CODE)))
    )
    for referral in data["verwijzingen"]:
        referral["contact"] = "0800-0000000"
    for visit in data["bezoeken"]:
        visit["notities"] = {topic: text + " Anders." for topic, text in visit["notities"].items()}
    file = tmp_path / "overdracht.json"
    file.write_text(json.dumps(data, indent=2), "utf-8")
    assert main(["import", str(file)]) == 1  # differences: nothing taken over
    out, err = capsys.readouterr()
    assert "bezoeken[2].notities.dromen" in out, err
    assert no_escape(out + err)


def test_suggesties_writes_names_literally(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Even a sociale kaart that was never checked (a cache from before the check) is
    written as text: every field of an offer, in the table and in --json."""
    import dataclasses

    from wijkgesprek.content import network as network_module

    themes = [theme.id for theme in load_guide(paths.shipped_questions()).themes]
    real, _ = load_network([paths.shipped_network()], themes=themes, today=date(2026, 11, 25))

    def hostile(entry: Any) -> Any:
        return dataclasses.replace(
            entry, naam=entry.naam + HOSTILE_NAME + "\x9b1m", soort=entry.soort + "\x1b[31m"
        )

    spoiled = dataclasses.replace(real, entries=tuple(map(hostile, real.entries)))
    monkeypatch.setattr(network_module, "load_network", lambda *a, **k: (spoiled, []))
    for extra in ([], ["--json"]):
        args = ["suggesties", "--thema", "geldzorgen", "--wijk", "Noord", *extra]
        assert main(args) == 0
        out, err = capsys.readouterr()
        assert "[@click=app.quit]klik[/]" in out
        assert no_escape(out + err)
