"""Tests for the practice cases (content.cases) and the reflection (domain.reflection)."""

from __future__ import annotations

import json
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest

from wijkgesprek.content.cases import (
    HiddenFact,
    PracticeCase,
    PracticeHousehold,
    TopicAnswers,
    Words,
    cases_to_json,
    is_cases_file,
    load_cases,
)
from wijkgesprek.content.questions import REQUIRED_TOPICS, load_guide
from wijkgesprek.domain.reflection import (
    Reflection,
    WordCount,
    escape_markdown,
    reflect,
    reflection_markdown,
)
from wijkgesprek.errors import ContentError

DATA = Path(__file__).resolve().parent.parent / "data"
SHIPPED_CASES = DATA / "cases.yaml"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "casussen.yaml"
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
        assert case.titel and case.intake, case.id
        assert len(case.verborgen) >= 1, case.id
        assert len(case.antwoorden) >= 4, case.id
        assert all(1 <= len(answers.lines) <= 6 for answers in case.antwoorden), case.id
        assert sum(len(a.lines) >= 3 for a in case.antwoorden) >= 4, case.id
        assert case.stemmen and case.goed_gesprek, case.id
        for fact in case.verborgen:
            assert fact.sleutelwoorden, case.id
            assert case.answers(fact.onderwerp), (case.id, fact.onderwerp)


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
    pre_coloured = cases.case("verwijzing-jeugdzorg").answers("kennismaking")[0]
    assert "verwijzing naar jeugdzorg" in pre_coloured
    assert set(cases.words.moeten) == {"moet", "moeten", "moest", "moesten", "gemoeten"}
    assert {"adhd", "autist", "probleemgezin", "multiprobleemgezin", "zorgmijder", "lvb"} <= set(
        cases.words.labels
    )


def test_shipped_cases_no_family_note_leaks_a_key_word_too_easily() -> None:
    """A fact's key words must not be found by words every note contains."""
    cases = load_cases(SHIPPED_CASES)
    for case in cases.cases:
        for fact in case.verborgen:
            for word in ("moeder", "vader", "veiligheid", "gesprek", "weekend", "sindsdien"):
                assert not any(word.startswith(key.lower()) for key in fact.sleutelwoorden), (
                    case.id,
                    fact.feit,
                    word,
                )


def test_cases_to_json_and_is_cases_file(tmp_path: Path) -> None:
    cases = load_cases(SHIPPED_CASES)
    data = cases_to_json(cases)
    assert json.loads(json.dumps(data)) == data
    listed = data["casussen"]
    assert isinstance(listed, list)
    assert [case["id"] for case in listed] == [case.id for case in cases.cases]
    assert is_cases_file(SHIPPED_CASES)
    assert not is_cases_file(DATA / "questions.yaml")
    assert not is_cases_file(DATA / "network.yaml")
    assert not is_cases_file(tmp_path / "bestaat-niet.yaml")


def test_case_lookup_by_id() -> None:
    cases = load_cases(SHIPPED_CASES)
    assert cases.case("vader-met-schulden").huishouden.code == "OEF-02"
    assert cases.case("vader-met-schulden").answers("onbekend") == ()
    with pytest.raises(KeyError):
        cases.case("bestaat-niet")


# --- bad files ------------------------------------------------------------------------------

GOOD = """\
versie: 1
woorden:
  moeten: [moet]
  labels: [adhd]
casussen:
  oefen:
    titel: Oefen
    intake: Een gezin.
    huishouden:
      code: OEF-01
      wijk: Noord
      kinderen: [2]
    antwoorden:
      stress: [Het is veel.]
    verborgen:
      - feit: Slaapt slecht.
        onderwerp: stress
        sleutelwoorden: [slaap]
    stemmen: [moeder]
    goed_gesprek: [stress]
"""


def variant(old: str, new: str) -> str:
    assert GOOD.count(old) == 1, old
    return GOOD.replace(old, new)


def test_good_minimal_file_loads(tmp_path: Path) -> None:
    cases = load_cases(write(tmp_path, GOOD), topic_ids=REQUIRED_TOPICS)
    assert cases.cases[0].verborgen == (HiddenFact("Slaapt slecht.", "stress", ("slaap",)),)
    assert cases.cases[0].huishouden == PracticeHousehold("OEF-01", "Noord", (2,))


BAD_FILES = [
    pytest.param(
        GOOD + "  oefen:\n    titel: Nog een keer\n",
        21, 3, ["'oefen'", "twee keer", "eerder op regel 6"],
        id="duplicate-case-id",
    ),
    pytest.param(
        variant("    titel: Oefen\n", "    titl: Oefen\n"),
        7, 5, ["onbekende sleutel 'titl'", "bij casus 'oefen'", "bedoelde je 'titel'?"],
        id="unknown-key-in-case",
    ),
    pytest.param(
        variant("    titel: Oefen\n", ""),
        6, 3, ["verplichte sleutel 'titel' ontbreekt", "bij casus 'oefen'"],
        id="missing-key",
    ),
    pytest.param(
        variant("      stress: [Het is veel.]", "      stres: [Het is veel.]"),
        14, 7, ["onbekend onderwerp 'stres'", "bedoelde je 'stress'?"],
        id="unknown-topic-in-answers",
    ),
    pytest.param(
        variant("      stress: [Het is veel.]", "      stress:\n        - Het is veel.\n        -"),
        16, 10, ["item 2 van 'stress'", "mag niet leeg zijn"],
        id="empty-answer-line",
    ),
    pytest.param(
        variant("kinderen: [2]", "kinderen: [2, 0-4]"),
        12, 21, ["'0-4' in 'kinderen' bij casus 'oefen' is een leeftijdsgroep", "hele jaren"],
        id="old-age-group",
    ),
    pytest.param(
        variant("kinderen: [2]", "kinderen: [2, elder]"),
        12, 21, ["onbekend in 'kinderen'", "'elder'", "bedoelde je 'elders'?"],
        id="unknown-in-kinderen",
    ),
    pytest.param(
        variant("kinderen: [2]", "kinderen: [2.5]"),
        12, 18, ["onbekend in 'kinderen'", "leeftijd in hele jaren"],
        id="decimal-comma-age",
    ),
    pytest.param(
        variant("code: OEF-01", "code: Jansen"),
        10, 13, ["'code'", "geen gezinscode", "nooit een naam"],
        id="code-is-not-a-household-code",
    ),
    pytest.param(
        variant("goed_gesprek: [stress]", "goed_gesprek: [stress, droomen]"),
        20, 28, ["onbekend onderwerp 'droomen'", "goed_gesprek", "bedoelde je 'dromen'?"],
        id="unknown-topic-in-goed-gesprek",
    ),
    pytest.param(
        variant("        sleutelwoorden: [slaap]\n", ""),
        16, 9, ["verplichte sleutel 'sleutelwoorden' ontbreekt", "feit 1 van 'verborgen'"],
        id="hidden-fact-without-key-words",
    ),
    pytest.param(
        variant("sleutelwoorden: [slaap]", "sleutelwoorden: []"),
        18, 9, ["'sleutelwoorden'", "minstens één"],
        id="hidden-fact-with-empty-key-words",
    ),
    pytest.param(
        variant("        onderwerp: stress\n", "        onderwerp: slaap\n"),
        17, 9, ["onbekend onderwerp 'slaap'"],
        id="unknown-topic-of-hidden-fact",
    ),
    pytest.param(
        variant("[slaap]\n", "[slaap]\n        soort: veilig\n"),
        19, 16, ["onbekende soort 'veilig'", "bedoelde je 'veiligheid'?"],
        id="unknown-kind-of-hidden-fact",
    ),
    pytest.param(
        variant("versie: 1", "versie: 2"),
        1, 9, ["onbekende versie '2'"],
        id="unknown-version",
    ),
    pytest.param(
        variant("  labels: [adhd]", "  labels: [adhd, ADHD]"),
        4, 18, ["'ADHD' staat twee keer in 'labels'"],
        id="duplicate-label",
    ),
    pytest.param(
        variant("  labels: [adhd]", "  label: [adhd]"),
        4, 3, ["onbekende sleutel 'label'", "bedoelde je 'labels'?"],
        id="unknown-key-in-words",
    ),
    pytest.param(
        variant(
            "    verborgen:\n      - feit: Slaapt slecht.\n        onderwerp: stress\n"
            "        sleutelwoorden: [slaap]\n",
            "    verborgen: []\n",
        ),
        15, 5, ["'verborgen'", "minstens één feit"],
        id="no-hidden-facts",
    ),
    pytest.param(
        GOOD + variant("  oefen:\n", "  tweede:\n").split("casussen:\n")[1],
        25, 13, ["gezinscode 'OEF-01'", "ook gebruikt bij casus 'oefen'"],
        id="duplicate-household-code",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("content", "line", "column", "fragments"), BAD_FILES)
def test_bad_file_reports_file_line_column_and_key(
    tmp_path: Path, content: str, line: int, column: int, fragments: list[str]
) -> None:
    path = tmp_path / "casussen.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_cases(path, topic_ids=REQUIRED_TOPICS)
    matching = [p for p in caught.value.problems if all(f in p.message for f in fragments)]
    assert matching, str(caught.value)
    problem = matching[0]
    assert problem.file == path
    assert (problem.line, problem.column) == (line, column), str(caught.value)
    assert f"{path}:{line}:{column}: " in str(caught.value)


def test_all_problems_are_reported_in_file_order(tmp_path: Path) -> None:
    content = variant("versie: 1", "versie: 3")
    content = content.replace("kinderen: [2]", "kinderen: [tiener]")
    content = content.replace("goed_gesprek: [stress]", "goed_gesprek: [onzin]")
    with pytest.raises(ContentError) as caught:
        load_cases(write(tmp_path, content))
    lines = [problem.line for problem in caught.value.problems]
    assert lines == [1, 12, 20], str(caught.value)


def test_team_topics_are_allowed_when_passed(tmp_path: Path) -> None:
    content = variant("      stress: [Het is veel.]", "      geldzaken: [Het is krap.]")
    path = write(tmp_path, content)
    with pytest.raises(ContentError):
        load_cases(path)
    cases = load_cases(path, topic_ids=[*REQUIRED_TOPICS, "geldzaken"])
    assert cases.cases[0].answers("geldzaken") == ("Het is krap.",)


# --- reflection -----------------------------------------------------------------------------

WORDS = Words(
    moeten=("moet", "moeten", "moest", "moesten", "gemoeten"),
    labels=("adhd", "probleemgezin", "multiprobleemgezin", "licht verstandelijk beperkt"),
)

CASE = PracticeCase(
    id="oefen",
    titel="Moeder met *twee* kinderen",
    intake="Een moeder.",
    huishouden=PracticeHousehold("OEF-01", "Noord", (2, 6)),
    antwoorden=(TopicAnswers("stress", ("Het is veel.",)),),
    verborgen=(
        HiddenFact("Slaapt slecht.", "stress", ("slaap", "nacht")),
        HiddenFact("Ruzie met de buren.", "netwerk", ("ruzie",)),
        HiddenFact("De oudste is bang thuis.", "veiligheid", ("bang",), "veiligheid"),
        HiddenFact("Huurachterstand.", "stress", ("huur",), "geld"),
    ),
    stemmen=("moeder", "vader", "kind"),
    goed_gesprek=("kennismaking", "stress", "netwerk", "dromen", "veiligheid", "afspraken"),
)


def run(
    notes: dict[str, str],
    *,
    touched: list[str] | None = None,
    kindcheck: bool = False,
    voices: tuple[str, ...] = (),
    suggestions: tuple[str, ...] = (),
    case: PracticeCase = CASE,
) -> Reflection:
    return reflect(
        case,
        notes=notes,
        touched=list(notes) if touched is None else touched,
        kindcheck_done=kindcheck,
        voices=voices,
        suggestions_used=suggestions,
        words=WORDS,
    )


def test_touched_and_skipped_topics_follow_guide_order() -> None:
    result = run({"afspraken": "", "stress": "", "kennismaking": ""})
    assert result.touched == ("kennismaking", "stress", "afspraken")
    assert result.skipped == ("netwerk", "dromen", "veiligheid")
    assert result.skipped_good == ("netwerk", "dromen", "veiligheid")
    assert not result.dreams_asked
    assert run({"dromen": "Ze wil werken."}).dreams_asked


def test_team_topic_touched_is_listed_after_the_guide() -> None:
    result = run({"geldzaken": "", "stress": ""})
    assert result.touched == ("stress", "geldzaken")
    assert "geldzaken" not in result.skipped


def test_kindcheck_and_voices() -> None:
    result = run({}, kindcheck=True, voices=("Moeder", " kind ", "oma"))
    assert result.kindcheck_needed and result.kindcheck_done
    assert result.voices_heard == ("moeder", "kind", "oma")
    assert result.voices_not_heard == ("vader",)
    assert not run({}).kindcheck_done


@pytest.mark.parametrize(
    ("note", "found"),
    [
        ("Ze slaapt slecht.", True),  # prefix
        ("Veel SLAAP tekort.", True),  # case
        ("'s Nachts wakker.", True),  # prefix after an apostrophe
        ("Geen uitslaapdagen.", False),  # not at the start of a word
        ("Ze zegt niets.", False),
    ],
)
def test_hidden_fact_found_by_prefix_word(note: str, found: bool) -> None:
    result = run({"stress": note})
    assert (CASE.verborgen[0] in result.facts_found) is found


def test_hidden_fact_found_ignoring_diacritics() -> None:
    result = run({"netwerk": "Er is RUZIË met de buren."})
    assert CASE.verborgen[1] in result.facts_found
    case = replace(CASE, verborgen=(HiddenFact("x", "netwerk", ("ruzië",)),))
    assert run({"netwerk": "ruzie"}, case=case).facts_found == case.verborgen


def test_hidden_fact_needs_its_topic_touched_and_its_own_note() -> None:
    # The word is in another topic's note: not found.
    assert CASE.verborgen[0] in run({"netwerk": "Slaapt slecht."}).facts_missed
    # The note exists but the topic was not touched: not found.
    result = run({"stress": "slaap"}, touched=["netwerk"])
    assert CASE.verborgen[0] in result.facts_missed


def test_found_and_missed_keep_case_order() -> None:
    result = run({"stress": "huur en slaap", "veiligheid": "Het kind is bang."})
    assert result.facts_found == (CASE.verborgen[0], CASE.verborgen[2], CASE.verborgen[3])
    assert result.facts_missed == (CASE.verborgen[1],)
    assert result.safety_facts_missed == ()
    assert run({}).safety_facts_missed == (CASE.verborgen[2],)


def test_word_counts_are_whole_words_only() -> None:
    result = run(
        {
            "stress": "Ze moet werken. Ze MOETEN verhuizen; het moest. Moetenstraat.",
            "netwerk": "Ontmoeting in de buurt; moe. Zoon heeft ADHD-medicatie.",
            "veiligheid": "Geen probleemgezin, wel multiprobleemgezin? Licht verstandelijk beperkt",
        }
    )
    assert result.moeten == (
        WordCount("moet", 1),
        WordCount("moeten", 1),
        WordCount("moest", 1),
    )
    assert result.moeten_total == 3
    assert result.labels == (
        WordCount("adhd", 1),
        WordCount("probleemgezin", 1),
        WordCount("multiprobleemgezin", 1),
        WordCount("licht verstandelijk beperkt", 1),
    )
    assert result.labels_total == 4


def test_word_counts_include_notes_of_untouched_topics() -> None:
    assert run({"stress": "moet"}, touched=[]).moeten_total == 1


def test_suggestions_are_kept_once_in_order() -> None:
    result = run({}, suggestions=("Taalcafé", "Buurthuis", "Taalcafé", " "))
    assert result.suggestions_used == ("Taalcafé", "Buurthuis")


def test_scripted_session_on_a_shipped_case() -> None:
    cases = load_cases(SHIPPED_CASES)
    case = cases.case("vader-met-schulden")
    result = reflect(
        case,
        notes={
            "kennismaking": "Vader wil hulp met de post. Hij moet rustig worden.",
            "stress": "Brieven, geen werk, schaamte. Recht op kwijtschelding?",
            "veiligheid": "Dochter (9) woont om de week bij hem. Koelkast soms leeg.",
        },
        touched=["kennismaking", "stress", "veiligheid"],
        kindcheck_done=True,
        voices=["vader"],
        suggestions_used=["Schuldhulpmaatje"],
        words=cases.words,
    )
    assert result.skipped == ("netwerk", "dromen", "afspraken")
    assert [fact.onderwerp for fact in result.facts_found] == ["veiligheid", "stress"]
    assert [fact.feit for fact in result.facts_missed] == [case.verborgen[1].feit]
    assert result.voices_not_heard == ("kind", "moeder")
    assert result.moeten_total == 1


# --- Markdown -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("gewoon", "gewoon"),
        ("*vet* en _schuin_", r"\*vet\* en \_schuin\_"),
        ("[link](x) `code` <b> #1 a\\b", r"\[link\](x) \`code\` \<b\> \#1 a\\b"),
        ("- lijst", r"\- lijst"),
        ("+ plus", r"\+ plus"),
        ("12. punt", r"12\. punt"),
        ("regel\n# kop", r"regel \# kop"),
        ("Tom & Jerry", r"Tom \& Jerry"),
    ],
)
def test_escape_markdown(text: str, escaped: str) -> None:
    assert escape_markdown(text) == escaped


TITLES = {topic.id: topic.titel for topic in load_guide(DATA / "questions.yaml").topics}


def test_markdown_has_all_sections_and_keeps_user_text_literal() -> None:
    result = run(
        {"stress": "slaap, moet", "veiligheid": "niets"},
        kindcheck=False,
        voices=("moeder",),
        suggestions=("- Taalcafé *De Brug*", "1. Buurthuis [Noord]"),
    )
    text = reflection_markdown(CASE, result, titles=TITLES)
    for heading in (
        r"# Reflectie oefengesprek: Moeder met \*twee\* kinderen",
        "## Onderwerpen",
        "## Dromen en hoop",
        "## Kindcheck",
        "## Stemmen",
        "## Verborgen feiten",
        "### Gevonden (1)",
        "### Gemist (3)",
        "## Woordkeuze",
        "## Netwerksuggesties",
    ):
        assert f"\n{heading}\n" in f"\n{text}", heading
    assert "- Besproken: Stress en zorgen, Veiligheid" in text
    assert "- Overgeslagen: Kennismaking en vraag, Netwerk en omgeving, Dromen en hoop" in text
    assert (
        "- Overgeslagen, terwijl het bij een goed gesprek hoort: Kennismaking en vraag, "
        "Netwerk en omgeving, Dromen en hoop, Afspraken" in text
    )
    assert "niet gevraagd naar dromen" in text
    assert "kindcheck is niet gedaan, terwijl er kinderen" in text
    assert "- Gehoord: moeder" in text and "- Niet gehoord: vader, kind" in text
    assert "- Slaapt slecht." in text
    assert "- De oudste is bang thuis. (veiligheid) (onderwerp: Veiligheid)" in text
    assert "U schreef 1 keer een vorm van 'moeten'." in text
    assert "- moet: 1×" in text
    assert "U gebruikte 0 keer een label of diagnose." in text
    assert r"- \- Taalcafé \*De Brug\*" in text
    assert r"- 1\. Buurthuis \[Noord\]" in text
    assert text.endswith("\n") and not text.endswith("\n\n")


def test_markdown_names_topics_as_the_guide_in_use_does() -> None:
    team = TITLES | {"stress": "Spanning & geldzorgen", "veiligheid": "Veilig opgroeien"}
    text = reflection_markdown(CASE, run({"stress": "slaap"}), titles=team)
    assert r"- Besproken: Spanning \& geldzorgen" in text
    assert "(veiligheid) (onderwerp: Veilig opgroeien)" in text
    assert "Stress en zorgen" not in text


def test_markdown_when_everything_was_done() -> None:
    notes = {topic: "" for topic in REQUIRED_TOPICS}
    notes |= {"stress": "slaap huur", "netwerk": "ruzie", "veiligheid": "bang"}
    text = reflection_markdown(
        CASE, run(notes, kindcheck=True, voices=("moeder", "vader", "kind")), titles=TITLES
    )
    assert "U heeft gevraagd naar dromen en hoop." in text
    assert "De kindcheck is gedaan." in text
    assert "- Overgeslagen: geen" in text
    assert "- Niet gehoord: niemand" in text
    assert "### Gemist (0)\n\nGeen." in text
    assert "Geen netwerksuggesties gebruikt." in text


def test_controleer_checks_the_shipped_cases(capsys: pytest.CaptureFixture[str]) -> None:
    from wijkgesprek.cli import main

    shipped = Path(__file__).resolve().parent.parent / "data" / "cases.yaml"
    assert main(["controleer", str(shipped)]) == 0
    assert f"{shipped}: in orde" in capsys.readouterr().out
    assert main(["controleer", "--json", str(shipped)]) == 0
    assert "OEF-01" in capsys.readouterr().out
