"""Issue 19: try the trends as an attacker would, with every option the command allows.

A realistic invented data set (70 households in four wijken of different sizes, 18
months, small cells) is fed to ``wijkgesprek trends`` (the database is replaced by the
rows; everything after reading them is the real command). Every published number is
collected with the cell it describes; then no hidden count may be derivable:
- one cell is shown the same in every output (so differencing two outputs gives only
  what a single relation of cells gives);
- all additive relations together (months and quarters in a year, months in a quarter,
  wijken in "alle wijken"; for households "at most the sum"), propagated as intervals
  until nothing changes, pin no hidden cell to one value, for someone who knows "<5" is
  0–4, "x" 5 or more, and that months before the first visit or after today are 0;
- every measure is listed for every group and period (a missing row never means 0);
- a change in percent is only given where both counts are shown.
"""

from __future__ import annotations

import csv
import io
import itertools
import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest

from wijkgesprek.cli import common as cli_common
from wijkgesprek.cli import main
from wijkgesprek.cli import trends as cli_trends
from wijkgesprek.domain import trends as t
from wijkgesprek.store import trends as store_trends
from wijkgesprek.store.target import TeamServer

WIJKEN = {"Noord": 34, "Zuid": 20, "Oost": 12, "Haven": 4}
THEMES = ("geldzorgen", "wonen", "opvoeding", "eenzaamheid", "gezondheid")
SOORTEN = ("activiteit", "dienst", "regeling")
FIRST = "2024-10"
MONTHS = [t.shift_months(FIRST, n) for n in range(18)]  # 2024-10 .. 2026-03
TODAY = date(2026, 4, 20)
SECRET = "Mevrouw Jansen Kerkstraat 12"


def invented_rows(seed: int = 19) -> list[t.VisitRow]:
    rng = random.Random(seed)
    networks = random.Random(seed + 1)  # its own: the rest of the set stays as it was
    rows: list[t.VisitRow] = []
    household = 0
    for wijk, size in WIJKEN.items():
        for _ in range(size):
            household += 1
            thin = networks.random() < 0.35  # a thin informal network on its map
            every = rng.choice([1, 2, 2, 3, 4])
            start = rng.randrange(0, 6)
            for month in MONTHS[start::every]:
                if rng.random() < 0.2:
                    continue
                themes = rng.sample(THEMES, rng.choice([0, 1, 1, 2]))
                refs = [(rng.choice(SOORTEN), rng.choice(["gestart", "aangemeld", "niet gelukt"]))]
                rows.append(
                    t.visit_row(
                        wijk=wijk if rng.random() < 0.9 else wijk.lower(),
                        month=month,
                        household=household,
                        themes=(*themes, SECRET) if rng.random() < 0.02 else themes,
                        concerns=rng.random() < 0.15,
                        referrals=refs if rng.random() < 0.25 else [],
                        gaps=rng.sample(THEMES, 1) if rng.random() < 0.08 else [],
                        thin=thin and networks.random() < 0.8,
                    )
                )
    return rows


class FakeStore:
    def __init__(self, rows: list[t.VisitRow]) -> None:
        self.rows = rows

    def run(self, function: object, **kwargs: object) -> object:
        if function is store_trends.reads_visits:  # counted here, as a professional
            return True
        if function is store_trends.publish_trends:  # for the coordinators: not read here
            return None
        if function is store_trends.data_months:
            return (min(r[1] for r in self.rows), max(r[1] for r in self.rows))
        first, last = kwargs["first"], kwargs["last"]
        assert isinstance(first, str) and isinstance(last, str)
        return [r for r in self.rows if first <= r[1] <= last]


@pytest.fixture
def invented(monkeypatch: pytest.MonkeyPatch) -> list[t.VisitRow]:
    from wijkgesprek.domain.wijk import shared_spellings

    raw = invented_rows()
    spelled = shared_spellings({r[0] for r in raw})  # as store.trends.visit_rows does
    rows = [(spelled[r[0]], *r[1:]) for r in raw]

    @contextmanager
    def opened(_target: object) -> Iterator[FakeStore]:
        yield FakeStore(rows)

    team = TeamServer("postgresql://coordinator@server/wijk")  # has data, never opened
    monkeypatch.setattr(cli_trends, "database_target", lambda _args: team)
    monkeypatch.setattr(cli_trends, "opened_store", opened)
    monkeypatch.setattr(cli_common, "today", lambda: TODAY)
    return rows


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["trends", *args]) == 0, args
    out, err = capsys.readouterr()
    assert err == ""
    return out


def option_sets() -> list[list[str]]:
    """Every kind of option the command takes, in csv."""
    ranges: list[list[str]] = [
        [],
        ["--van", "2024-10", "--tot", "2026-03"],
        ["--van", "2025-02", "--tot", "2025-11"],  # widened to whole periods
        ["--van", "2024", "--tot", "2026"],
    ]
    wijken: list[list[str]] = [[], ["--wijk", "Noord"], ["--wijk", t.OTHERS, "--wijk", "haven"]]
    found = [
        ["--per", per, *r, *w]
        for per in t.PERIOD_KINDS
        for r in ranges
        for w in wijken
    ]  # fmt: skip
    cells = [*MONTHS[::3], "2025-K1", "2025-K2", "2025-K4", "2026-K1", "2024", "2025", "2026"]
    for before, after in itertools.combinations(cells, 2):
        if before[:4] == after[:4] or len(before) == len(after):
            found.append(["--vergelijk", before, after])
    return found


def collect(outputs: list[str]) -> tuple[dict[tuple[str, str, str], set[str]], list[tuple]]:
    cells: dict[tuple[str, str, str], set[str]] = {}
    changes: list[tuple] = []
    for out in outputs:
        table = list(csv.reader(io.StringIO(out)))
        assert table[0][:4] == ["wijk", "periode", "maat", "waarde"]
        per_table: dict[tuple[str, str], set[str]] = {}
        for wijk, period, measure, value, *_ in table[1:]:
            if measure.startswith("verandering_pct:"):
                changes.append((wijk, period, measure.removeprefix("verandering_pct:"), value))
                continue
            cells.setdefault((period, wijk, measure), set()).add(value)
            per_table.setdefault((wijk, period), set()).add(measure)
        # Row presence: every group and period of one output lists the same measures.
        assert len({frozenset(m) for m in per_table.values()}) <= 1
    return cells, changes


MANY = 10**9
Cell = tuple[str, str, str]  # (period, group, measure)


def grid_lines(years: list[int], groups: list[str], measure: str) -> list[tuple[bool, list[Cell]]]:
    """Every sum the grid holds for one measure, built here from the calendar (not taken
    from the code under test): (households-like, [total, *parts])."""
    lines: list[tuple[bool, list[Cell]]] = []
    at_most = measure == t.HOUSEHOLDS or measure.startswith(("thema:", "gat:", "netwerk:"))
    for year in years:
        months = [f"{year}-{m:02d}" for m in range(1, 13)]
        quarters = {f"{year}-K{q}": months[q * 3 - 3 : q * 3] for q in range(1, 5)}
        for group in [*groups, t.ALL]:
            cell = (str(year), group, measure)
            lines.append((at_most, [cell, *((q, group, measure) for q in quarters)]))
            lines.append((at_most, [cell, *((m, group, measure) for m in months)]))
            for quarter, inside in quarters.items():
                lines.append(
                    (at_most, [(quarter, group, measure)] + [(m, group, measure) for m in inside])
                )
        for period in [str(year), *quarters, *months]:
            lines.append(
                (False, [(period, t.ALL, measure)] + [(period, g, measure) for g in groups])
            )
    return lines


def measure_lines(
    periods: list[str], groups: list[str], measures: list[str]
) -> list[tuple[str, list[Cell]]]:
    """What one cell says of another cell of the same period and group: [larger, smaller]
    (a visit with concerns is a visit, a household counted had a visit, a household with a
    theme, a gap or a thin network is a household)."""
    pairs = [(t.VISITS, t.CONCERNS), (t.VISITS, t.HOUSEHOLDS)]
    household_like = ("thema:", "gat:", "netwerk:")
    pairs += [(t.HOUSEHOLDS, m) for m in measures if m.startswith(household_like)]
    return [
        ("kleiner", [(period, group, larger), (period, group, smaller)])
        for period in periods
        for group in [*groups, t.ALL]
        for larger, smaller in pairs
    ]


def start_bounds(period: str, shown: str | None) -> list[int]:
    """What is known of a cell before any sum: a month before the team started or after
    today is 0 (and so is a quarter or year wholly outside); "<5" is 0–4, "x" 5 or more,
    a cell never published anything from 0."""
    first, last = period, period
    if len(period) == 4:
        first, last = f"{period}-01", f"{period}-12"
    elif "-K" in period:
        quarter = int(period[-1])
        first, last = f"{period[:4]}-{quarter * 3 - 2:02d}", f"{period[:4]}-{quarter * 3:02d}"
    if last < FIRST or first > f"{TODAY:%Y-%m}":
        return [0, 0]
    if shown is None:
        return [0, MANY]
    if shown == t.SUPPRESSED:
        return [0, 4]
    if shown == t.HIDDEN:
        return [5, MANY]
    return [int(shown), int(shown)]


def propagate(bounds: dict[Cell, list[int]], lines: list[tuple[bool | str, list[Cell]]]) -> None:
    """Narrow every cell by every sum, all of them together, until nothing changes: the
    total lies between what its parts can add up to, each part between the total minus
    what the others can add up to (for households a total is only at most the parts' sum
    and at least each part). A "kleiner" line: the second cell is at most the first, and
    one visit means at least one household."""
    changed = True
    while changed:
        changed = False
        for at_most, (total, *parts) in lines:
            if at_most == "kleiner":
                (part,) = parts
                new = {
                    total: (max(bounds[total][0], bounds[part][0]), bounds[total][1]),
                    part: (bounds[part][0], min(bounds[part][1], bounds[total][1])),
                }
                if total[2] == t.VISITS and part[2] == t.HOUSEHOLDS:
                    if bounds[total][0] >= 1:
                        new[part] = (max(1, new[part][0]), new[part][1])
                    if bounds[part][1] == 0:
                        new[total] = (new[total][0], 0)
                for cell, (low, high) in new.items():
                    assert low <= high, f"{cell}: the published figures contradict each other"
                    if [low, high] != bounds[cell]:
                        bounds[cell] = [low, high]
                        changed = True
                continue
            low_sum = sum(bounds[p][0] for p in parts)
            high_sum = sum(bounds[p][1] for p in parts)
            new = {
                total: (
                    max(bounds[total][0], max(bounds[p][0] for p in parts) if at_most else low_sum),
                    min(bounds[total][1], high_sum),
                )
            }
            for p in parts:
                high_rest = high_sum - bounds[p][1]
                low_rest = low_sum - bounds[p][0]
                new[p] = (
                    max(bounds[p][0], bounds[total][0] - high_rest),
                    min(bounds[p][1], bounds[total][1] if at_most else bounds[total][1] - low_rest),
                )
            for cell, (low, high) in new.items():
                assert low <= high, f"{cell}: the published figures contradict each other"
                if [low, high] != bounds[cell]:
                    bounds[cell] = [low, high]
                    changed = True


def pinned_by_everything(
    value: dict[Cell, str], years: list[int], groups: list[str], measures: list[str]
) -> list[tuple[Cell, int]]:
    """The hidden cells that every sum of the grid and every relation between measures,
    all together, narrow to one value."""
    lines: list[tuple[bool | str, list[Cell]]] = []
    for measure in measures:
        lines += grid_lines(years, groups, measure)  # type: ignore[arg-type]
    periods = sorted({cell[0] for _, line in lines for cell in line})
    lines += measure_lines(periods, groups, measures)  # type: ignore[arg-type]
    bounds = {cell: start_bounds(cell[0], value.get(cell)) for _, line in lines for cell in line}
    known = {cell for cell, (low, high) in bounds.items() if low == high}
    propagate(bounds, lines)
    return [
        (cell, low)
        for cell, (low, high) in bounds.items()
        if cell not in known and value.get(cell) in (t.SUPPRESSED, t.HIDDEN) and low == high
    ]


def test_no_hidden_count_can_be_derived_from_all_outputs(
    invented: list[t.VisitRow], capsys: pytest.CaptureFixture[str]
) -> None:
    outputs = []
    for options in option_sets():  # what the command refuses gives the attacker nothing
        if main(["trends", *options, "--formaat", "csv"]) == 0:
            outputs.append(capsys.readouterr().out)
        capsys.readouterr()
    assert len(outputs) > 60
    cells, changes = collect(outputs)

    # 1. One value per cell, whatever the output.
    differing = {cell: values for cell, values in cells.items() if len(values) > 1}
    assert not differing, list(differing.items())[:5]
    value = {cell: next(iter(values)) for cell, values in cells.items()}

    # 2. Every sum of the grid, ALL of them together (interval propagation), over what
    # was published: no hidden cell is narrowed to one value.
    groups = sorted({g for _, g, _ in value if g != t.ALL})
    measures = sorted({m for _, _, m in value if m != t.CONCERN_SHARE})
    years = sorted({int(p[:4]) for p, _, _ in value})
    pinned = pinned_by_everything(value, years, groups, measures)
    assert len(value) > 3000
    assert not pinned, pinned[:10]

    # 3. A change only between two shown counts, and the share only from shown counts.
    for group, period, measure, _change in changes:
        before, after = period.split("→")
        assert value[before, group, measure] not in (t.SUPPRESSED, t.HIDDEN)
        assert value[after, group, measure] not in (t.SUPPRESSED, t.HIDDEN)
    for (period, group, measure), shown in value.items():
        if measure == t.CONCERN_SHARE and shown not in (t.HIDDEN,):
            assert value[period, group, t.CONCERNS] not in (t.SUPPRESSED, t.HIDDEN)
            assert value[period, group, t.VISITS] not in (t.SUPPRESSED, t.HIDDEN)

    # 4. Every theme, gap and referral kind in every table; no free text anywhere.
    assert {f"thema:{x}" for x in THEMES} <= set(measures)
    assert {f"gat:{x}" for x in THEMES} <= set(measures)
    assert t.THIN in measures  # households with a thin informal network: suppressed alike
    assert any(
        v.isdigit() and int(v) >= t.MIN_COUNT for (_, _, m), v in value.items() if m == t.THIN
    )  # and shown where that is safe: the attack above had real numbers to work with
    assert {f"verwijzing:{s}:{o}" for s in SOORTEN for o in t.OUTCOMES} <= set(measures)
    assert all(SECRET not in out for out in outputs)


def test_every_format_shows_the_same_cells(
    invented: list[t.VisitRow], capsys: pytest.CaptureFixture[str]
) -> None:
    """The table and the report show what the csv shows, cell for cell."""
    options = ["--per", "maand", "--van", "2025-K1", "--tot", "2025-K2", "--wijk", "Noord"]
    rows = list(csv.reader(io.StringIO(run([*options, "--formaat", "csv"], capsys))))
    report = run([*options, "--formaat", "md"], capsys)
    table = run(options, capsys)
    visits = [v for w, p, m, v, *_ in rows[1:] if m == t.VISITS]
    assert "| bezoeken | " + " | ".join(visits) + " |" in report
    assert "bezoeken  " in table and all(v in table for v in visits)


def test_a_range_is_refused_and_whole_periods_are_said(
    invented: list[t.VisitRow], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["trends", "--vergelijk", "2025-06..2025-09", "2025-K4"]) == 2
    assert "kies één maand" in capsys.readouterr().err
    out = run(["--per", "kwartaal", "--van", "2025-02", "--tot", "2025-11"], capsys)
    assert "Hele perioden per kwartaal: 2025-K1 t/m 2025-K4 (2025-01 t/m 2025-12)." in out


def test_incomplete_periods_are_marked_and_not_compared(
    invented: list[t.VisitRow], capsys: pytest.CaptureFixture[str]
) -> None:
    out = run(["--vergelijk", "2025-K2", "2026-K2", "--formaat", "csv"], capsys)
    assert "verandering_pct" not in out
    assert out.splitlines()[1].endswith(",nee") or ",nee" in out
    table = run(["--vergelijk", "2025-K2", "2026-K2"], capsys)
    assert "2026-K2*" in table
    assert "niet te vergelijken" in table


def test_others_are_listed_and_a_merged_wijk_is_explained(
    invented: list[t.VisitRow], capsys: pytest.CaptureFixture[str]
) -> None:
    out = run(["--wijk", "haven", "--wijk", t.OTHERS], capsys)
    assert "Haven staat niet apart: de wijk telt mee bij overige wijken" in out
    assert "Overige wijken: Haven, Oost" in out
    out = run(["--wijk", "Noord"], capsys)
    assert "minder dan 5" not in out.split("\n\n")[1]  # Noord is shown: no such sentence


def test_wijk_names_compare_without_case(invented: list[t.VisitRow]) -> None:
    groups = t.publish(invented).groups
    assert "noord" not in groups and "Noord" in groups
    assert t.publish([(w.lower(), *r) for w, *r in invented]).groups  # all small: still one
