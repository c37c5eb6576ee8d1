"""Searching notes: what a user types → a safe FTS5 query, and snippets as plain parts.

No SQL is run here (see ``store.search``). The rules for what a user types:

- every word becomes a prefix term: ``huur`` → ``"huur"*`` (finds "huurachterstand");
- text between double quotes is a phrase, word for word: ``"geen geld"``;
- all terms must occur (AND), in any order;
- everything else is plain text: FTS5 operators (AND, OR, NOT, NEAR), parentheses,
  ``*``, ``^``, ``-``, ``+``, column filters (``tekst:x``) and a stray quote. Inside a
  word, punctuation separates its parts as it does in the notes: ``e-mail`` is the
  phrase "e mail" (prefix on the last part).

Every term is written as an FTS5 string (double quoted), and the only character that
is special inside such a string, the double quote, never reaches it. So no input can
cause an FTS5 syntax error. Diacritics are folded by the tokenizer (``remove_diacritics
2``), for the notes and the query alike: ``cafe`` finds "café" and ``café`` finds "cafe".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from wijkgesprek.text import visible

NOTE = "notitie"
ADDITION = "aanvulling"

MAX_TERMS = 16
"""Words and phrases beyond this many are ignored (a pasted paragraph stays quick)."""

SnippetPart = tuple[str, bool]
"""A piece of a snippet, already made visible, and whether it is a hit."""


@dataclass(frozen=True)
class SearchHit:
    household_code: str
    visit_id: int
    started_at: datetime
    topic: str
    """The topic id of the guide (``kennismaking``); screens show its title."""
    snippet: tuple[SnippetPart, ...]
    source: str
    """``notitie`` (a note of the visit) or ``aanvulling`` (an addition made later)."""
    rank: float
    """bm25: lower is better."""
    visit_open: bool = False
    """Whether the visit is still open (only then may it be continued)."""
    visit_number: int = 0
    """The visit's number in its household: 1 for the first (by start), as
    ``wijkgesprek export CODE --bezoek N`` counts."""


_PHRASE = re.compile(r'"([^"]*)"')
_SPACE = re.compile(r"\s+")


def _has_token(text: str) -> bool:
    """Whether the tokenizer (unicode61: letters, numbers, private use) finds a word."""
    return any(char.isalnum() or unicodedata.category(char) == "Co" for char in text)


def _plain(text: str) -> str:
    """Control characters (NUL too) become spaces: they separate words anyway."""
    return "".join(" " if unicodedata.category(char) == "Cc" else char for char in text)


def _words(segment: str) -> list[tuple[str, bool]]:
    return [(word, True) for word in segment.split() if _has_token(word)]


def _terms(text: str) -> list[tuple[str, bool]]:
    """What a user typed as terms: (the text of a word or phrase, whether it is a prefix)."""
    text = _plain(text)
    terms: list[tuple[str, bool]] = []
    position = 0
    for match in _PHRASE.finditer(text):
        terms += _words(text[position : match.start()])
        phrase = " ".join(match.group(1).split())
        if _has_token(phrase):
            terms.append((phrase, False))
        position = match.end()
    terms += _words(text[position:].replace('"', " "))  # a stray quote is plain text
    return terms[:MAX_TERMS]


def fts_query(text: str) -> str | None:
    """The FTS5 query for what a user typed; None when there is nothing to look for."""
    terms = _terms(text)
    return " ".join(f'"{term}"*' if prefix else f'"{term}"' for term, prefix in terms) or None


_TOKEN = re.compile(r"\w+")


def ts_terms(text: str) -> tuple[str, tuple[str, ...]] | None:
    """What a user typed, for PostgreSQL's text search: the words as a ``to_tsquery``
    text of prefix terms (only letters and digits, so no operator of the user reaches
    it), and the phrases as plain text for ``phraseto_tsquery``. None: nothing to find."""
    text = _plain(text)
    words: list[str] = []
    phrases: list[str] = []
    position = 0
    for match in _PHRASE.finditer(text):
        words += _TOKEN.findall(text[position : match.start()])
        phrase = " ".join(match.group(1).split())
        if _TOKEN.search(phrase):
            phrases.append(phrase)
        position = match.end()
    words += _TOKEN.findall(text[position:])
    words = [word.replace("_", " ").strip() for word in words]
    terms = [f"{token}:*" for word in words for token in word.split()][:MAX_TERMS]
    if not terms and not phrases:
        return None
    return " & ".join(terms), tuple(phrases[:MAX_TERMS])


# -- snippets ----------------------------------------------------------------------------

MARKERS = (("\x02", "\x03"), ("\x0e", "\x0f"), ("\x1c", "\x1d"), ("\ufdd0", "\ufdd1"))
"""Pairs of characters that mark a hit in FTS5's snippet(); one is chosen per note
that does not occur in the note itself, so every marker in a snippet is FTS5's."""


def markers_for(text: str) -> tuple[str, str]:
    """A marker pair that does not occur in ``text`` (none at all in the absurd case
    that every pair does: then the snippet has no highlighting, but stays literal)."""
    for start, end in MARKERS:
        if start not in text and end not in text:
            return start, end
    return "", ""


def snippet_parts(raw: str, start: str, end: str) -> tuple[SnippetPart, ...]:
    """Split a snippet with markers into parts; every part's text goes through
    ``visible()`` (and line breaks become spaces) before a screen ever sees it, so
    markup and escape codes in a note stay literal."""
    parts: list[SnippetPart] = []
    hit = False
    pieces = re.split(f"({re.escape(start)}|{re.escape(end)})", raw) if start else [raw]
    for piece in pieces:
        if start and piece in (start, end):
            hit = piece == start
            continue
        shown = _SPACE.sub(" ", visible(piece))
        if not shown:
            continue
        if parts and parts[-1][1] == hit:
            parts[-1] = (parts[-1][0] + shown, hit)
        else:
            parts.append((shown, hit))
    return tuple(parts)


def plain_snippet(parts: tuple[SnippetPart, ...], left: str = "«", right: str = "»") -> str:
    """A snippet as one line of plain text, hits between ``left`` and ``right``."""
    return "".join(f"{left}{text}{right}" if hit else text for text, hit in parts).strip()


# -- snippets of long notes ----------------------------------------------------------------

LONG_NOTE = 20_000
"""Notes longer than this many characters get their snippet from :func:`long_snippet`,
not from FTS5's ``snippet()``. That function scores a window at every hit against every
other hit, so its time grows with the square of the hits: a 1.6 MB note whose every
sentence held the word took 21 s. Below this length it costs about a millisecond."""

_WINDOW = 240
"""Characters looked at before and after the first hit (bounds a snippet of a note that
is one enormous word)."""

_FOLDED: dict[int, str] = {}


def _fold_char(char: str) -> str:
    """One character as the tokenizer compares it (lower case, no diacritics), always one
    character long; a separator (not a letter, digit, mark or private-use character)
    becomes a space."""
    category = unicodedata.category(char)
    if not (char.isalnum() or category in ("Co", "Mn")):
        return " "
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    folded = base.lower()
    if len(folded) == 1:
        return folded
    lower = char.lower()
    return lower if len(lower) == 1 else char


def fold_tokens(text: str) -> str:
    """``text`` folded as FTS5's ``unicode61 remove_diacritics 2`` reads it, character for
    character (so positions stay those of ``text``): words in lower case without
    diacritics, every separator a space. One pass over the text."""
    for char in set(text):
        if ord(char) not in _FOLDED:
            _FOLDED[ord(char)] = _fold_char(char)
    return text.translate(_FOLDED)


def _pattern(term: str, prefix: bool) -> re.Pattern[str] | None:
    tokens = fold_tokens(term).split()
    if not tokens:
        return None
    body = " +".join(re.escape(token) for token in tokens)
    return re.compile(rf"(?<!\S){body}" + (r"\S*" if prefix else r"(?!\S)"))


def long_snippet(text: str, typed: str, start: str, end: str, tokens: int) -> str:
    """A snippet of a long note in FTS5's format (hits between ``start`` and ``end``,
    ``…`` where text is left out): about ``tokens`` words from just before the first hit
    of any term of what was ``typed``. Its work does not grow with the number of hits:
    one fold of the text, one search per term for the first hit, then only a window of
    at most ``2 × _WINDOW`` characters is looked at."""
    folded = fold_tokens(text)
    patterns = [p for term, prefix in _terms(typed) if (p := _pattern(term, prefix))]
    firsts = [found.start() for p in patterns if (found := p.search(folded))]
    first = min(firsts, default=0)
    low, high = max(0, first - _WINDOW), min(len(text), first + _WINDOW)
    words = [m.span() for m in re.finditer(r"\S+", folded[low:high])]
    if low > 0 and words and words[0][0] == 0:
        words = words[1:]  # cut off by the window
    if high < len(text) and words and words[-1][1] == high - low:
        words = words[:-1]
    if not words:
        return text[low:high]
    at = next((i for i, (_, stop) in enumerate(words) if low + stop > first), 0)
    chosen = words[max(0, at - 2) :][:tokens]
    begin, finish = low + chosen[0][0], low + chosen[-1][1]
    if low == 0 and chosen[0] == words[0]:
        begin = 0  # from the start of the note, as FTS5 shows it
    if high == len(text) and chosen[-1] == words[-1]:
        finish = len(text)  # to the end, with its full stop
    hits = sorted(
        {m.span() for p in patterns for m in p.finditer(folded, begin, finish)},
    )
    pieces: list[str] = ["…" if begin > 0 else ""]
    position = begin
    for hit_start, hit_end in hits:
        if hit_start < position:
            continue  # overlaps a hit already marked
        pieces += [text[position:hit_start], start, text[hit_start:hit_end], end]
        position = hit_end
    pieces += [text[position:finish], "…" if finish < len(text) else ""]
    return "".join(pieces)
