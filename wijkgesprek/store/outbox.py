"""Notes kept on this laptop while the team database cannot be reached.

When a save to the team database fails because the server does not answer, the note goes
into a small SQLite file in the data folder (``wijkgesprek-wachtrij.db``, readable only by
the user) within the same half second a normal save would take. It survives a crash or a
closed laptop. When the server answers again, or at the next start, :func:`send` writes
each note with the version it was typed on, so a colleague's save meanwhile is merged
(both versions under each other), never overwritten. A sent note leaves the file; its
text is overwritten with zeros (``secure_delete``).

The outbox belongs to one team database: notes for another address wait for that one.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Collection, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.exc import IntegrityError

from wijkgesprek.domain.visit import merge_versions
from wijkgesprek.errors import SaveConflict
from wijkgesprek.store import repo
from wijkgesprek.store.engine import Store

OUTBOX_NAME = "wijkgesprek-wachtrij.db"

_SCHEMA = """CREATE TABLE IF NOT EXISTS pending (
    database TEXT NOT NULL,
    visit_id INTEGER NOT NULL,
    topic TEXT NOT NULL,
    text TEXT NOT NULL,
    base INTEGER NOT NULL,
    kept_at TEXT NOT NULL,
    PRIMARY KEY (database, visit_id, topic)
)"""


@dataclass(frozen=True)
class Pending:
    """One note waiting for the team database."""

    visit_id: int
    topic: str
    text: str
    base: int
    """The version of the note the text was typed on."""
    kept_at: datetime


@dataclass(frozen=True)
class Attempt:
    """A save to the team database that was not waited for (it took too long): it may
    still have been written, as version ``base + 1``."""

    visit_id: int
    topic: str
    base: int
    text: str


@dataclass
class Sent:
    """What :func:`send` did."""

    sent: int = 0
    merged: list[str] = field(default_factory=list)
    """Who saved a note meanwhile, once per merged note ('' when unknown)."""
    dropped: int = 0
    """Notes of visits that no longer exist on the server (erased meanwhile)."""


class Outbox:
    """The waiting notes for one team database ``database`` (its address)."""

    def __init__(self, path: Path, database: str) -> None:
        self.path = path
        self.database = database

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        from wijkgesprek.store.schema import ensure_data_dir

        ensure_data_dir(self.path.parent)
        if not self.path.exists():  # created private, before SQLite writes anything
            os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
        with closing(sqlite3.connect(self.path, timeout=10)) as connection:
            connection.execute("PRAGMA synchronous = FULL")  # kept means on the disk
            connection.execute("PRAGMA secure_delete = ON")
            connection.execute(_SCHEMA)
            with connection:  # one transaction, committed on leaving
                yield connection

    def keep(self, *, visit_id: int, topic: str, text: str, base: int, now: datetime) -> None:
        """Keep the newest text of a note; the version it was typed on stays the first."""
        with self._connection() as connection:
            connection.execute(
                "INSERT INTO pending VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (database, visit_id, topic) "
                "DO UPDATE SET text = excluded.text, kept_at = excluded.kept_at",
                (self.database, visit_id, topic, text, base, now.isoformat()),
            )

    def pending(self) -> list[Pending]:
        """The waiting notes, oldest first (none when the file does not exist)."""
        if not self.path.exists():
            return []
        with self._connection() as connection:
            rows = connection.execute(
                "SELECT visit_id, topic, text, base, kept_at FROM pending "
                "WHERE database = ? ORDER BY kept_at",
                (self.database,),
            ).fetchall()
        return [
            Pending(visit_id, topic, text, base, datetime.fromisoformat(kept))
            for visit_id, topic, text, base, kept in rows
        ]

    def done(self, item: Pending) -> None:
        """Remove a note that was written, unless a newer text was kept meanwhile."""
        with self._connection() as connection:
            connection.execute(
                "DELETE FROM pending WHERE database = ? AND visit_id = ? AND topic = ? "
                "AND text = ?",
                (self.database, item.visit_id, item.topic, item.text),
            )


def send(
    outbox: Outbox,
    store: Store,
    *,
    given_up: Collection[Attempt] = (),
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> Sent:
    """Write every waiting note to the team database, oldest first.

    A note a colleague saved meanwhile gets both versions (``merge_versions``). A newer
    version that is one of this laptop's ``given_up`` saves (it landed after all) is not
    a colleague's: the waiting note, typed on top of it, simply follows it. Raises
    :class:`~wijkgesprek.errors.StoreError` when the server stops answering halfway; what
    was not sent stays in the outbox.
    """
    result = Sent()
    for item in outbox.pending():
        save = {"visit_id": item.visit_id, "topic": item.topic}
        try:
            try:
                store.run(repo.save_note, text=item.text, now=now(), base=item.base, **save)
            except SaveConflict as conflict:
                landed = Attempt(item.visit_id, item.topic, item.base, conflict.theirs)
                if conflict.version == item.base + 1 and landed in given_up:
                    text = item.text  # our own save landed late: follow it
                else:
                    text = merge_versions(conflict.theirs, item.text, item.kept_at.astimezone())
                    result.merged.append(conflict.by)
                store.run(repo.save_note, text=text, now=now(), base=conflict.version, **save)
        except IntegrityError:  # the visit was erased on the server meanwhile
            result.dropped += 1
        else:
            result.sent += 1
        outbox.done(item)
    return result
