"""Wijk trends: what the team sees, counted, without recognisable families.

Plain data and rules, no SQL and no Textual. Three steps, each a pure function:

1. :func:`count` — per month and wijk, from one plain row per visit: visits, distinct
   households, visits with safety concerns, households per theme, referrals per kind
   and outcome, households per gap in the network. Household ids are only used to
   count distinct households; they never leave this module.
2. :func:`publish` — the fixed publication grid: every calendar month, quarter and year
   of the data, for every group (wijken with fewer than ``MIN_COUNT`` households in all
   the data together form "overige wijken", the same in every period) and "alle wijken".
   Themes, gaps and referral kinds are those of the guide and the network, always all of
   them (anything else is "overig").
3. :func:`protect` — suppression over the whole grid at once: every count below
   ``MIN_COUNT`` (0 too) becomes ``"<5"``; then more cells are hidden (``"x"``) until
   the additive relations of the grid (:func:`relations`: months and quarters in a
   year, months in a quarter, groups in "alle wijken"), ALL of them together, pin no
   hidden cell to one value (:func:`intervals`, :func:`pinned_cells`).

Every output (table, csv, md, the screen) is a selection of the cells of one
:class:`Publication`, so two outputs never show one cell in two ways, and no choice of
options makes a new sum. :func:`changes` gives the change in percent between two
periods, only where both counts are shown and both periods are over.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from wijkgesprek.domain.dates import OUTSIDE, sensible_year

T = TypeVar("T")

MIN_COUNT = 5
SUPPRESSED = "<5"
"""A count from 0 to 4."""
HIDDEN = "x"
"""A count of 5 or more, left out so that a "<5" in the same line cannot be worked back."""
OTHERS = "overige wijken"
ALL = "alle wijken"

MONTH = "maand"
QUARTER = "kwartaal"
YEAR = "jaar"
PERIOD_KINDS = (MONTH, QUARTER, YEAR)
OTHER_KIND = "overig"
"""A theme, gap or referral kind that the guide or the network does not know."""

STARTED = "gestart"
FAILED = "niet gelukt"
WAITING = "wachtlijst"
RUNNING = "lopend"
OUTCOMES = (STARTED, FAILED, WAITING, RUNNING)

VISITS = "bezoeken"
HOUSEHOLDS = "huishoudens"
CONCERNS = "zorgen"
"""Visits with concerns about safety."""
CONCERN_SHARE = "zorgen_pct"
"""Visits with concerns as a percentage of all visits (derived after suppression)."""
THIN = "netwerk:dun"
"""Households whose netwerkkaart showed a thin informal network (``domain.network_map
.is_thin``) in a visit of the period: distinct households, like a theme."""
HOUSEHOLD_PREFIXES = ("thema:", "gat:", "netwerk:")
"""Measures that count distinct households (each at most the households)."""

Value = int | float | str
"""A shown figure: a count, a percentage, or SUPPRESSED / HIDDEN."""


def theme_measure(theme: str) -> str:
    return f"thema:{theme}"


def gap_measure(theme: str) -> str:
    return f"gat:{theme}"


def referral_measure(soort: str, outcome: str) -> str:
    return f"verwijzing:{soort}:{outcome}"


def outcome_of(state: str) -> str:
    """A referral's state as an outcome: gestart, niet gelukt, on the waiting list, or
    still running (besproken, aangemeld)."""
    return state if state in (STARTED, FAILED, WAITING) else RUNNING


# -- periods ---------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Span:
    """Whole months from ``first`` to ``last`` ("2026-01" .. "2026-03"), named ``label``."""

    first: str
    last: str
    label: str

    def __contains__(self, month: object) -> bool:
        return isinstance(month, str) and self.first <= month <= self.last

    @property
    def months(self) -> int:
        return (
            (int(self.last[:4]) - int(self.first[:4])) * 12
            + int(self.last[5:])
            - int(self.first[5:])
            + 1
        )


_YEAR = re.compile(r"(\d{4})")
_QUARTER = re.compile(r"(\d{4})-[kK]([1-4])")
_MONTH = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")


def month_key(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def shift_months(month: str, months: int) -> str:
    index = int(month[:4]) * 12 + int(month[5:7]) - 1 + months
    return month_key(index // 12, index % 12 + 1)


def parse_span(text: str) -> Span:
    """A year (2026), quarter (2026-K1), month (2026-03), or a range of them (A..B).

    Raises ValueError with a Dutch sentence for anything else.
    """
    text = text.strip()
    if ".." in text:
        start, _, end = text.partition("..")
        first, last = parse_span(start), parse_span(end)
        if last.last < first.first:
            raise ValueError(f"'{text}': het einde ligt vóór het begin.")
        return Span(first.first, last.last, f"{first.label} t/m {last.label}")
    if (match := _YEAR.match(text)) and not sensible_year(int(match[1])):
        raise ValueError(f"'{text}': het jaar {OUTSIDE}.")
    if match := _YEAR.fullmatch(text):
        year = int(match[1])
        return Span(month_key(year, 1), month_key(year, 12), text)
    if match := _QUARTER.fullmatch(text):
        year, quarter = int(match[1]), int(match[2])
        start = month_key(year, quarter * 3 - 2)
        return Span(start, shift_months(start, 2), f"{year}-K{quarter}")
    if match := _MONTH.fullmatch(text):
        return Span(text, text, text)
    raise ValueError(
        f"'{text}' is geen periode; schrijf een jaar (2026), kwartaal (2026-K1), "
        "maand (2026-03) of van..tot (2025-K1..2025-K4)."
    )


def period_of(month: str, per: str) -> Span:
    """The whole month, quarter or year that ``month`` ("2026-02") falls in."""
    if per == MONTH:
        return Span(month, month, month)
    if per == YEAR:
        return parse_span(month[:4])
    year, number = int(month[:4]), int(month[5:7])
    return parse_span(f"{year}-K{(number - 1) // 3 + 1}")


def periods(first: str, last: str, per: str) -> tuple[Span, ...]:
    """Every whole period (``per``) that overlaps the months ``first`` .. ``last``."""
    spans: list[Span] = []
    month = period_of(first, per).first
    while month <= last:
        span = period_of(month, per)
        spans.append(span)
        month = shift_months(span.last, 1)
    return tuple(spans)


# -- step 1: counting ----------------------------------------------------------------------


VisitRow = tuple[
    str, str, int, Collection[str], bool, Collection[tuple[str, str]], Collection[str], bool
]
"""One visit as a plain tuple: (wijk, month "2026-03", household id, themes, concerns,
referrals as (soort, state), gaps, a thin informal network on its map). The household id
is only used to count distinct households. A theme may repeat; empty strings are skipped.
A plain tuple (not a class): 100,000 of them then cost the garbage collector nothing."""


def visit_row(
    *,
    wijk: str,
    month: str,
    household: int,
    themes: Collection[str] = (),
    concerns: bool = False,
    referrals: Collection[tuple[str, str]] = (),
    gaps: Collection[str] = (),
    thin: bool = False,
) -> VisitRow:
    """A :data:`VisitRow` by name."""
    return (wijk, month, household, themes, concerns, referrals, gaps, thin)


class _Tally:
    __slots__ = ("concerns", "gaps", "households", "referrals", "themes", "thin", "visits")

    def __init__(self) -> None:
        self.visits = 0
        self.concerns = 0
        self.households: set[int] = set()
        self.thin: set[int] = set()
        self.themes: dict[str, set[int]] = {}
        self.gaps: dict[str, set[int]] = {}
        self.referrals: Counter[tuple[str, str]] = Counter()


Counts = dict[tuple[str, str], _Tally]
"""Raw counts per (span label, wijk)."""


def _add(sets: dict[str, set[int]], keys: Iterable[str], household: int) -> None:
    for key in keys:
        found = sets.get(key)
        if found is None:
            if not key:
                continue
            found = sets[key] = set()
        found.add(household)


def count(rows: Iterable[VisitRow], spans: Sequence[Span]) -> Counts:
    """Tally the visits that fall in one of ``spans`` (which must not overlap)."""
    label_of: dict[str, str | None] = {}
    tallies: Counts = {}
    by_month: dict[tuple[str, str], _Tally | None] = {}  # (month, wijk) → its period's tally
    for wijk, month, household, themes, concerns, referrals, gaps, thin in rows:
        key = (month, wijk)
        if key in by_month:
            tally = by_month[key]
        else:
            if month not in label_of:
                label_of[month] = next((s.label for s in spans if month in s), None)
            label = label_of[month]
            tally = None if label is None else tallies.setdefault((label, wijk), _Tally())
            by_month[key] = tally
        if tally is None:
            continue
        tally.visits += 1
        tally.households.add(household)
        if concerns:
            tally.concerns += 1
        if thin:
            tally.thin.add(household)
        if themes:
            _add(tally.themes, themes, household)
        if gaps:
            _add(tally.gaps, gaps, household)
        for soort, state in referrals:
            tally.referrals[soort, outcome_of(state)] += 1
    return tallies


def _tally_values(tally: _Tally) -> dict[str, int]:
    values = {
        VISITS: tally.visits,
        HOUSEHOLDS: len(tally.households),
        CONCERNS: tally.concerns,
        THIN: len(tally.thin),
    }
    values.update({theme_measure(t): len(h) for t, h in tally.themes.items()})
    values.update({gap_measure(t): len(h) for t, h in tally.gaps.items()})
    values.update({referral_measure(s, o): n for (s, o), n in tally.referrals.items()})
    return values


# -- step 2: the publication grid ---------------------------------------------------------


def group_wijken(households: Mapping[str, int]) -> tuple[list[str], list[str]]:
    """(wijken shown separately, wijken merged into "overige wijken").

    A wijk with fewer than MIN_COUNT households is merged. When the merged group has
    fewer than MIN_COUNT households itself, the smallest shown wijk joins it, and so on,
    so that "alle wijken" minus the shown wijken never gives a small wijk's figures.
    """
    small = sorted(w for w, n in households.items() if n < MIN_COUNT)
    shown = sorted(
        (w for w, n in households.items() if n >= MIN_COUNT), key=lambda w: (households[w], w)
    )
    while small and shown and sum(households[w] for w in small) < MIN_COUNT:
        small.append(shown.pop(0))
    return sorted(shown, key=str.casefold), sorted(small, key=str.casefold)


def group_name(wijk: str) -> str:
    """A wijk typed as "alle wijken" or "overige wijken" must not pass for a group."""
    return f"{wijk} (wijk)" if wijk.casefold() in (OTHERS, ALL) else wijk


def grid_periods(years: Iterable[int]) -> tuple[Span, ...]:
    """Every month, quarter and year of ``years``: the cells that can ever be shown."""
    spans: list[Span] = []
    for year in sorted(set(years)):
        spans.append(parse_span(str(year)))
        spans += [parse_span(f"{year}-K{q}") for q in range(1, 5)]
        spans += [parse_span(month_key(year, m)) for m in range(1, 13)]
    return tuple(spans)


def is_grid_period(span: Span) -> bool:
    """A calendar month, quarter or year (never a range of them)."""
    return span.label in {span.first, span.first[:4]} or bool(_QUARTER.fullmatch(span.label))


Cell = tuple[str, ...]
"""(period label, group), or (period label, group, measure) when measures are joined."""
Line = tuple[Cell, ...]
"""A relation of the grid: (total, *parts)."""


def relations(
    years: Iterable[int], groups: Sequence[str], until: str = "9999-12", since: str = "0000-01"
) -> list[Line]:
    """Every additive relation the grid holds, as (total, *parts) of (period, group).

    In time: a year is its quarters and its months, a quarter its months (for each group
    and for "alle wijken"); among wijken: "alle wijken" is the shown groups ("overige
    wijken" included) in every period (a household counts in one wijk). Counts of
    distinct households are not additive in time (a household can come back): there the
    relation only says ``max(parts) <= total <= sum(parts)`` (:func:`distinct`). Periods
    that start after the month ``until`` have not happened, and those that end before
    ``since`` (the first month with a visit: when the team started is no secret) are
    empty: known zeros, left out.
    """
    found: list[Line] = []
    for year in sorted(set(years)):
        quarters = [
            f"{year}-K{q}"
            for q in range(1, 5)
            if month_key(year, q * 3 - 2) <= until and month_key(year, q * 3) >= since
        ]
        months = [month_key(year, m) for m in range(1, 13) if since <= month_key(year, m) <= until]
        for group in (*groups, ALL):
            found.append(((str(year), group), *((q, group) for q in quarters)))
            found.append(((str(year), group), *((m, group) for m in months)))
            for quarter in quarters:
                inside = [m for m in months if period_of(m, QUARTER).label == quarter]
                found.append(((quarter, group), *((m, group) for m in inside)))
        if groups:
            for period in (str(year), *quarters, *months):
                found.append(((period, ALL), *((period, g) for g in groups)))
    return [line for line in found if len(line) > 1]


# -- step 3: suppression over the whole grid --------------------------------------------------

_MANY = 10**9  # the upper bound of an "x" before anything tightens it

SUM, SOME, SUBSET, VISITED = "som", "deels", "deel", "bezocht"
"""Kinds of relation. SUM: ``total = sum(parts)``. SOME (distinct households in time):
``max(parts) <= total <= sum(parts)``. SUBSET, a pair (larger, smaller): ``smaller <=
larger``. VISITED, the pair (visits, households): SUBSET, and one is 0 when the other is."""


def distinct(measure: str) -> bool:
    """Counts of distinct households (households, per theme, per gap, with a thin
    network): a household that comes back counts in every month, so in time a total is at
    most its parts' sum."""
    return measure == HOUSEHOLDS or measure.startswith(HOUSEHOLD_PREFIXES)


def in_time(line: Line) -> bool:
    """A relation of periods within one group (not of groups within one period)."""
    return line[0][1] == line[1][1]


def kinds_of(lines: Sequence[Line], measure: str) -> list[str]:
    """The kind of each relation of the grid for ``measure``."""
    some = distinct(measure)
    return [SOME if some and in_time(line) else SUM for line in lines]


def between_measures(cells: Iterable[Cell], measures: Collection[str]) -> list[tuple[str, Line]]:
    """What one measure says of another in the same period and group: a visit with
    concerns is a visit, a household counted had a visit, a household with a theme, a gap
    or a thin network is a household. As (kind, (larger, smaller)) of (period, group,
    measure) cells."""
    pairs = [(VISITED, VISITS, HOUSEHOLDS), (SUBSET, VISITS, CONCERNS)]
    pairs += [(SUBSET, HOUSEHOLDS, m) for m in measures if m.startswith(HOUSEHOLD_PREFIXES)]
    wanted = [(kind, a, b) for kind, a, b in pairs if a in measures and b in measures]
    return [
        (kind, ((*cell, larger), (*cell, smaller)))
        for cell in cells
        for kind, larger, smaller in wanted
    ]


def linked(measure: str) -> bool:
    """Measures tied to others by :func:`between_measures` (referrals are not: a visit
    can have any number of them)."""
    return measure in (VISITS, HOUSEHOLDS, CONCERNS) or measure.startswith(HOUSEHOLD_PREFIXES)


def _bounds(value: int, hidden: bool) -> tuple[int, int]:
    if not hidden:
        return value, value
    return (0, MIN_COUNT - 1) if value < MIN_COUNT else (MIN_COUNT, _MANY)


_KIND_CODES = {SUM: 0, SOME: 1, SUBSET: 2, VISITED: 3}


class _Grid:
    """The relations with every cell as a number, built once for many propagations (one
    per round of :func:`protect`, and one grid for every measure): lists indexed by
    number instead of dictionaries keyed by tuples of strings."""

    __slots__ = ("cells", "lines", "lines_of", "number")

    def __init__(self, lines: Sequence[Line]) -> None:
        self.number: dict[Cell, int] = {}
        self.cells: list[Cell] = []
        self.lines_of: list[list[int]] = []
        numbered: list[tuple[int, ...]] = []
        for position, line in enumerate(lines):
            numbers: list[int] = []
            for cell in line:
                found = self.number.get(cell)
                if found is None:
                    found = self.number[cell] = len(self.cells)
                    self.cells.append(cell)
                    self.lines_of.append([])
                self.lines_of[found].append(position)
                numbers.append(found)
            numbered.append(tuple(numbers))
        self.lines = numbered

    def values(self, values: Mapping[Cell, int]) -> list[int]:
        return [values.get(cell, 0) for cell in self.cells]

    def propagate(
        self, counts: Sequence[int], hidden: Iterable[int], kinds: Sequence[int]
    ) -> tuple[list[int], list[int]]:
        """(lower, upper) bound of every cell by number, after interval propagation from
        the relations of the ``hidden`` cells (see :func:`intervals`)."""
        low, high = list(counts), list(counts)
        positions: set[int] = set()
        for cell in hidden:
            value = counts[cell]
            low[cell], high[cell] = _bounds(value, True)
            positions.update(self.lines_of[cell])
        lines, lines_of = self.lines, self.lines_of
        queue = deque(sorted(positions))
        queued = positions
        while queue:
            position = queue.popleft()
            queued.discard(position)
            kind = kinds[position]
            changed = (
                _tighten(lines[position], low, high, kind == 1)
                if kind < 2
                else _tighten_pair(lines[position], low, high, kind == 3)
            )
            for cell in changed:
                for other in lines_of[cell]:
                    if other not in queued:
                        queued.add(other)
                        queue.append(other)
        return low, high


def _tighten_pair(
    line: tuple[int, ...], low: list[int], high: list[int], visited: bool
) -> list[int]:
    a, b = line[0], line[1]
    big_low, big_high = max(low[a], low[b]), high[a]
    small_low, small_high = low[b], min(high[b], high[a])
    if visited:
        if big_low >= 1:
            small_low = max(small_low, 1)
        if small_high == 0:
            big_high = 0
    changed: list[int] = []
    if low[a] != big_low or high[a] != big_high:
        low[a], high[a] = big_low, big_high
        changed.append(a)
    if low[b] != small_low or high[b] != small_high:
        low[b], high[b] = small_low, small_high
        changed.append(b)
    return changed


def _tighten(line: tuple[int, ...], low: list[int], high: list[int], at_most: bool) -> list[int]:
    """Narrow the bounds of the cells of ``line`` by its relation (SUM, or SOME when
    ``at_most``); the cells that changed. (Plain loops: this runs some 100,000 times.)"""
    total = line[0]
    sum_low = sum_high = max_low = 0
    for part in line[1:]:
        part_low = low[part]
        sum_low += part_low
        sum_high += high[part]
        if part_low > max_low:
            max_low = part_low
    changed: list[int] = []
    new_low = max(max_low if at_most else sum_low, low[total])
    new_high = min(sum_high, high[total])
    if new_low != low[total] or new_high != high[total]:
        low[total], high[total] = new_low, new_high
        changed.append(total)
    for part in line[1:]:
        part_low, part_high = low[part], high[part]
        new_low = max(part_low, low[total] - (sum_high - part_high))
        new_high = min(part_high, high[total] if at_most else high[total] - (sum_low - part_low))
        if new_low != part_low or new_high != part_high:
            low[part], high[part] = new_low, new_high
            changed.append(part)
    return changed


def _index(lines: Sequence[Line]) -> dict[Cell, list[int]]:
    """Cell → the positions of the relations it is in."""
    found: dict[Cell, list[int]] = {}
    for index, line in enumerate(lines):
        for cell in line:
            found.setdefault(cell, []).append(index)
    return found


def _pinned(
    grid: _Grid, counts: Sequence[int], hidden: Collection[Cell], kinds: Sequence[int]
) -> list[Cell]:
    numbers = [n for cell in hidden if (n := grid.number.get(cell)) is not None]
    low, high = grid.propagate(counts, numbers, kinds)
    return sorted(grid.cells[n] for n in numbers if low[n] >= high[n])


def _kinds(lines: Sequence[Line], at_most_in_time: bool) -> list[str]:
    return [SOME if at_most_in_time and in_time(line) else SUM for line in lines]


def intervals(
    values: Mapping[Cell, int],
    hidden: Collection[Cell],
    lines: Sequence[Line],
    *,
    at_most_in_time: bool = False,
    kinds: Sequence[str] | None = None,
) -> dict[Cell, tuple[int, int]]:
    """What someone who sees every shown cell learns of every cell, from ALL relations
    together: a "<5" starts as 0–4 and an "x" as 5 or more, and every relation narrows
    the bounds of its cells, again and again until none changes (interval propagation).
    ``kinds``: the kind of each line (default SUM; with ``at_most_in_time``, SOME for the
    lines in time, as for distinct households)."""
    kinds = _kinds(lines, at_most_in_time) if kinds is None else kinds
    grid = _Grid(lines)
    numbers = [n for cell in hidden if (n := grid.number.get(cell)) is not None]
    low, high = grid.propagate(grid.values(values), numbers, [_KIND_CODES[k] for k in kinds])
    return {cell: (low[n], high[n]) for n, cell in enumerate(grid.cells)}


def pinned_cells(
    values: Mapping[Cell, int],
    hidden: Collection[Cell],
    lines: Sequence[Line],
    *,
    at_most_in_time: bool = False,
    kinds: Sequence[str] | None = None,
) -> list[Cell]:
    """Hidden cells that :func:`intervals` narrows to one value (or none: never for true
    counts, but then too it is not safe)."""
    kinds = _kinds(lines, at_most_in_time) if kinds is None else kinds
    grid = _Grid(lines)
    return _pinned(grid, grid.values(values), hidden, [_KIND_CODES[k] for k in kinds])


def _one_more(
    cell: Cell,
    hidden: Collection[Cell],
    values: Mapping[Cell, int],
    lines: Sequence[Line],
    lines_of: Mapping[Cell, list[int]],
) -> Cell | None:
    """The shown cell to hide so that ``cell`` is no longer pinned: in a relation of
    ``cell`` the smallest shown part (else a shown total); when its relations show
    nothing, the same one step further out."""
    frontier, seen = [cell], {cell}
    while frontier:
        candidates: list[tuple[bool, int, Cell]] = []
        further: list[Cell] = []
        for current in frontier:
            for at in lines_of.get(current, ()):
                for position, other in enumerate(lines[at]):
                    if other in hidden:
                        if other not in seen:
                            seen.add(other)
                            further.append(other)
                    else:
                        candidates.append((position == 0, values.get(other, 0), other))
        if candidates:
            return min(candidates)[2]
        frontier = further
    return None


def protect(
    values: Mapping[Cell, int],
    lines: Sequence[Line],
    *,
    at_most_in_time: bool = False,
    kinds: Sequence[str] | None = None,
    hidden: Collection[Cell] = (),
) -> set[Cell]:
    """The cells to hide: ``hidden`` and every count below MIN_COUNT (0 too); then, as
    long as :func:`intervals` pins a hidden cell (from all relations together), one more
    cell for each pinned cell (:func:`_one_more`) — in one round only for pinned cells
    that share no relation with a cell just hidden."""
    kinds = _kinds(lines, at_most_in_time) if kinds is None else kinds
    return _protect(values, lines, kinds, hidden, _index(lines), _Grid(lines))


def _protect(
    values: Mapping[Cell, int],
    lines: Sequence[Line],
    kinds: Sequence[str],
    hidden: Collection[Cell],
    lines_of: Mapping[Cell, list[int]],
    grid: _Grid,
) -> set[Cell]:
    """:func:`protect` with the relations indexed (``lines_of``) and numbered (``grid``)."""
    counts = grid.values(values)
    codes = [_KIND_CODES[k] for k in kinds]
    hiding = set(hidden) | {cell for cell, v in values.items() if v < MIN_COUNT}
    hiding.update(cell for cell in lines_of if values.get(cell, 0) < MIN_COUNT)
    if lines_of.keys() <= hiding and values.keys() <= hiding:
        return hiding  # nothing shown: nothing to work back from
    while pinned := _pinned(grid, counts, hiding, codes):
        touched: set[Cell] = set()
        for cell in pinned:
            if cell in touched:
                continue
            more = _one_more(cell, hiding, values, lines, lines_of)
            if more is None:  # nothing left to hide: never for true counts
                return set(lines_of) | set(values)
            hiding.add(more)
            for at in (*lines_of.get(more, ()), *lines_of.get(cell, ())):
                touched.update(lines[at])
    return hiding


@dataclass(frozen=True)
class Figures:
    """One period, safe to show: counts, "<5", "x", and the share of visits with concerns."""

    span: Span
    groups: tuple[str, ...]
    """Groups shown separately, then ALL (empty: too few households to show anything)."""
    members: Mapping[str, tuple[str, ...]]
    cells: Mapping[tuple[str, str], Value]
    complete: bool = True
    """False for a period that is not over yet."""

    def get(self, group: str, measure: str) -> Value | None:
        """The shown figure; None when ``group`` is not shown."""
        if group not in self.groups:
            return None
        return self.cells.get((group, measure), SUPPRESSED)


@dataclass(frozen=True)
class Trends:
    """Figures per period and the measures to show, themes by frequency."""

    figures: tuple[Figures, ...]
    measures: tuple[str, ...]

    def groups(self) -> tuple[str, ...]:
        """Every group shown: wijken by name, then OTHERS, then ALL."""
        found = {g for f in self.figures for g in f.groups} - {OTHERS, ALL}
        tail = [g for g in (OTHERS, ALL) if any(g in f.groups for f in self.figures)]
        return (*sorted(found, key=str.casefold), *tail)

    def members(self) -> Mapping[str, tuple[str, ...]]:
        return self.figures[0].members if self.figures else {}


@dataclass(frozen=True)
class Publication:
    """Every cell of the grid, suppressed once for all data: every output is a selection
    of these cells, so two outputs never show one cell differently."""

    groups: tuple[str, ...]
    """Groups shown separately (the same in every period), then ALL; empty: nothing."""
    members: Mapping[str, tuple[str, ...]]
    measures: tuple[str, ...]
    cells: Mapping[tuple[str, str, str], Value]
    """(period label, group, measure) → shown value; a missing cell is SUPPRESSED."""

    def figures(self, span: Span, *, now: str | None = None) -> Figures:
        """The cells of one grid period; ``now`` ("2026-04"): the month that is not over."""
        if not is_grid_period(span):
            raise ValueError(
                f"{span.label} is geen maand, kwartaal of jaar: alleen die worden getoond."
            )
        cells = {
            (group, measure): self.cells.get(
                (span.label, group, measure), HIDDEN if measure == CONCERN_SHARE else SUPPRESSED
            )
            for group in self.groups
            for measure in self.measures
        }
        complete = now is None or span.last < now
        return Figures(span, self.groups, dict(self.members), cells, complete)

    def trends(self, spans: Sequence[Span], *, now: str | None = None) -> Trends:
        return Trends(tuple(self.figures(s, now=now) for s in spans), self.measures)


def _merge(tallies: Iterable[_Tally]) -> _Tally:
    merged = _Tally()
    for tally in tallies:
        merged.visits += tally.visits
        merged.concerns += tally.concerns
        merged.households |= tally.households
        merged.thin |= tally.thin
        for source, target in ((tally.themes, merged.themes), (tally.gaps, merged.gaps)):
            for key, found in source.items():
                target.setdefault(key, set()).update(found)
        merged.referrals.update(tally.referrals)
    return merged


def _tuple(values: Collection[T]) -> tuple[T, ...]:
    return values if isinstance(values, tuple) else tuple(values)


def _known(keys: Iterable[str], allowed: Collection[str]) -> set[str]:
    """Keys outside ``allowed`` (when given) count as OTHER_KIND: no free text is shown."""
    return {k if not allowed or k in allowed else OTHER_KIND for k in keys if k}


def _suppress(
    raw: Mapping[Cell, Mapping[str, int]], lines: Sequence[Line], measures: Sequence[str]
) -> set[Cell]:
    """The (period, group, measure) cells to hide: each measure over its own grid first
    (cheap, and most of the work); visits and households, mostly equal in a month, hidden
    together where they are equal (showing one would give the other); then the measures
    tied to each other (:func:`between_measures`) all together, hiding more where that
    pins a cell."""
    index, grid = _index(lines), _Grid(lines)
    values = {m: {cell: counts.get(m, 0) for cell, counts in raw.items()} for m in measures}

    def alone(measure: str, start: Collection[Cell] = ()) -> set[Cell]:
        return _protect(values[measure], lines, kinds_of(lines, measure), start, index, grid)

    found = {m: alone(m) for m in measures}
    visits, households = values[VISITS], values[HOUSEHOLDS]
    equal = {
        c for c in found[VISITS] | found[HOUSEHOLDS] if visits.get(c, 0) == households.get(c, 0)
    }
    found[VISITS], found[HOUSEHOLDS] = alone(VISITS, equal), alone(HOUSEHOLDS, equal)

    joined = [m for m in measures if linked(m)]
    hidden = {(*cell, m) for m in measures if not linked(m) for cell in found[m]}
    joint_values = {(*cell, m): v for m in joined for cell, v in values[m].items()}
    joint_lines = [tuple((*cell, m) for cell in line) for m in joined for line in lines]
    joint_kinds = [kind for m in joined for kind in kinds_of(lines, m)]
    every = {cell for line in lines for cell in line} | set(raw)
    for kind, pair in between_measures(every, joined):
        joint_lines.append(pair)
        joint_kinds.append(kind)
    start = {(*cell, m) for m in joined for cell in found[m]}
    return hidden | protect(joint_values, joint_lines, kinds=joint_kinds, hidden=start)


def publish(
    rows: Iterable[VisitRow],
    *,
    themes: Sequence[str] = (),
    soorten: Sequence[str] = (),
    now: str | None = None,
) -> Publication:
    """Count every visit once, per month, quarter and year and per group, and suppress
    over the whole grid (:func:`protect` on every relation of :func:`relations`).

    ``themes`` (the guide's) and ``soorten`` (the network's) are always listed, also as
    gaps; anything else in the data counts as "overig". Without them, what the data
    holds is listed. ``now`` ("2026-04"): later months have not happened yet (default:
    the last month with a visit)."""
    rows = list(rows)
    months = sorted({row[1] for row in rows})
    theme_set, soort_set = set(themes), set(soorten)
    # Rows repeat the same few values: each is normalised once (100,000 visits).
    names: dict[str, str] = {}
    keys: dict[tuple[str, ...], tuple[str, ...]] = {}
    kinds: dict[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]] = {}
    normal: list[VisitRow] = []
    for wijk, month, household, row_themes, worried, row_refs, row_gaps, thin in rows:
        themes_, gaps_, refs = _tuple(row_themes), _tuple(row_gaps), _tuple(row_refs)
        if (name := names.get(wijk)) is None:
            name = names[wijk] = group_name(wijk)
        if (theme_keys := keys.get(themes_)) is None:
            theme_keys = keys[themes_] = tuple(_known(themes_, theme_set))
        if (gap_keys := keys.get(gaps_)) is None:
            gap_keys = keys[gaps_] = tuple(_known(gaps_, theme_set))
        if (pairs := kinds.get(refs)) is None:
            pairs = kinds[refs] = tuple(
                (s if not soort_set or s in soort_set else OTHER_KIND, o) for s, o in refs
            )
        normal.append((name, month, household, theme_keys, worried, pairs, gap_keys, thin))
    month_spans = [Span(m, m, m) for m in months]
    per_month = count(normal, month_spans)
    households: dict[str, set[int]] = {}
    for (_, wijk), tally in per_month.items():
        households.setdefault(wijk, set()).update(tally.households)
    if sum(map(len, households.values())) != len(set().union(*households.values())):
        # All wijken would hold fewer households than their sum: the relations contradict
        # each other and the suppression's propagation would not end.
        raise ValueError("a household counts in one wijk only (its current wijk)")
    shown, others = group_wijken({w: len(h) for w, h in households.items()})
    members: dict[str, tuple[str, ...]] = {w: (w,) for w in shown}
    if others and shown:
        members[OTHERS] = tuple(others)
    enough = sum(len(h) for h in households.values()) >= MIN_COUNT
    if not enough:
        members = {}
    groups = tuple(members)
    wijk_group = {w: g for g, ws in members.items() for w in ws}

    found_themes = set(themes) | {k for t in per_month.values() for k in t.themes}
    found_gaps = set(themes) | {k for t in per_month.values() for k in t.gaps}
    found_soorten = set(soorten) | {s for t in per_month.values() for s, _ in t.referrals}
    if themes:
        found_themes.add(OTHER_KIND)
        found_gaps.add(OTHER_KIND)
    if soorten:
        found_soorten.add(OTHER_KIND)
    measures = [VISITS, HOUSEHOLDS, CONCERNS, THIN]
    measures += [theme_measure(x) for x in sorted(found_themes)]
    measures += [referral_measure(s, o) for s in sorted(found_soorten) for o in OUTCOMES]
    measures += [gap_measure(x) for x in sorted(found_gaps)]

    # Raw counts per (period, group): months, then quarters and years from the months.
    by_cell: dict[tuple[str, str], list[_Tally]] = {}
    for (month, wijk), tally in per_month.items():
        if not enough:
            break
        year, quarter = month[:4], period_of(month, QUARTER).label
        for period in (month, quarter, year):
            for group in (wijk_group.get(wijk), ALL):
                if group is not None:
                    by_cell.setdefault((period, group), []).append(tally)
    raw: dict[Cell, dict[str, int]] = {
        cell: _tally_values(_merge(found)) for cell, found in by_cell.items()
    }
    years = sorted({int(m[:4]) for m in months}) if enough else []
    lines = relations(
        years, groups, now or (months[-1] if months else "9999-12"), months[0] if months else ""
    )
    hidden = _suppress(raw, lines, measures)
    cells: dict[tuple[str, str, str], Value] = {}
    for (period, group), counts in raw.items():
        for measure in measures:
            number = counts.get(measure, 0)
            if (period, group, measure) in hidden:
                cells[period, group, measure] = SUPPRESSED if number < MIN_COUNT else HIDDEN
            else:
                cells[period, group, measure] = number
    for period, group in raw:
        concerns, visits = cells[period, group, CONCERNS], cells[period, group, VISITS]
        share: Value = HIDDEN
        if isinstance(concerns, int) and isinstance(visits, int) and visits:
            share = round(100 * concerns / visits, 1)
        cells[period, group, CONCERN_SHARE] = share

    def shown_total(measure: str) -> int:
        return sum(
            v for (p, g, m), v in cells.items()
            if m == measure and g == ALL and len(p) == 4 and isinstance(v, int)
        )  # fmt: skip

    def by_frequency(prefix: str) -> list[str]:
        chosen = [m for m in measures if m.startswith(prefix)]
        return sorted(chosen, key=lambda m: (m.endswith(f":{OTHER_KIND}"), -shown_total(m), m))

    ordered = (
        VISITS,
        HOUSEHOLDS,
        CONCERNS,
        CONCERN_SHARE,
        THIN,
        *by_frequency("thema:"),
        *[m for m in measures if m.startswith("verwijzing:")],
        *by_frequency("gat:"),
    )
    return Publication((*groups, ALL) if enough else (), members, ordered, cells)


# -- all steps, and comparing two periods ----------------------------------------------------


def trends(
    rows: Iterable[VisitRow],
    spans: Sequence[Span],
    *,
    themes: Sequence[str] = (),
    soorten: Sequence[str] = (),
    now: str | None = None,
) -> Trends:
    """The grid periods ``spans`` of :func:`publish` (a range is refused: ValueError)."""
    return publish(rows, themes=themes, soorten=soorten, now=now).trends(spans, now=now)


def change(before: Value | None, after: Value | None) -> float | None:
    """The change in percent, only when both are shown counts (never from a "<5" or "x")."""
    if isinstance(before, int) and isinstance(after, int) and before > 0:
        return round(100 * (after - before) / before, 1)
    return None


def comparable(before: Figures, after: Figures, group: str) -> bool:
    """A group can be compared when it is shown in both, holds the same wijken, and both
    periods are over."""
    return (
        before.complete
        and after.complete
        and group in before.groups
        and group in after.groups
        and (group == ALL or before.members.get(group) == after.members.get(group))
    )


def changes(
    before: Figures, after: Figures, measures: Iterable[str]
) -> dict[tuple[str, str], float]:
    """(group, measure) → change in percent from ``before`` to ``after``, where allowed."""
    found: dict[tuple[str, str], float] = {}
    for group in after.groups:
        if not comparable(before, after, group):
            continue
        for measure in measures:
            if measure == CONCERN_SHARE:
                continue  # a change of a percentage is read as percentage points: not shown
            value = change(before.get(group, measure), after.get(group, measure))
            if value is not None:
                found[group, measure] = value
    return found
