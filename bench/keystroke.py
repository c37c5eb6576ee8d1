"""Keystroke to screen in the visit's note area (autosave on) vs. a bare TextArea.

Each round runs two fresh processes, wijkgesprek first, then a bare App with
only a ``TextArea`` of the same size as wijkgesprek's note area; rounds repeat to
spread machine noise over both. How one keystroke is measured: see
``keystroke_child.py``.
"""

from __future__ import annotations

import json
import statistics
import tempfile
from pathlib import Path

from common import BENCH_DIR, Options, Result, child_env, run_python

GAP = 0.05  # seconds between a frame and the next keystroke (a fast typist: ~0.1-0.2)


def bench(options: Options) -> list[Result]:
    rounds, keys = (2, 50) if options.quick else (6, 50)
    samples: dict[str, list[float]] = {"bare": [], "app": []}
    saves: list[float] = []
    size = ""
    for _ in range(rounds):
        with tempfile.TemporaryDirectory(prefix="wijkbench-") as tmp:
            env = child_env(Path(tmp, "data"), Path(tmp, "config"))
            for kind in ("app", "bare"):
                args = [str(BENCH_DIR / "keystroke_child.py"), kind, str(keys), str(GAP), size]
                report = json.loads(run_python(args, env))
                samples[kind] += report["latencies"]
                if kind == "app":
                    saves += report["saves"]  # durations in ms
                    size = "{}x{}".format(*report["note"])
    notes: dict[str, object] = {
        "keystrokes": rounds * keys,
        "gap_s": GAP,
        "autosaves": len(saves),
        "autosave_ms_median": round(statistics.median(saves), 1) if saves else None,
        "autosave_ms_max": round(max(saves), 1) if saves else None,
        "textarea_size": size,
    }
    return [
        Result("keystroke to screen", "ms", samples["bare"], samples["app"], 1.2, notes=notes),
        Result("keystroke to screen", "ms", samples["bare"], samples["app"], None, "p95"),
    ]
