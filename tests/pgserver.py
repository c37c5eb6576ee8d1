"""A throwaway PostgreSQL server for the tests: ``initdb`` in a temporary folder, a Unix
socket there, started once per test session and removed afterwards.

It uses the server programs of the machine (Debian's ``postgresql`` package; ``.ci/run``
installs it). When they are missing, :func:`start` says why, and the PostgreSQL tests are
skipped with that reason. As root (CI), the server runs as the ``postgres`` user.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Server:
    folder: Path
    bin: Path
    as_user: list[str]
    options: str = ""
    """More server settings (``-c name=value …``), e.g. TLS on a TCP port."""

    @property
    def socket(self) -> str:
        return str(self.folder)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@/{database}?host={self.socket}"

    def _pg_ctl(self, *arguments: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*self.as_user, str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"), *arguments],
            capture_output=True,
            text=True,
            check=False,
        )

    def pause(self) -> None:
        """Stop the server (as a dropped connection would look to the app); keeps the data."""
        self._pg_ctl("stop", "-w", "-m", "fast").check_returncode()

    def resume(self) -> None:
        """Start the paused server again."""
        self._pg_ctl(*_start_arguments(self.folder, self.options)).check_returncode()

    @contextmanager
    def stopped(self) -> Iterator[None]:
        """The server paused for the block, and started again after it, whatever happens."""
        self.pause()
        try:
            yield
        finally:
            self.resume()

    def stop(self) -> None:
        self._pg_ctl("stop", "-m", "immediate")
        shutil.rmtree(self.folder, ignore_errors=True)


def _start_arguments(folder: Path, more: str = "") -> list[str]:
    options = f"-k {folder} -c listen_addresses='' -c fsync=off {more}".strip()
    return ["-w", "-l", str(folder / "log"), "-o", options, "start"]


def _binaries() -> Path | None:
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if (Path(candidate) / "initdb").exists():
            return Path(candidate)
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def start(options: str = "", files: dict[str, bytes] | None = None) -> Server | str:
    """A running server, or the reason there is none. ``options``: more settings
    (``-c name=value …``; a later ``listen_addresses`` wins; ``{folder}`` is the server's
    folder); ``files``: written into that folder first (0600, the server's), e.g. a
    certificate and its key."""
    binaries = _binaries()
    if binaries is None:
        return "geen PostgreSQL-server op deze machine (installeer het pakket postgresql)"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg ontbreekt (pip install -e '.[test]')"
    as_user: list[str] = []
    folder = Path(tempfile.mkdtemp(prefix="wijkpg-", dir="/tmp"))
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        runuser = shutil.which("runuser")
        if runuser is None:
            return "als root is runuser nodig om PostgreSQL als 'postgres' te starten"
        as_user = [runuser, "-u", "postgres", "--"]
        shutil.chown(folder, "postgres")
    options = options.replace("{folder}", str(folder))
    for name, content in (files or {}).items():
        (folder / name).write_bytes(content)
        (folder / name).chmod(0o600)
        if as_user:
            shutil.chown(folder / name, "postgres")
    data = folder / "data"
    steps = [
        [
            str(binaries / "initdb"),
            "-D",
            str(data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "--encoding",
            "UTF8",
            "--locale",
            "C.UTF-8",
        ],
        [str(binaries / "pg_ctl"), "-D", str(data), *_start_arguments(folder, options)],
    ]
    for step in steps:
        done = subprocess.run([*as_user, *step], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            shutil.rmtree(folder, ignore_errors=True)
            return f"PostgreSQL start niet: {done.stderr.strip()[-300:]}"
    return Server(folder=folder, bin=binaries, as_user=as_user, options=options)
