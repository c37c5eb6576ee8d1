"""How large what a user types or gives the app may be (issue 18).

Limits keep a pasted book or a damaged or hostile file from filling the memory or making
the app slow. Each is far above real use and is refused with one Dutch sentence that
names the file and the limit; the README lists them.
"""

from __future__ import annotations

from pathlib import Path

MAX_NOTE_CHARS = 1_000_000
"""Characters in one note or addition (about 1 MB: some 150,000 words, a book)."""

MAX_DATA_FILE_BYTES = 16 * 2**20
"""A guide, a sociale kaart or a file of practice cases (a kaart of 10,000 entries is
5.2 MB)."""

MAX_CONFIG_BYTES = 2**20
"""``config.toml`` (a real one is well under 1 kB)."""

MAX_HANDOVER_BYTES = 64 * 2**20
"""A hand-over file (one household; a real one is well under 1 MB)."""

MAX_PEOPLE = 100
"""People on one visit's netwerkkaart (a real one has 5 to 30; a hand-over with 20,000
made the next visit take 7 s to start and its map 13 s to open)."""


MAX_LIST_ITEMS = 2_000
"""Items in any list of a hand-over: visits, agreements, safety entries, referrals (a
household visited weekly for 38 years has 2,000 visits; a hostile file of 20,000 visits
within 64 MB took 83 s to import)."""


class TooLarge(Exception):
    """A file holds more than ``limit`` bytes (only the first ``limit + 1`` were read)."""

    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit


def read_limited(path: Path, limit: int) -> bytes:
    """The bytes of the regular file ``path``; :class:`TooLarge` when it holds more than
    ``limit``. Never reads more than ``limit + 1`` bytes, so an endless file cannot fill
    the memory, and never waits on a FIFO or device (``reading.read_regular``: an
    ``OSError`` with a Dutch reason, as for a missing file)."""
    from wijkgesprek import reading

    try:
        return reading.read_regular(path, limit=limit)
    except reading.TooLarge:
        raise TooLarge(limit) from None


def size_text(size: int) -> str:
    """A number of bytes as a person reads it: ``16 MB``, ``2 kB``."""
    if size >= 2**20:
        return f"{size / 2**20:.0f} MB"
    if size >= 1000:
        return f"{size / 1000:.0f} kB"
    return f"{size} bytes"


def count_text(count: int) -> str:
    """A count as Dutch writes it: ``1.000.000``."""
    return f"{count:,}".replace(",", ".")
