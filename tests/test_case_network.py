"""A practice case's network (``netwerk`` in a cases file, content.case_network): read,
checked against the guide's netwerkkaart, every problem with file, line, column and key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import assert_refused_at

from wijkgesprek.content.cases import cases_to_json, load_cases
from wijkgesprek.content.model import (
    FAR,
    REQUIRED_TOPICS,
    CaseNetworkPerson,
    NetworkGroup,
    NetworkGuide,
)
from wijkgesprek.errors import ContentError

GOOD = """\
versie: 2
casussen:
  oefen:
    titel: Oefen
    intake: Een gezin.
    huishouden:
      code: OEF-01
      wijk: Noord
      kinderen: [2]
    personen:
      moeder:
        antwoorden:
          netwerk: [Ik ken hier weinig mensen.]
      zoon:
        wie: zoon (2)
        kind: ja
        aanwezig: nee
    netwerk:
      - rol: zus
        groep: familie
        hulp: [emotioneel, praktisch]
        afstand: verder-weg
        kan_meer: ja
        vertelt: Mijn zus belt elke week. Ze zou best eens willen oppassen.
        sleutelwoorden: [familie, zus, bellen]
        wie: [moeder]
      - rol: buurvrouw
        groep: buurt
        afstand: dichtbij
        vertelt: De buurvrouw groet altijd.
        sleutelwoorden: [buren, buurvrouw]
    goed_gesprek: [netwerk]
    verborgen:
      - feit: Ze mist haar zus.
        onderwerp: netwerk
        sleutelwoorden: [missen]
"""


def variant(old: str, new: str) -> str:
    assert GOOD.count(old) == 1, old
    return GOOD.replace(old, new)


def test_a_case_network_is_read(tmp_path: Path) -> None:
    path = tmp_path / "casussen.yaml"
    path.write_text(GOOD, encoding="utf-8")
    case = load_cases(path, topic_ids=REQUIRED_TOPICS).cases[0]
    assert case.netwerk == (
        CaseNetworkPerson(
            rol="zus",
            groep="familie",
            vertelt="Mijn zus belt elke week. Ze zou best eens willen oppassen.",
            sleutelwoorden=("familie", "zus", "bellen"),
            hulp=("emotioneel", "praktisch"),
            afstand=FAR,
            kan_meer=True,
            wie=("moeder",),
        ),
        CaseNetworkPerson(
            rol="buurvrouw",
            groep="buurt",
            vertelt="De buurvrouw groet altijd.",
            sleutelwoorden=("buren", "buurvrouw"),
        ),
    )
    shown = cases_to_json(load_cases(path, topic_ids=REQUIRED_TOPICS))
    assert json.loads(json.dumps(shown)) == shown
    listed = shown["casussen"]
    assert isinstance(listed, list)
    assert listed[0]["netwerk"][0] == {
        "rol": "zus",
        "groep": "familie",
        "hulp": ["emotioneel", "praktisch"],
        "afstand": "verder-weg",
        "kan_meer": True,
        "vertelt": "Mijn zus belt elke week. Ze zou best eens willen oppassen.",
        "sleutelwoorden": ["familie", "zus", "bellen"],
        "wie": ["moeder"],
    }


def test_a_case_without_network_has_none(tmp_path: Path) -> None:
    start, end = GOOD.index("\n    netwerk:\n") + 1, GOOD.index("    goed_gesprek")
    path = tmp_path / "casussen.yaml"
    path.write_text(GOOD[:start] + GOOD[end:], encoding="utf-8")
    assert load_cases(path, topic_ids=REQUIRED_TOPICS).cases[0].netwerk == ()


def test_the_ids_are_those_of_the_guide_in_use(tmp_path: Path) -> None:
    """A team's own netwerkkaart: its groups are the ones a case may use."""
    path = tmp_path / "casussen.yaml"
    path.write_text(GOOD, encoding="utf-8")
    own = NetworkGuide(groups=(NetworkGroup("familie", "Familie", True),))
    with pytest.raises(ContentError) as caught:
        load_cases(path, topic_ids=REQUIRED_TOPICS, network=own)
    (problem,) = caught.value.problems
    assert "onbekende groep 'buurt'" in problem.message and "familie" in problem.message


BAD_FILES = [
    pytest.param(
        variant("        groep: familie\n", "        groep: famillie\n"),
        20, 16, ["onbekende groep 'famillie'", "netwerk-persoon 1", "bedoelde je 'familie'?"],
        id="unknown-group",
    ),
    pytest.param(
        variant("[emotioneel, praktisch]", "[emotioneel, praktish]"),
        21, 28, ["onbekende soort hulp 'praktish'", "bedoelde je 'praktisch'?"],
        id="unknown-help",
    ),
    pytest.param(
        variant("afstand: verder-weg", "afstand: ver"),
        22, 18, ["onbekende afstand 'ver'", "dichtbij", "verder-weg"],
        id="unknown-closeness",
    ),
    pytest.param(
        variant("kan_meer: ja", "kan_meer: misschien"),
        23, 19, ["'kan_meer' is ja of nee", "'misschien'"],
        id="could-do-more-not-yes-or-no",
    ),
    pytest.param(
        variant("        wie: [moeder]\n", "        wie: [moder]\n"),
        26, 15, ["onbekende persoon 'moder'", "bedoelde je 'moeder'?"],
        id="unknown-person-who-knows",
    ),
    pytest.param(
        variant("        wie: [moeder]\n", "        wie: [zoon]\n"),
        26, 9, ["kan nooit verteld worden", "niemand die het weet, is aanwezig"],
        id="only-an-absent-person-knows",
    ),
    pytest.param(
        variant("        sleutelwoorden: [buren, buurvrouw]\n", ""),
        27, 9, ["verplichte sleutel 'sleutelwoorden' ontbreekt", "netwerk-persoon 2"],
        id="without-key-words",
    ),
    pytest.param(
        variant("      - rol: buurvrouw\n", "      - rol: buurvrouw Jansen, 06-12345678\n"),
        27, 14, ["'rol'", "netwerk-persoon 2", "telefoonnummer"],
        id="phone-number-in-the-role",
    ),
    pytest.param(
        variant("      - rol: buurvrouw\n", "      - rol: Zus\n"),
        27, 14, ["'Zus' staat twee keer in 'netwerk'"],
        id="the-same-role-twice",
    ),
    pytest.param(
        variant("        vertelt: De buurvrouw groet altijd.\n", "        vertellen: Ja.\n"),
        30, 9, ["onbekende sleutel 'vertellen'", "bedoelde je 'vertelt'?"],
        id="unknown-key",
    ),
    pytest.param(
        GOOD[: GOOD.index("\n    netwerk:") + 1]
        + "    netwerk: zus en buurvrouw\n"
        + GOOD[GOOD.index("    goed_gesprek"):],
        18, 14, ["'netwerk' moet een lijst"],
        id="not-a-list",
    ),
    pytest.param(
        GOOD[: GOOD.index("      - rol: zus")] + GOOD[GOOD.index("    goed_gesprek"):],
        18, 5, ["'netwerk' bij casus 'oefen' moet minstens één persoon bevatten"],
        id="empty-list",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("content", "line", "column", "fragments"), BAD_FILES)
def test_a_bad_network_reports_file_line_column_and_key(
    tmp_path: Path, content: str, line: int, column: int, fragments: list[str]
) -> None:
    path = tmp_path / "casussen.yaml"
    path.write_text(content, encoding="utf-8")
    assert_refused_at(
        lambda: load_cases(path, topic_ids=REQUIRED_TOPICS), path, line, column, fragments
    )


def test_controleer_and_oefenen_check_a_case_network_against_the_guide_in_use(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A team guide that calls the family 'gezin': the shipped cases' 'familie' is told,
    with the cases file, line and column, before any screen."""
    from wijkgesprek import paths
    from wijkgesprek.cli import main

    text = paths.shipped_questions().read_text(encoding="utf-8")
    old = "    familie:\n      naam: Familie\n"
    assert text.count(old) == 1
    text = text.replace(old, "    gezin:\n      naam: Gezin\n").replace(": familie\n", ": gezin\n")
    guide = tmp_path / "leidraad.yaml"
    guide.write_text(text, encoding="utf-8")
    cases = paths.shipped_cases()
    assert main(["--vragen", str(guide), "controleer", str(cases)]) == 1
    err = capsys.readouterr().err
    assert f"{cases}:" in err and "onbekende groep 'familie'" in err
    assert main(["--vragen", str(guide), "oefenen"]) != 0
    assert "onbekende groep 'familie'" in capsys.readouterr().err
