"""Shared pieces of the benchmarks: results, statistics, child processes, machine facts."""

from __future__ import annotations

import os
import platform
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent


@dataclass(frozen=True)
class Options:
    quick: bool = False


@dataclass
class Result:
    """One row of the table: samples of the baseline and of wijkgesprek, lower is better."""

    name: str
    unit: str
    baseline: list[float]
    app: list[float]
    target: float | None  # maximum allowed ratio app/baseline of the statistic, None = info
    statistic: str = "median"  # "median" or "p95" ("count": one exact value, as median)
    notes: dict[str, object] = field(default_factory=dict)

    def stat(self, samples: Sequence[float]) -> float:
        return percentile(samples, 95) if self.statistic == "p95" else statistics.median(samples)

    @property
    def ratio(self) -> float:
        return self.stat(self.app) / self.stat(self.baseline)

    def ratio_ci(self, level: float = 0.90, rounds: int = 2000) -> tuple[float, float]:
        """Bootstrap confidence interval of the ratio (resampling both sides)."""
        rng = random.Random(1)
        ratios = sorted(
            self.stat(rng.choices(self.app, k=len(self.app)))
            / self.stat(rng.choices(self.baseline, k=len(self.baseline)))
            for _ in range(rounds)
        )
        tail = (1 - level) / 2
        return ratios[int(tail * rounds)], ratios[int((1 - tail) * rounds) - 1]

    @property
    def ok(self) -> bool | None:
        return None if self.target is None else self.ratio <= self.target

    def to_json(self) -> dict[str, object]:
        low, high = self.ratio_ci()
        return {
            "name": self.name,
            "unit": self.unit,
            "statistic": self.statistic,
            "baseline": self.stat(self.baseline),
            "app": self.stat(self.app),
            "ratio": self.ratio,
            "ratio_ci90": [low, high],
            "target": self.target,
            "ok": self.ok,
            "n": [len(self.baseline), len(self.app)],
            "samples": {"baseline": self.baseline, "app": self.app},
            "notes": self.notes,
        }


def percentile(samples: Sequence[float], pct: float) -> float:
    """Linear-interpolated percentile (pct in 0..100)."""
    ordered = sorted(samples)
    position = (len(ordered) - 1) * pct / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def child_env(data_dir: Path, config_dir: Path) -> dict[str, str]:
    """The environment for a child: a private data and config folder, no Textual dev flags."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEXTUAL")}
    env.update(
        WIJKGESPREK_DATA_DIR=str(data_dir),
        WIJKGESPREK_CONFIG_DIR=str(config_dir),
        TERM="xterm-256color",
        COLORTERM="truecolor",
        PYTHONPATH=str(BENCH_DIR),
    )
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run_python(args: list[str], env: dict[str, str], timeout: float = 120) -> str:
    """Run ``python args`` and return its stdout; raise with its stderr on failure."""
    done = subprocess.run(
        [sys.executable, *args], env=env, capture_output=True, text=True, timeout=timeout
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return done.stdout


def machine() -> dict[str, str]:
    model = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor() or "?"
    from importlib.metadata import version

    return {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "nproc": str(len(os.sched_getaffinity(0))),
        "cpu": model,
        "python": platform.python_version(),
        "textual": version("textual"),
        "platform": platform.platform(),
    }
