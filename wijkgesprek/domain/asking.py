"""How a practice question is asked (pure: the word list comes from ``woorden.yaml``).

:func:`read_question` reads a question the way a family hears it:

- its **form**: *open* when a part of it (up to a comma, full stop or question mark)
  starts with an open word (wat, hoe, vertel, …, after leading words such as "en"), or it
  holds an open phrase anywhere ("meer over", "vertellen"); *gesloten* when such a part
  starts with a closed verb (heeft, bent, is) or with a verb followed by a pronoun
  ("Slaapt u …?"); otherwise *overig* ("En de kinderen?"). The first part that decides,
  decides;
- whether it is **leading** (sturend: "…, toch?"), holds **labels** or a form of
  **moeten**, asks **waarom**, is the **scaling question** or asks the reason of a number
  ("Waarom een 4 en geen 2?"), or asks about **dreams and hopes**.

Words match as whole words, ignoring case and accents; a phrase must stand as written.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from wijkgesprek.content.model import HiddenFact, Words
from wijkgesprek.text import fold

OPEN = "open"
CLOSED = "gesloten"
OTHER = "overig"

FORM_NAMES = {OPEN: "open vraag", CLOSED: "gesloten vraag", OTHER: "geen open of gesloten vraag"}

_CLAUSE = re.compile(r"[,.;:!?¿…]+")
_WORD = re.compile(r"\w+(?:['’-]\w+)*")


@dataclass(frozen=True)
class Reading:
    """What the family hears in a question."""

    form: str
    """:data:`OPEN`, :data:`CLOSED` or :data:`OTHER`."""
    leading: bool = False
    labels: tuple[str, ...] = ()
    """Labels and diagnoses of the word list in the question, in the list's order."""
    moeten: tuple[str, ...] = ()
    """Forms of "moeten" in the question."""
    why: bool = False
    scaling: bool = False
    """The scaling question (0–10)."""
    scale_reason: bool = False
    """Asks what a number stands for ("waarom een 4 en geen 2?")."""
    dreams: bool = False

    @property
    def judging(self) -> bool:
        """A label or a "moet": the person feels judged."""
        return bool(self.labels or self.moeten)

    def tags(self) -> list[str]:
        """How the question was read, in a few Dutch words (for the conversation)."""
        tags = [FORM_NAMES[self.form]]
        if self.leading:
            tags.append("sturend")
        tags += [f"label: {label}" for label in self.labels]
        tags += [f"'{word}'" for word in self.moeten]
        if self.why and not self.scale_reason:
            tags.append("waarom")
        if self.scaling:
            tags.append("schaalvraag")
        if self.dreams:
            tags.append("dromen")
        return tags


def _pattern(phrase: str) -> re.Pattern[str]:
    words = [re.escape(word) for word in fold(phrase).split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)")


def found(phrases: Sequence[str], text: str) -> tuple[str, ...]:
    """The phrases (whole words, any case or accents) that occur in ``text``, in order."""
    folded = fold(text)
    return tuple(p for p in phrases if p.strip() and _pattern(p).search(folded))


def _form(text: str, words: Words) -> str:
    vocabulary = words.vragen
    if found(vocabulary.open_zinnen, text):
        return OPEN
    opening = set(vocabulary.open)
    closed = set(vocabulary.gesloten)
    pronouns = set(vocabulary.voornaamwoorden)
    skipped = set(vocabulary.aanloop)
    for clause in _CLAUSE.split(fold(text)):
        tokens = _WORD.findall(clause)
        while tokens and tokens[0] in skipped:
            tokens = tokens[1:]
        if not tokens:
            continue
        if tokens[0] in opening:
            return OPEN
        if tokens[0] in closed or (len(tokens) > 1 and tokens[1] in pronouns):
            return CLOSED
    return OTHER


def read_question(text: str, words: Words) -> Reading:
    """Read ``text`` with the word list (see the module docstring)."""
    vocabulary = words.vragen
    return Reading(
        form=_form(text, words),
        leading=bool(found(vocabulary.sturend, text)),
        labels=found(words.labels, text),
        moeten=found(words.moeten, text),
        why=bool(found(vocabulary.waarom, text)),
        scaling=bool(found(vocabulary.schaal, text)),
        scale_reason=bool(found(vocabulary.schaal_reden, text)),
        dreams=bool(found(vocabulary.dromen, text)),
    )


_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")


def sentences_with(phrases: Sequence[str], text: str) -> list[tuple[str, str]]:
    """Each (phrase, sentence) where a phrase of ``phrases`` occurs in a sentence of
    ``text``: the sentence as written, one line."""
    hits = []
    for match in _SENTENCE.finditer(text):
        sentence = " ".join(match.group().split())
        for phrase in found(phrases, sentence):
            hits.append((phrase, sentence))
    return hits


def fact_found(fact: HiddenFact, text: str) -> bool:
    """Whether one of the fact's key words starts a word of ``text`` ("slaap" finds
    "slaapt"; "uitslaapdagen" does not count), ignoring case and accents."""
    return key_found(fact.sleutelwoorden, text)


def key_found(keys: Sequence[str], text: str) -> bool:
    """Whether one of ``keys`` starts a word of ``text``, ignoring case and accents."""
    folded = fold(text)
    return any(
        re.search(r"(?<!\w)" + re.escape(fold(word.strip())), folded)
        for word in keys
        if word.strip()
    )
