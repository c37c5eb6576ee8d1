"""Two versions of one note saved at the same time, merged three-way.

Each side remembers the text it started from (the *base*). On a conflict the changes
base → mine and base → theirs are laid over each other, word by word: what only one side
changed is taken from that side, what both changed alike is taken once. Where both wrote
something different at the same place, both pieces are kept — mine first, then a line
naming who wrote the other piece and when — so nothing typed is lost, nothing is in the
note twice, and the note grows only by what was typed (and a line per such place).

A deletion never removes what the other side typed at the same place: that text stays.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from difflib import SequenceMatcher

_TOKEN = re.compile(r"\n|[^\S\n]+|\S+")
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


def marker(who: str, when: datetime) -> str:
    """The line above the other side's piece where both wrote at the same place."""
    by = f"door {who}" if who else "in een ander venster"
    return f"— tegelijk geschreven {by} ({when.astimezone():%H:%M}) —"


def words(text: str) -> list[str]:
    """``text`` as words and runs of white space; joined they give ``text`` back."""
    return _TOKEN.findall(text)


def _changes(
    old: list[str], new: list[str], *, end_first: bool = True
) -> list[tuple[int, int, int, int]]:
    """The changed ranges ``(i1, i2, j1, j2)``: ``old[i1:i2]`` became ``new[j1:j2]``.

    ``end_first``: a common end holding a word is matched before the common start. After
    a merge the other side's piece is at the end of the note, where it goes on typing: the
    words it started from are found there, not where the same words happen to begin this
    side's piece. (White space alone at the end does not count: it is everywhere.)
    """
    end_old, end_new, start = len(old), len(new), 0
    if end_first:
        while end_old and end_new and old[end_old - 1] == new[end_new - 1]:
            end_old, end_new = end_old - 1, end_new - 1
        if all(word.isspace() for word in old[end_old:]):
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


def _bare(piece: list[str]) -> list[str]:
    """``piece`` without white space at its ends."""
    start, end = 0, len(piece)
    while start < end and piece[start].isspace():
        start += 1
    while end > start and piece[end - 1].isspace():
        end -= 1
    return piece[start:end]


def _holds(whole: list[str], part: list[str]) -> bool:
    """Whether ``whole`` begins or ends with all of ``part`` (words, not letters)."""
    return whole[: len(part)] == part or whole[len(whole) - len(part) :] == part


def _both(mine: list[str], theirs: list[str], line: str) -> tuple[str, bool, bool]:
    """One place both changed: its text, whether it needed a marker, and whether it
    begins with mine (else it is theirs only).

    When one piece begins or ends with all of the other (the same words typed on, or a
    merge merged again), the larger is taken; when one is only white space or gone (a
    deletion never removes what the other typed), the other. Otherwise both whole pieces,
    mine first, then a marker line and theirs."""
    own, other = "".join(mine), "".join(theirs)
    bare_mine, bare_theirs = _bare(mine), _bare(theirs)
    if own == other or _holds(bare_mine, bare_theirs):
        return own, False, True
    if _holds(bare_theirs, bare_mine):
        return other, False, False
    # Mine as it was (the cursor stays where it was typed), then the other piece.
    before = "" if own.endswith("\n") else "\n"
    return f"{own}{before}{line}\n{other.lstrip()}", True, True


class _Output:
    """The merged text as it is put together, following a place (the cursor) in mine."""

    def __init__(self, cursor: int | None) -> None:
        self.parts: list[str] = []
        self.cursor = cursor
        self.found: int | None = None
        self._mine = self._out = 0

    def add(self, text: str, mine_length: int, *, begins_with_mine: bool) -> None:
        """``text`` stands where mine had ``mine_length`` characters: the same ones at
        its start (``begins_with_mine``), or others (the cursor goes before or after)."""
        if self.cursor is not None and self.found is None:
            offset = self.cursor - self._mine
            if begins_with_mine and offset <= mine_length:
                self.found = self._out + offset
            elif not begins_with_mine and offset == 0:
                self.found = self._out
            elif not begins_with_mine and offset < mine_length:
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
    line = marker(who, when)
    typed = _typed(old, base, mine, cursor)
    edits = _edits(old, own, 0) if typed is None else typed
    return _merge(old, edits, _edits(old, other, 1), line, cursor, mine_first)


def rebase(
    sent: str, mine: str, merged: str, *, who: str, when: datetime, cursor: int | None = None
) -> Merged:
    """``mine``, typed on ``sent`` while the server merged ``sent`` with a colleague's
    version into ``merged``: mine's new words on top of the merged text. In ``merged``
    each piece of ``sent`` comes before the colleague's piece at the same place (and its
    marker), so what was typed on at such a place goes there too: before it, never with
    a second marker, and nothing of ``sent`` twice."""
    return merge_notes(sent, mine, merged, who=who, when=when, cursor=cursor, mine_first=True)


def _joins(left: str, right: str) -> bool:
    """Whether two characters side by side belong to one word (or one run of spaces)."""
    if left.isspace() != right.isspace():
        return False
    return not left.isspace() or (left != "\n" and right != "\n")


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
    line: str,
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
        output.add(same, len(same), begins_with_mine=True)
        mine_part = _apply(old, start, end, [e for e in group if e[3] == 0])
        mine_length = len("".join(mine_part))
        sides = {edit[3] for edit in group}
        if sides == {0}:
            output.add("".join(mine_part), mine_length, begins_with_mine=True)
        elif sides == {1}:
            output.add("".join(_apply(old, start, end, group)), mine_length, begins_with_mine=False)
        else:
            their_part = _apply(old, start, end, [e for e in group if e[3] == 1])
            if mine_first and start == end:  # both inserted here: mine, then theirs
                text, marked, with_mine = "".join(mine_part + their_part), False, True
            else:
                text, marked, with_mine = _both(mine_part, their_part, line)
            output.add(text, mine_length, begins_with_mine=with_mine)
            conflicts += marked
        at = end
    rest = "".join(old[at:])
    output.add(rest, len(rest), begins_with_mine=True)
    return Merged("".join(output.parts), conflicts, output.found)


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
