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


def marker(who: str, when: datetime) -> str:
    """The line above the other side's piece where both wrote at the same place."""
    by = f"door {who}" if who else "in een ander venster"
    return f"— tegelijk geschreven {by} ({when.astimezone():%H:%M}) —"


def words(text: str) -> list[str]:
    """``text`` as words and runs of white space; joined they give ``text`` back."""
    return _TOKEN.findall(text)


def _changes(old: list[str], new: list[str]) -> list[tuple[int, int, int, int]]:
    """The changed ranges ``(i1, i2, j1, j2)``: ``old[i1:i2]`` became ``new[j1:j2]``."""
    start = 0
    limit = min(len(old), len(new))
    while start < limit and old[start] == new[start]:
        start += 1
    end_old, end_new = len(old), len(new)
    while end_old > start and end_new > start and old[end_old - 1] == new[end_new - 1]:
        end_old -= 1
        end_new -= 1
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


def _common(first: list[str], second: list[str]) -> tuple[int, int]:
    """The length of the common start and of the common end (not overlapping)."""
    head = 0
    while head < min(len(first), len(second)) and first[head] == second[head]:
        head += 1
    tail = 0
    while tail < min(len(first), len(second)) - head and first[-1 - tail] == second[-1 - tail]:
        tail += 1
    return head, tail


def _both(mine: list[str], theirs: list[str], line: str) -> tuple[str, bool]:
    """One place both changed: its text, and whether it needed a marker. When one side
    holds all of the other's words there and more (one typed on), that side is taken;
    otherwise both whole pieces, mine first (common words that happen to be in both are
    not shared: each piece stays readable)."""
    if mine == theirs:
        return "".join(mine), False
    head, tail = _common(mine, theirs)
    own = "".join(mine[head : len(mine) - tail])
    other = "".join(theirs[head : len(theirs) - tail])
    if not own.strip():  # nothing of mine but white space beyond theirs
        return "".join(theirs), False
    if not other.strip():
        return "".join(mine), False
    own, other = "".join(mine), "".join(theirs).lstrip()
    # Mine as it was (the cursor stays where it was typed), then the other piece.
    before = "" if own.endswith("\n") else "\n"
    return f"{own}{before}{line}\n{other}", True


def merge_notes(base: str, mine: str, theirs: str, *, who: str, when: datetime) -> Merged:
    """Merge ``mine`` and ``theirs``, both written on ``base``. ``who`` wrote theirs
    ('' when unknown: another window on this laptop), saved at ``when``."""
    if mine == theirs or theirs == base:
        return Merged(mine, 0)
    if mine == base:
        return Merged(theirs, 0)
    old, own, other = words(base), words(mine), words(theirs)
    edits = sorted(
        _edits(old, own, 0) + _edits(old, other, 1), key=lambda edit: (edit[0], edit[1], edit[3])
    )
    line = marker(who, when)
    parts: list[str] = []
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
        parts.append("".join(old[at:start]))
        sides = {edit[3] for edit in group}
        if len(sides) == 1:
            parts.append("".join(_apply(old, start, end, group)))
        else:
            mine_part = _apply(old, start, end, [e for e in group if e[3] == 0])
            their_part = _apply(old, start, end, [e for e in group if e[3] == 1])
            text, marked = _both(mine_part, their_part, line)
            parts.append(text)
            conflicts += marked
        at = end
    parts.append("".join(old[at:]))
    return Merged("".join(parts), conflicts)


def follow(old: str, new: str, offset: int) -> int:
    """Where the place ``offset`` in ``old`` is in ``new`` (a cursor after a merge). Text
    inserted right at it comes after it; in a replaced piece it goes to the piece's end."""
    if old == new:
        return offset
    before, after = words(old), words(new)
    word = old_at = new_at = 0  # the next old word; how far both texts were followed
    for i1, i2, j1, j2 in _changes(before, after):
        same = len("".join(before[word:i1]))  # unchanged: as long in both
        if offset <= old_at + same:
            return new_at + offset - old_at
        old_at, new_at = old_at + same, new_at + same
        removed, added = len("".join(before[i1:i2])), len("".join(after[j1:j2]))
        if offset < old_at + removed:
            return new_at + added
        old_at, new_at, word = old_at + removed, new_at + added, i2
    return min(new_at + offset - old_at, len(new))
