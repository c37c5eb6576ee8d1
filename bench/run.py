"""Run the benchmarks: ``python bench/run.py [--quick] [--only NAME ...]``.

Every benchmark compares wijkgesprek with a baseline measured in the same run
and reports the ratio, because absolute times on a shared machine mean little.
To add one: write ``bench/<name>.py`` with ``bench(options) -> list[Result]`` and
register it in ``BENCHMARKS`` below.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from importlib.util import find_spec

import encryption
import history
import keystroke
import keystrokes
import long_note
import network
import search
import startup
import team_load
import team_typing
import trends
from common import BENCH_DIR, Options, Result, machine

BENCHMARKS: dict[str, Callable[[Options], list[Result]]] = {
    "startup": startup.bench,
    "keystroke": keystroke.bench,
    "keys": keystrokes.bench,
    "network": network.bench,
    "ranking": network.bench_ranking,
    "search": search.bench,
    "long_note": long_note.bench,
    "history": history.bench,
    "trends": trends.bench,
    "encryption": encryption.bench,
    "team": team_load.bench,
    "team_typing": team_typing.bench,
}


def table(results: list[Result]) -> str:
    header = ("benchmark", "baseline", "wijkgesprek", "ratio", "ratio 90% CI", "target", "ok?")
    rows = [header]
    for result in results:
        low, high = result.ratio_ci()
        too_much = "TOO SLOW" if result.unit == "ms" else "OVER TARGET"  # e.g. keys
        verdict = {True: "ok", False: too_much, None: "(info)"}[result.ok]
        unit = result.unit
        rows.append(
            (
                f"{result.name} ({result.statistic})",
                f"{result.stat(result.baseline):.1f} {unit}",
                f"{result.stat(result.app):.1f} {unit}",
                f"{result.ratio:.2f}",
                f"{low:.2f}-{high:.2f}",
                f"≤ {result.target:.2f}" if result.target is not None else "—",
                verdict,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [
        " | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in rows
    ]
    lines.insert(1, "-+-".join("-" * width for width in widths))
    return "\n".join(lines)


def main() -> int:
    if not all(find_spec(name) for name in ("textual", "wijkgesprek")):
        sys.exit("textual or wijkgesprek missing: use the project's Python (/work/venv/bin/python)")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs (a smoke test)")
    parser.add_argument("--only", nargs="+", choices=BENCHMARKS, help="run only these")
    args = parser.parse_args()
    options = Options(quick=args.quick)
    results: list[Result] = []
    started = time.monotonic()
    for name in args.only or BENCHMARKS:
        print(f"running {name}…", file=sys.stderr, flush=True)
        results += BENCHMARKS[name](options)
    info = machine()
    print(table(results))
    print(
        f"\n{info['date']} · {info['nproc']} cores · {info['cpu']} · Python {info['python']}"
        f" · Textual {info['textual']} · {'quick' if args.quick else 'full'} run"
        f" in {time.monotonic() - started:.0f} s"
    )
    for result in results:
        if result.notes:
            print(f"{result.name}: " + ", ".join(f"{k}={v}" for k, v in result.notes.items()))
    out = BENCH_DIR / "results" / "latest.json"
    out.parent.mkdir(exist_ok=True)
    report = {"machine": info, "quick": args.quick, "results": [r.to_json() for r in results]}
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(f"written: {out.relative_to(BENCH_DIR.parent)}")
    return 0 if all(result.ok is not False for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())
