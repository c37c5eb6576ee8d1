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
from typing import TYPE_CHECKING, NamedTuple

from wijkgesprek.domain.household import Children, format_children, parse_children
from wijkgesprek.domain.merge import added, merge_notes, rebase
from wijkgesprek.errors import Finished, Gone, SaveConflict, StoreError, Unreachable
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
_VISITS = """CREATE TABLE IF NOT EXISTS visit_waiting (
    database TEXT NOT NULL,
    number INTEGER NOT NULL,
    code TEXT NOT NULL,
    wijk TEXT NOT NULL,
    children TEXT NOT NULL,
    children_at TEXT,
    started_at TEXT NOT NULL,
    PRIMARY KEY (database, number)
)"""


@dataclass(frozen=True)
class WaitingVisit:
    """A visit begun while the team database could not be reached: it is started there
    (or the household's open visit resumed) before its notes are sent. Until then its
    notes wait under the visit id ``-number``."""

    number: int
    code: str
    wijk: str
    children: Children
    started_at: datetime

    @property
    def visit_id(self) -> int:
        return -self.number


class Merge(NamedTuple):
    """A text of this laptop that the server holds merged with a colleague's version:
    ``mine`` became ``merged`` (with ``by``'s part). Text typed on ``mine`` continues from
    ``merged`` (merged once more on ``mine``), never merged again on an older version."""

    mine: str
    merged: str
    by: str


Tried = str | Merge
"""A text sent to the server whose outcome is not known, or one that landed merged."""


@dataclass(frozen=True)
class Pending:
    """One note waiting for the team database."""

    visit_id: int
    topic: str
    text: str
    base: int
    """The version of the note the text continues from."""
    kept_at: datetime
    tried: tuple[Tried, ...] = ()
    """Texts sent to the server on ``base`` whose outcome is not known (one may be there),
    and merges of them with a colleague's version (:class:`Merge`)."""
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
    finished: bool = False
    """The visit was finished meanwhile: ``text`` is its note as it stays, and what was
    typed on is an addition (``kept``)."""
    ended: datetime | None = None
    """When it was finished (None: not known)."""
    kept: str = ""
    """What was kept as an addition ('' when the note held nothing new)."""
    sent: str = ""
    """The text that was sent (``text`` unless merged): what ``text`` continues from."""


@dataclass
class Sent:
    """What :func:`send` did."""

    written: list[Written] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)
    """Who saved a note meanwhile, once per merged note ('' when unknown)."""
    dropped: list[Pending] = field(default_factory=list)
    """Notes of visits that no longer exist on the server (erased meanwhile)."""
    busy: list[Pending] = field(default_factory=list)
    """Notes a colleague saved again each time this one was merged with theirs: they
    wait, and the sender goes again at once (not a failure)."""
    stop: str = ""
    """The server answered but this app may not use it (a newer schema, a coordinator's
    account): why, in Dutch. Only after a start without the server."""
    started: dict[int, int] = field(default_factory=dict)
    """Visits begun offline that the server started now: their waiting id → theirs."""
    refused: list[tuple[Pending | None, str]] = field(default_factory=list)
    """Notes the server refused, which therefore still wait (read-only, no rights), with
    why (None: the outbox itself could not be read)."""


class Outbox:
    """The waiting notes for one team database ``database`` (its address)."""

    def __init__(self, path: Path, database: str) -> None:
        self.path = path
        self.database = database
        self._moved: dict[int, int] = {}
        """Visits begun offline that the server started: their waiting id → theirs (a
        screen that has not heard yet still keeps notes under the waiting id)."""
        self._written: dict[tuple[int, str], list[Tried]] = {}
        """Texts this laptop wrote lately (and merges of them), per note: a screen that has
        not heard yet saves on the version before them, and must follow them, not merge
        them again."""

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
            connection.execute(_VISITS)
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
        visit_id = self.moved(visit_id)
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
                    _dumps(tried),
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
                (_dumps(tried), self.database, visit_id, topic),
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

    def start_visit(self, *, code: str, wijk: str, children: Children, now: datetime) -> int:
        """A visit begun offline: kept here until the server can start it; returns the
        (negative) visit id its notes wait under."""
        recorded = children.recorded.isoformat() if children.recorded else None
        with self._connection() as connection:
            (last,) = connection.execute("SELECT max(number) FROM visit_waiting").fetchone()
            number = (last or 0) + 1
            connection.execute(
                "INSERT INTO visit_waiting VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    self.database,
                    number,
                    code,
                    wijk,
                    format_children(children),
                    recorded,
                    now.isoformat(),
                ),
            )
        return -number

    def visits(self) -> list[WaitingVisit]:
        """The visits begun offline that the server has not started yet, oldest first."""
        if not self.path.exists():
            return []
        with self._connection() as connection:
            rows = connection.execute(
                "SELECT number, code, wijk, children, children_at, started_at FROM "
                "visit_waiting WHERE database = ? ORDER BY number",
                (self.database,),
            ).fetchall()
        return [
            WaitingVisit(
                number,
                code,
                wijk,
                parse_children(children, recorded=datetime.fromisoformat(at) if at else None),
                datetime.fromisoformat(started),
            )
            for number, code, wijk, children, at, started in rows
        ]

    def moved(self, visit_id: int) -> int:
        """The id a visit's notes wait under: the server's once it started a visit begun
        offline."""
        return self._moved.get(visit_id, visit_id)

    def started(self, visit: WaitingVisit, visit_id: int) -> None:
        """The server started ``visit`` (or resumed the household's open visit) as
        ``visit_id``: its notes wait under that id now."""
        self._moved[visit.visit_id] = visit_id
        with self._connection() as connection:
            connection.execute(
                "UPDATE pending SET visit_id = ? WHERE database = ? AND visit_id = ?",
                (visit_id, self.database, visit.visit_id),
            )
            connection.execute(
                "DELETE FROM visit_waiting WHERE database = ? AND number = ?",
                (self.database, visit.number),
            )

    def waiting_for(self, visit_id: int) -> dict[str, Pending]:
        """The waiting notes of one visit, by topic."""
        visit_id = self.moved(visit_id)
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

    def merging(self, item: Pending, merge: Merge) -> None:
        """``item``'s text is about to be saved merged (``merge``): remembered first, so
        that text typed on it is rebased on the merge even when the save lands unseen."""
        with self._connection() as connection:
            row = self._row(connection, item.visit_id, item.topic)
            if row is not None:
                connection.execute(
                    "UPDATE pending SET tried = ? "
                    "WHERE database = ? AND visit_id = ? AND topic = ?",
                    (_dumps(_remember(row.tried, merge)), self.database, item.visit_id, item.topic),
                )

    def superseded(self, item: Pending, theirs: str) -> bool:
        """Whether ``theirs`` is a text this laptop wrote after ``item`` was taken (a
        sender that was given up while another went on, both waiting on a lock): then
        ``item`` is older and must not be written over it."""
        if theirs in item.tried:
            return False
        written = self._written.get((item.visit_id, item.topic), [])
        return any(t == theirs or (isinstance(t, Merge) and t.merged == theirs) for t in written)

    def done(self, item: Pending, written: Written | None) -> None:
        """``item`` is on the server as ``written`` (None: dropped, or kept as an
        addition). Its row goes, unless a newer text was kept meanwhile: that one then
        continues from the written version — after a merge, rebased on it (the newer text
        merged three-way on ``item.text`` with the merged one), so the colleague's part is
        in it and nothing is merged twice."""
        key = (item.visit_id, item.topic)
        if written is not None:
            done: Tried = (
                Merge(item.text, written.text, written.by) if written.merged else item.text
            )
            self._written[key] = _remember(self._written.get(key, []), done)
        with self._connection() as connection:
            connection.execute(
                "DELETE FROM pending WHERE database = ? AND visit_id = ? AND topic = ? "
                "AND text = ?",
                (self.database, item.visit_id, item.topic, item.text),
            )
            row = self._row(connection, item.visit_id, item.topic)
            if written is None or row is None or row.base != item.base:
                return
            text = row.text
            if written.merged:  # typed on item.text: on top of the merged text now
                text = rebase(
                    item.text, row.text, written.text, who=written.by, when=item.kept_at
                ).text
            connection.execute(
                "UPDATE pending SET text = ?, base = ?, base_text = ?, tried = '[]' "
                "WHERE database = ? AND visit_id = ? AND topic = ?",
                (text, written.version, written.text, self.database, item.visit_id, item.topic),
            )


def _remember(texts: Iterable[Tried], text: Tried) -> list[Tried]:
    """``texts`` with ``text`` as the newest, at most ``TRIED_KEPT`` of them."""
    return [*(t for t in texts if t != text), text][-TRIED_KEPT:]


def _dumps(tried: Iterable[Tried]) -> str:
    return json.dumps(list(tried))  # a Merge is a list of three


def _loads(tried: str) -> tuple[Tried, ...]:
    return tuple(t if isinstance(t, str) else Merge(*t) for t in json.loads(tried))


def _pending(row: tuple[int, str, str, int, str, str, str]) -> Pending:
    visit_id, topic, text, base, kept, tried, base_text = row
    return Pending(
        visit_id, topic, text, base, datetime.fromisoformat(kept), _loads(tried), base_text
    )


def write_one(
    item: Pending,
    store: Store,
    *,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
    cursor: int | None = None,
    outbox: Outbox | None = None,
) -> Written:
    """Write one waiting note on the version it continues from. A colleague's newer
    version is merged three-way with it, on the text of that version (``merge_notes``,
    following ``cursor``, the screen's place in ``item.text``; the merge is remembered in
    ``outbox`` before it is saved); this laptop's own save that landed after all
    (``item.tried``, one version on) is simply followed, and one that landed merged is
    built on. A visit finished meanwhile keeps its note; what ``item`` adds to it becomes
    an addition (``Written.finished``)."""
    at = now()
    try:
        return _write(item, store, at, cursor, outbox)
    except Finished as finished:  # what was typed on becomes an addition
        note = store.run(
            repo.keep_after_end, visit_id=item.visit_id, topic=item.topic, text=item.text, now=at
        )
        return Written(
            item.visit_id,
            item.topic,
            note.text,
            note.version,
            merged=False,
            finished=True,
            ended=finished.at,
            kept=added(note.text, item.text),
            sent=item.text,
        )


def _write(
    item: Pending, store: Store, at: datetime, cursor: int | None, outbox: Outbox | None
) -> Written:
    written: list[Written] = []
    """What was decided about a conflict, under the note's lock (the last decision)."""

    def resolve(conflict: SaveConflict) -> str | None:
        theirs = conflict.theirs
        visit, topic, version = item.visit_id, item.topic, conflict.version + 1
        if outbox is not None and outbox.superseded(item, theirs):  # a newer one of ours
            written.append(Written(visit, topic, theirs, conflict.version, False, sent=theirs))
            return None
        if theirs in item.tried:  # ours: it holds nothing we have not
            written.append(Written(visit, topic, item.text, version, False, sent=item.text))
            return item.text
        landed = next((t for t in item.tried if isinstance(t, Merge) and t.merged == theirs), None)
        if landed is not None:  # ours merged with a colleague's: go on from that
            by = landed.by
            merged = rebase(landed.mine, item.text, theirs, who=by, when=at, cursor=cursor)
        else:
            by = conflict.by
            merged = merge_notes(
                item.base_text, item.text, theirs, who=by, when=conflict.at or at, cursor=cursor
            )
            if outbox is not None:
                outbox.merging(item, Merge(item.text, merged.text, by))
        written.append(
            Written(
                visit,
                topic,
                merged.text,
                version,
                merged=merged.text != item.text,
                by=by,
                conflicts=merged.conflicts,
                cursor=merged.cursor,
                sent=item.text,
            )
        )
        return merged.text

    version = store.run(
        repo.save_note,
        visit_id=item.visit_id,
        topic=item.topic,
        text=item.text,
        base=item.base,
        now=at,
        resolve=resolve,
    )
    if not written:  # no conflict: written as it was
        return Written(item.visit_id, item.topic, item.text, version, False, sent=item.text)
    return replace(written[-1], version=version)


def _write_soon(
    item: Pending, store: Store, now: Callable[[], datetime], outbox: Outbox
) -> Written:
    """``write_one``, again when a colleague saved between its two steps (a busy note)."""
    for _ in range(2):
        try:
            return write_one(item, store, now=now, outbox=outbox)
        except SaveConflict:
            item = outbox.trying(item.visit_id, item.topic) or item  # with the merge kept
    return write_one(item, store, now=now, outbox=outbox)


def send(
    outbox: Outbox, store: Store, *, now: Callable[[], datetime] = lambda: datetime.now(UTC)
) -> Sent:
    """Write every waiting note to the team database, oldest first.

    Raises :class:`~wijkgesprek.errors.Unreachable` when the server stops answering
    halfway; a note the server refuses otherwise stays waiting (``Sent.refused``).
    """
    result = Sent()
    for visit in outbox.visits():  # first the visits their notes belong to
        started = store.run(
            repo.start_visit,
            code=visit.code,
            wijk=visit.wijk,
            children=visit.children,
            now=visit.started_at,
        )
        outbox.started(visit, started)
        result.started[visit.visit_id] = started
    for waiting in outbox.pending():
        # The row as it is now (typing may go on meanwhile), its text marked as tried.
        item = outbox.trying(waiting.visit_id, waiting.topic)
        if item is None:
            continue
        try:
            written = _write_soon(item, store, now, outbox)
        except Gone:  # the visit was erased on the server meanwhile
            result.dropped.append(item)
            outbox.done(item, None)
            continue
        except Unreachable:
            raise
        except SaveConflict:  # colleagues saving all the time: it waits, and goes again
            result.busy.append(item)
            continue
        except StoreError as error:  # read-only, no rights: it waits
            result.refused.append((item, str(error)))
            continue
        result.written.append(written)
        if written.finished:  # kept as an addition: nothing more to send
            outbox.done(item, None)
            continue
        if written.merged:
            result.merged.append(written.by)
        outbox.done(item, written)
    return result
