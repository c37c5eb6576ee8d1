"""Reading a file a user named (a guide, a sociale kaart, cases, a hand-over, the config):
only a regular file, and never more than a bound.

A FIFO would make a plain ``read_bytes`` wait forever for a writer, ``/dev/zero`` never
ends, and a huge file fills the memory. ``read_regular`` opens without blocking, looks at
what it opened, and reads at most ``limit`` bytes; what it refuses is an ``OSError`` with
a Dutch ``strerror``, so the callers' existing ``except OSError`` say it in their words.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

MAX_BYTES = 64 * 1024 * 1024
"""No file the app reads on request is anywhere near this (the largest tried sociale kaart,
10,000 lines, is about 0.5 MB); it only keeps a wrong file from filling the memory."""


class NotRegular(OSError):
    """A device, FIFO or socket where a file was expected."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            errno.EINVAL, "geen gewoon bestand, maar een apparaat, pijp of socket", str(path)
        )


class TooLarge(OSError):
    """More than the bound."""

    def __init__(self, path: Path, limit: int) -> None:
        super().__init__(errno.EFBIG, f"te groot: meer dan {limit // (1024 * 1024)} MB", str(path))


def read_regular(path: Path, *, limit: int = MAX_BYTES, partial: bool = False) -> bytes:
    """The bytes of the regular file ``path``; ``NotRegular``, ``TooLarge`` or another
    ``OSError`` (``FileNotFoundError``, ``IsADirectoryError``, …) otherwise. With
    ``partial`` the first ``limit`` bytes, however large the file is."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    descriptor = os.open(path, flags)  # non-blocking: opening a FIFO never waits
    try:
        mode = os.fstat(descriptor).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, "is een map", str(path))
        if not stat.S_ISREG(mode):
            raise NotRegular(path)
        if hasattr(os, "O_NONBLOCK"):
            os.set_blocking(descriptor, True)
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(descriptor, min(1024 * 1024, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            if partial:
                return b"".join(chunks)[:limit]
            raise TooLarge(path, limit)
        return b"".join(chunks)
    finally:
        os.close(descriptor)
