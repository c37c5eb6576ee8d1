"""Two versions of one note saved at the same time, merged three-way.

Each side remembers the text it started from (the *base*). On a conflict the changes
base → mine and base → theirs are laid over each other, word by word (each white-space
character a word of its own): what only one side changed is taken from that side, what
both changed alike is taken once. Where both wrote something different at the same
place, both pieces are kept whole, with a line between naming who wrote the other piece
and when — so nothing typed is lost, nothing is in the note twice, and the note grows
only by what was typed (and a line per such place).

Mine comes first, unless both inserted right after an unfinished sentence of the base
and theirs goes on with it more clearly (a small letter rather than a capital, no space
of its own, fewer words to a full stop): ``A0: `` + ``zin van A.`` stays one sentence,
and a new `` B0: …`` goes below the line (for a colleague it then says *hierboven*).
White space alone needs no line, and what a side types on above a line an earlier merge
put there stays above it.

A deletion never removes what the other side typed at the same place: that text stays.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from difflib import SequenceMatcher

_TOKEN = re.compile(r"\s|\S+")
EXACT_LIMIT = 1000
"""Above this many differing words a diff uses ``difflib``'s heuristic for frequent
words (fast; on such large differences a slightly coarser diff is fine)."""

Edit = tuple[int, int, list[str], int]
"""A change of one side: base words ``[start, end)`` become ``words``; the side (0 mine,
1 theirs)."""


@dataclass(frozen=True)
class Merged:
    text: str
    conflicts: int
    """Places where both wrote something different: each kept both, with a marker line."""
    cursor: int | None = None
    """Where the place asked for in mine is in ``text`` (None when none was asked)."""


def marker(who: str, when: datetime, *, above: bool = False) -> str:
    """The line between two pieces written at the same place, naming who wrote the other
    piece: the one below it, or (``above``) the one above it. Another window on this
    laptop (``who`` '') wrote the user's own words either way: that line is the same."""
    if not who:
        return f"— tegelijk geschreven in een ander venster ({when.astimezone():%H:%M}) —"
    where = "hierboven " if above else ""
    return f"— {where}tegelijk geschreven door {who} ({when.astimezone():%H:%M}) —"


_MARKER = r"— (?:hierboven )?tegelijk geschreven [^\n]* \(\d\d:\d\d\) —"
_BEGINS_WITH_MARKER = re.compile(rf"\s*{_MARKER}(?:\n|$)")
_ENDS_WITH_MARKER = re.compile(rf"(?:^|\n){_MARKER}\n\s*$")


def words(text: str) -> list[str]:
    """``text`` as words and single white-space characters; joined they give ``text``
    back. (Spaces one by one: a space typed next to a space is an insertion, not a change
    of the base's white space.)"""
    return _TOKEN.findall(text)


def _changes(
    old: list[str], new: list[str], *, end_first: bool = True
) -> list[tuple[int, int, int, int]]:
    """The changed ranges ``(i1, i2, j1, j2)``: ``old[i1:i2]`` became ``new[j1:j2]``.

    ``end_first``: a common end holding a word that begins on the line below a marker
    line in ``new`` is matched before the common start. A merge put this side's piece
    there, below the other's, and it goes on typing there: the words it started from are
    found there, not where the same words happen to begin the other side's piece. (White
    space alone does not count: it is everywhere. Nor does a common end elsewhere: two
    pieces one after the other may end alike, and the first is the one typed on.)
    """
    end_old, end_new, start = len(old), len(new), 0
    if end_first:
        while end_old and end_new and old[end_old - 1] == new[end_new - 1]:
            end_old, end_new = end_old - 1, end_new - 1
        if all(word.isspace() for word in old[end_old:]) or not _below_marker(new, end_new):
            end_old, end_new = len(old), len(new)
    while start < min(end_old, end_new) and old[start] == new[start]:
        start += 1
    while end_old > start and end_new > start and old[end_old - 1] == new[end_new - 1]:
        end_old, end_new = end_old - 1, end_new - 1
    if start == end_old and start == end_new:
        return []
    middle_old, middle_new = old[start:end_old], new[start:end_new]
    exact = len(middle_old) + len(middle_new) <= EXACT_LIMIT
    matcher = SequenceMatcher(None, middle_old, middle_new, autojunk=not exact)
    return [
        (i1 + start, i2 + start, j1 + start, j2 + start)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]


def _below_marker(new: list[str], at: int) -> bool:
    """Whether the words from ``at`` on begin on the line below a marker line."""
    while at < len(new) and new[at].isspace():
        at += 1
    return bool(_ENDS_WITH_MARKER.search("".join(new[max(0, at - 60) : at])))


def _edits(base: list[str], side: list[str], number: int) -> list[Edit]:
    return [(i1, i2, side[j1:j2], number) for i1, i2, j1, j2 in _changes(base, side)]


def _touch(start: int, end: int, edit: Edit) -> bool:
    """Whether ``edit`` changes the same place as the base range ``[start, end)``: they
    overlap, one is an insertion inside the other, or both insert at one point. Changes
    that only meet at a border do not touch."""
    other_start, other_end = edit[0], edit[1]
    if start == end and other_start == other_end:
        return start == other_start
    if start == end:
        return other_start < start < other_end
    if other_start == other_end:
        return start < other_start < end
    return other_start < end and start < other_end


def _apply(base: list[str], start: int, end: int, edits: list[Edit]) -> list[str]:
    """``base[start:end]`` with ``edits`` (all within it, in order) applied."""
    result: list[str] = []
    at = start
    for edit_start, edit_end, new, _ in edits:
        result += base[at:edit_start] + new
        at = edit_end
    return result + base[at:end]


def _strip(piece: list[str], *, start: bool = True) -> list[str]:
    """``piece`` without white space at its end (and, ``start``, at its start)."""
    first, end = 0, len(piece)
    while start and first < end and piece[first].isspace():
        first += 1
    while end > first and piece[end - 1].isspace():
        end -= 1
    return piece[first:end]


def _holds(whole: list[str], part: list[str]) -> bool:
    """Whether ``whole`` begins with all of ``part`` (the same words typed on), or ends
    with all of it below a marker line (a merge merged again, the other piece below).
    Words, not letters; white space at their ends aside, but not at the start of a
    beginning: ``zin van`` does not begin with `` zin``. Anything holds what is only
    white space or gone."""
    head, tail = _strip(part, start=False), _strip(part)
    if _strip(whole, start=False)[: len(head)] == head:
        return True
    whole = _strip(whole)
    above = len(whole) - len(tail)
    return whole[above:] == tail and (above == 0 or _below_marker(whole, above))


_OPEN_END = re.compile(r"[^.!?…\s][^\S\n]*$")
"""Text ending in an unfinished sentence (no full stop, question or exclamation mark,
not a new line); white space after it aside."""


def _goes_on(before: str, piece: list[str]) -> tuple[bool, bool, int]:
    """How clearly ``piece``, inserted right after ``before``, goes on with the unfinished
    sentence ``before`` ends in (the larger, the clearer): first whether its first word
    could (not on a new line, not a capital), then whether it follows without a space of
    its own, then the fewer words it takes to end a sentence (a new one takes a whole
    one; a piece that ends none, a word more and at least two). Nothing goes on where
    ``before`` ends no unfinished sentence."""
    if not _OPEN_END.search(before):
        return False, False, 0
    rest = "".join(piece).lstrip(" \t")
    small = bool(rest) and rest[0] != "\n" and not rest[0].isupper()
    said = [word for word in piece if not word.isspace()]
    ends = [i for i, word in enumerate(said) if word[-1] in ".!?…"]
    return small, not piece[0].isspace(), -(ends[0] + 1 if ends else max(len(said) + 1, 2))


@dataclass(frozen=True)
class _Place:
    """The text of one place both changed, and where mine's piece is in it."""

    text: str
    marked: bool
    """Whether a marker line was put between the two pieces."""
    mine_at: int | None = 0
    """Where mine's piece begins in ``text`` (None: it is not in it)."""
    dropped: int = 0
    """Characters at the start of mine's piece left out (white space below a line)."""


def _stacked(upper: str, lower: str, line: str, *, mine_below: bool) -> _Place:
    """Both pieces: ``upper``, the marker ``line``, ``lower`` (white space before it out)."""
    below = lower.lstrip()
    text = upper + ("" if upper.endswith("\n") else "\n") + line + "\n" + below
    if not mine_below:
        return _Place(text, True)
    return _Place(text, True, len(text) - len(below), len(lower) - len(below))


def _joined(own: str, other: str, *, mine_first: bool) -> _Place:
    """Both pieces, one right after the other (no marker line)."""
    return _Place(own + other, False) if mine_first else _Place(other + own, False, len(other))


def _both(mine: list[str], theirs: list[str], line: str) -> _Place:
    """One place both changed, not only by inserting there.

    When one piece begins or ends with all of the other (the same words typed on, or a
    merge merged again), the larger is taken; when one is only white space or gone (a
    deletion never removes what the other typed), the other. Otherwise both whole
    pieces, mine first, then a marker line and theirs."""
    own, other = "".join(mine), "".join(theirs)
    if own == other or _holds(mine, theirs):
        return _Place(own, False)
    if _holds(theirs, mine):
        return _Place(other, False, None)
    return _stacked(own, other, line, mine_below=False)


def _inserted(mine: list[str], theirs: list[str], lines: tuple[str, str], before: str) -> _Place:
    """Both inserted a piece right after ``before`` (the base up to the place);
    ``lines``: the marker line for theirs below and above mine.

    A piece that begins with a marker line (an earlier merge put it below the other
    side's piece) stays below what the other side typed on at that place. White space
    alone goes with the other piece without a marker line: after it where that goes on
    more clearly with an unfinished sentence ``before`` ends in (``_goes_on``), else
    before it. When one piece begins with all of the other, or ends with all of it below
    a marker line, the larger is taken. Otherwise both whole pieces with a marker line
    between: first the one that goes on more clearly, mine on a tie."""
    own, other = "".join(mine), "".join(theirs)
    if own == other:
        return _Place(own, False)
    if _BEGINS_WITH_MARKER.match(own) or _BEGINS_WITH_MARKER.match(other):
        return _joined(own, other, mine_first=not _BEGINS_WITH_MARKER.match(own))
    if own.isspace() or other.isspace():
        space, said = (mine, theirs) if own.isspace() else (theirs, mine)
        space_first = _goes_on(before, said) <= _goes_on(before, space)
        return _joined(own, other, mine_first=space_first == own.isspace())
    if _holds(mine, theirs):
        return _Place(own, False)
    if _holds(theirs, mine):
        return _Place(other, False, None)
    if _goes_on(before, mine) >= _goes_on(before, theirs):
        return _stacked(own, other, lines[0], mine_below=False)
    return _stacked(other, own, lines[1], mine_below=True)


class _Output:
    """The merged text as it is put together, following a place (the cursor) in mine."""

    def __init__(self, cursor: int | None) -> None:
        self.parts: list[str] = []
        self.cursor = cursor
        self.found: int | None = None
        self._mine = self._out = 0

    def add(self, text: str, mine_length: int, mine_at: int | None = 0, dropped: int = 0) -> None:
        """``text`` stands where mine had ``mine_length`` characters: mine's from
        ``mine_at`` on (its first ``dropped`` left out), or (None) others: the cursor then
        goes before or after it."""
        if self.cursor is not None and self.found is None:
            offset = self.cursor - self._mine
            if mine_at is not None and offset <= mine_length:
                self.found = self._out + mine_at + max(0, offset - dropped)
            elif mine_at is None and offset == 0:
                self.found = self._out
            elif mine_at is None and offset < mine_length:
                self.found = self._out + len(text)
        self.parts.append(text)
        self._mine += mine_length
        self._out += len(text)


def merge_notes(
    base: str,
    mine: str,
    theirs: str,
    *,
    who: str,
    when: datetime,
    cursor: int | None = None,
    mine_first: bool = False,
) -> Merged:
    """Merge ``mine`` and ``theirs``, both written on ``base``. ``who`` wrote theirs
    ('' when unknown: another window on this laptop), saved at ``when``. ``cursor``, a
    place in mine, is followed into the merged text (``Merged.cursor``): when mine is
    base with one piece typed before the cursor, that piece is the change, exactly.
    ``mine_first`` (see :func:`rebase`): where both only inserted at one place, mine goes
    first and theirs after it, without a marker."""
    if mine == theirs or theirs == base:
        return Merged(mine, 0, cursor)
    if mine == base:
        return Merged(theirs, 0, None if cursor is None else follow(mine, theirs, cursor))
    old, own, other = words(base), words(mine), words(theirs)
    lines = marker(who, when), marker(who, when, above=True)
    typed = _typed(old, base, mine, cursor)
    edits = _edits(old, own, 0) if typed is None else typed
    return _merge(old, edits, _edits(old, other, 1), lines, cursor, mine_first)


def rebase(
    sent: str, mine: str, merged: str, *, who: str, when: datetime, cursor: int | None = None
) -> Merged:
    """``mine``, typed on ``sent`` while the server merged ``sent`` with a colleague's
    version into ``merged``: mine's new words on top of the merged text. Where ``merged``
    put the colleague's piece (with its marker line) right after a piece of ``sent``, what
    was typed on at that place goes on ``sent``'s piece: before theirs, never with a
    second marker, and nothing of ``sent`` twice. (Where theirs went above ``sent``'s
    piece, typing on at its end is no collision at all.)"""
    return merge_notes(sent, mine, merged, who=who, when=when, cursor=cursor, mine_first=True)


def _joins(left: str, right: str) -> bool:
    """Whether two characters side by side belong to one word."""
    return not left.isspace() and not right.isspace()


def _typed(old: list[str], base: str, mine: str, cursor: int | None) -> list[Edit] | None:
    """Mine as one piece typed just before the cursor, when that is all that changed (the
    usual case): the exact change, also where it continues a word. None otherwise."""
    if cursor is None:
        return None
    at = cursor - (len(mine) - len(base))
    if not 0 <= at < cursor or mine[:at] + mine[cursor:] != base:
        return None
    text = mine[at:cursor]
    starts = [0]
    for word in old:
        starts.append(starts[-1] + len(word))
    index = next((i for i, start in enumerate(starts) if start >= at), len(old))
    first = index - 1 if at > 0 and _joins(base[at - 1], text[0]) else index
    if starts[index] > at:  # inside a word: all of it
        first, index = index - 1, index - 1
    last = index + 1 if at < len(base) and _joins(text[-1], base[at]) else index
    if starts[index] < at:
        last = index + 1
    new = base[starts[first] : at] + text + base[at : starts[last]]
    return [(first, last, words(new), 0)]


def _merge(
    old: list[str],
    mine: list[Edit],
    theirs: list[Edit],
    lines: tuple[str, str],
    cursor: int | None,
    mine_first: bool = False,
) -> Merged:
    edits = sorted(mine + theirs, key=lambda edit: (edit[0], edit[1], edit[3]))
    output = _Output(cursor)
    conflicts = 0
    at = 0
    index = 0
    while index < len(edits):
        start, end = edits[index][0], edits[index][1]
        group = [edits[index]]
        index += 1
        while index < len(edits) and _touch(start, end, edits[index]):
            group.append(edits[index])
            end = max(end, edits[index][1])
            index += 1
        same = "".join(old[at:start])
        output.add(same, len(same))
        mine_part = _apply(old, start, end, [e for e in group if e[3] == 0])
        mine_length = len("".join(mine_part))
        sides = {edit[3] for edit in group}
        if sides == {0}:
            output.add("".join(mine_part), mine_length)
        elif sides == {1}:
            output.add("".join(_apply(old, start, end, group)), mine_length, None)
        else:
            their_part = _apply(old, start, end, [e for e in group if e[3] == 1])
            if start == end and mine_first:  # both inserted here: mine, then theirs
                place = _joined("".join(mine_part), "".join(their_part), mine_first=True)
            elif start == end:
                place = _inserted(mine_part, their_part, lines, "".join(old[:start]))
            else:
                place = _both(mine_part, their_part, lines[0])
            output.add(place.text, mine_length, place.mine_at, place.dropped)
            conflicts += place.marked
        at = end
    rest = "".join(old[at:])
    output.add(rest, len(rest))
    return Merged("".join(output.parts), conflicts, output.found)


def follow(old: str, new: str, offset: int) -> int:
    """Where the place ``offset`` in ``old`` is in ``new`` (a cursor after a merge). Text
    inserted right at it comes after it; in a replaced piece it goes to the piece's end."""
    if old == new:
        return offset
    before, after = words(old), words(new)
    word = old_at = new_at = 0  # the next old word; how far both texts were followed
    for i1, i2, j1, j2 in _changes(before, after, end_first=False):
        same = len("".join(before[word:i1]))  # unchanged: as long in both
        if offset <= old_at + same:
            return new_at + offset - old_at
        old_at, new_at = old_at + same, new_at + same
        removed, added = len("".join(before[i1:i2])), len("".join(after[j1:j2]))
        if offset < old_at + removed:
            return new_at + added
        old_at, new_at, word = old_at + removed, new_at + added, i2
    return min(new_at + offset - old_at, len(new))


def added(saved: str, mine: str) -> str:
    """What ``mine`` adds to ``saved``, to keep it elsewhere (a note typed on after its
    visit was finished becomes an addition): the one piece typed into it; all of mine
    when it changed in more places or replaced words; '' when it adds nothing."""
    old, new = words(saved), words(mine)
    changes = [
        (i1, i2, j1, j2)
        for i1, i2, j1, j2 in _changes(old, new, end_first=False)
        if "".join(new[j1:j2]).strip()  # white space alone adds nothing
    ]
    if not changes:
        return ""
    if len(changes) == 1 and changes[0][0] == changes[0][1]:  # one piece inserted
        return "".join(new[changes[0][2] : changes[0][3]]).strip()
    return mine.strip()
