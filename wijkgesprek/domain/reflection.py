"""The reflection at the end of a practice conversation (pure: no screens, no database).

:func:`reflect` looks back at one attempt: the trainee's questions and what the family
answered (the turns), the notes, and the safety trail of the visit. Everything counts
from what happened, never from what the trainee wrote down: a hidden fact is *found*
only when the family told it in a turn. It shows the topics touched (and skipped, once),
the share of open and closed questions, the doorvragen per topic, the labels and forms
of "moeten" with the sentence they were in, whose voices were heard, whether dreams and
hopes and the scaling question were asked, whether a kindcheck "zorgen" was followed by
the Meldcode, whether a next contact was set, and for a case with a network: who of it
the family told about, who was put on the attempt's netwerkkaart (a map person whose role
holds the case's role as a whole word) and who could do more.
:func:`wijkgesprek.domain.reflection_text.reflection_markdown` writes it down, each part
with one line of why it matters.

Words and labels are counted as whole words only ("moet" does not count in "ontmoeting").
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from wijkgesprek.content.model import (
    REQUIRED_TOPICS,
    CaseNetworkPerson,
    HiddenFact,
    PracticeCase,
    Words,
)
from wijkgesprek.domain.asking import CLOSED, OPEN, OTHER, read_question, sentences_with
from wijkgesprek.domain.network_map import Person as MapPerson
from wijkgesprek.domain.practice import (
    ABSENT,
    ANSWERED,
    FACT,
    GUARDED,
    JUDGED,
    NETWORK,
    NOT_UNDERSTOOD,
    SCALE,
    SCALE_REASON,
    Turn,
    has_interpreter,
    is_doorvraag,
    questions,
    topics_asked,
)
from wijkgesprek.domain.safety import ASSESS, CONSULT, STEP, SafetyEntry, current, kindcheck_outcome
from wijkgesprek.domain.safety import SCALE as SAFETY_SCALE
from wijkgesprek.domain.visit import (
    AGREEMENTS_TOPIC,
    NETWORK_TOPIC,
    SAFETY_TOPIC,
    VisitRecord,
    is_touched,
)
from wijkgesprek.text import fold


@dataclass(frozen=True)
class WordCount:
    word: str
    count: int


@dataclass(frozen=True)
class Judging:
    """A label or a form of "moeten", with the sentence it was in."""

    word: str
    sentence: str
    topic: str
    in_question: bool
    """In a question to the family (else in the trainee's note)."""


@dataclass(frozen=True)
class Reflection:
    touched: tuple[str, ...]
    """Topic ids touched, in guide order."""
    skipped: tuple[str, ...]
    """Required or good-conversation topics not touched, in guide order (once)."""
    asked: int
    """Questions asked."""
    forms: Mapping[str, int]
    """Questions per form (open, gesloten, overig)."""
    doorvragen: tuple[tuple[str, int], ...]
    """(topic, number of doorvragen) for every topic asked about, in guide order."""
    guarded: int
    """Answers given while feeling judged or guarded."""
    judging: tuple[Judging, ...]
    moeten: tuple[WordCount, ...]
    labels: tuple[WordCount, ...]
    voices_heard: tuple[str, ...]
    """Person ids who answered a question, in the case's order."""
    voices_not_heard: tuple[str, ...]
    absent_asked: tuple[str, ...]
    """Absent persons the trainee tried to ask."""
    not_understood: tuple[str, ...]
    """Persons asked without the interpreter they needed."""
    interpreter: bool
    dreams_asked: bool
    scaling: tuple[tuple[str, int], ...]
    """(person, number) for each person who gave a number."""
    scale_reasons: tuple[str, ...]
    """Persons asked for the reason of their number."""
    scaling_recorded: bool
    """Scaling numbers were recorded in the safety check."""
    kindcheck_needed: bool
    kindcheck: str | None
    """The kindcheck outcome recorded (``zorgen``, …) or None."""
    meldcode_steps: tuple[str, ...]
    """Meldcode steps started or done ("1".."5")."""
    meldcode_consulted: bool
    meldcode_assessed: bool
    next_contact: bool
    facts_found: tuple[HiddenFact, ...]
    facts_missed: tuple[HiddenFact, ...]
    suggestions_used: tuple[str, ...]
    network_found: tuple[CaseNetworkPerson, ...] = ()
    """The case's network people the family told about, in the case's order."""
    network_mapped: tuple[CaseNetworkPerson, ...] = ()
    """The case's network people on the attempt's netwerkkaart."""
    network_marked_more: tuple[CaseNetworkPerson, ...] = ()
    """Of those on the map: the ones marked there as could or would do more."""
    map_size: int | None = None
    """People on the attempt's netwerkkaart; None: no map was made."""

    @property
    def network_mapped_at_all(self) -> bool:
        """Anyone is on the attempt's netwerkkaart."""
        return bool(self.map_size)

    @property
    def kindcheck_done(self) -> bool:
        return self.kindcheck not in (None, "niet-gedaan")

    @property
    def meldcode_followed(self) -> bool | None:
        """After a kindcheck "zorgen": whether the Meldcode was followed; else None."""
        if self.kindcheck != "zorgen":
            return None
        return bool(self.meldcode_steps or self.meldcode_consulted or self.meldcode_assessed)

    @property
    def moeten_total(self) -> int:
        return sum(item.count for item in self.moeten)

    @property
    def labels_total(self) -> int:
        return sum(item.count for item in self.labels)

    @property
    def safety_facts_missed(self) -> tuple[HiddenFact, ...]:
        return tuple(fact for fact in self.facts_missed if fact.soort == "veiligheid")


def _word_pattern(word: str) -> re.Pattern[str]:
    words = [re.escape(part) for part in fold(word).split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)")


def count_words(words: Sequence[str], texts: Sequence[str]) -> tuple[WordCount, ...]:
    """How often each word occurs as a whole word in ``texts``; only words found, in order."""
    folded = [fold(text) for text in texts]
    counts = []
    for word in words:
        if not word.strip():
            continue
        pattern = _word_pattern(word)
        count = sum(len(pattern.findall(text)) for text in folded)
        if count:
            counts.append(WordCount(word, count))
    return tuple(counts)


def _guide_order(case: PracticeCase, touched: Collection[str]) -> list[str]:
    order = list(REQUIRED_TOPICS)
    order += [topic for topic in case.goed_gesprek if topic not in order]
    order += [topic for topic in sorted(touched) if topic not in order]
    return order


def reflect(
    case: PracticeCase,
    words: Words,
    *,
    notes: Mapping[str, str],
    turns: Sequence[Turn],
    touched: Collection[str],
    entries: Sequence[SafetyEntry],
    next_contact: bool,
    suggestions_used: Sequence[str],
    network_map: Sequence[MapPerson] | None = None,
) -> Reflection:
    """Look back at an attempt (see the module docstring). ``turns``: the questions and
    answers in order; ``touched``: the topics written in, recorded or asked about;
    ``network_map``: the attempt's netwerkkaart (None: none was made)."""
    asked = questions(turns)
    touched_set = set(touched)
    order = _guide_order(case, touched_set)
    readings = [read_question(turn.question, words) for turn in asked]
    forms = {form: sum(1 for r in readings if r.form == form) for form in (OPEN, CLOSED, OTHER)}
    doorvragen = [asked[i] for i in range(len(asked)) if is_doorvraag(asked, i, words)]
    asked_topics = {turn.topic for turn in asked}

    answered = [turn for turn in asked if turn.kind in ANSWERED]
    heard = {turn.voice for turn in answered}
    texts = [(turn.topic, turn.question, True) for turn in asked]
    texts += [(topic, text, False) for topic, text in sorted(notes.items()) if text.strip()]
    judging = [
        Judging(word, sentence, topic, in_question)
        for topic, text, in_question in texts
        for word, sentence in sentences_with((*words.labels, *words.moeten), text)
    ]
    told = {turn.number for turn in turns if turn.kind == FACT}
    network_told = {turn.number for turn in turns if turn.kind == NETWORK}
    on_map = {
        index: found
        for index, someone in enumerate(case.netwerk)
        if (found := map_person(someone, network_map or ())) is not None
    }
    scaled = {turn.voice: turn.number for turn in answered if turn.kind == SCALE}
    reasons = {turn.voice for turn in answered if turn.kind == SCALE_REASON}
    outcome = kindcheck_outcome(entries)
    steps = tuple(sorted(k for k, e in current(entries, STEP).items() if e.value != "open"))
    used: list[str] = []
    for suggestion in suggestions_used:
        if suggestion.strip() and suggestion.strip() not in used:
            used.append(suggestion.strip())
    return Reflection(
        touched=tuple(topic for topic in order if topic in touched_set),
        skipped=tuple(
            topic
            for topic in order
            if topic not in touched_set and (topic in REQUIRED_TOPICS or topic in case.goed_gesprek)
        ),
        asked=len(asked),
        forms=forms,
        doorvragen=tuple(
            (topic, sum(1 for turn in doorvragen if turn.topic == topic))
            for topic in order
            if topic in asked_topics
        ),
        guarded=sum(1 for turn in answered if turn.kind in (JUDGED, GUARDED)),
        judging=tuple(judging),
        moeten=count_words(words.moeten, [text for _, text, _ in texts]),
        labels=count_words(words.labels, [text for _, text, _ in texts]),
        voices_heard=tuple(person for person in case.stemmen if person in heard),
        voices_not_heard=tuple(person for person in case.stemmen if person not in heard),
        absent_asked=_in_order(case, {t.voice for t in asked if t.kind == ABSENT}),
        not_understood=_in_order(case, {t.voice for t in asked if t.kind == NOT_UNDERSTOOD}),
        interpreter=has_interpreter(turns),
        dreams_asked=any(
            turn.topic == "dromen" or reading.dreams
            for turn, reading in zip(asked, readings, strict=True)
            if turn.kind in ANSWERED
        ),
        scaling=tuple((person, scaled[person]) for person in case.stemmen if person in scaled),
        scale_reasons=_in_order(case, reasons),
        scaling_recorded=bool(current(entries, SAFETY_SCALE)),
        kindcheck_needed=case.huishouden.children.any,
        kindcheck=outcome.value if outcome is not None else None,
        meldcode_steps=steps,
        meldcode_consulted=bool(current(entries, CONSULT)),
        meldcode_assessed=bool(current(entries, ASSESS)),
        next_contact=next_contact,
        facts_found=tuple(fact for i, fact in enumerate(case.verborgen) if i in told),
        facts_missed=tuple(fact for i, fact in enumerate(case.verborgen) if i not in told),
        suggestions_used=tuple(used),
        network_found=tuple(p for i, p in enumerate(case.netwerk) if i in network_told),
        network_mapped=tuple(p for i, p in enumerate(case.netwerk) if i in on_map),
        network_marked_more=tuple(
            p for i, p in enumerate(case.netwerk) if i in on_map and on_map[i].more
        ),
        map_size=None if network_map is None else len(network_map),
    )


def map_person(someone: CaseNetworkPerson, people: Sequence[MapPerson]) -> MapPerson | None:
    """The person on the netwerkkaart who is ``someone`` of the case: the case's role as a
    whole word in the map's role, any case ("zus" is on the map as "zus van moeder")."""
    pattern = _word_pattern(someone.rol)
    return next((person for person in people if pattern.search(fold(person.role))), None)


def reflect_attempt(
    case: PracticeCase,
    words: Words,
    *,
    record: VisitRecord,
    entries: Sequence[SafetyEntry],
    turns: Sequence[Turn],
) -> Reflection:
    """The reflection on one attempt, from what was recorded in its visit. A topic counts
    as touched when something was written or recorded for it (as in a real visit: the
    netwerkkaart made in it touches the network) or when the family was asked about it."""
    candidates = {*record.notes, SAFETY_TOPIC, AGREEMENTS_TOPIC, NETWORK_TOPIC}
    touched = {topic for topic in candidates if is_touched(topic, record)}
    return reflect(
        case,
        words,
        notes={topic: note.text for topic, note in record.notes.items()},
        turns=turns,
        touched=touched | topics_asked(turns),
        entries=entries,
        next_contact=record.next_contact is not None,
        suggestions_used=[r.naam for r in record.referrals if r.visit_id == record.id],
        network_map=record.network,
    )


def _in_order(case: PracticeCase, persons: Collection[str]) -> tuple[str, ...]:
    return tuple(person for person in case.stemmen if person in persons)
