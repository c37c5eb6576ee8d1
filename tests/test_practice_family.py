"""The invented family reacts to how and whom the trainee asks (domain.asking,
domain.practice), and the reflection is true to what happened (domain.reflection).

Fast, pure tests: no screens, no database. Every shipped case has a scripted good run
(open questions, doorvragen to the right person, dreams, the scaling question) that
finds every hidden fact, and a bad run (closed questions, labels, "moeten", no dreams,
no kindcheck) that finds none and meets guarded answers.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from wijkgesprek import paths
from wijkgesprek.content.cases import load_cases
from wijkgesprek.content.model import Cases, PracticeCase
from wijkgesprek.domain.asking import CLOSED, OPEN, OTHER, read_question
from wijkgesprek.domain.household import parse_children
from wijkgesprek.domain.practice import (
    ABSENT,
    FACT,
    GUARDED,
    JUDGED,
    LINE,
    NETWORK,
    NOT_UNDERSTOOD,
    OPEN_QUESTION,
    SCALE,
    SCALE_REASON,
    SHORT,
    SILENT,
    Turn,
    answer,
    family_state,
    interpreter_turn,
    is_doorvraag,
)
from wijkgesprek.domain.progress import TraineeAttempts, group_markdown, progress_markdown, score
from wijkgesprek.domain.reflection import reflect_attempt
from wijkgesprek.domain.reflection_text import WHY, escape_markdown, reflection_markdown
from wijkgesprek.domain.safety import SafetyEntry
from wijkgesprek.domain.visit import TopicNote, VisitRecord

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
CASES: Cases = load_cases(paths.shipped_cases())
WORDS = CASES.words
TITLES = {
    "kennismaking": "Kennismaking en vraag",
    "stress": "Stress en zorgen",
    "netwerk": "Netwerk en omgeving",
    "dromen": "Dromen en hoop",
    "veiligheid": "Veiligheid",
    "afspraken": "Afspraken",
}

Script = list[tuple[str, str, str]]
"""(topic, person, question) in order."""


def play(case: PracticeCase, script: Script, *, interpreter: bool = False) -> list[Turn]:
    turns: list[Turn] = [interpreter_turn()] if interpreter else []
    for topic, voice, question in script:
        turns.append(answer(case, WORDS, topic=topic, question=question, voice=voice, turns=turns))
    return turns


def kinds(turns: list[Turn]) -> list[str]:
    return [turn.kind for turn in turns]


# -- how a question is read ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "form"),
    [
        ("Wat brengt u hier?", OPEN),
        ("Hoe slaapt u?", OPEN),
        ("En hoe gaat het met de kinderen?", OPEN),
        ("Vertelt u eens…", OPEN),
        ("Kunt u daar meer over vertellen?", OPEN),
        ("Dat is lastig. Wie helpt u dan?", OPEN),
        ("Heeft u schulden?", CLOSED),
        ("Slaapt u slecht?", CLOSED),
        ("Is het thuis veilig?", CLOSED),
        ("Uw moeder, is ze ziek?", CLOSED),
        ("Gaat het goed met je?", CLOSED),
        ("En de kinderen?", OTHER),
        ("Waarom doet u dat?", OTHER),
    ],
)
def test_the_form_of_a_question(question: str, form: str) -> None:
    assert read_question(question, WORDS).form == form


def test_labels_moeten_leading_waarom_scaling_and_dreams_are_heard() -> None:
    reading = read_question("U moet toch hulp, met die ADHD van hem?", WORDS)
    assert reading.labels == ("adhd",) and reading.moeten == ("moet",) and reading.leading
    assert reading.judging
    assert not read_question("Een ontmoeting in de buurt, hoe was die?", WORDS).judging
    assert read_question("Waarom doet u dat?", WORDS).why
    scaling = read_question("Op een schaal van 0 tot 10, hoe veilig is het?", WORDS)
    assert scaling.scaling and scaling.form == OPEN
    reason = read_question("Waarom een 4 en geen 2?", WORDS)
    assert reason.why and reason.scale_reason and not reason.scaling
    assert read_question("Waar droomt u van?", WORDS).dreams
    assert read_question("Heeft hij adhd?", WORDS).tags() == ["gesloten vraag", "label: adhd"]


# -- whom is asked ---------------------------------------------------------------------------


def test_an_absent_person_cannot_answer_and_the_app_says_so() -> None:
    case = CASES.case("tiener-niet-gehoord")
    (turn,) = play(case, [("kennismaking", "dochter", "Hoe gaat het met jou op school?")])
    assert turn.kind == ABSENT
    assert turn.answer.startswith("Dochter (15) is niet bij dit gesprek en kan niet antwoorden.")
    mother = case.person("moeder")
    assert mother is not None and turn.answer not in mother.answers("kennismaking")


def test_each_person_has_own_lines_and_a_child_answers_as_a_child() -> None:
    case = CASES.case("verwijzing-jeugdzorg")
    son = case.person("zoon")
    assert son is not None and son.kind
    turns = play(
        case,
        [
            ("kennismaking", "moeder", "Wat brengt u bij ons?"),
            ("kennismaking", "zoon", "Wat brengt jou hier?"),
            ("kennismaking", "zoon", "Heb jij adhd?"),
            ("kennismaking", "zoon", "Hoe is het op school?"),
        ],
    )
    mother = case.person("moeder")
    assert mother is not None
    assert turns[0].answer == mother.answers("kennismaking")[0]
    assert turns[1].answer == son.answers("kennismaking")[0]
    assert (turns[2].kind, turns[3].kind) == (JUDGED, GUARDED)
    assert turns[2].answer in WORDS.kind.of("label")
    assert turns[3].answer in WORDS.kind.of("bewaakt")
    assert turns[3].answer not in WORDS.volwassene.of("bewaakt")


def test_a_fact_only_one_person_knows_comes_only_from_that_person() -> None:
    case = CASES.case("verwijzing-jeugdzorg")
    bullied = case.verborgen[0]
    assert bullied.wie == ("zoon",)
    follow_up = "Wat gebeurt er op het plein en in de klas?"
    parents = play(
        case,
        [
            ("veiligheid", "moeder", "Hoe is het thuis?"),
            ("veiligheid", "moeder", follow_up),
            ("veiligheid", "vader", "Hoe is het thuis?"),
            ("veiligheid", "vader", follow_up),
        ],
    )
    assert FACT not in kinds(parents)
    child = play(
        case, [("veiligheid", "zoon", "Hoe is het op school?"), ("veiligheid", "zoon", follow_up)]
    )
    assert child[1].kind == FACT and child[1].answer == bullied.feit


def test_without_an_interpreter_the_mother_does_not_understand() -> None:
    case = CASES.case("nieuw-zonder-netwerk")
    question = [("stress", "moeder", "Hoe gaat het met u?")]
    (alone,) = play(case, question)
    assert alone.kind == NOT_UNDERSTOOD and alone.answer in WORDS.volwassene.of("geen-tolk")
    interpreted = play(case, question, interpreter=True)
    mother = case.person("moeder")
    assert mother is not None
    assert interpreted[-1].kind == LINE and interpreted[-1].answer == mother.answers("stress")[0]


# -- how it is asked -------------------------------------------------------------------------

SLEEP = "Hoe slaapt u 's nachts?"


def test_an_open_question_gets_the_next_line_a_closed_one_a_short_answer() -> None:
    case = CASES.case("moeder-twee-kinderen")
    mother = case.person("moeder")
    assert mother is not None
    turns = play(
        case,
        [
            ("stress", "moeder", "Slaapt u slecht?"),  # touches a fact: "Ja."
            ("stress", "moeder", "Gaat het wel met de kinderen?"),
            ("stress", "moeder", "Hoe gaat het met u?"),
            ("stress", "moeder", "   "),
        ],
    )
    assert kinds(turns) == [SHORT, SHORT, LINE, LINE]
    assert turns[0].answer in WORDS.volwassene.of("gesloten-ja")
    assert turns[1].answer in WORDS.volwassene.of("gesloten")
    assert [t.answer for t in turns[2:]] == list(mother.answers("stress")[:2])
    assert turns[3].question == OPEN_QUESTION


def test_a_hidden_fact_needs_an_open_doorvraag_on_an_opened_topic() -> None:
    case = CASES.case("moeder-twee-kinderen")
    # Never the first question of a topic, even with the right words.
    assert kinds(play(case, [("stress", "moeder", SLEEP)])) == [LINE]
    # Never a closed or labelling question, even after the topic was opened.
    opened = [("stress", "moeder", "Hoe gaat het met u?")]
    assert kinds(play(case, [*opened, ("stress", "moeder", "Slaapt u 's nachts slecht?")])) == [
        LINE,
        SHORT,
    ]
    assert (
        play(case, [*opened, ("stress", "moeder", "Hoe slaapt u, depressief?")])[1].kind == JUDGED
    )
    # Never under another topic, nor when the topic was opened by someone else.
    assert FACT not in kinds(play(case, [*opened, ("netwerk", "moeder", SLEEP)]))
    other = [("stress", "oudste", "Hoe gaat het thuis?"), ("stress", "moeder", SLEEP)]
    assert FACT not in kinds(play(case, other))
    # An open follow-up with matching words: the fact, once.
    turns = play(case, [*opened, ("stress", "moeder", SLEEP), ("stress", "moeder", SLEEP)])
    assert turns[1].kind == FACT and turns[1].answer == case.verborgen[0].feit
    assert turns[2].kind == LINE
    assert is_doorvraag(turns, 1, WORDS) and not is_doorvraag(turns, 0, WORDS)


def test_a_label_or_moet_makes_the_person_guarded_for_a_while_then_they_open_up() -> None:
    case = CASES.case("moeder-twee-kinderen")
    open_question = ("stress", "moeder", "Hoe gaat het met u?")
    turns = play(
        case,
        [("stress", "moeder", "U moet echt beter voor uzelf zorgen.")]
        + [open_question] * (WORDS.bewaakt_beurten + 1),
    )
    assert kinds(turns) == [JUDGED] + [GUARDED] * WORDS.bewaakt_beurten + [LINE]
    assert turns[0].answer in WORDS.volwassene.of("moeten")
    # Another person is not guarded by what was said to the mother.
    child = play(
        case,
        [("stress", "moeder", "Bent u depressief?"), ("stress", "oudste", "Hoe gaat het?")],
    )
    assert child[0].answer == "Ik voel me een beetje beoordeeld."
    assert child[1].kind == LINE
    state = family_state(child, guarded_for=3)
    assert state.person("moeder").guarded == 3 and state.person("oudste").guarded == 0


def test_waarom_and_a_leading_question_make_guarded_too() -> None:
    case = CASES.case("moeder-twee-kinderen")
    assert kinds(play(case, [("stress", "moeder", "Waarom slaapt u zo slecht?")])) == [JUDGED]
    assert kinds(play(case, [("stress", "moeder", "Het is zwaar, toch?")])) == [JUDGED]


def test_the_scaling_question_and_the_reason_of_the_number() -> None:
    case = CASES.case("moeder-twee-kinderen")
    mother, son = case.person("moeder"), case.person("oudste")
    assert mother is not None and mother.schaal and son is not None and son.schaal
    turns = play(
        case,
        [
            ("veiligheid", "moeder", "Waarom een 6 en geen 4?"),  # no number yet: judged
            ("veiligheid", "oudste", "Op een schaal van 0 tot 10, hoe fijn is het thuis?"),
            ("veiligheid", "oudste", "Waarom een 8 en geen 6?"),
        ],
    )
    assert kinds(turns) == [JUDGED, SCALE, SCALE_REASON]
    assert turns[1].answer == "Een 8." and turns[1].number == 8
    assert turns[2].answer == son.schaal.reden
    calm = play(
        case,
        [
            ("veiligheid", "moeder", "Welk cijfer geeft u, van 0 tot 10, voor de veiligheid?"),
            ("veiligheid", "moeder", "Wat maakt dat het een 6 is en geen 4?"),
        ],
    )
    assert kinds(calm) == [SCALE, SCALE_REASON]
    assert calm[0].answer == "Ik zou zeggen: een 6."
    assert calm[1].answer == mother.schaal.reden


def test_when_everything_is_said_the_person_says_so() -> None:
    case = CASES.case("moeder-twee-kinderen")
    son = case.person("oudste")
    assert son is not None
    lines = son.answers("netwerk")
    turns = play(case, [("netwerk", "oudste", "Wie zijn je vriendjes?")] * (len(lines) + 1))
    assert kinds(turns) == [LINE] * len(lines) + [SILENT]
    assert turns[-1].answer in WORDS.kind.of("uitgepraat")
    (unknown,) = play(case, [("afspraken", "oudste", "Wat spreken we af?")])
    assert unknown.kind == SILENT and unknown.answer in WORDS.kind.of("weet-niet")


# -- scripted runs per shipped case ----------------------------------------------------------

GOOD_RUNS: dict[str, Script] = {
    "moeder-twee-kinderen": [
        ("kennismaking", "moeder", "Wat brengt u bij ons?"),
        ("stress", "moeder", "Hoe gaat het met u, de laatste tijd?"),
        ("stress", "moeder", SLEEP),
        ("stress", "moeder", "Hoe gaat het met geld en de huur?"),
        ("netwerk", "moeder", "Wie staan er om u heen?"),
        ("netwerk", "moeder", "Hoe vaak belt u met uw zus?"),
        ("netwerk", "moeder", "Wat doet de vader van de kinderen voor hen?"),
        ("netwerk", "moeder", "Wat weet u van het buurthuis?"),
        ("dromen", "moeder", "Waar droomt u van, voor uzelf?"),
        ("veiligheid", "oudste", "Hoe is het thuis voor jou?"),
        ("veiligheid", "oudste", "Wat doe je 's avonds als mama slaapt?"),
        ("veiligheid", "moeder", "Op een schaal van 0 tot 10, hoe veilig is het thuis?"),
        ("veiligheid", "moeder", "Waarom een 6 en geen 4?"),
        ("veiligheid", "oudste", "En jij, welk cijfer geef jij, van 0 tot 10?"),
        ("veiligheid", "vader", "Hoe ziet u het?"),
        ("afspraken", "moeder", "Wat spreken we af?"),
    ],
    "vader-met-schulden": [
        ("kennismaking", "vader", "Wat brengt u hier?"),
        ("stress", "vader", "Hoe gaat het met u?"),
        ("stress", "vader", "Hoe ontspant u 's avonds?"),
        ("stress", "vader", "Welk inkomen heeft u nu, en welke regelingen kent u?"),
        ("netwerk", "vader", "Wie is er belangrijk voor u?"),
        ("netwerk", "vader", "Hoe is het contact met uw broer?"),
        ("netwerk", "vader", "Hoe was het bij de club, met voetbal?"),
        ("dromen", "vader", "Wat hoopt u voor later?"),
        ("veiligheid", "vader", "Hoe gaat het met de kinderen?"),
        ("veiligheid", "vader", "Hoe gaat het als uw dochter bij u is, met eten?"),
        ("veiligheid", "vader", "Op een schaal van 0 tot 10, hoe veilig is het voor haar?"),
        ("veiligheid", "vader", "Wat maakt dat het een 5 is en geen 3?"),
        ("veiligheid", "dochter", "Hoe gaat het met jou?"),
        ("afspraken", "vader", "Wat spreken we af voor volgende week?"),
    ],
    "verwijzing-jeugdzorg": [
        ("kennismaking", "moeder", "Wat brengt u bij ons?"),
        ("kennismaking", "zoon", "Hoe vind jij het op school?"),
        ("stress", "moeder", "Hoe gaat het thuis?"),
        ("stress", "moeder", "Wanneer begon de onrust, na de komst van de kleine?"),
        ("netwerk", "vader", "Wie zijn er belangrijk voor uw zoon?"),
        ("netwerk", "vader", "Hoe ging het bij judo?"),
        ("netwerk", "moeder", "Wat doet opa allemaal met hem?"),
        ("netwerk", "vader", "Wie is zijn beste vriend, hier in de straat?"),
        ("dromen", "zoon", "Wat wil jij later worden?"),
        ("veiligheid", "zoon", "Hoe gaat het op school met de andere kinderen?"),
        ("veiligheid", "zoon", "Wat doen ze dan op het plein?"),
        ("veiligheid", "moeder", "Op een schaal van 0 tot 10, hoe veilig is het thuis?"),
        ("veiligheid", "moeder", "Waarom een 7 en geen 5?"),
        ("afspraken", "vader", "Wat is voor u een goede volgende stap?"),
    ],
    "tiener-niet-gehoord": [
        ("kennismaking", "moeder", "Wat brengt u bij ons?"),
        ("stress", "moeder", "Hoe is het thuis sinds de baby er is?"),
        ("stress", "moeder", "Hoe gaat het 's avonds als u werkt, met oppassen?"),
        ("netwerk", "moeder", "Wie zijn belangrijk voor uw dochter?"),
        ("netwerk", "moeder", "Hoe is haar band met oma?"),
        ("dromen", "moeder", "Wat hoopt u voor uw dochter?"),
        ("veiligheid", "moeder", "Hoe voelt uw dochter zich thuis?"),
        ("veiligheid", "moeder", "Wanneer voelt ze zich niet prettig?"),
        ("veiligheid", "partner", "Hoe is het voor u thuis?"),
        ("veiligheid", "dochter", "Hoe gaat het met jou?"),
        ("veiligheid", "moeder", "Op een schaal van 0 tot 10, hoe veilig is het voor haar?"),
        ("veiligheid", "moeder", "Waarom een 6 en geen 4?"),
        ("afspraken", "moeder", "Hoe kunnen we uw dochter zelf horen?"),
    ],
    "nieuw-zonder-netwerk": [
        ("kennismaking", "vader", "Wat zegt de school?"),
        ("kennismaking", "dochter", "Hoe is het voor jou hier?"),
        ("kennismaking", "dochter", "Hoe is het vertalen voor jou, bij afspraken?"),
        ("stress", "moeder", "Hoe gaat het met u?"),
        ("stress", "moeder", "Hoe is het om de hele dag alleen te zijn, nu u zwanger bent?"),
        ("netwerk", "vader", "Wie kent u hier?"),
        ("netwerk", "vader", "Hoe is het contact met de buren?"),
        ("netwerk", "moeder", "Hoe is het met de buurvrouw van boven?"),
        ("dromen", "moeder", "Waar droomt u van?"),
        ("veiligheid", "dochter", "Hoe is het thuis voor jou?"),
        ("veiligheid", "dochter", "Wat gebeurt er als je broer 's nachts roept?"),
        ("veiligheid", "vader", "Op een schaal van 0 tot 10, hoe veilig is het thuis?"),
        ("veiligheid", "vader", "Waarom een 7 en geen 5?"),
        ("afspraken", "vader", "Wat spreken we af?"),
    ],
    "mantelzorg-zieke-moeder": [
        ("kennismaking", "vader", "Wat brengt u bij ons?"),
        ("stress", "vader", "Hoe gaat het met u zelf?"),
        ("stress", "vader", SLEEP),
        ("netwerk", "vader", "Wie helpen er mee?"),
        ("netwerk", "zoon", "Wat doe jij allemaal voor oma?"),
        ("netwerk", "zoon", "Hoe gaat het met je huiswerk en school?"),
        ("netwerk", "vader", "Wat doet de buurvrouw van uw moeder?"),
        ("netwerk", "vader", "En uw broer, wat zou hij kunnen doen?"),
        ("dromen", "vader", "Waar hoopt u op?"),
        ("veiligheid", "zoon", "Hoe is het thuis als papa bij oma is?"),
        ("veiligheid", "zoon", "Waar is je zusje bang voor?"),
        ("veiligheid", "vader", "Op een schaal van 0 tot 10, hoe veilig is het thuis?"),
        ("veiligheid", "vader", "Waarom een 6 en geen 4?"),
        ("afspraken", "vader", "Wat spreken we af?"),
    ],
}
INTERPRETER_CASES = {"nieuw-zonder-netwerk"}


def bad_run(case: PracticeCase) -> Script:
    """Closed questions with a fact's own words, a label and a "moet" to everyone who knows
    a fact, then open questions while they are guarded; no dreams, no scaling."""
    present = [p.id for p in case.personen if p.aanwezig]
    script: Script = [("kennismaking", present[0], "Heeft u hulp nodig?")]
    for fact in case.verborgen:
        who = next(p for p in present if not fact.wie or p in fact.wie)
        script.append((fact.onderwerp, who, f"Is er iets met {fact.sleutelwoorden[0]}?"))
    for someone in case.netwerk:
        who = next(p for p in present if not someone.wie or p in someone.wie)
        script.append(("netwerk", who, f"Heeft u een {someone.sleutelwoorden[0]}?"))
    for person in present:
        knows = [f for f in case.verborgen if not f.wie or person in f.wie]
        if not knows:
            continue
        script.append(("stress", person, "Dat is een probleemgezin, moet u niet eens iets doen?"))
        script += [
            (fact.onderwerp, person, f"Hoe zit het met {fact.sleutelwoorden[0]}?")
            for fact in knows[: WORDS.bewaakt_beurten]
        ]
    return script


@pytest.mark.parametrize("case_id", sorted(GOOD_RUNS))
def test_a_good_run_finds_every_fact(case_id: str) -> None:
    case = CASES.case(case_id)
    turns = play(case, GOOD_RUNS[case_id], interpreter=case_id in INTERPRETER_CASES)
    told = sorted(turn.number for turn in turns if turn.kind == FACT)
    assert told == list(range(len(case.verborgen))), [(t.question, t.kind) for t in turns]
    network = sorted(turn.number for turn in turns if turn.kind == NETWORK)
    assert network == list(range(len(case.netwerk))), [(t.question, t.kind) for t in turns]
    assert GUARDED not in kinds(turns) and JUDGED not in kinds(turns)
    assert SCALE in kinds(turns) and SCALE_REASON in kinds(turns)


@pytest.mark.parametrize("case_id", sorted(GOOD_RUNS))
def test_a_bad_run_finds_nothing_and_meets_guarded_answers(case_id: str) -> None:
    case = CASES.case(case_id)
    turns = play(case, bad_run(case), interpreter=case_id in INTERPRETER_CASES)
    assert FACT not in kinds(turns), [(t.question, t.kind) for t in turns]
    assert NETWORK not in kinds(turns), [(t.question, t.kind) for t in turns]
    assert GUARDED in kinds(turns) and JUDGED in kinds(turns)
    assert all(turn.kind != LINE for turn in turns)  # no topic was ever opened
    reflection = reflect_attempt(case, WORDS, record=record(case), entries=[], turns=turns)
    assert reflection.facts_found == () and reflection.facts_missed == case.verborgen
    assert reflection.network_found == () and reflection.map_size is None
    assert not reflection.dreams_asked and not reflection.kindcheck_done
    assert reflection.moeten_total >= 1 and reflection.labels_total >= 1
    assert reflection.forms[OPEN] < reflection.forms[CLOSED] + reflection.guarded
    assert reflection.scaling == () and not reflection.next_contact
    assert all(count == 0 for _, count in reflection.doorvragen)


def test_the_barrier_case_without_interpreter_misses_what_only_the_mother_knows() -> None:
    case = CASES.case("nieuw-zonder-netwerk")
    turns = play(case, GOOD_RUNS[case.id])
    told = {turn.number for turn in turns if turn.kind == FACT}
    assert told == {0, 1} and case.verborgen[2].wie == ("moeder",)
    reflection = reflect_attempt(case, WORDS, record=record(case), entries=[], turns=turns)
    assert reflection.not_understood == ("moeder",) and not reflection.interpreter
    assert "moeder" in reflection.voices_not_heard


# -- the reflection, checked against the script ----------------------------------------------


def record(case: PracticeCase, notes: dict[str, str] | None = None, **extra: object) -> VisitRecord:
    return VisitRecord(
        id=1,
        household_code=case.huishouden.code,
        wijk=case.huishouden.wijk,
        children=parse_children("2020"),
        started_at=NOW,
        notes={topic: TopicNote(text) for topic, text in (notes or {}).items()},
        **extra,  # type: ignore[arg-type]
    )


def entry(number: int, kind: str, key: str, value: str) -> SafetyEntry:
    return SafetyEntry(number, 1, kind, key, value, "", NOW)


def test_the_reflection_of_the_good_run_matches_the_script() -> None:
    case = CASES.case("moeder-twee-kinderen")
    turns = play(case, GOOD_RUNS[case.id])
    entries = [
        entry(1, "kindcheck", "", "zorgen"),
        entry(2, "stap", "1", "gedaan"),
        entry(3, "stap", "2", "bezig"),
        entry(4, "stap", "3", "open"),
    ]
    reflection = reflect_attempt(
        case,
        WORDS,
        record=record(case, {"stress": "Ze moet eerst slapen."}, next_contact=date(2026, 12, 1)),
        entries=entries,
        turns=turns,
    )
    assert reflection.asked == 16
    # "Waarom een 6 en geen 4?" is no open question; the absent father's is.
    assert reflection.forms == {OPEN: 15, CLOSED: 0, OTHER: 1}
    assert dict(reflection.doorvragen) == {
        "kennismaking": 0,
        "stress": 2,
        "netwerk": 3,
        "dromen": 0,
        "veiligheid": 1,
        "afspraken": 0,
    }
    assert reflection.voices_heard == ("moeder", "oudste")
    assert reflection.voices_not_heard == ("vader",) and reflection.absent_asked == ("vader",)
    assert reflection.dreams_asked and reflection.guarded == 0
    assert reflection.scaling == (("moeder", 6), ("oudste", 8))
    assert reflection.scale_reasons == ("moeder",)
    assert reflection.kindcheck == "zorgen" and reflection.meldcode_followed
    assert reflection.meldcode_steps == ("1", "2") and reflection.next_contact
    assert reflection.facts_found == case.verborgen and reflection.facts_missed == ()
    assert reflection.skipped == ()
    # The trainee's own note counts for words, never for facts.
    assert [(j.word, j.sentence, j.in_question) for j in reflection.judging] == [
        ("moet", "Ze moet eerst slapen.", False)
    ]
    text = reflection_markdown(case, reflection, titles=TITLES)
    assert "U stelde 16 vragen: 15 open (94%), 0 gesloten (0%) en 1 niet open of gesloten." in text
    assert "Doorvragen per onderwerp: Kennismaking en vraag 0, Stress en zorgen 2," in text
    assert "- Niet bij het gesprek: vader van de kinderen; spreek af hoe u hen hoort." in text
    assert "- Gesteld; de cijfers: moeder 6, zoon (6) 8." in text
    assert "- Gevraagd naar de reden van het cijfer: moeder." in text
    assert "- Gehoord: moeder, zoon (6)\n- Niet gehoord: niemand\n" in text
    assert "De kindcheck is gedaan: zorgen." in text
    assert "Na 'zorgen' volgde u de meldcode: stap 1, stap 2." in text
    assert "Er is een volgend contact afgesproken." in text
    assert "- 'moet' in uw aantekening (Stress en zorgen): Ze moet eerst slapen." in text
    assert "### Gevonden (3)" in text and "### Gemist (0)" in text
    for why in WHY.values():  # every part says why it matters, once
        assert text.count(why) == 1, why


def test_a_fact_written_in_a_note_but_never_told_is_not_found() -> None:
    case = CASES.case("moeder-twee-kinderen")
    turns = play(case, [("stress", "moeder", "Hoe gaat het?")])
    notes = {"stress": "Slaapt slecht, huurachterstand, 's avonds alleen voor de tv."}
    reflection = reflect_attempt(case, WORDS, record=record(case, notes), entries=[], turns=turns)
    assert reflection.facts_found == ()


def test_the_reflection_of_the_bad_run_names_labels_with_their_sentence() -> None:
    case = CASES.case("moeder-twee-kinderen")
    turns = play(case, bad_run(case))
    reflection = reflect_attempt(case, WORDS, record=record(case), entries=[], turns=turns)
    text = reflection_markdown(case, reflection, titles=TITLES)
    sentence = "Dat is een probleemgezin, moet u niet eens iets doen?"
    assert f"- 'probleemgezin' in uw vraag (Stress en zorgen): {sentence}" in text
    assert f"- 'moet' in uw vraag (Stress en zorgen): {sentence}" in text
    assert "antwoordde iemand op zijn hoede" in text
    assert "U heeft niet gevraagd naar dromen en hoop." in text
    assert "De kindcheck is niet gedaan, terwijl er kinderen in beeld zijn." in text
    assert "U heeft de schaalvraag (0 tot 10) aan niemand gesteld." in text
    assert "Er is geen volgend contact afgesproken (F4)." in text
    assert text.count("- Overgeslagen:") == 1
    assert "- Overgeslagen: Dromen en hoop, Afspraken" in text


def test_zorgen_without_the_meldcode_is_told() -> None:
    case = CASES.case("moeder-twee-kinderen")
    reflection = reflect_attempt(
        case, WORDS, record=record(case), entries=[entry(1, "kindcheck", "", "zorgen")], turns=[]
    )
    assert reflection.meldcode_followed is False
    text = reflection_markdown(case, reflection, titles=TITLES)
    assert "Na 'zorgen' volgde u de meldcode niet" in text
    quiet = reflect_attempt(
        case,
        WORDS,
        record=record(case),
        entries=[entry(1, "kindcheck", "", "geen-zorgen")],
        turns=[],
    )
    assert quiet.meldcode_followed is None and quiet.kindcheck_done
    assert WHY["meldcode"] not in reflection_markdown(case, quiet, titles=TITLES)


# -- progress and the trainer's overview -----------------------------------------------------


def test_score_and_progress_table() -> None:
    case = CASES.case("moeder-twee-kinderen")
    turns = play(case, GOOD_RUNS[case.id])
    reflection = reflect_attempt(
        case,
        WORDS,
        record=record(case),
        entries=[entry(1, "kindcheck", "", "geen-zorgen")],
        turns=turns,
    )
    item = score(case, reflection, number=1, started_at=NOW, ended=False)
    assert (item.facts, item.facts_total, item.open, item.asked) == (3, 3, 15, 16)
    table = progress_markdown([item])
    assert table == (
        "- Poging 1 (open), 25-11-2026: onderwerpen 6/6, feiten 3/3, open vragen 15/16, "
        "kindcheck ja, stemmen 2/3, 'moeten' 0, labels 0\n"
    )
    assert progress_markdown([]) == ""


def test_the_group_overview_holds_counts_and_no_notes_or_questions() -> None:
    case = CASES.case("moeder-twee-kinderen")
    turns = play(case, GOOD_RUNS[case.id])
    secret = "Geheime aantekening over het gezin"
    reflection = reflect_attempt(
        case, WORDS, record=record(case, {"stress": secret}), entries=[], turns=turns
    )
    item = score(case, reflection, number=1, started_at=NOW, ended=True)
    other = CASES.case("vader-met-schulden")
    text = group_markdown(
        [
            TraineeAttempts("deelnemer-a", ((case, (item,)), (other, ()))),
            TraineeAttempts("deelnemer_b", ((case, (item, replace(item, number=2))),)),
        ]
    )
    assert "## OEF-01 Moeder met twee jonge kinderen, nieuw in de wijk" in text
    assert "| deelnemer-a | 1 | 25-11-2026 | 6/6 | 3/3 | 15/16 | nee | 2/3 | 0 | 0 |" in text
    assert f"| {escape_markdown('deelnemer_b')} | 2 |" in text
    assert "## OEF-02" in text and "Geen pogingen." in text
    assert secret not in text
    assert not any(question in text for _, _, question in GOOD_RUNS[case.id])
    assert not any(turn.answer in text for turn in turns)
