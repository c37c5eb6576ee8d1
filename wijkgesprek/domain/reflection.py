"""The reflection at the end of a practice conversation (pure: no screens, no database).

:func:`reflect` compares what the trainee did with a practice case: topics touched and
skipped, whether dreams were asked, the kindcheck, whose voices were heard, which hidden
facts surfaced, how often "moeten" and labels were written, and the network suggestions
used. :func:`reflection_markdown` renders it as Dutch Markdown for export.

A hidden fact is *found* when its topic was touched and one of its key words occurs in
that topic's note, as a whole word or as the start of a word ("slaap" finds "slaapt"),
ignoring case and diacritics ("ruzie" finds "RUZIË"). Words and labels are counted as
whole words only ("moet" does not count in "ontmoeting" nor in "moetenstraat").
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from wijkgesprek.content.model import REQUIRED_TOPICS, HiddenFact, PracticeCase, Words
from wijkgesprek.domain.household import describe_children
from wijkgesprek.text import fold


@dataclass(frozen=True)
class WordCount:
    word: str
    count: int


@dataclass(frozen=True)
class Reflection:
    touched: tuple[str, ...]
    """Topic ids touched, in guide order."""
    skipped: tuple[str, ...]
    """Required or good-conversation topics not touched, in guide order."""
    skipped_good: tuple[str, ...]
    """Topics of the case's ``goed_gesprek`` that were skipped."""
    dreams_asked: bool
    kindcheck_needed: bool
    """Whether the household has children (or a pregnancy, or children elsewhere)."""
    kindcheck_done: bool
    voices_heard: tuple[str, ...]
    voices_not_heard: tuple[str, ...]
    facts_found: tuple[HiddenFact, ...]
    facts_missed: tuple[HiddenFact, ...]
    moeten: tuple[WordCount, ...]
    """Each "moeten" form written at least once, with its count."""
    labels: tuple[WordCount, ...]
    """Each label or diagnosis written at least once, with its count."""
    suggestions_used: tuple[str, ...]

    @property
    def moeten_total(self) -> int:
        return sum(item.count for item in self.moeten)

    @property
    def labels_total(self) -> int:
        return sum(item.count for item in self.labels)

    @property
    def safety_facts_missed(self) -> tuple[HiddenFact, ...]:
        return tuple(fact for fact in self.facts_missed if fact.soort == "veiligheid")


def _prefix_pattern(word: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(fold(word.strip())))


def _word_pattern(word: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(fold(word.strip())) + r"(?!\w)")


def fact_found(fact: HiddenFact, note: str) -> bool:
    """Whether one of the fact's key words occurs in ``note`` (whole word or prefix)."""
    folded = fold(note)
    return any(_prefix_pattern(word).search(folded) for word in fact.sleutelwoorden if word.strip())


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
    order += [topic for topic in touched if topic not in order]
    return order


def reflect(
    case: PracticeCase,
    *,
    notes: Mapping[str, str],
    touched: Collection[str],
    kindcheck_done: bool,
    voices: Collection[str],
    suggestions_used: Sequence[str],
    words: Words,
) -> Reflection:
    """Compare a practice conversation with its case (see the module docstring)."""
    touched_set = set(touched)
    order = _guide_order(case, sorted(touched_set))
    touched_in_order = tuple(topic for topic in order if topic in touched_set)
    skipped = tuple(topic for topic in order if topic not in touched_set)
    skipped_good = tuple(topic for topic in case.goed_gesprek if topic not in touched_set)

    noted = {fold(voice.strip()) for voice in voices if voice.strip()}
    heard = [voice for voice in case.stemmen if fold(voice) in noted]
    known = {fold(voice) for voice in case.stemmen}
    heard += sorted(
        {voice.strip() for voice in voices if voice.strip() and fold(voice.strip()) not in known}
    )
    not_heard = tuple(voice for voice in case.stemmen if fold(voice) not in noted)

    found, missed = [], []
    for fact in case.verborgen:
        note = notes.get(fact.onderwerp, "")
        if fact.onderwerp in touched_set and fact_found(fact, note):
            found.append(fact)
        else:
            missed.append(fact)

    texts = [notes[topic] for topic in sorted(notes)]
    used: list[str] = []
    for suggestion in suggestions_used:
        if suggestion.strip() and suggestion.strip() not in used:
            used.append(suggestion.strip())
    return Reflection(
        touched=touched_in_order,
        skipped=skipped,
        skipped_good=skipped_good,
        dreams_asked="dromen" in touched_set,
        kindcheck_needed=case.huishouden.children.any,
        kindcheck_done=kindcheck_done,
        voices_heard=tuple(heard),
        voices_not_heard=not_heard,
        facts_found=tuple(found),
        facts_missed=tuple(missed),
        moeten=count_words(words.moeten, texts),
        labels=count_words(words.labels, texts),
        suggestions_used=tuple(used),
    )


# -- Markdown ------------------------------------------------------------------------------

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]#<>&])")
_LEADING_NUMBER = re.compile(r"^(\d+)([.)])")


def escape_markdown(text: str) -> str:
    """User text as one literal Markdown line: specials backslash-escaped, no list start."""
    line = " ".join(text.split())
    line = _MARKDOWN_SPECIAL.sub(r"\\\1", line)
    if line.startswith(("-", "+")):
        line = "\\" + line
    return _LEADING_NUMBER.sub(r"\1\\\2", line)


def _topics(topics: Sequence[str], titles: Mapping[str, str]) -> str:
    names = [escape_markdown(titles.get(topic, topic)) for topic in topics]
    return ", ".join(names) if names else "geen"


def _counts(counts: Sequence[WordCount]) -> list[str]:
    return [f"- {escape_markdown(item.word)}: {item.count}×" for item in counts]


def _times(count: int) -> str:
    return "1 keer" if count == 1 else f"{count} keer"


def reflection_markdown(
    case: PracticeCase, reflection: Reflection, *, titles: Mapping[str, str]
) -> str:
    """The reflection as a Dutch Markdown document (ends with a newline). ``titles``: the
    guide's topic titles by id (``{topic.id: topic.titel for topic in guide.topics}``),
    so the report names the topics as the guide in use does."""
    r = reflection
    household = case.huishouden
    lines = [
        f"# Reflectie oefengesprek: {escape_markdown(case.titel)}",
        "",
        f"Oefencasus {escape_markdown(household.code)}, wijk {escape_markdown(household.wijk)}, "
        f"kinderen: {escape_markdown(describe_children(household.children))}.",
        "",
        "## Onderwerpen",
        "",
        f"- Besproken: {_topics(r.touched, titles)}",
        f"- Overgeslagen: {_topics(r.skipped, titles)}",
    ]
    if r.skipped_good:
        lines.append(
            "- Overgeslagen, terwijl het bij een goed gesprek hoort: "
            f"{_topics(r.skipped_good, titles)}"
        )
    lines += ["", "## Dromen en hoop", ""]
    lines.append(
        "U heeft gevraagd naar dromen en hoop."
        if r.dreams_asked
        else "U heeft niet gevraagd naar dromen en hoop. Wat hoopt het gezin voor zichzelf?"
    )
    lines += ["", "## Kindcheck", ""]
    if r.kindcheck_done:
        lines.append("De kindcheck is gedaan.")
    elif r.kindcheck_needed:
        lines.append("De kindcheck is niet gedaan, terwijl er kinderen in beeld zijn.")
    else:
        lines.append("De kindcheck is niet gedaan.")
    lines += ["", "## Stemmen", ""]
    lines.append(f"- Gehoord: {', '.join(map(escape_markdown, r.voices_heard)) or 'niemand'}")
    lines.append(
        f"- Niet gehoord: {', '.join(map(escape_markdown, r.voices_not_heard)) or 'niemand'}"
    )
    lines += ["", "## Verborgen feiten", "", f"### Gevonden ({len(r.facts_found)})", ""]
    lines += [f"- {escape_markdown(fact.feit)}" for fact in r.facts_found] or ["Geen."]
    lines += ["", f"### Gemist ({len(r.facts_missed)})", ""]
    for fact in r.facts_missed:
        mark = " (veiligheid)" if fact.soort == "veiligheid" else ""
        topic = _topics([fact.onderwerp], titles)
        lines.append(f"- {escape_markdown(fact.feit)}{mark} (onderwerp: {topic})")
    if not r.facts_missed:
        lines.append("Geen.")
    lines += ["", "## Woordkeuze", ""]
    lines.append(f"U schreef {_times(r.moeten_total)} een vorm van 'moeten'.")
    if r.moeten:
        lines += ["", *_counts(r.moeten)]
    lines += ["", f"U gebruikte {_times(r.labels_total)} een label of diagnose."]
    if r.labels:
        lines += ["", *_counts(r.labels)]
    lines += ["", "## Netwerksuggesties", ""]
    lines += [f"- {escape_markdown(name)}" for name in r.suggestions_used] or [
        "Geen netwerksuggesties gebruikt."
    ]
    return "\n".join(lines) + "\n"
