"""Tests for the practice cases (content.cases) and the shared word list (content.words)."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from helpers import assert_refused_at

from wijkgesprek import paths
from wijkgesprek.content.cases import cases_to_json, is_cases_file, load_cases
from wijkgesprek.content.model import HiddenFact, Person, PracticeHousehold, Scale, TopicAnswers
from wijkgesprek.content.questions import REQUIRED_TOPICS, load_guide
from wijkgesprek.content.words import is_words_file, load_words, words_to_json
from wijkgesprek.errors import ContentError

DATA = Path(__file__).resolve().parent.parent / "data"
SHIPPED_CASES = DATA / "cases.yaml"
SHIPPED_WORDS = DATA / "woorden.yaml"


def write(tmp_path: Path, text: str, name: str = "casussen.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


# --- the shipped cases ---------------------------------------------------------------------


def test_shipped_cases_load_and_are_rich_enough() -> None:
    topic_ids = [topic.id for topic in load_guide(DATA / "questions.yaml").topics]
    cases = load_cases(SHIPPED_CASES, topic_ids=topic_ids)
    assert len(cases.cases) >= 6
    codes = [case.huishouden.code for case in cases.cases]
    assert len(set(codes)) == len(codes)
    for case in cases.cases:
        assert case.titel and case.intake and case.goed_gesprek, case.id
        assert len(case.verborgen) >= 1, case.id
        present = [person for person in case.personen if person.aanwezig]
        assert present and len(case.personen) >= 2, case.id
        main = present[0]
        assert len(main.antwoorden) >= 5, case.id
        assert all(1 <= len(answers.lines) <= 6 for answers in main.antwoorden), case.id
        assert all(person.schaal is not None for person in present), case.id
        for fact in case.verborgen:
            assert fact.sleutelwoorden, case.id
            assert any(
                person.answers(fact.onderwerp)
                for person in present
                if not fact.wie or person.id in fact.wie
            ), (case.id, fact.onderwerp)


def test_shipped_cases_cover_the_issue() -> None:
    cases = load_cases(SHIPPED_CASES, topic_ids=REQUIRED_TOPICS)
    ids = {case.id for case in cases.cases}
    assert {
        "moeder-twee-kinderen",
        "vader-met-schulden",
        "verwijzing-jeugdzorg",
        "tiener-niet-gehoord",
        "nieuw-zonder-netwerk",
        "mantelzorg-zieke-moeder",
    } <= ids
    assert any(fact.soort == "veiligheid" for case in cases.cases for fact in case.verborgen)
    pre_coloured = cases.case("verwijzing-jeugdzorg").personen[0].answers("kennismaking")[0]
    assert "verwijzing naar jeugdzorg" in pre_coloured
    teen = cases.case("tiener-niet-gehoord").person("dochter")
    assert teen is not None and not teen.aanwezig and teen.kind
    barrier = cases.case("nieuw-zonder-netwerk")
    assert barrier.tolk and any(person.tolk for person in barrier.personen)
    # A fact only one person knows, and a child who knows something the parents do not.
    assert any(len(fact.wie) == 1 for case in cases.cases for fact in case.verborgen)
    child = cases.case("verwijzing-jeugdzorg").person("zoon")
    assert child is not None and child.kind and child.aanwezig
    assert set(cases.words.moeten) == {"moet", "moeten", "moest", "moesten", "gemoeten"}
    assert {"adhd", "autist", "probleemgezin", "multiprobleemgezin", "zorgmijder", "lvb"} <= set(
        cases.words.labels
    )


def test_shipped_key_words_are_no_labels_nor_common_words() -> None:
    """A fact's key words must not be found by words every question holds, and a label
    must never be the way to a fact (a label makes a person guarded)."""
    cases = load_cases(SHIPPED_CASES)
    common = ("moeder", "vader", "veiligheid", "gesprek", "weekend", "moet", "moeten", "hoe")
    for case in cases.cases:
        for fact in case.verborgen:
            for key in fact.sleutelwoorden:
                assert not any(word.startswith(key.lower()) for word in common), (case.id, key)
                assert key.lower() not in cases.words.labels, (case.id, key)


def test_cases_to_json_and_is_cases_file(tmp_path: Path) -> None:
    cases = load_cases(SHIPPED_CASES)
    data = cases_to_json(cases)
    assert json.loads(json.dumps(data)) == data
    listed = data["casussen"]
    assert isinstance(listed, list)
    assert [case["id"] for case in listed] == [case.id for case in cases.cases]
    assert listed[0]["personen"]["vader"]["aanwezig"] is False
    assert is_cases_file(SHIPPED_CASES)
    assert not is_cases_file(SHIPPED_WORDS)
    assert not is_cases_file(DATA / "questions.yaml")
    assert not is_cases_file(tmp_path / "bestaat-niet.yaml")
    assert is_words_file(SHIPPED_WORDS) and not is_words_file(SHIPPED_CASES)


def test_case_and_person_lookup() -> None:
    cases = load_cases(SHIPPED_CASES)
    case = cases.case("vader-met-schulden")
    assert case.huishouden.code == "OEF-02"
    assert case.stemmen == ("vader", "dochter", "moeder")
    assert case.person("vader") is not None and case.person("niemand") is None
    assert case.personen[0].answers("onbekend") == ()
    with pytest.raises(KeyError):
        cases.case("bestaat-niet")


# --- the shared word list -------------------------------------------------------------------


def test_shipped_words_load() -> None:
    words = load_words(SHIPPED_WORDS)
    assert {"wat", "hoe", "vertel"} <= set(words.vragen.open)
    assert {"heeft", "bent", "is"} <= set(words.vragen.gesloten)
    assert words.bewaakt_beurten == 3
    assert "Ik voel me een beetje beoordeeld." in words.volwassene.of("label")
    assert words.kind.of("bewaakt") and words.kind.of("bewaakt") != words.volwassene.of("bewaakt")
    assert all("{cijfer}" in line for line in words.volwassene.of("cijfer"))
    data = words_to_json(words)
    assert json.loads(json.dumps(data)) == data


WORDS = SHIPPED_WORDS.read_text(encoding="utf-8")


def words_variant(old: str, new: str) -> str:
    assert WORDS.count(old) == 1, old
    return WORDS.replace(old, new)


def line_of(text: str, fragment: str) -> int:
    return text[: text.index(fragment)].count("\n") + 1


BAD_WORDS = [
    pytest.param(
        words_variant("  waarom: [waarom]", "  warom: [waarom]"),
        "warom", 3, ["onbekende sleutel 'warom'", "bedoelde je 'waarom'?"],
        id="unknown-form",
    ),
    pytest.param(
        words_variant("bewaakt-beurten: 3", "bewaakt-beurten: drie"),
        "bewaakt-beurten: drie", 18, ["'bewaakt-beurten'", "heel getal", "'drie'"],
        id="guarded-not-a-number",
    ),
    pytest.param(
        words_variant('    cijfer: ["Een {cijfer}."]', '    cijfer: ["Een cijfer."]'),
        'cijfer: ["Een cijfer."]', 14, ["'cijfer'", "{cijfer}"],
        id="number-line-without-number",
    ),
    pytest.param(
        words_variant('    sturend: ["Ja, zal wel."]\n', ""),
        "  kind:\n", 3, ["verplichte sleutel 'sturend' ontbreekt", "'kind'"],
        id="missing-reaction-for-children",
    ),
    pytest.param(
        words_variant("  moeten: [moet, moeten,", "  moeten: [moet, Moet,"),
        "Moet,", 18, ["'Moet' staat twee keer in 'moeten'"],
        id="duplicate-word",
    ),
    pytest.param(
        words_variant("versie: 1", "versie: 2"),
        "versie: 2", 9, ["onbekende versie '2'"],
        id="unknown-version",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("content", "at", "column", "fragments"), BAD_WORDS)
def test_bad_words_file_reports_file_line_column_and_key(
    tmp_path: Path, content: str, at: str, column: int, fragments: list[str]
) -> None:
    path = write(tmp_path, content, "woorden.yaml")
    line = line_of(content, at)
    with pytest.raises(ContentError) as caught:
        load_words(path)
    matching = [p for p in caught.value.problems if all(f in p.message for f in fragments)]
    assert matching, str(caught.value)
    assert (matching[0].file, matching[0].line, matching[0].column) == (path, line, column), str(
        caught.value
    )
    assert f"{path}:{line}:{column}: " in str(caught.value)


# --- bad case files -------------------------------------------------------------------------

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
          stress: [Het is veel.]
        schaal: {cijfer: 6, reden: Een 6 want het gaat.}
      zoon:
        wie: zoon (2)
        kind: ja
        aanwezig: nee
    verborgen:
      - feit: Slaapt slecht.
        onderwerp: stress
        sleutelwoorden: [slaap]
        wie: [moeder]
    goed_gesprek: [stress]
"""


def variant(old: str, new: str) -> str:
    assert GOOD.count(old) == 1, old
    return GOOD.replace(old, new)


def test_good_minimal_file_loads(tmp_path: Path) -> None:
    cases = load_cases(write(tmp_path, GOOD), topic_ids=REQUIRED_TOPICS)
    case = cases.cases[0]
    assert case.verborgen == (HiddenFact("Slaapt slecht.", "stress", ("slaap",), wie=("moeder",)),)
    assert case.huishouden == PracticeHousehold("OEF-01", "Noord", (2,))
    assert case.personen == (
        Person(
            "moeder",
            "moeder",
            (TopicAnswers("stress", ("Het is veel.",)),),
            schaal=Scale(6, "Een 6 want het gaat."),
        ),
        Person("zoon", "zoon (2)", aanwezig=False, kind=True),
    )
    assert (case.source, case.line) == (tmp_path / "casussen.yaml", 3)


BAD_FILES = [
    pytest.param(
        GOOD + "  oefen:\n    titel: Nog een keer\n",
        25, 3, ["'oefen'", "twee keer", "eerder op regel 3"],
        id="duplicate-case-id",
    ),
    pytest.param(
        variant("    titel: Oefen\n", "    titl: Oefen\n"),
        4, 5, ["onbekende sleutel 'titl'", "bij casus 'oefen'", "bedoelde je 'titel'?"],
        id="unknown-key-in-case",
    ),
    pytest.param(
        variant("    titel: Oefen\n", ""),
        3, 3, ["verplichte sleutel 'titel' ontbreekt", "bij casus 'oefen'"],
        id="missing-key",
    ),
    pytest.param(
        variant("          stress: [Het is veel.]", "          stres: [Het is veel.]"),
        13, 11, ["onbekend onderwerp 'stres'", "bedoelde je 'stress'?"],
        id="unknown-topic-in-answers",
    ),
    pytest.param(
        variant(
            "          stress: [Het is veel.]",
            "          stress:\n            - Het is veel.\n            -",
        ),
        15, 14, ["item 2 van 'stress'", "mag niet leeg zijn"],
        id="empty-answer-line",
    ),
    pytest.param(
        variant(
            "      moeder:\n        antwoorden:\n          stress: [Het is veel.]\n",
            "      moeder:\n        wie: moeder\n",
        ),
        11, 7, ["verplichte sleutel 'antwoorden' ontbreekt", "persoon 'moeder'"],
        id="present-person-without-lines",
    ),
    pytest.param(
        variant("        aanwezig: nee", "        aanwezig: soms"),
        18, 19, ["'aanwezig' is ja of nee", "'soms'"],
        id="present-not-yes-or-no",
    ),
    pytest.param(
        variant("        kind: ja\n", "        kind: ja\n        tolk: ja\n"),
        18, 9, ["'tolk: ja'", "geen 'tolk: ja'"],
        id="interpreter-without-case-interpreter",
    ),
    pytest.param(
        variant("{cijfer: 6,", "{cijfer: 11,"),
        14, 26, ["'cijfer'", "0 tot en met 10", "'11'"],
        id="scale-out-of-range",
    ),
    pytest.param(
        variant("        wie: [moeder]", "        wie: [moder]"),
        23, 15, ["onbekende persoon 'moder'", "bedoelde je 'moeder'?"],
        id="fact-of-an-unknown-person",
    ),
    pytest.param(
        variant("        wie: [moeder]", "        wie: [zoon]"),
        21, 20, ["kan nooit verteld worden", "'stress'"],
        id="fact-only-an-absent-person-knows",
    ),
    pytest.param(
        variant("kinderen: [2]", "kinderen: [2, 0-4]"),
        9, 21, ["'0-4' in 'kinderen' bij casus 'oefen' is een leeftijdsgroep", "hele jaren"],
        id="old-age-group",
    ),
    pytest.param(
        variant("code: OEF-01", "code: Jansen"),
        7, 13, ["'code'", "geen gezinscode", "nooit een naam"],
        id="code-is-not-a-household-code",
    ),
    pytest.param(
        variant("goed_gesprek: [stress]", "goed_gesprek: [stress, droomen]"),
        24, 28, ["onbekend onderwerp 'droomen'", "goed_gesprek", "bedoelde je 'dromen'?"],
        id="unknown-topic-in-goed-gesprek",
    ),
    pytest.param(
        variant("        sleutelwoorden: [slaap]\n", ""),
        20, 9, ["verplichte sleutel 'sleutelwoorden' ontbreekt", "feit 1 van 'verborgen'"],
        id="hidden-fact-without-key-words",
    ),
    pytest.param(
        variant("        onderwerp: stress\n", "        onderwerp: slaap\n"),
        21, 9, ["onbekend onderwerp 'slaap'"],
        id="unknown-topic-of-hidden-fact",
    ),
    pytest.param(
        variant("[slaap]\n", "[slaap]\n        soort: veilig\n"),
        23, 16, ["onbekende soort 'veilig'", "bedoelde je 'veiligheid'?"],
        id="unknown-kind-of-hidden-fact",
    ),
    pytest.param(
        variant("versie: 2", "versie: 1"),
        1, 9, ["versie 1", "'versie: 2'", "personen"],
        id="old-version",
    ),
    pytest.param(
        variant("versie: 2\n", "versie: 2\nwoorden:\n  moeten: [moet]\n"),
        2, 1, ["'woorden'", "gedeelde woordenlijst"],
        id="words-in-a-case-file",
    ),
    pytest.param(
        GOOD + variant("  oefen:\n", "  tweede:\n").split("casussen:\n")[1],
        29, 13, ["gezinscode 'OEF-01'", "ook gebruikt bij casus 'oefen'"],
        id="duplicate-household-code",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("content", "line", "column", "fragments"), BAD_FILES)
def test_bad_file_reports_file_line_column_and_key(
    tmp_path: Path, content: str, line: int, column: int, fragments: list[str]
) -> None:
    path = tmp_path / "casussen.yaml"
    path.write_text(content, encoding="utf-8")
    assert_refused_at(
        lambda: load_cases(path, topic_ids=REQUIRED_TOPICS), path, line, column, fragments
    )


def test_all_problems_are_reported_in_file_order(tmp_path: Path) -> None:
    content = variant("versie: 2", "versie: 3")
    content = content.replace("kinderen: [2]", "kinderen: [tiener]")
    content = content.replace("goed_gesprek: [stress]", "goed_gesprek: [onzin]")
    with pytest.raises(ContentError) as caught:
        load_cases(write(tmp_path, content))
    lines = [problem.line for problem in caught.value.problems]
    assert lines == [1, 9, 24], str(caught.value)


def test_team_topics_are_allowed_when_passed(tmp_path: Path) -> None:
    content = variant("          stress: [Het is veel.]", "          geldzaken: [Het is krap.]")
    content = content.replace("onderwerp: stress", "onderwerp: geldzaken")
    path = write(tmp_path, content)
    with pytest.raises(ContentError):
        load_cases(path)
    cases = load_cases(path, topic_ids=[*REQUIRED_TOPICS, "geldzaken"])
    assert cases.cases[0].personen[0].answers("geldzaken") == ("Het is krap.",)


# --- a trainer's own cases, next to the shipped ones ---------------------------------------


def own_case(code: str = "OEF-07", case_id: str = "eigen") -> str:
    return variant("  oefen:\n", f"  {case_id}:\n").replace("OEF-01", code)


def test_a_trainers_file_adds_cases_and_reuses_the_word_list(tmp_path: Path) -> None:
    own = write(tmp_path, own_case())
    cases = load_cases([SHIPPED_CASES, own])
    assert [case.id for case in cases.cases][-1] == "eigen"
    assert len(cases.cases) == len(load_cases(SHIPPED_CASES).cases) + 1
    assert cases.words == load_words(paths.shipped_words())
    assert cases.case("eigen").source == own
    assert cases.sources == (SHIPPED_CASES, own)


@pytest.mark.parametrize(
    ("content", "fragments", "column"),
    [
        (own_case(code="OEF-03"), ["'OEF-03'", "verwijzing-jeugdzorg", "cases.yaml"], 13),
        (own_case(case_id="vader-met-schulden"), ["'vader-met-schulden' staat ook in"], 3),
    ],
    ids=["code-used-twice", "id-used-twice"],
)  # fmt: skip
def test_a_code_or_id_used_in_two_files_is_a_problem_in_the_later_file(
    tmp_path: Path, content: str, fragments: list[str], column: int
) -> None:
    own = write(tmp_path, content)
    with pytest.raises(ContentError) as caught:
        load_cases([SHIPPED_CASES, own])
    (problem,) = caught.value.problems
    assert problem.file == own and problem.column == column
    assert problem.line == (7 if column == 13 else 3)
    assert all(fragment in problem.message for fragment in fragments), problem.message


def test_controleer_checks_the_shipped_files_and_a_trainers_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from wijkgesprek.cli import main

    assert main(["controleer", str(SHIPPED_CASES), str(SHIPPED_WORDS)]) == 0
    out = capsys.readouterr().out
    assert f"{SHIPPED_CASES}: in orde" in out and f"{SHIPPED_WORDS}: in orde" in out
    assert main(["controleer", "--json", str(SHIPPED_CASES)]) == 0
    assert "OEF-01" in capsys.readouterr().out
    own = write(tmp_path, own_case())
    assert main(["controleer", "--json", str(own)]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert [case["id"] for case in shown["casussen"]] == ["eigen"]
    clash = write(tmp_path, own_case(code="OEF-02"), "botsing.yaml")
    assert main(["controleer", str(clash)]) == 1
    assert f"{clash}:7:13: gezinscode 'OEF-02'" in capsys.readouterr().err
