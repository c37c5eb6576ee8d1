"""Wijk trends: what the team sees, counted, without recognisable families.

Plain data and rules, no SQL and no Textual. Three steps, each a pure function:

1. :func:`count` — per period and wijk, from one plain row per visit: visits, distinct
   households, visits with safety concerns, households per theme, referrals per kind
   and outcome, households per gap in the network. Household ids are only used to
   count distinct households; they never leave this module.
2. :func:`tabulate` — wijken with fewer than ``MIN_COUNT`` households in a period are
   merged into "overige wijken" (and more, smallest first, until that group has
   enough households), plus the "alle wijken" total. The result holds raw counts.
3. :func:`suppress` — every count below ``MIN_COUNT`` becomes ``"<5"``; in every line
   with a total (the wijken of one measure in one period, and "alle wijken"), more
   cells are hidden (``"x"``) until no hidden count can be worked back from the total
   (:func:`protect_line`). Only the result of this step is meant to be shown.

:func:`trends` runs all three; :func:`changes` gives the change in percent between
two periods, only where both counts are shown.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

from wijkgesprek.domain.dates import OUTSIDE, sensible_year

MIN_COUNT = 5
SUPPRESSED = "<5"
"""A count from 0 to 4."""
HIDDEN = "x"
"""A count of 5 or more, left out so that a "<5" in the same line cannot be worked back."""
OTHERS = "overige wijken"
ALL = "alle wijken"

MONTH = "maand"
QUARTER = "kwartaal"
PERIOD_KINDS = (MONTH, QUARTER)

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
    """The whole month or quarter that ``month`` ("2026-02") falls in."""
    if per == MONTH:
        return Span(month, month, month)
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


VisitRow = tuple[str, str, int, Collection[str], bool, Collection[tuple[str, str]], Collection[str]]
"""One visit as a plain tuple: (wijk, month "2026-03", household id, themes, concerns,
referrals as (soort, state), gaps). The household id is only used to count distinct
households. A theme may repeat; empty strings are skipped. A plain tuple (not a class):
100,000 of them then cost the garbage collector nothing."""


def visit_row(
    *,
    wijk: str,
    month: str,
    household: int,
    themes: Collection[str] = (),
    concerns: bool = False,
    referrals: Collection[tuple[str, str]] = (),
    gaps: Collection[str] = (),
) -> VisitRow:
    """A :data:`VisitRow` by name."""
    return (wijk, month, household, themes, concerns, referrals, gaps)


class _Tally:
    __slots__ = ("concerns", "gaps", "households", "referrals", "themes", "visits")

    def __init__(self) -> None:
        self.visits = 0
        self.concerns = 0
        self.households: set[int] = set()
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
    for wijk, month, household, themes, concerns, referrals, gaps in rows:
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
    }
    values.update({theme_measure(t): len(h) for t, h in tally.themes.items()})
    values.update({gap_measure(t): len(h) for t, h in tally.gaps.items()})
    values.update({referral_measure(s, o): n for (s, o), n in tally.referrals.items()})
    return values


# -- step 2: wijken and totals -----------------------------------------------------------------


@dataclass(frozen=True)
class RawTable:
    """One period with raw counts: never show this, show :func:`suppress` of it."""

    span: Span
    groups: tuple[str, ...]
    """Wijken shown separately (by name), then OTHERS when there is such a group."""
    members: Mapping[str, tuple[str, ...]]
    """The wijken in each group."""
    values: Mapping[tuple[str, str], int]
    """(group or ALL, measure) → count; a missing measure is 0."""


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


def tabulate(counts: Counts, span: Span) -> RawTable:
    """The period ``span`` with small wijken merged and the "alle wijken" total."""
    per_wijk = {
        group_name(w): _tally_values(t) for (label, w), t in counts.items() if label == span.label
    }
    shown, others = group_wijken({w: v[HOUSEHOLDS] for w, v in per_wijk.items()})
    members: dict[str, tuple[str, ...]] = {w: (w,) for w in shown}
    if others and shown:  # all wijken in one group is the same as "alle wijken"
        members[OTHERS] = tuple(others)
    values: dict[tuple[str, str], int] = {}
    for group, wijken in [*members.items(), (ALL, tuple(per_wijk))]:
        for wijk in wijken:
            for measure, number in per_wijk[wijk].items():
                values[group, measure] = values.get((group, measure), 0) + number
    if values.get((ALL, HOUSEHOLDS), 0) < MIN_COUNT:  # too few to show anything at all
        return RawTable(span, (), {}, {})
    return RawTable(span, tuple(members), members, values)


# -- step 3: suppression ---------------------------------------------------------------------


def protect_line(cells: Sequence[int], total: int) -> tuple[list[Value], Value]:
    """Hide small counts in a line of cells whose total is shown.

    Every count below MIN_COUNT becomes SUPPRESSED. When the total is shown and the line
    holds a SUPPRESSED cell, further cells are hidden (HIDDEN): the smallest one that is
    large enough, else the largest and again, until at least one cell is HIDDEN and the
    hidden cells add up to at least ``5 × (number of x) + 4``. Then each "<5" could still
    be any of 0–4 and each "x" any of 5–9 or more: the total gives nothing away. When
    that cannot be reached, the total is hidden instead.
    """
    shown: list[Value] = [SUPPRESSED if v < MIN_COUNT else v for v in cells]
    if total < MIN_COUNT:
        return shown, SUPPRESSED
    if SUPPRESSED not in shown:
        return shown, total
    hidden_sum = sum(v for v in cells if v < MIN_COUNT)
    hidden_x = 0
    while hidden_x == 0 or hidden_sum - MIN_COUNT * hidden_x < MIN_COUNT - 1:
        need = (MIN_COUNT - 1) - (hidden_sum - MIN_COUNT * hidden_x)  # slack still missing
        open_cells = [(v, i) for i, v in enumerate(cells) if shown[i] == v]
        if not open_cells:
            return shown, HIDDEN
        enough = [(v, i) for v, i in open_cells if v - MIN_COUNT >= need]
        value, index = min(enough) if enough else max(open_cells, key=lambda c: (c[0], -c[1]))
        shown[index] = HIDDEN
        hidden_sum += value
        hidden_x += 1
    return shown, total


@dataclass(frozen=True)
class Figures:
    """One period, safe to show: counts, "<5", "x", and the share of visits with concerns."""

    span: Span
    groups: tuple[str, ...]
    """Groups shown separately, then ALL (empty: too few households in the period)."""
    members: Mapping[str, tuple[str, ...]]
    cells: Mapping[tuple[str, str], Value]

    def get(self, group: str, measure: str) -> Value | None:
        """The shown figure; None when ``group`` is not shown in this period."""
        if group not in self.groups:
            return None
        return self.cells.get((group, measure), SUPPRESSED)


def suppress(table: RawTable, measures: Iterable[str]) -> Figures:
    """Apply the suppression rule to every line of ``table`` (see :func:`protect_line`)."""
    if not table.values:
        return Figures(table.span, (), {}, {})
    groups = table.groups
    cells: dict[tuple[str, str], Value] = {}
    for measure in measures:
        line = [table.values.get((g, measure), 0) for g in groups]
        total = table.values.get((ALL, measure), 0)
        shown, shown_total = protect_line(line, total)
        cells.update({(g, measure): v for g, v in zip(groups, shown, strict=True)})
        cells[ALL, measure] = shown_total
    for group in (*groups, ALL):
        concerns, visits = cells[group, CONCERNS], cells[group, VISITS]
        if isinstance(concerns, int) and isinstance(visits, int) and visits:
            cells[group, CONCERN_SHARE] = round(100 * concerns / visits, 1)
        else:
            cells[group, CONCERN_SHARE] = HIDDEN
    return Figures(table.span, (*groups, ALL), dict(table.members), cells)


# -- all steps, and comparing two periods ----------------------------------------------------


@dataclass(frozen=True)
class Trends:
    """Figures per period and the measures to show, themes by frequency."""

    figures: tuple[Figures, ...]
    measures: tuple[str, ...]

    def groups(self) -> tuple[str, ...]:
        """Every group shown in some period: wijken by name, then OTHERS, then ALL."""
        found = {g for f in self.figures for g in f.groups} - {OTHERS, ALL}
        tail = [g for g in (OTHERS, ALL) if any(g in f.groups for f in self.figures)]
        return (*sorted(found, key=str.casefold), *tail)


def trends(
    rows: Iterable[VisitRow],
    spans: Sequence[Span],
    *,
    themes: Sequence[str] = (),
    soorten: Sequence[str] = (),
) -> Trends:
    """Count, group and suppress. ``themes`` and ``soorten`` are always listed (from the
    guide and the network); others are listed when they occur in the data."""
    ordered = sorted(spans)
    for earlier, later in pairwise(ordered):
        if later.first <= earlier.last:
            raise ValueError(f"De perioden {earlier.label} en {later.label} overlappen.")
    counts = count(rows, spans)
    found_themes, found_soorten = set(themes), set(soorten)
    found_gaps: set[str] = set()
    for tally in counts.values():
        found_themes.update(tally.themes)
        found_gaps.update(tally.gaps)
        found_soorten.update(s for s, _ in tally.referrals)
    measures = [VISITS, HOUSEHOLDS, CONCERNS]
    measures += [theme_measure(t) for t in sorted(found_themes)]
    measures += [referral_measure(s, o) for s in sorted(found_soorten) for o in OUTCOMES]
    measures += [gap_measure(t) for t in sorted(found_gaps)]
    figures = tuple(suppress(tabulate(counts, span), measures) for span in spans)

    def shown_total(measure: str) -> int:
        return sum(v for f in figures if isinstance(v := f.cells.get((ALL, measure)), int))

    def by_frequency(prefix: str) -> list[str]:
        chosen = [m for m in measures if m.startswith(prefix)]
        return sorted(chosen, key=lambda m: (-shown_total(m), m))

    referrals = [m for m in measures if m.startswith("verwijzing:")]
    ordered_measures = (
        VISITS,
        HOUSEHOLDS,
        CONCERNS,
        CONCERN_SHARE,
        *by_frequency("thema:"),
        *referrals,
        *by_frequency("gat:"),
    )
    return Trends(figures, ordered_measures)


def change(before: Value | None, after: Value | None) -> float | None:
    """The change in percent, only when both are shown counts (never from a "<5" or "x")."""
    if isinstance(before, int) and isinstance(after, int) and before > 0:
        return round(100 * (after - before) / before, 1)
    return None


def comparable(before: Figures, after: Figures, group: str) -> bool:
    """A group can be compared when it is shown in both and holds the same wijken."""
    return (
        group in before.groups
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
