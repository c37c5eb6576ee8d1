"""Notes on their way to the team database, kept on this laptop first.

On a team database every save of a note is written here before it goes to the server
(``wijkgesprek-wachtrij.db`` in the data folder, readable only by the user), and removed
once the server has it. So what was typed survives a crash, a closed laptop, a server
that refuses the write, and a network that stops answering. While the app is offline the
notes simply stay; :func:`send` writes them when the server answers again, or at the next
start, each with the version (and its text) it was typed on: a colleague's save meanwhile
is merged three-way (``domain.merge``), never overwritten. A save of this laptop that was not waited
for but landed after all (``tried``) is recognised as its own, not as a colleague's.

While a note waits here its row is the authority for the version the text continues
from: a screen that opens the visit shows the waiting text (:meth:`Outbox.waiting_for`).
The outbox belongs to one team database address: notes for another one wait for that.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from wijkgesprek.domain.merge import merge_notes
from wijkgesprek.errors import Gone, SaveConflict, StoreError, Unreachable
from wijkgesprek.store import repo

if TYPE_CHECKING:
    from wijkgesprek.store.engine import Store

OUTBOX_NAME = "wijkgesprek-wachtrij.db"
TRIED_KEPT = 5
"""How many unanswered texts of one note are remembered (the newest)."""

_SCHEMA = """CREATE TABLE IF NOT EXISTS pending (
    database TEXT NOT NULL,
    visit_id INTEGER NOT NULL,
    topic TEXT NOT NULL,
    text TEXT NOT NULL,
    base INTEGER NOT NULL,
    tried TEXT NOT NULL DEFAULT '[]',
    kept_at TEXT NOT NULL,
    base_text TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (database, visit_id, topic)
)"""
_COLUMNS = "visit_id, topic, text, base, kept_at, tried, base_text"


@dataclass(frozen=True)
class Pending:
    """One note waiting for the team database."""

    visit_id: int
    topic: str
    text: str
    base: int
    """The version of the note the text continues from."""
    kept_at: datetime
    tried: tuple[str, ...] = ()
    """Texts sent to the server on ``base`` whose outcome is not known (one may be there)."""
    base_text: str = ""
    """The text of version ``base``: what a merge takes as the common start. ('' for a
    row kept by a version of wijkgesprek before this was kept.)"""


@dataclass(frozen=True)
class Written:
    """A note :func:`send` wrote: its text on the server now, and that version."""

    visit_id: int
    topic: str
    text: str
    version: int
    merged: bool
    by: str = ""
    """Who had saved the note meanwhile, when ``merged`` ('' when unknown)."""
    conflicts: int = 0
    """Places where both had written something else: both kept, with a marker line."""
    cursor: int | None = None
    """After a merge, where the place ``write_one`` was given is in ``text``."""


@dataclass
class Sent:
    """What :func:`send` did."""

    written: list[Written] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)
    """Who saved a note meanwhile, once per merged note ('' when unknown)."""
    dropped: int = 0
    """Notes of visits that no longer exist on the server (erased meanwhile)."""
    refused: list[str] = field(default_factory=list)
    """Why the server refused notes that therefore still wait (read-only, no rights)."""


class Outbox:
    """The waiting notes for one team database ``database`` (its address)."""

    def __init__(self, path: Path, database: str) -> None:
        self.path = path
        self.database = database
        self._written: dict[tuple[int, str], list[str]] = {}
        """Texts this laptop wrote lately, per note: a screen that has not heard yet saves
        on the version before them, and must follow them, not merge them."""

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        from wijkgesprek.store.schema import ensure_data_dir

        ensure_data_dir(self.path.parent)
        if not self.path.exists():  # created private, before SQLite writes anything
            os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
        with closing(sqlite3.connect(self.path, timeout=10, isolation_level=None)) as connection:
            # WAL with NORMAL: a commit survives the app being killed, as the database does.
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = NORMAL")
            connection.execute("PRAGMA secure_delete = ON")
            connection.execute(_SCHEMA)
            columns = {row[1] for row in connection.execute("PRAGMA table_info(pending)")}
            if "base_text" not in columns:  # an outbox of an earlier version
                connection.execute(
                    "ALTER TABLE pending ADD COLUMN base_text TEXT NOT NULL DEFAULT ''"
                )
            # One transaction, taken for writing at once: what is read is what is changed
            # (the screen and the sending thread use the outbox at the same time).
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield connection
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")

    def _row(self, connection: sqlite3.Connection, visit_id: int, topic: str) -> Pending | None:
        row = connection.execute(
            f"SELECT {_COLUMNS} FROM pending WHERE database = ? AND visit_id = ? AND topic = ?",
            (self.database, visit_id, topic),
        ).fetchone()
        return _pending(row) if row else None

    def keep(
        self,
        *,
        visit_id: int,
        topic: str,
        text: str,
        base: int,
        now: datetime,
        base_text: str = "",
        trying: bool = False,
    ) -> Pending:
        """Keep the newest text of a note and return its row. A note already waiting
        keeps its version (the text was typed on top of the waiting one); ``base`` and
        its text ``base_text`` count only for a new row. ``trying``: this text is about to
        be sent to the server."""
        with self._connection() as connection:
            row = self._row(connection, visit_id, topic)
            tried = list(row.tried) if row else list(self._written.get((visit_id, topic), []))
            if trying:
                tried = _remember(tried, text)
            connection.execute(
                "INSERT OR REPLACE INTO pending VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    self.database,
                    visit_id,
                    topic,
                    text,
                    row.base if row else base,
                    json.dumps(tried),
                    now.isoformat(),
                    row.base_text if row else base_text,
                ),
            )
            kept = self._row(connection, visit_id, topic)
        assert kept is not None
        return kept

    def trying(self, visit_id: int, topic: str) -> Pending | None:
        """The waiting note, its current text marked as about to be sent."""
        with self._connection() as connection:
            row = self._row(connection, visit_id, topic)
            if row is None:
                return None
            tried = _remember(row.tried, row.text)
            connection.execute(
                "UPDATE pending SET tried = ? WHERE database = ? AND visit_id = ? AND topic = ?",
                (json.dumps(tried), self.database, visit_id, topic),
            )
        return replace(row, tried=tuple(tried))

    def pending(self) -> list[Pending]:
        """The waiting notes, oldest first (none when the file does not exist)."""
        if not self.path.exists():
            return []
        with self._connection() as connection:
            rows = connection.execute(
                f"SELECT {_COLUMNS} FROM pending WHERE database = ? ORDER BY kept_at",
                (self.database,),
            ).fetchall()
        return [_pending(row) for row in rows]

    def waiting_for(self, visit_id: int) -> dict[str, Pending]:
        """The waiting notes of one visit, by topic."""
        return {item.topic: item for item in self.pending() if item.visit_id == visit_id}

    def others(self) -> int:
        """How many notes wait for another team database address."""
        if not self.path.exists():
            return 0
        with self._connection() as connection:
            row = connection.execute(
                "SELECT count(*) FROM pending WHERE database != ?", (self.database,)
            ).fetchone()
        return int(row[0])

    def done(self, item: Pending, version: int | None, *, merged: bool = False) -> None:
        """``item`` is on the server as ``version`` (None: dropped). Its row goes, unless
        a newer text was kept meanwhile: that one then continues from ``version`` (whose
        text is ``item.text``) — not after a merge, whose colleague's part it does not
        hold: it stays on its own base and merges again, taking what both hold once."""
        if version is not None and not merged:
            key = (item.visit_id, item.topic)
            self._written[key] = _remember(self._written.get(key, []), item.text)
        with self._connection() as connection:
            connection.execute(
                "DELETE FROM pending WHERE database = ? AND visit_id = ? AND topic = ? "
                "AND text = ?",
                (self.database, item.visit_id, item.topic, item.text),
            )
            if version is not None and not merged:
                connection.execute(
                    "UPDATE pending SET base = ?, base_text = ?, tried = '[]' "
                    "WHERE database = ? AND visit_id = ? AND topic = ? AND base = ?",
                    (version, item.text, self.database, item.visit_id, item.topic, item.base),
                )


def _remember(texts: Iterable[str], text: str) -> list[str]:
    """``texts`` with ``text`` as the newest, at most ``TRIED_KEPT`` of them."""
    return [*(t for t in texts if t != text), text][-TRIED_KEPT:]


def _pending(row: tuple[int, str, str, int, str, str, str]) -> Pending:
    visit_id, topic, text, base, kept, tried, base_text = row
    return Pending(
        visit_id,
        topic,
        text,
        base,
        datetime.fromisoformat(kept),
        tuple(json.loads(tried)),
        base_text,
    )


def write_one(
    item: Pending,
    store: Store,
    *,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
    cursor: int | None = None,
) -> Written:
    """Write one waiting note on the version it continues from. A colleague's newer
    version is merged three-way with it, on the text of that version (``merge_notes``,
    following ``cursor``, the screen's place in ``item.text``); this laptop's own save
    that landed after all (``item.tried``, one version on) is simply followed."""
    at = now()
    save = {"visit_id": item.visit_id, "topic": item.topic, "now": at}
    try:
        version = store.run(repo.save_note, text=item.text, base=item.base, **save)
        return Written(item.visit_id, item.topic, item.text, version, merged=False)
    except SaveConflict as conflict:
        if conflict.theirs in item.tried:  # ours: it holds nothing we have not
            version = store.run(repo.save_note, text=item.text, base=conflict.version, **save)
            return Written(item.visit_id, item.topic, item.text, version, merged=False)
        merged = merge_notes(
            item.base_text,
            item.text,
            conflict.theirs,
            who=conflict.by,
            when=conflict.at or at,
            cursor=cursor,
        )
        version = store.run(repo.save_note, text=merged.text, base=conflict.version, **save)
        return Written(
            item.visit_id,
            item.topic,
            merged.text,
            version,
            merged=True,
            by=conflict.by,
            conflicts=merged.conflicts,
            cursor=merged.cursor,
        )


def _write_soon(item: Pending, store: Store, now: Callable[[], datetime]) -> Written:
    """``write_one``, again when a colleague saved between its two steps (a busy note)."""
    for _ in range(2):
        try:
            return write_one(item, store, now=now)
        except SaveConflict:
            continue
    return write_one(item, store, now=now)


def send(
    outbox: Outbox, store: Store, *, now: Callable[[], datetime] = lambda: datetime.now(UTC)
) -> Sent:
    """Write every waiting note to the team database, oldest first.

    Raises :class:`~wijkgesprek.errors.Unreachable` when the server stops answering
    halfway; a note the server refuses otherwise stays waiting (``Sent.refused``).
    """
    result = Sent()
    for waiting in outbox.pending():
        # The row as it is now (typing may go on meanwhile), its text marked as tried.
        item = outbox.trying(waiting.visit_id, waiting.topic)
        if item is None:
            continue
        try:
            written = _write_soon(item, store, now)
        except Gone:  # the visit was erased on the server meanwhile
            result.dropped += 1
            outbox.done(item, None)
            continue
        except Unreachable:
            raise
        except (SaveConflict, StoreError) as error:  # read-only, no rights: it waits
            result.refused.append(str(error))
            continue
        if written.merged:
            result.merged.append(written.by)
        result.written.append(written)
        outbox.done(item, written.version, merged=written.merged)
    return result
