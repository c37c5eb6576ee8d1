"""Time to first frame: wijkgesprek's home screen vs. a bare Textual "hello" app.

Each program runs as a fresh Python process (interpreter start and imports
included) on a pseudo-terminal of 100x30 with Textual's real Linux driver. Runs
alternate between the two programs; the first run of each is a discarded
warm-up (bytecode and disk caches). The child, ``startup_child.py``, reports
when the frames reached the terminal; see there.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

from common import BENCH_DIR, Options, Result, child_env

SIZE = (100, 30)  # columns, rows


def bench(options: Options) -> list[Result]:
    runs = 4 if options.quick else 10
    paint: dict[str, list[float]] = {"hello": [], "app": []}
    full: dict[str, list[float]] = {"hello": [], "app": []}
    with tempfile.TemporaryDirectory(prefix="wijkbench-") as tmp:
        env = child_env(_prepared_data_dir(Path(tmp)), Path(tmp, "config"))
        for index in range(runs + 1):
            for kind in ("hello", "app") if index % 2 else ("app", "hello"):
                first_paint, first_full = first_frame(kind, env, Path(tmp, "result"))
                if index:  # run 0 is the warm-up
                    paint[kind].append(first_paint * 1000)
                    full[kind].append(first_full * 1000)
    notes: dict[str, object] = {"runs": runs, "terminal": f"pty {SIZE[0]}x{SIZE[1]}"}
    return [
        Result("first complete frame", "ms", full["hello"], full["app"], 1.2, notes=notes),
        Result("first paint (maybe partial)", "ms", paint["hello"], paint["app"], None),
    ]


def _prepared_data_dir(tmp: Path) -> Path:
    """A data folder with a migrated database holding a few households."""
    from datetime import UTC, datetime

    from wijkgesprek.domain.household import Children
    from wijkgesprek.store import repo
    from wijkgesprek.store.engine import Store
    from wijkgesprek.store.schema import prepare_database

    data_dir = tmp / "data"
    database = data_dir / "wijkgesprek.db"
    prepare_database(database)
    store = Store(database)
    for number in range(25):
        store.run(
            repo.start_visit,
            code=f"GZ-{number:03d}",
            wijk=("Noord", "Zuid", "Oost")[number % 3],
            children=Children(),
            now=datetime.now(UTC),
        )
    store.engine.dispose()
    return data_dir


def first_frame(kind: str, env: dict[str, str], result: Path) -> tuple[float, float]:
    """Seconds from spawn to the first paint and to the first complete frame of ``kind``."""
    result.unlink(missing_ok=True)
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
    env = {**env, "BENCH_RESULT": str(result), "COLUMNS": str(SIZE[0]), "LINES": str(SIZE[1])}
    env["BENCH_T0"] = repr(time.time())
    process = subprocess.Popen(
        [sys.executable, str(BENCH_DIR / "startup_child.py"), kind],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        start_new_session=True,
    )
    os.close(slave)
    output = bytearray()  # the terminal must be read, or the child blocks writing
    deadline = time.monotonic() + 60
    try:
        while process.poll() is None and time.monotonic() < deadline:
            output += _read(master, 0.05)
        while chunk := _read(master, 0):
            output += chunk
    finally:
        os.close(master)
        if process.poll() is None:
            process.kill()
            process.wait()
    if not result.exists():
        tail = output[-2000:].decode(errors="replace")
        raise RuntimeError(f"{kind}: no first frame (exit {process.returncode}):\n{tail}")
    paint, full = result.read_text().split()
    return float(paint), float(full)


def _read(fd: int, timeout: float) -> bytes:
    if not select.select([fd], [], [], timeout)[0]:
        return b""
    try:
        return os.read(fd, 65536)
    except OSError:  # EIO: the child has closed the terminal
        return b""
