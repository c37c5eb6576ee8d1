"""Wijk trends: exact counts of a fixed data set, suppression (also by subtraction),
periods and their comparison, every format parsed back, and nothing recognisable in it."""

from __future__ import annotations

import csv
import io
import random
import re
import stat
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from helpers import SIZE, wait_until
from textual.widgets import DataTable, Static

from wijkgesprek import paths
from wijkgesprek.app import WijkgesprekApp
from wijkgesprek.cli import common as cli_common
from wijkgesprek.cli import main
from wijkgesprek.content.model import KINDS, Guide
from wijkgesprek.content.questions import load_guide
from wijkgesprek.domain import trends as t
from wijkgesprek.domain.household import Children
from wijkgesprek.domain.referral import FAILED, REGISTERED, STARTED
from wijkgesprek.domain.safety import ASSESS, KINDCHECK, SIGNAL, STEP, has_concerns
from wijkgesprek.export.trends import measure_label, section_of
from wijkgesprek.screens import trends as screens_trends
from wijkgesprek.screens.home import HomeScreen
from wijkgesprek.screens.trends import TrendsScreen
from wijkgesprek.store import repo
from wijkgesprek.store.engine import Store
from wijkgesprek.store.trends import _CONCERNS, data_months, visit_rows

TODAY = date(2026, 4, 20)
K1 = t.parse_span("2026-K1")
SECRET_NOTE = "Vertrouwelijk: de schuldeiser van tante Ploos belt elke dag"
SECRET_REFERRAL = "Budgetcoach Kwakkelstein"
SECRET_REASON = "Moeder durfde niet te bellen"
NAMES = {"geldzorgen": "Geldzorgen", "eenzaamheid": "Eenzaamheid"}
L, X = t.SUPPRESSED, t.HIDDEN

# 2026-K1 counted by hand from the fixture ``fixed`` below, before suppression. Noord 8
# households (10 visits), Zuid 12, Dijkzicht 2 + Haven 3 together "overige wijken" (fewer
# than 5 households each in all the data). Measures not listed are 0.
RAW: dict[str, dict[str, int]] = {
    "Noord": {
        t.VISITS: 10, t.HOUSEHOLDS: 8, t.CONCERNS: 4, "thema:geldzorgen": 6,
        "thema:eenzaamheid": 1, "verwijzing:activiteit:gestart": 1,
        "verwijzing:activiteit:niet gelukt": 1, "verwijzing:dienst:lopend": 1,
        "gat:eenzaamheid": 1,
    },
    "Zuid": {
        t.VISITS: 12, t.HOUSEHOLDS: 12, t.CONCERNS: 5, "thema:geldzorgen": 7,
        "thema:eenzaamheid": 9, "verwijzing:activiteit:lopend": 6, "gat:eenzaamheid": 6,
    },
    t.OTHERS: {t.VISITS: 5, t.HOUSEHOLDS: 5, "thema:geldzorgen": 1},
}  # fmt: skip
RAW[t.ALL] = {m: sum(RAW[g].get(m, 0) for g in RAW) for m in RAW["Zuid"] | RAW["Noord"]}
# Counts of 5 or more that the grid hides (x) in 2026-K1, because a sum or a relation
# between measures would otherwise pin a <5 or an x somewhere in the grid:
# - visits: Zuid's twelve visits are its twelve households, all in 2026-03; where two
#   counts are equal, hiding one hides the other (docs/trends.md), so Zuid's visits of
#   2026-03 go with its households there, its quarter with them, and then Noord and
#   overige wijken next to it (alle wijken is shown, so one wijk alone would be pinned);
# - households and money worries of Noord: in 2026-01 Noord is all of "alle wijken" (the
#   other wijken are 0 there), so Noord's month goes, and with it its quarter;
# - concerns and running referrals: 2026 is shown and 2026-K2 is a <5, so 2026-K1 of
#   alle wijken goes, and Zuid next to the <5 of the other wijken with it.
SECONDARY = {
    ("Noord", t.VISITS), (t.OTHERS, t.VISITS), ("Zuid", t.VISITS),
    ("Noord", t.HOUSEHOLDS), (t.OTHERS, t.HOUSEHOLDS), ("Noord", "thema:geldzorgen"),
    ("Zuid", t.CONCERNS), (t.ALL, t.CONCERNS),
    ("Zuid", "verwijzing:activiteit:lopend"), (t.ALL, "verwijzing:activiteit:lopend"),
}  # fmt: skip
MEASURES = [
    t.VISITS, t.HOUSEHOLDS, t.CONCERNS, t.CONCERN_SHARE, t.THIN, "thema:geldzorgen",
    "thema:eenzaamheid", *(f"verwijzing:{s}:{o}" for s in ("activiteit", "dienst")
                           for o in t.OUTCOMES), "gat:eenzaamheid",
]  # fmt: skip


def expected(group: str, measure: str, raw: dict[str, dict[str, int]] = RAW) -> t.Value:
    """What 2026-K1 shows: <5 for 0–4, x for SECONDARY, else the count; the share of
    visits with concerns only from two shown counts."""
    if measure == t.CONCERN_SHARE:
        concerns, visits = expected(group, t.CONCERNS), expected(group, t.VISITS)
        if isinstance(concerns, int) and isinstance(visits, int):
            return round(100 * concerns / visits, 1)
        return X
    count = raw[group].get(measure, 0)
    if count < t.MIN_COUNT:
        return L
    return X if (group, measure) in SECONDARY else count


EXPECTED = {g: {m: expected(g, m) for m in MEASURES} for g in ("Noord", "Zuid", t.OTHERS, t.ALL)}


def at(day: date, minutes: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, 12, 0, tzinfo=UTC) + timedelta(minutes=minutes)


def visit(
    store: Store,
    code: str,
    wijk: str,
    day: date,
    *,
    themes: Sequence[str] = (),
    safety: Sequence[tuple[str, str, str]] = (),
    referral: tuple[str, Sequence[str]] | None = None,
    gaps: Sequence[str] = (),
) -> int:
    """One finished visit; ``safety`` entries (kind, key, value) are a minute apart."""
    now = at(day)
    visit_id = store.run(
        repo.start_visit, code=code, wijk=wijk, children=Children(birth_years=(2018,)), now=now
    )
    store.run(repo.save_note, visit_id=visit_id, topic="stress", text=SECRET_NOTE, now=now)
    if themes:
        store.run(repo.set_themes, visit_id=visit_id, topic="stress", themes=themes, now=now)
    for minute, (kind, key, value) in enumerate(safety):
        store.run(
            repo.add_safety_entry,
            visit_id=visit_id,
            kind=kind,
            key=key,
            value=value,
            note=SECRET_NOTE,
            now=at(day, minute),
        )
    if referral is not None:
        soort, states = referral
        made = store.run(
            repo.add_referral,
            visit_id=visit_id,
            naam=SECRET_REFERRAL,
            soort=soort,
            wijk=wijk,
            themes=themes,
            contact="06-12345678",
            now=now,
        )
        for state in states:
            store.run(
                repo.update_referral,
                referral_id=made,
                visit_id=visit_id,
                state=state,
                reason=SECRET_REASON,
                now=now,
            )
    if gaps:
        store.run(repo.record_gaps, visit_id=visit_id, wijk=wijk, themes=gaps, now=now)
    store.run(repo.end_visit, visit_id=visit_id, now=now + timedelta(hours=1))
    return visit_id


@pytest.fixture
def fixed(store: Store) -> Store:
    """The fixed data set of EXPECTED, a year earlier for comparing, and visits just outside."""
    money = ("geldzorgen",)
    noord = [
        ("GZ-101", money, [(KINDCHECK, "", "zorgen")], ("activiteit", [REGISTERED, STARTED]), ()),
        ("GZ-102", money, [(SIGNAL, "kind/slaap", "aan")], ("activiteit", [FAILED]), ()),
        ("GZ-103", money, [(SIGNAL, "kind/slaap", "aan"), (SIGNAL, "kind/slaap", "uit")],
         ("dienst", []), ()),
        ("GZ-104", money, [(STEP, "1", "bezig")], None, ()),
        ("GZ-105", money, [(STEP, "1", "open")], None, ()),
        ("GZ-106", money, [(ASSESS, "1", "ja")], None, ()),
        ("GZ-107", ("eenzaamheid",), [(KINDCHECK, "", "zorgen"), (KINDCHECK, "", "geen-zorgen")],
         None, ("eenzaamheid",)),
        ("GZ-108", (), [], None, ()),
    ]  # fmt: skip
    for number in range(101, 111):  # a year earlier: ten Noord households with money worries
        visit(store, f"GZ-{number}", "Noord", date(2025, 2, 3), themes=money)
    for day, (code, themes, safety, referral, gaps) in enumerate(noord, start=10):
        visit(store, code, "Noord", date(2026, 1, day), themes=themes, safety=safety,
              referral=referral, gaps=gaps)  # fmt: skip
    visit(store, "GZ-101", "Noord", date(2026, 2, 12), themes=money)
    # Two entries at the same moment: the later id wins (ties as in domain.safety.current).
    same = [(SIGNAL, "kind/school", "aan"), (SIGNAL, "kind/school", "uit")]
    visit_id = visit(store, "GZ-102", "Noord", date(2026, 2, 13))
    for kind, key, value in same:
        store.run(repo.add_safety_entry, visit_id=visit_id, kind=kind, key=key, value=value,
                  now=at(date(2026, 2, 13)))  # fmt: skip
    for number in range(201, 213):
        themes = [theme for theme, last in (("eenzaamheid", 209), ("geldzorgen", 207))
                  if number <= last]  # fmt: skip
        visit(
            store,
            f"GZ-{number}",
            "Zuid",
            date(2026, 3, number - 200),
            themes=themes,
            safety=[(KINDCHECK, "", "zorgen")] if number <= 205 else [],
            referral=("activiteit", []) if number <= 206 else None,
            gaps=("eenzaamheid",) if number <= 206 else (),
        )
    visit(store, "GZ-301", "Dijkzicht", date(2026, 2, 2), themes=money)
    visit(store, "GZ-302", "Dijkzicht", date(2026, 2, 3))
    for number in (401, 402, 403):
        visit(store, f"GZ-{number}", "Haven", date(2026, 2, 4))
    visit(store, "GZ-101", "Noord", date(2025, 12, 31), themes=money)  # just before
    visit(store, "GZ-101", "Noord", date(2026, 4, 1), themes=money)  # just after
    return store


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli_common, "today", lambda: TODAY)


NOW = f"{TODAY:%Y-%m}"


def figures_of(store: Store, spans: Sequence[t.Span]) -> t.Trends:
    """``spans`` of the one publication of all the data, as the command makes it."""
    first, last = store.run(data_months)
    return t.trends(store.run(visit_rows, first=first, last=last), spans, now=NOW)


# --- periods ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "first", "last", "label"),
    [
        ("2026", "2026-01", "2026-12", "2026"),
        ("2026-K1", "2026-01", "2026-03", "2026-K1"),
        ("2025-k4", "2025-10", "2025-12", "2025-K4"),
        ("2026-03", "2026-03", "2026-03", "2026-03"),
        ("2024..2025-K2", "2024-01", "2025-06", "2024 t/m 2025-K2"),
    ],
)
def test_periods_are_read_as_whole_months(text: str, first: str, last: str, label: str) -> None:
    assert t.parse_span(text) == t.Span(first, last, label)


@pytest.mark.parametrize("text", ["2026-K5", "2026-13", "maart", "26-03", "2026-K2..2026-K1"])
def test_a_wrong_period_says_how_to_write_one(text: str) -> None:
    with pytest.raises(ValueError, match=r"periode|einde"):
        t.parse_span(text)


def test_periods_cover_whole_quarters_and_months() -> None:
    quarters = t.periods("2025-11", "2026-02", t.QUARTER)
    assert [s.label for s in quarters] == ["2025-K4", "2026-K1"]
    assert (quarters[0].first, quarters[-1].last) == ("2025-10", "2026-03")
    months = t.periods("2025-11", "2026-02", t.MONTH)
    assert [s.label for s in months] == ["2025-11", "2025-12", "2026-01", "2026-02"]


# --- suppression -----------------------------------------------------------------------------


def feasible(shown: Sequence[t.Value], total: int) -> list[set[int]]:
    """Every value each hidden cell can have, given the shown cells and the total: a "<5"
    is 0–4, an "x" is 5 or more, and all cells add up to the total (by brute force)."""
    hidden = [i for i, v in enumerate(shown) if isinstance(v, str)]
    rest = total - sum(v for v in shown if isinstance(v, int))
    ranges = {i: range(5) if shown[i] == L else range(5, rest + 1) for i in hidden}
    options: list[set[int]] = []
    for cell in hidden:
        sums = {0}  # what the other hidden cells can add up to
        for other in hidden:
            if other != cell:
                sums = {a + b for a in sums for b in ranges[other] if a + b <= rest}
        options.append({v for v in ranges[cell] if rest - v in sums})
    return options


def assert_safe(shown: Sequence[t.Value], total: t.Value) -> None:
    """No hidden cell of the line is pinned to one value (when the total is hidden too,
    the line says nothing more than each cell's own sign)."""
    if not isinstance(total, int):
        return  # no sum to subtract from
    for value, options in zip([v for v in shown if isinstance(v, str)], feasible(shown, total),
                              strict=True):  # fmt: skip
        assert len(options) >= 2, (shown, total, value, options)


def protect_line(cells: Sequence[int], total: int) -> tuple[list[t.Value], t.Value]:
    """One relation, ``total = sum(cells)``, through :func:`t.protect`, shown."""
    names = [("2026", "alle"), *((("2026", f"w{i}")) for i in range(len(cells)))]
    values = dict(zip(names, [total, *cells], strict=True))
    hidden = t.protect(values, [tuple(names)])

    def shown(cell: tuple[str, str]) -> t.Value:
        if cell not in hidden:
            return values[cell]
        return L if values[cell] < t.MIN_COUNT else X

    return [shown(c) for c in names[1:]], shown(names[0])


def test_the_subtraction_case() -> None:
    """One small count next to shown counts: total minus the rest would give it away."""
    cells, total = [12, 3, 30], 45
    naive = [v if v >= 5 else L for v in cells]
    assert total - sum(v for v in naive if isinstance(v, int)) == 3  # the leak
    shown, shown_total = protect_line(cells, total)
    assert (shown, shown_total) == ([X, L, 30], 45)  # the smallest cell that hides enough
    assert_safe(shown, shown_total)


def test_a_cell_of_exactly_five_is_not_enough_to_hide_a_zero() -> None:
    """A <5 and an x of 5 that add up to 5 would give 0 and 5: one more cell goes."""
    shown, total = protect_line([0, 5, 20, 6], 31)
    assert (shown, total) == ([L, X, 20, X], 31)  # 0 + 5 = 5 pins both; 5 + 6 = 11 does not
    assert_safe(shown, total)


def test_the_total_goes_when_nothing_else_hides_enough() -> None:
    assert protect_line([0, 5], 5) == ([L, X], X)
    assert protect_line([1, 2], 3) == ([L, L], L)
    assert protect_line([5, 9], 14) == ([5, 9], 14)


def test_no_small_count_can_be_worked_back_from_a_total() -> None:
    rng = random.Random(5)
    for _ in range(3000):
        cells = [
            rng.choice([0, 1, 2, 3, 4, 5, 5, 6, 7, 9, 12, 20]) for _ in range(rng.randint(1, 5))
        ]
        shown, total = protect_line(cells, sum(cells))
        assert [L for v in cells if v < 5] == [v for v in shown if v == L]
        assert_safe(shown, total)


def test_relations_together_pin_what_none_pins_alone() -> None:
    """Two wijken in two quarters, every total shown: each sum alone leaves the hidden
    cells open, all four together pin them (b ≤ 6, so d = 10 − b ≥ 4, so d = 4, c = 7,
    a = 0); protect() hides until they no longer do."""
    a, b = ("2026-K1", "A"), ("2026-K2", "A")
    c, d = ("2026-K1", "B"), ("2026-K2", "B")
    year_a, year_b = ("2026", "A"), ("2026", "B")
    q1, q2 = ("2026-K1", t.ALL), ("2026-K2", t.ALL)
    values = {a: 0, b: 6, c: 7, d: 4, year_a: 6, year_b: 11, q1: 7, q2: 10}
    lines = [(year_a, a, b), (year_b, c, d), (q1, a, c), (q2, b, d)]
    hidden = {a, b, c, d}
    for line in lines:
        assert t.pinned_cells(values, hidden, [line]) == []
    assert t.pinned_cells(values, hidden, lines) == sorted(hidden)
    protected = t.protect(values, lines)
    assert hidden < protected
    bounds = t.intervals(values, protected, lines)
    assert all(bounds[cell][0] < bounds[cell][1] for cell in protected)


def test_households_only_add_up_at_most_in_time() -> None:
    """A household that comes back counts in both months: the quarter is at most their
    sum, so a shown quarter and month pin nothing there."""
    quarter, jan, feb = ("2026-K1", "A"), ("2026-01", "A"), ("2026-02", "A")
    values = {quarter: 6, jan: 6, feb: 3}  # the three of February came in January too
    lines = [(quarter, jan, feb)]
    assert t.distinct(t.HOUSEHOLDS) and t.distinct("thema:wonen") and not t.distinct(t.VISITS)
    assert t.intervals(values, {feb}, lines, at_most_in_time=True)[feb] == (0, 4)
    assert t.protect(values, lines, at_most_in_time=True) == {feb}
    assert t.pinned_cells(values, {feb}, lines) == [feb]  # added up, it would be 0


@pytest.mark.parametrize(
    ("households", "shown", "merged"),
    [
        ({"A": 8, "B": 6, "C": 2, "D": 3}, ["A", "B"], ["C", "D"]),
        ({"A": 8, "B": 6, "C": 2}, ["A"], ["B", "C"]),  # C alone would be total − A − B
        ({"A": 4, "B": 4}, [], ["A", "B"]),
        ({"A": 7}, ["A"], []),
    ],
)
def test_small_wijken_are_merged_never_left_alone(
    households: dict[str, int], shown: list[str], merged: list[str]
) -> None:
    assert t.group_wijken(households) == (shown, merged)


def test_a_period_with_too_few_households_shows_nothing() -> None:
    rows = [t.visit_row(wijk="A", month="2026-01", household=n, themes=("x",)) for n in range(4)]
    assert t.trends(rows, [K1]).figures[0].groups == ()
    rows.append(t.visit_row(wijk="B", month="2026-02", household=9))
    figures = t.trends(rows, [K1]).figures[0]
    assert figures.groups == (t.ALL,)  # two small wijken together: only "alle wijken"
    assert figures.get(t.ALL, t.HOUSEHOLDS) == 5


# --- the fixed data set ------------------------------------------------------------------------


def test_exact_counts_of_the_fixed_data_set(fixed: Store) -> None:
    result = figures_of(fixed, [K1])
    figures = result.figures[0]
    assert figures.groups == ("Noord", "Zuid", t.OTHERS, t.ALL)
    assert {g: {m: figures.get(g, m) for m in MEASURES} for g in figures.groups} == EXPECTED
    assert result.measures[:7] == (
        t.VISITS, t.HOUSEHOLDS, t.CONCERNS, t.CONCERN_SHARE, t.THIN, "thema:geldzorgen",
        "thema:eenzaamheid",
    )  # fmt: skip
    for measure in MEASURES:
        if measure != t.CONCERN_SHARE:
            line = [figures.get(g, measure) for g in ("Noord", "Zuid", t.OTHERS)]
            assert_safe([v for v in line if v is not None], figures.get(t.ALL, measure) or 0)
    # Every cell of the grid, not only this quarter: no relation, nor all of them
    # together, pins a hidden count.
    first, last = fixed.run(data_months)
    publication = t.publish(fixed.run(visit_rows, first=first, last=last), now=NOW)
    grid = t.relations([2025, 2026], publication.groups[:-1], NOW, first)
    measures = [m for m in publication.measures if m != t.CONCERN_SHARE]
    lines: list[tuple] = []
    kinds: list[str] = []
    for measure in measures:
        lines += [tuple((p, g, measure) for p, g in line) for line in grid]
        kinds += t.kinds_of(grid, measure)
    cells = {(p, g) for line in grid for p, g in line}
    for kind, line in t.between_measures(cells, measures):
        lines.append(line)
        kinds.append(kind)
    # What the reader knows: the counts shown, <5 (also a cell without visits), x.
    shown = publication.cells
    known = {cell: v if isinstance(v, int) else 5 * (v == X) for cell, v in shown.items()}
    hidden = {cell for line in lines for cell in line if not isinstance(shown.get(cell), int)}
    bounds = t.intervals(known, hidden, lines, kinds=kinds)
    for cell in hidden:
        low, high = bounds[cell]
        assert low < high, (cell, low, high)


def test_concerns_in_sql_agree_with_the_domain(fixed: Store) -> None:
    from sqlalchemy import text

    def flags(*, session: object) -> dict[int, bool]:
        sql = f"SELECT v.id, {_CONCERNS} FROM visit AS v"
        return {vid: bool(flag) for vid, flag in session.connection().execute(text(sql))}  # type: ignore[attr-defined]

    found = fixed.run(flags)
    assert len(found) == 39 and sum(found.values()) == 9
    for visit_id, flag in found.items():
        assert flag == has_concerns(fixed.run(repo.safety_entries, visit_id=visit_id)), visit_id


def test_only_visits_in_the_period_count(fixed: Store) -> None:
    assert fixed.run(data_months) == ("2025-02", "2026-04")
    rows = fixed.run(visit_rows, first="2025-12", last="2026-04")
    assert sorted({row[1] for row in rows}) == [
        "2025-12",
        "2026-01",
        "2026-02",
        "2026-03",
        "2026-04",
    ]
    assert sum(1 for row in rows if row[1] in K1) == 27


# 2025-K1: ten Noord households with money worries, one visit each, all in 2025-02,
# nobody else. Visits and households are hidden: with the money worries of 2025-02 they
# would show that all ten visits of the quarter were in that month (a household with a
# theme is a household, a household had a visit), pinning the <5 of 2025-01 and 2025-03
# to 0.
BEFORE = {t.VISITS: X, t.HOUSEHOLDS: X, "thema:geldzorgen": 10}


def test_comparison_shows_change_only_where_both_counts_are_shown(fixed: Store) -> None:
    result = figures_of(fixed, [t.parse_span("2025-K1"), K1])
    before, after = result.figures
    assert before.groups == after.groups == ("Noord", "Zuid", t.OTHERS, t.ALL)  # fixed groups
    # Noord is all of "alle wijken" in 2025-K1 (the others are 0): its counts are x.
    assert [before.get("Noord", m) for m in BEFORE] == [X, X, X]
    assert [before.get(t.ALL, m) for m in BEFORE] == list(BEFORE.values())
    found = t.changes(before, after, result.measures)
    shown_after = {m: expected(t.ALL, m) for m in BEFORE}
    assert found == {
        (t.ALL, m): round(100 * (shown_after[m] - n) / n, 1)
        for m, n in BEFORE.items()
        if isinstance(shown_after[m], int) and isinstance(n, int)
    }
    assert found == {(t.ALL, "thema:geldzorgen"): 40.0}
    assert t.change(10, L) is None and t.change(X, 12) is None


def test_overlapping_periods_are_cells_of_one_publication(fixed: Store) -> None:
    """A year and its quarter side by side show what each shows alone: no new sum, and
    no range of months (A..B) is ever counted."""
    both = figures_of(fixed, [t.parse_span("2026"), K1]).figures
    alone = figures_of(fixed, [K1]).figures[0]
    assert both[1].cells == alone.cells
    assert both[0].cells == figures_of(fixed, [t.parse_span("2026")]).figures[0].cells
    with pytest.raises(ValueError, match="geen maand, kwartaal of jaar"):
        t.trends([], [t.parse_span("2026-01..2026-02")])


# --- the command line: every format parsed back --------------------------------------------------


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["trends", *args]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    return out


def parse_table(text: str) -> dict[str, dict[str, list[str]]]:
    blocks: dict[str, dict[str, list[str]]] = {}
    rows: dict[str, list[str]] = {}
    section = ""
    for line in text.splitlines():
        if match := re.fullmatch(r"== (.+) ==", line):
            rows = blocks.setdefault(match[1], {})
        elif line.startswith("Thema's in"):
            rows = {}  # the bar chart
        elif line.strip() and rows is not None:
            parts = re.split(r" {2,}", line.strip())
            if len(parts) == 1 and not line.startswith(" "):
                section = parts[0]
            elif line.startswith("  "):
                rows[f"{section}: {parts[0]}"] = parts[1:]
            else:
                rows[parts[0]] = parts[1:]
    return blocks


def parse_md(text: str) -> dict[str, dict[str, list[str]]]:
    blocks: dict[str, dict[str, list[str]]] = {}
    section = ""
    for line in text.splitlines():
        if line.startswith("### "):
            rows = blocks.setdefault(line[4:], {})
        elif line.startswith("| **"):
            section = line.split("**")[1]
        elif line.startswith("| ") and not line.startswith("| maat"):
            cells = [c.strip().replace("\\", "") for c in line.strip("|").split(" | ")]
            if cells[0].startswith("– "):
                rows[f"{section}: {cells[0].removeprefix('– ')}"] = cells[1:]
            else:
                rows[cells[0]] = cells[1:]
    return blocks


GUIDE_NAMES = {theme.id: theme.naam for theme in load_guide(paths.shipped_questions()).themes}
CLI_MEASURES = [
    t.VISITS, t.HOUSEHOLDS, t.CONCERNS, t.CONCERN_SHARE, t.THIN,
    *(f"thema:{x}" for x in [*GUIDE_NAMES, t.OTHER_KIND]),
    *(f"verwijzing:{s}:{o}" for s in [*KINDS, t.OTHER_KIND] for o in t.OUTCOMES),
    *(f"gat:{x}" for x in [*GUIDE_NAMES, t.OTHER_KIND]),
]  # fmt: skip
"""What the command lists: every theme of the guide and kind of referral, also when 0."""


def row_key(measure: str) -> str:
    """A row as parse_table and parse_md name it: its section, then its label."""
    label = measure_label(measure, GUIDE_NAMES)
    section = section_of(measure)
    return f"{section}: {label}" if section else label


def expected_rows(group: str) -> dict[str, str]:
    def text(value: t.Value) -> str:
        return f"{value:.1f}".replace(".", ",") + "%" if isinstance(value, float) else str(value)

    return {row_key(m): text(expected(group, m)) for m in CLI_MEASURES}


def test_tabel_parses_back_with_bars(fixed: Store, capsys: pytest.CaptureFixture[str]) -> None:
    out = run(["--van", "2026-K1", "--tot", "2026-K1"], capsys)
    assert out.startswith("Wijktrends per kwartaal, 2026-K1\n")
    blocks = parse_table(out)
    assert list(blocks) == ["Noord", "Zuid", t.OTHERS, t.ALL]
    for group, rows in blocks.items():
        assert {label: cells[0] for label, cells in rows.items() if cells} == expected_rows(group)
    bars = out.split("== alle wijken ==")[1].split("Thema's in 2026-K1 (huishoudens)")[1]
    assert re.search(r"Geldzorgen\s+14  █{24}\n", bars)
    assert re.search(r"Eenzaamheid\s+10  █{17}\n", bars)  # 10/14 of the width


def test_csv_is_one_tidy_table(fixed: Store, capsys: pytest.CaptureFixture[str]) -> None:
    out = run(["--van", "2026-01", "--tot", "2026-03", "--formaat", "csv"], capsys)
    table = list(csv.reader(io.StringIO(out)))
    assert table[0] == ["wijk", "periode", "maat", "waarde", "periode_om"]
    found = {(w, m): v for w, p, m, v, done in table[1:] if p == "2026-K1" and done == "ja"}
    assert len(found) == len(table) - 1
    shown = {(g, m): (f"{v:.1f}" if isinstance(v, float) else str(v))
             for g in EXPECTED for m in CLI_MEASURES if (v := expected(g, m))}  # fmt: skip
    assert found == shown


def test_md_reads_as_a_report_and_parses_back(
    fixed: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    out = run(["--van", "2026-K1", "--tot", "2026-K1", "--formaat", "md"], capsys)
    headings = [line for line in out.splitlines() if line.startswith("#")]
    assert headings[:4] == ["# Wijktrends per kwartaal, 2026-K1", "## Periode", "## Methode",
                            "## Cijfers"]  # fmt: skip
    assert "Opgesteld op 20-04-2026" in out
    assert "2026-K1 (2026-01 t/m 2026-03)" in out
    assert "Elk aantal onder de 5 staat er als <5" in out
    assert "Er zijn alleen hele maanden, kwartalen en jaren" in out
    assert "geen enkele som" in out  # nor all of them together
    assert "nooit meer dan bezoeken" in out  # the relations between measures count too
    assert "Deel daarom per periode één verslag" in out  # what the grid cannot keep
    assert "Elk thema van de leidraad" in out
    blocks = parse_md(out)
    assert list(blocks) == ["Noord", "Zuid", t.OTHERS, t.ALL]
    for group, rows in blocks.items():
        shown = {label: cells[0] for label, cells in rows.items() if cells[0]}
        assert shown == expected_rows(group)


def test_comparison_in_every_format(fixed: Store, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--vergelijk", "2025-K1", "2026-K1"]
    money, households = row_key("thema:geldzorgen"), row_key(t.HOUSEHOLDS)
    table = parse_table(run(args, capsys))
    assert table["Noord"][households] == ["x", "x"]  # Noord is all of 2025-K1: no change
    assert table[t.ALL][households] == ["x", "25"]  # see BEFORE
    assert table[t.ALL][money] == ["10", "14", "+40,0%"]
    assert table["Zuid"]["bezoeken"] == ["<5", "x"]  # the same wijken in every period
    rows = list(csv.DictReader(io.StringIO(run([*args, "--formaat", "csv"], capsys))))
    changes = {(r["wijk"], r["maat"]): r["waarde"] for r in rows if "→" in r["periode"]}
    assert changes == {(t.ALL, "verandering_pct:thema:geldzorgen"): "40.0"}
    md = parse_md(run([*args, "--formaat", "md"], capsys))
    assert md[t.ALL][money] == ["10", "14", "+40,0%"]
    out = run([*args, "--wijk", "noord"], capsys)
    assert list(parse_table(out)) == ["Noord"]
    assert re.search(r"Geldzorgen\s+x\s+│", out)  # no bar for a hidden count


SECRETS = [SECRET_NOTE, "Ploos", SECRET_REFERRAL, SECRET_REASON, "06-12345678", "GZ-", "gz-"]


@pytest.mark.parametrize("formaat", ["tabel", "csv", "md"])
@pytest.mark.parametrize(
    "args",
    [["--per", "maand", "--van", "2025", "--tot", "2026-K2"], ["--vergelijk", "2025", "2026"]],
)
def test_no_code_visit_date_or_note_text_in_any_format(
    fixed: Store, capsys: pytest.CaptureFixture[str], formaat: str, args: list[str]
) -> None:
    out = run([*args, "--formaat", formaat], capsys)
    for secret in SECRETS:
        assert secret.lower() not in out.lower()
    days = set(re.findall(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{2,4}", out))
    assert days <= {"20-04-2026"}  # only the day the report was made


def test_wijk_filter_and_a_wijk_that_is_never_shown(
    fixed: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    out = run(["--van", "2026-K1", "--tot", "2026-K1", "--wijk", "Zuid", "--wijk", "Haven"], capsys)
    assert list(parse_table(out)) == ["Zuid"]
    assert "Haven staat niet apart: de wijk telt mee bij overige wijken en bij alle wijken.\n" \
        in out  # fmt: skip


@pytest.mark.parametrize(
    ("asked", "hint"),
    [
        ("Nord", "bedoelde u Noord?"),
        ("zuidd", "bedoelde u Zuid?"),
        ("alle wijk", "bedoelde u alle wijken?"),
    ],
)
def test_a_wijk_never_shown_that_looks_like_one_shown_gets_a_hint(
    fixed: Store, capsys: pytest.CaptureFixture[str], asked: str, hint: str
) -> None:
    out = run(["--van", "2026-K1", "--tot", "2026-K1", "--wijk", asked], capsys)
    assert f"{asked} staat niet apart (geen wijk met bezoeken van minstens 5 huishoudens); " \
        f"{hint}\n" in out  # fmt: skip


def test_no_database_yet_counts_nothing_and_creates_nothing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = run(["--formaat", "csv"], capsys)
    assert out == "wijk,periode,maat,waarde,periode_om\r\n"
    assert not (paths.data_dir() / paths.DATABASE_NAME).exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--vergelijk", "2025", "2026", "--van", "2025"], "gaat niet samen met --van"),
        (["--van", "2026-K5"], "'2026-K5' is geen periode"),
        (["--vergelijk", "2026-01..2026-02", "2026-K2"], "kies één maand"),
        (["--van", "2026-K2", "--tot", "2026-K1"], "--tot ligt vóór --van"),
        (["--formaat", "xlsx"], "bij --formaat: 'xlsx' is geen formaat; kies tabel, csv of md."),
    ],
)
def test_wrong_use_is_a_dutch_sentence(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["trends", *args]) == 2
    assert message in capsys.readouterr().err


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_uitvoer_is_private(
    fixed: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "trends.md"
    out = run(["--vergelijk", "2025-K1", "2026-K1", "--formaat", "md", "--uitvoer", str(target)],
              capsys)  # fmt: skip
    assert out == f"Geschreven: {target} (wijktrends 2025-K1 vergeleken met 2026-K1).\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text("utf-8").startswith("# Wijktrends 2025-K1 vergeleken met 2026-K1")


# --- the screen ------------------------------------------------------------------------------


def screen_text(screen: TrendsScreen) -> str:
    table = screen.query_one("#trends-table", DataTable)
    cells = [str(cell) for row in range(table.row_count) for cell in table.get_row_at(row)]
    statics = [str(static.render()) for static in screen.query(Static)]
    return "\n".join([*statics, *cells])


def row_of(screen: TrendsScreen, label: str) -> list[str]:
    table = screen.query_one("#trends-table", DataTable)
    for index in range(table.row_count):
        cells = [str(cell) for cell in table.get_row_at(index)]
        if cells[0].strip() == label:
            return cells[1:]
    raise AssertionError(label)


async def test_trends_screen_periods_wijken_and_months(
    fixed: Store, guide: Guide, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(screens_trends, "this_month", lambda: NOW)
    app = WijkgesprekApp(guide=guide, database=paths.data_dir() / paths.DATABASE_NAME)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.rows)
        await pilot.press("t")
        await wait_until(pilot, lambda: isinstance(app.screen, TrendsScreen) and app.screen.loaded)
        screen = app.screen
        assert isinstance(screen, TrendsScreen)
        head = screen.query_one("#trends-head", Static)

        def bars() -> str:
            return str(screen.query_one("#trends-bars", Static).render())

        assert str(head.render()).startswith("2026-K2 (nog niet om) · alle wijken · per kwartaal")
        assert "Een periode die nog niet om is, wordt niet in procenten vergeleken." in bars()
        await pilot.press("right")  # already the last period: nothing happens
        await pilot.press("left")
        assert str(head.render()).startswith("2026-K1 · alle wijken")
        assert row_of(screen, "huishoudens") == ["<5", "25", ""]  # 2025-K4: one household
        assert row_of(screen, "Geldzorgen") == ["<5", "14", ""]
        assert re.search(r"Geldzorgen\s+14  █{16}", bars())
        assert "nog niet om" not in bars()
        await pilot.press("w")
        assert str(head.render()).startswith("2026-K1 · Noord")
        assert row_of(screen, "bezoeken") == ["<5", "x", ""]
        await pilot.press("w", "w")  # Zuid, overige wijken
        assert str(head.render()).startswith("2026-K1 · overige wijken")
        assert "Overige wijken: Dijkzicht, Haven" in bars()
        await pilot.press("p")  # maand → kwartaal → jaar → maand
        assert str(head.render()).startswith("2026 (nog niet om) · overige wijken · per jaar")
        await pilot.press("p")  # the last month with a visit
        assert str(head.render()).startswith("2026-04 (nog niet om) · overige wijken · per maand")
        await pilot.press("p")
        assert str(head.render()).startswith("2026-K2 (nog niet om) · overige wijken")
        for secret in SECRETS:
            assert secret.lower() not in screen_text(screen).lower()
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))


def test_a_waiting_list_is_counted_as_its_own_outcome() -> None:
    rows = [
        ("Noord", month, n, (), False, (("dienst", "wachtlijst"),), (), False)
        for month in ("2026-01", "2026-02")
        for n in range(6)
    ] + [("Noord", "2026-02", 9, (), False, (("dienst", "aangemeld"),), (), False)]
    figures = t.trends(rows, [K1]).figures[0]
    assert figures.get(t.ALL, "verwijzing:dienst:wachtlijst") == 12
    assert figures.get(t.ALL, "verwijzing:dienst:lopend") == L  # the one still registered
    assert measure_label("verwijzing:dienst:wachtlijst", NAMES) == "dienst, wachtlijst"


def test_a_safe_total_is_shown_when_the_wijk_cells_are_small() -> None:
    """Issue 19 point 4: three wijken of 6 households, 2 with money worries each: every
    wijk is a <5, and "alle wijken" shows 6 — the three <5 keep 0–4 each."""
    rows = [
        t.visit_row(wijk=wijk, month="2025-03", household=base + n,
                    themes=("geldzorgen",) if n < 2 else ())
        for base, wijk in ((0, "Noord"), (10, "Zuid"), (20, "Oost"))
        for n in range(6)
    ]  # fmt: skip
    figures = t.publish(rows, themes=("geldzorgen",), now="2025-03").figures(t.parse_span("2025"))
    assert figures.groups == ("Noord", "Oost", "Zuid", t.ALL)  # 6 households: shown apart
    assert [figures.get(w, "thema:geldzorgen") for w in ("Noord", "Oost", "Zuid")] == [L, L, L]
    assert figures.get(t.ALL, "thema:geldzorgen") == 6
    assert figures.get(t.ALL, t.HOUSEHOLDS) == 18


def test_a_wijk_of_five_or_six_households_is_not_called_small(
    fixed: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    """Noord (10 households) and the merged group are explained right: no "minder dan 5"
    for a wijk that is shown, the make-up of "overige wijken" listed."""
    out = run(["--van", "2026-K1", "--tot", "2026-K1", "--wijk", "Noord"], capsys)
    assert "minder dan 5" not in out
    out = run(["--van", "2026-K1", "--tot", "2026-K1", "--wijk", t.OTHERS], capsys)
    assert "Overige wijken: Dijkzicht, Haven (samen, in alle perioden" in out
    out = run(["--vergelijk", "2026-K1", "2026-K2"], capsys)
    assert "Nog niet om: 2026-K2 (*)" in out
    assert "Geen verandering in procenten: een periode die nog niet om is" in out
    assert "%" not in out.split("== alle wijken ==")[1].split("Thema's in")[0]


def test_a_household_in_two_wijken_is_refused_not_counted_for_ever() -> None:
    """The store gives each household its current wijk. Rows that put one household in
    two wijken contradict the suppression's relations (all wijken holding fewer households
    than their sum), and its propagation did not end: such rows are refused at once."""
    rows: list[t.VisitRow] = [
        (wijk, f"2026-{month:02d}", household, ("geldzorgen",), False, (), (), False)
        for month in (1, 2, 3)
        for household in range(1, 13)
        for wijk in (["Noord"] if household != 7 else ["Noord", "Oost"])
    ]
    rows += [("Oost", "2026-01", h, (), False, (), (), False) for h in range(20, 30)]
    with pytest.raises(ValueError, match="one wijk"):
        t.publish(rows, now="2026-03")
