"""A practice conversation with an invented family (pure: no screens, no database).

The trainee asks one person a question under a topic; :func:`answer` decides what that
person says, from how the question is asked (:func:`asking.read_question`) and from the
family's state so far (:func:`family_state`, a fold over the earlier turns):

1. a person who is not there cannot answer (the app says so); one who understands only
   through an interpreter, without one, does not understand the question;
2. a label or a form of "moeten", a "waarom" (not about a number) or a leading question
   makes the person guarded (:data:`JUDGED`, a line like "Ik voel me een beetje
   beoordeeld."); for the next ``bewaakt_beurten`` answers they stay guarded
   (:data:`GUARDED`: short, nothing new);
3. the scaling question gets the person's own number (:data:`SCALE`), and after it a
   question about the number ("waarom een 4 en geen 2?") the reason (:data:`SCALE_REASON`);
4. a closed question gets a short answer (:data:`SHORT`): "Ja." when it touches something
   the person has not told yet (a hidden fact, or under ``netwerk`` someone of the
   case's network), otherwise a short "Gaat wel.";
5. an open question gets the person's next line on the topic (:data:`LINE`), which
   *opens* the topic for that person; a later open question to the same person on an
   opened topic is a *doorvraag*: when its words match a hidden fact of the topic that
   this person knows, the fact is told (:data:`FACT`);
6. under the topic ``netwerk``, an open question whose words match someone of the case's
   network (``netwerk``: who helps, who could help more) that this person knows and has
   not told about yet, gets what the case says of them (:data:`NETWORK`, which opens
   the topic too), also as the first question of the topic; a fact of a doorvraag goes
   first, the next line after;
7. when the person has said all they have on the topic: :data:`SILENT`.

So a hidden fact never comes from a closed or labelling question, nor from the first
question of a topic, and a fact only one person knows comes only from that person; the
network is found only by asking openly about it, in the right words.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from wijkgesprek.content.model import Person, PracticeCase, Reactions, Words
from wijkgesprek.domain.asking import OPEN, Reading, fact_found, key_found, read_question
from wijkgesprek.domain.visit import NETWORK_TOPIC

LINE = "regel"
"""The person said their next line on the topic (an open question)."""
FACT = "feit"
"""A hidden fact was told (an open doorvraag with the right words)."""
NETWORK = "netwerk"
"""Someone of the case's network was told about (``number``: the index in ``netwerk``)."""
SILENT = "stil"
"""The person has nothing (more) to say on the topic."""
SHORT = "kort"
"""A short answer to a closed question."""
JUDGED = "beoordeeld"
"""The person felt judged (label, "moet", "waarom", a leading question)."""
GUARDED = "bewaakt"
"""The person is still guarded after feeling judged."""
SCALE = "schaal"
"""The person's number on the scaling question (``number``)."""
SCALE_REASON = "schaal-reden"
"""Why the person gave that number."""
ABSENT = "afwezig"
"""The person is not there: the app says so."""
NOT_UNDERSTOOD = "niet-verstaan"
"""The person understands the question only through an interpreter."""
INTERPRETER = "tolk"
"""Not a question: the attempt is done with an interpreter (the first turn)."""

ANSWERED = (LINE, FACT, NETWORK, SILENT, SHORT, JUDGED, GUARDED, SCALE, SCALE_REASON)
"""Turns in which the person heard the question and answered (a voice heard)."""

OPEN_QUESTION = "Vertelt u eens…"
"""The question recorded when the trainee asks without typing one."""
INTERPRETER_VOICE = "tolk"
INTERPRETER_LINE = (
    "Er is een tolk bij het gesprek; wie geen Nederlands spreekt, antwoordt via de tolk."
)


@dataclass(frozen=True)
class Turn:
    """One question and the answer."""

    topic: str
    voice: str
    """Whom the trainee asked (a person's id)."""
    question: str
    answer: str
    kind: str
    """One of the kinds above."""
    number: int = 0
    """The index of the line (in the person's lines of the topic), of the fact (in
    ``verborgen``), of the network person (in ``netwerk``), or the number given on the
    scaling question."""


@dataclass
class PersonState:
    guarded: int = 0
    """Answers still to come while guarded."""
    opened: set[str] = field(default_factory=set)
    """Topics this person talked about in answer to an open question."""
    said: dict[str, set[int]] = field(default_factory=dict)
    """Per topic, the indexes of the lines said."""
    scale: int | None = None
    reason_told: bool = False
    answers: int = 0
    """How many answers this person gave (to vary the shared lines)."""


@dataclass
class FamilyState:
    persons: dict[str, PersonState] = field(default_factory=dict)
    told: set[int] = field(default_factory=set)
    """Indexes of the hidden facts told."""
    network_told: set[int] = field(default_factory=set)
    """Indexes of the case's network people told about."""
    interpreter: bool = False

    def person(self, person_id: str) -> PersonState:
        return self.persons.setdefault(person_id, PersonState())


def family_state(turns: Iterable[Turn], *, guarded_for: int) -> FamilyState:
    """What the family has said and how each person feels, after ``turns``."""
    state = FamilyState()
    for turn in turns:
        if turn.kind == INTERPRETER:
            state.interpreter = True
            continue
        if turn.kind not in ANSWERED:
            continue
        person = state.person(turn.voice)
        person.answers += 1
        if turn.kind == JUDGED:
            person.guarded = guarded_for
            continue
        if person.guarded:
            person.guarded -= 1
        if turn.kind == LINE:
            person.opened.add(turn.topic)
            person.said.setdefault(turn.topic, set()).add(turn.number)
        elif turn.kind == FACT:
            state.told.add(turn.number)
        elif turn.kind == NETWORK:
            person.opened.add(turn.topic)
            state.network_told.add(turn.number)
        elif turn.kind == SCALE:
            person.scale = turn.number
        elif turn.kind == SCALE_REASON:
            person.reason_told = True
    return state


def interpreter_turn() -> Turn:
    return Turn("kennismaking", INTERPRETER_VOICE, "", INTERPRETER_LINE, INTERPRETER)


def has_interpreter(turns: Iterable[Turn]) -> bool:
    return any(turn.kind == INTERPRETER for turn in turns)


def absent_message(person: Person) -> str:
    return (
        f"{person.wie[:1].upper()}{person.wie[1:]} is niet bij dit gesprek en kan niet "
        "antwoorden. Vraag de aanwezigen naar deze persoon, of spreek een eigen gesprek af."
    )


def _line(reactions: Reactions, kind: str, count: int) -> str:
    lines = reactions.of(kind)
    return lines[count % len(lines)] if lines else "…"


def _judged_kind(reading: Reading) -> str:
    if reading.labels:
        return "label"
    if reading.moeten:
        return "moeten"
    if reading.leading:
        return "sturend"
    return "waarom"


def answer(
    case: PracticeCase,
    words: Words,
    *,
    topic: str,
    question: str,
    voice: str,
    turns: Sequence[Turn],
) -> Turn:
    """What ``voice`` says to ``question`` under ``topic`` after ``turns`` (see module)."""
    question = " ".join(question.split()) or OPEN_QUESTION
    person = case.person(voice)

    def turn(text: str, kind: str, number: int = 0) -> Turn:
        return Turn(topic, voice, question, text, kind, number)

    if person is None or not person.aanwezig:
        who = person or _stranger(voice)
        return turn(absent_message(who), ABSENT)
    state = family_state(turns, guarded_for=words.bewaakt_beurten)
    reactions = words.kind if person.kind else words.volwassene
    me = state.person(person.id)
    count = me.answers
    if person.tolk and not state.interpreter:
        return turn(_line(reactions, "geen-tolk", count), NOT_UNDERSTOOD)
    reading = read_question(question, words)
    about_number = reading.scale_reason and me.scale is not None and not reading.scaling
    if reading.judging or reading.leading or (reading.why and not about_number):
        return turn(_line(reactions, _judged_kind(reading), count), JUDGED)
    if me.guarded:
        return turn(_line(reactions, "bewaakt", count), GUARDED)
    if about_number and person.schaal is not None and not me.reason_told:
        return turn(person.schaal.reden, SCALE_REASON)
    if reading.scaling:
        if person.schaal is None:
            return turn(_line(reactions, "geen-cijfer", count), SILENT)
        number = person.schaal.cijfer
        text = _line(reactions, "cijfer", count).replace("{cijfer}", str(number))
        return turn(text, SCALE, number)
    untold = [
        (index, fact)
        for index, fact in enumerate(case.verborgen)
        if index not in state.told
        and fact.onderwerp == topic
        and (not fact.wie or person.id in fact.wie)
    ]
    network = [
        (index, someone)
        for index, someone in enumerate(case.netwerk)
        if topic == NETWORK_TOPIC
        and index not in state.network_told
        and (not someone.wie or person.id in someone.wie)
    ]
    if reading.form != OPEN:
        touches = any(fact_found(fact, question) for _, fact in untold) or any(
            key_found(someone.sleutelwoorden, question) for _, someone in network
        )
        return turn(_line(reactions, "gesloten-ja" if touches else "gesloten", count), SHORT)
    if topic in me.opened:  # a doorvraag
        for index, fact in untold:
            if fact_found(fact, question):
                return turn(fact.feit, FACT, index)
    for index, someone in network:
        if key_found(someone.sleutelwoorden, question):
            return turn(someone.vertelt, NETWORK, index)
    lines = person.answers(topic)
    said = me.said.get(topic, set())
    for index, line in enumerate(lines):
        if index not in said:
            return turn(line, LINE, index)
    return turn(_line(reactions, "uitgepraat" if lines else "weet-niet", count), SILENT)


def _stranger(voice: str) -> Person:
    return Person(id=voice, wie=voice or "deze persoon", aanwezig=False)


def is_doorvraag(turns: Sequence[Turn], index: int, words: Words) -> bool:
    """Whether turn ``index`` was an open follow-up: an open question to a person about a
    topic that person had opened before, without a label or a "moet"."""
    turn = turns[index]
    if turn.kind not in ANSWERED:
        return False
    reading = read_question(turn.question, words)
    if reading.form != OPEN or reading.judging or reading.scaling:
        return False
    return any(
        earlier.kind in (LINE, NETWORK)
        and earlier.voice == turn.voice
        and earlier.topic == turn.topic
        for earlier in turns[:index]
    )


def questions(turns: Iterable[Turn]) -> list[Turn]:
    """The trainee's questions (the interpreter's arrival is none)."""
    return [turn for turn in turns if turn.kind != INTERPRETER]


def topics_asked(turns: Iterable[Turn]) -> set[str]:
    return {turn.topic for turn in questions(turns)}


def voices_asked(turns: Iterable[Turn]) -> list[str]:
    """The people asked, in the order they were first asked."""
    voices: list[str] = []
    for turn in questions(turns):
        if turn.voice and turn.voice not in voices:
            voices.append(turn.voice)
    return voices
