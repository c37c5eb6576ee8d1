"""A practice conversation with an invented family (pure: no screens, no database).

The trainee asks a question under a topic; :func:`answer` decides what the family says:

1. a hidden fact of that topic not yet told, when the question holds one of its key
   words (a whole word or the start of a word, as in :func:`reflection.fact_found`);
2. otherwise the next scripted line of that topic;
3. otherwise a quiet "nothing to add".

:func:`texts_by_topic` joins what the trainee wrote and asked per topic, the input of
:func:`reflection.reflect`; :func:`score` condenses a reflection into one line of
progress, so attempts at the same case can be compared.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from wijkgesprek.content.model import PracticeCase, Words
from wijkgesprek.domain.reflection import Reflection, fact_found, reflect
from wijkgesprek.domain.safety import SafetyEntry, kindcheck_outcome
from wijkgesprek.domain.visit import AGREEMENTS_TOPIC, SAFETY_TOPIC, VisitRecord, is_touched

LINE = "regel"
"""The family said the next scripted line of the topic."""
FACT = "feit"
"""A hidden fact surfaced."""
SILENT = "stil"
"""The family had nothing more to say on the topic."""

SILENT_ANSWER = (
    "(Het gezin heeft hier nu niets meer over te vertellen. Probeer een ander onderwerp.)"
)
OPEN_QUESTION = "Vertelt u eens…"
"""The question recorded when the trainee asks without typing one."""


@dataclass(frozen=True)
class Turn:
    """One question and the family's answer."""

    topic: str
    voice: str
    """Whom the trainee asked (one of the case's ``stemmen``)."""
    question: str
    answer: str
    kind: str
    """:data:`LINE`, :data:`FACT` or :data:`SILENT`."""
    number: int = 0
    """The index of the line (in the topic's answers) or of the fact (in ``verborgen``)."""


def answer(
    case: PracticeCase, *, topic: str, question: str, voice: str, turns: Sequence[Turn]
) -> Turn:
    """What the family says to ``question`` under ``topic`` after ``turns`` (see module)."""
    question = question.strip() or OPEN_QUESTION
    told = {turn.number for turn in turns if turn.kind == FACT}
    for index, fact in enumerate(case.verborgen):
        if fact.onderwerp == topic and index not in told and fact_found(fact, question):
            return Turn(topic, voice, question, fact.feit, FACT, index)
    said = {turn.number for turn in turns if turn.kind == LINE and turn.topic == topic}
    for index, line in enumerate(case.answers(topic)):
        if index not in said:
            return Turn(topic, voice, question, line, LINE, index)
    return Turn(topic, voice, question, SILENT_ANSWER, SILENT)


def texts_by_topic(notes: Mapping[str, str], turns: Iterable[Turn]) -> dict[str, str]:
    """Per topic: the note and every question asked, as one text for the reflection."""
    texts = {topic: text for topic, text in notes.items() if text.strip()}
    for turn in turns:
        if turn.question != OPEN_QUESTION:
            texts[turn.topic] = f"{texts.get(turn.topic, '')}\n{turn.question}".strip()
    return texts


def topics_asked(turns: Iterable[Turn]) -> set[str]:
    return {turn.topic for turn in turns}


def voices_asked(turns: Iterable[Turn]) -> list[str]:
    """The people asked, in the order they were first asked."""
    voices: list[str] = []
    for turn in turns:
        if turn.voice and turn.voice not in voices:
            voices.append(turn.voice)
    return voices


def reflect_attempt(
    case: PracticeCase,
    words: Words,
    *,
    record: VisitRecord,
    entries: Sequence[SafetyEntry],
    turns: Sequence[Turn],
) -> Reflection:
    """The reflection on one attempt, from what was recorded in its visit.

    A topic counts as touched when something was written or recorded for it (as in a
    real visit) or when the family was asked about it."""
    candidates = {*record.notes, SAFETY_TOPIC, AGREEMENTS_TOPIC}
    touched = {topic for topic in candidates if is_touched(topic, record)}
    return reflect(
        case,
        notes=texts_by_topic({t: n.text for t, n in record.notes.items()}, turns),
        touched=touched | topics_asked(turns),
        kindcheck_done=kindcheck_outcome(entries) is not None,
        voices=voices_asked(turns),
        suggestions_used=[r.naam for r in record.referrals if r.visit_id == record.id],
        words=words,
    )


@dataclass(frozen=True)
class Score:
    """One attempt in a line, to see progress over attempts."""

    number: int
    """1 for the first attempt at the case."""
    started_at: datetime
    ended: bool
    topics: int
    """Topics of the case's good conversation that were touched."""
    topics_total: int
    facts: int
    facts_total: int
    kindcheck: bool
    voices: int
    voices_total: int
    moeten: int
    labels: int


def score(
    case: PracticeCase, reflection: Reflection, *, number: int, started_at: datetime, ended: bool
) -> Score:
    good = case.goed_gesprek
    touched = set(reflection.touched)
    return Score(
        number=number,
        started_at=started_at,
        ended=ended,
        topics=sum(1 for topic in good if topic in touched),
        topics_total=len(good),
        facts=len(reflection.facts_found),
        facts_total=len(case.verborgen),
        kindcheck=reflection.kindcheck_done,
        voices=len([v for v in reflection.voices_heard if v in case.stemmen]),
        voices_total=len(case.stemmen),
        moeten=reflection.moeten_total,
        labels=reflection.labels_total,
    )


PROGRESS_HEADER = (
    "Nr",
    "Datum",
    "Onderwerpen",
    "Feiten",
    "Kindcheck",
    "Stemmen",
    "Moeten",
    "Labels",
)


def progress_row(item: Score) -> tuple[str, ...]:
    """A score as the cells of a progress table (Dutch), matching :data:`PROGRESS_HEADER`."""
    return (
        f"{item.number}" + ("" if item.ended else " (open)"),
        f"{item.started_at.astimezone():%d-%m-%Y}",  # the day where the user is
        f"{item.topics}/{item.topics_total}",
        f"{item.facts}/{item.facts_total}",
        "ja" if item.kindcheck else "nee",
        f"{item.voices}/{item.voices_total}",
        str(item.moeten),
        str(item.labels),
    )


def progress_markdown(scores: Sequence[Score]) -> str:
    """The attempts as a Markdown table ("" without attempts)."""
    if not scores:
        return ""
    lines = ["| " + " | ".join(PROGRESS_HEADER) + " |", "|" + "---|" * len(PROGRESS_HEADER)]
    lines += ["| " + " | ".join(progress_row(item)) + " |" for item in scores]
    return "\n".join(lines) + "\n"
