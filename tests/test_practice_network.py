"""A practice case's network: found only by asking openly about it, in the right words, of
someone who knows (domain.practice), and the reflection says who was found, who is on the
attempt's netwerkkaart and who could do more (domain.reflection). Pure: no screens."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from wijkgesprek import paths
from wijkgesprek.content.cases import load_cases
from wijkgesprek.content.model import FAR, PracticeCase
from wijkgesprek.domain.household import parse_children
from wijkgesprek.domain.network_map import Person
from wijkgesprek.domain.practice import (
    FACT,
    JUDGED,
    LINE,
    NETWORK,
    SHORT,
    Turn,
    answer,
    family_state,
    is_doorvraag,
)
from wijkgesprek.domain.reflection import map_person, reflect_attempt
from wijkgesprek.domain.reflection_text import WHY, reflection_markdown
from wijkgesprek.domain.visit import VisitRecord

CASES = load_cases(paths.shipped_cases())
WORDS = CASES.words
CASE = CASES.case("moeder-twee-kinderen")
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
TITLES = {"netwerk": "Netwerk en omgeving"}


def play(case: PracticeCase, script: list[tuple[str, str, str]]) -> list[Turn]:
    turns: list[Turn] = []
    for topic, voice, question in script:
        turns.append(answer(case, WORDS, topic=topic, question=question, voice=voice, turns=turns))
    return turns


def test_the_case_has_a_network_with_someone_who_could_do_more() -> None:
    assert [person.rol for person in CASE.netwerk] == ["zus", "vader", "buurthuis"]
    zus = CASE.netwerk[0]
    assert zus.kan_meer and zus.afstand == FAR and zus.wie == ("moeder",)


def test_an_open_question_about_the_network_in_the_right_words_tells_about_someone() -> None:
    turns = play(
        CASE,
        [
            ("netwerk", "moeder", "Hoe vaak belt u met uw zus?"),
            ("netwerk", "moeder", "Hoe vaak belt u met uw zus?"),
        ],
    )
    assert [(t.kind, t.number) for t in turns] == [(NETWORK, 0), (LINE, 0)]
    assert turns[0].answer == CASE.netwerk[0].vertelt
    assert family_state(turns, guarded_for=3).network_told == {0}
    assert is_doorvraag(turns, 1, WORDS)  # telling about someone opened the topic


def test_the_network_is_told_only_under_netwerk_openly_and_by_someone_who_knows() -> None:
    elsewhere, closed, judging, child = play(
        CASE,
        [
            ("stress", "moeder", "Hoe gaat het met uw zus?"),
            ("netwerk", "moeder", "Belt u weleens met uw zus?"),
            ("netwerk", "moeder", "Moet uw zus niet eens helpen?"),
            ("netwerk", "oudste", "Hoe vaak belt mama met haar zus?"),
        ],
    )
    assert elsewhere.kind == LINE and closed.kind == SHORT and judging.kind == JUDGED
    assert closed.answer in WORDS.volwassene.of("gesloten-ja")  # it touched someone untold
    assert child.kind == LINE  # the case says only the mother tells about her sister


def test_a_fact_of_a_doorvraag_goes_before_the_network() -> None:
    case = CASES.case("verwijzing-jeugdzorg")
    turns = play(
        case,
        [
            ("netwerk", "moeder", "Wie zijn er belangrijk voor hem?"),
            ("netwerk", "moeder", "Hoe gaat het met opa?"),
            ("netwerk", "moeder", "Hoe gaat het met opa?"),
        ],
    )
    assert [t.kind for t in turns] == [LINE, FACT, NETWORK]


def record(network: tuple[Person, ...] | None) -> VisitRecord:
    return VisitRecord(
        id=1,
        household_code=CASE.huishouden.code,
        wijk=CASE.huishouden.wijk,
        children=parse_children("2020"),
        started_at=NOW,
        network=network,
    )


FOUND_ALL = [
    ("netwerk", "moeder", "Hoe vaak belt u met uw zus?"),
    ("netwerk", "moeder", "Wat doet de vader van de kinderen voor hen?"),
]


def test_the_reflection_says_who_was_found_and_that_the_network_was_not_mapped() -> None:
    turns = play(CASE, FOUND_ALL)
    for network in (None, ()):
        reflection = reflect_attempt(CASE, WORDS, record=record(network), entries=[], turns=turns)
        assert [p.rol for p in reflection.network_found] == ["zus", "vader"]
        assert not reflection.network_mapped_at_all
        text = reflection_markdown(CASE, reflection, titles=TITLES)
        assert "## Netwerk\n" in text
        assert "- Door te vragen gevonden (2 van 3): zus, vader." in text
        assert "- Niet gevonden: buurthuis (weet: moeder)." in text
        assert "Het netwerk is niet in kaart gebracht: de netwerkkaart (Ctrl+N) is leeg." in text
        assert "- zus: gevonden, maar niet op de kaart gezet." in text
        assert text.count(WHY["netwerk"]) == 1


def test_the_reflection_matches_map_roles_and_says_who_could_do_more() -> None:
    turns = play(CASE, FOUND_ALL)
    network = (
        Person(1, "Zus van moeder", "Ria", "familie", True, more=True),
        Person(2, "vader van de kinderen", group="familie", informal=True),
        Person(3, "zusje", group="familie"),  # not "zus" as a whole word
    )
    reflection = reflect_attempt(CASE, WORDS, record=record(network), entries=[], turns=turns)
    assert [p.rol for p in reflection.network_mapped] == ["zus", "vader"]
    assert [p.rol for p in reflection.network_marked_more] == ["zus"]
    assert map_person(CASE.netwerk[2], network) is None
    text = reflection_markdown(CASE, reflection, titles=TITLES)
    assert (
        "Het netwerk is in kaart gebracht: 2 van de 3 mensen om het gezin staan op de netwerkkaart."
    ) in text
    assert "- Op de kaart: zus, vader.\n- Niet op de kaart: buurthuis." in text
    assert "- zus: gevonden, en op de kaart staat dat die meer wil doen." in text
    assert "- vader: gevonden, maar op de kaart staat niet dat die meer zou willen doen." in text
    assert "Ria" not in text  # the map's first names stay on the map
    made = replace(record(network), network_recorded=True)
    assert "netwerk" in reflect_attempt(CASE, WORDS, record=made, entries=[], turns=[]).touched


def test_nothing_found_and_a_case_without_network_shows_nothing_new() -> None:
    reflection = reflect_attempt(CASE, WORDS, record=record(None), entries=[], turns=[])
    text = reflection_markdown(CASE, reflection, titles=TITLES)
    assert "- Door te vragen gevonden (0 van 3): niemand." in text
    assert "- zus: niet gevonden. Vraag ook wie zou willen meedenken." in text
    plain = replace(CASE, netwerk=())
    quiet = reflect_attempt(plain, WORDS, record=record(None), entries=[], turns=[])
    text = reflection_markdown(plain, quiet, titles=TITLES)
    assert "## Netwerk\n" not in text and WHY["netwerk"] not in text
