"""The netwerkkaart section of the conversation guide: groups (which are informal), kinds
of help with their themes, closeness, energy and suggested roles; checked by
``controleer`` with file:line:column like the rest of the guide."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_safety_content import MINIMAL, assert_reported, write

from wijkgesprek.cli import main
from wijkgesprek.content.model import CLOSE, COSTS, FAR, GIVES
from wijkgesprek.content.questions import load_guide

SHIPPED_GUIDE = Path(__file__).resolve().parent.parent / "data" / "questions.yaml"

SECTION = """\
netwerkkaart:
  groepen:
    familie:
      naam: Familie
      informeel: ja
    hulpverlening:
      naam: Hulpverlening
      informeel: nee
  hulp:
    praktisch:
      naam: Praktische hulp
      thema's: [geldzorgen]
    gezelschap:
      naam: Gezelschap
  afstand:
    dichtbij: Heel dichtbij
    verder-weg: Wat verder weg
  rollen:
    oma: familie
    huisarts: hulpverlening
"""
"""Appended to the minimal guide (42 lines): netwerkkaart on line 43, groepen 44,
familie 45 (informeel 47), hulpverlening 48, hulp 51, praktisch 52 (thema's 54),
afstand 57, rollen 60 (oma 61)."""
GUIDE = MINIMAL + SECTION


def test_the_line_numbers_in_the_docstring_hold() -> None:
    lines = GUIDE.splitlines()
    assert len(MINIMAL.splitlines()) == 42
    expected = {43: "netwerkkaart:", 45: "    familie:", 51: "  hulp:", 57: "  afstand:"}
    for number, start in {
        **expected,
        54: "      thema's: [geldzorgen]",
        61: "    oma: familie",
    }.items():
        assert lines[number - 1] == start


def test_the_section_is_read(tmp_path: Path) -> None:
    network = load_guide(write(tmp_path, GUIDE)).network
    assert [(g.id, g.naam, g.informal) for g in network.groups] == [
        ("familie", "Familie", True),
        ("hulpverlening", "Hulpverlening", False),
    ]
    assert [(h.id, h.themes) for h in network.helps] == [
        ("praktisch", ("geldzorgen",)),
        ("gezelschap", ()),
    ]
    assert network.closeness_text(CLOSE) == "Heel dichtbij"
    assert network.closeness_text(FAR) == "Wat verder weg"
    assert network.energy_text(COSTS) == "Kost energie"  # the app's words: not in the file
    assert network.role_group("Oma") == "familie" and network.role_group("buurman") == ""


def test_without_the_section_the_apps_words_are_used_with_this_guides_themes(
    tmp_path: Path,
) -> None:
    network = load_guide(write(tmp_path, MINIMAL)).network
    assert [g.id for g in network.groups][:3] == ["familie", "vrienden", "buurt"]
    assert {t for h in network.helps for t in h.themes} <= {"geldzorgen", "schulden"}
    assert network.energy_text(GIVES) == "Geeft energie"


def test_the_shipped_guide_has_the_kinds_of_help_of_the_issue_and_informal_groups() -> None:
    guide = load_guide(SHIPPED_GUIDE)
    network = guide.network
    assert [h.id for h in network.helps] == [
        "praktisch",
        "emotioneel",
        "informatie",
        "gezelschap",
        "veiligheid",
    ]
    informal = {g.id for g in network.groups if g.informal}
    assert informal == {"familie", "vrienden", "buurt", "vrije-tijd"}
    assert network.role_group("buurvrouw") == "buurt"
    assert network.role_group("huisarts") == "hulpverlening"
    covered = {t for h in network.helps for t in h.themes}
    assert covered == {theme.id for theme in guide.themes}  # every theme has its kind of help


def test_controleer_json_prints_the_section(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["controleer", str(write(tmp_path, GUIDE)), "--json"]) == 0
    read = json.loads(capsys.readouterr().out)
    assert read["netwerkkaart"]["groepen"][0] == {
        "id": "familie",
        "naam": "Familie",
        "informeel": True,
    }
    assert read["netwerkkaart"]["rollen"] == {"oma": "familie", "huisarts": "hulpverlening"}


BAD_EDITS = [
    pytest.param(
        "netwerkkaart:\n", "netwerkkart:\n",
        43, 1, ["onbekende sleutel 'netwerkkart' bovenaan", "bedoelde je 'netwerkkaart'?"],
        id="misspelt-section",
    ),
    pytest.param(
        "      informeel: ja\n", "      informeel: misschien\n",
        47, 18, ["'informeel' is ja of nee"],
        id="informeel-not-yes-or-no",
    ),
    pytest.param(
        "      informeel: ja\n", "      informeel: nee\n",
        44, 3, ["minstens één groep heeft 'informeel: ja'"],
        id="no-informal-group",
    ),
    pytest.param(
        "    familie:\n      naam: Familie\n", "    Familie!:\n      naam: Familie\n",
        45, 5, ["groep-id 'Familie!' mag alleen kleine letters"],
        id="bad-group-id",
    ),
    pytest.param(
        "      thema's: [geldzorgen]\n", "      thema's: [geldzorgn]\n",
        54, 17, ["onbekend thema 'geldzorgn' bij hulp 'praktisch'", "bedoelde je 'geldzorgen'?"],
        id="unknown-theme",
    ),
    pytest.param(
        "    gezelschap:\n      naam: Gezelschap\n", "    gezelschap:\n      titel: Gezelschap\n",
        56, 7, ["onbekende sleutel 'titel' bij hulp 'gezelschap'"],
        id="unknown-key-in-help",
    ),
    pytest.param(
        "    verder-weg: Wat verder weg\n", "    ver-weg: Wat verder weg\n",
        59, 5, ["onbekende sleutel 'ver-weg' bij 'afstand'", "'dichtbij' en 'verder-weg'"],
        id="unknown-closeness",
    ),
    pytest.param(
        "    verder-weg: Wat verder weg\n", "",
        57, 3, ["'verder-weg' ontbreekt bij 'afstand'"],
        id="missing-closeness",
    ),
    pytest.param(
        "    oma: familie\n", "    oma: famlie\n",
        61, 10, ["onbekende groep 'famlie' bij rol 'oma'", "bedoelde je 'familie'?"],
        id="role-with-unknown-group",
    ),
    pytest.param(
        "  hulp:\n    praktisch:", "  help:\n    praktisch:",
        51, 3, ["onbekende sleutel 'help' bij 'netwerkkaart'"],
        id="misspelt-hulp",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new", "line", "column", "fragments"), BAD_EDITS)
def test_a_bad_netwerkkaart_is_reported_with_file_line_column_and_key(
    tmp_path: Path, old: str, new: str, line: int, column: int, fragments: list[str]
) -> None:
    assert_reported(tmp_path, GUIDE, old, new, (line, column), fragments)


def test_controleer_names_the_file_line_and_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, GUIDE.replace("    oma: familie\n", "    oma: famlie\n"))
    assert main(["controleer", str(path)]) != 0
    err = capsys.readouterr().err
    assert f"{path}:61:10: onbekende groep 'famlie' bij rol 'oma'" in err
