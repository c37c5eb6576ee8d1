"""The open database: a SQLite file (the default, perhaps encrypted) or a team database
on PostgreSQL (``store.target`` makes the engine), used in one short session per call."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from wijkgesprek.errors import Finished, Gone, Unreachable
from wijkgesprek.store.target import Target, as_target

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

T = TypeVar("T")

FINISHED = "WK001"
"""The team database's own error code: a note of a finished visit (``store.ladder``, v9)."""


class Store:
    """The open database: runs repo functions in a short session each."""

    def __init__(self, target: Target | Path) -> None:
        self.target = as_target(target)
        self.engine = self.target.engine()
        self.heard: dict[int, float] = {}
        """Per thread (its ident): when the database last gave a sign of life to a call
        running in it (``time.monotonic``): a connection made or handed out, a statement
        sent or answered, a transaction begun or ended. A call that stays silent longer
        than a round trip can take is hung (``connection.SILENCE``); a slow one is not."""
        _listen(self.engine, self.heard)

    def silent_since(self, thread: int, started: float) -> float:
        """When ``thread``'s call last heard from the database (or ``started``)."""
        return max(started, self.heard.get(thread, started))

    def forget(self, thread: int) -> None:
        """``thread``'s call is over: its signs are no longer needed."""
        self.heard.pop(thread, None)

    def fresh_connections(self) -> None:
        """A call hung on a connection that stopped answering: the next calls get new
        connections (those in use stay with their threads, which end when libpq gives up
        or the app stops)."""
        self.engine.dispose(close=False)

    @property
    def path(self) -> Path:
        """The SQLite file (only for a local database)."""
        if self.target.file is None:
            raise TypeError("a team database has no file")
        return self.target.file

    def run(self, function: Callable[..., T], /, **kwargs: Any) -> T:
        """Run ``function(session=..., **kwargs)``; a database that cannot be used (disk
        full, read-only, locked too long, damaged) becomes a Dutch ``StoreError``, and a
        household or visit that is not there (any more: erased meanwhile) ``Gone``, and a
        note of a visit finished meanwhile ``Finished``."""
        from sqlalchemy.exc import DatabaseError, IntegrityError
        from sqlalchemy.exc import TimeoutError as PoolTimeout
        from sqlmodel import Session

        try:
            with Session(self.engine) as session:
                return function(session=session, **kwargs)
        except IntegrityError as error:
            if _is_missing_parent(error.orig):  # its household was erased meanwhile
                raise Gone() from None
            raise  # a mistake in wijkgesprek itself, not something the user met
        except LookupError as error:
            if type(error) is LookupError:  # repo's "no such household or visit"
                raise Gone() from None
            raise
        except PoolTimeout:  # every connection is stuck on a network that stopped
            raise Unreachable("De teamdatabase antwoordt niet.") from None
        except DatabaseError as error:  # full, read-only, locked, damaged, unreachable
            if getattr(error.orig, "sqlstate", None) == FINISHED:
                raise Finished() from None  # the server's rule (store.ladder, v9)
            raise self.target.explain(error.orig) from None


def _listen(engine: Engine, heard: dict[int, float]) -> None:
    """Note every sign of life of the database in ``heard``, per thread."""
    import threading
    import time

    from sqlalchemy import event

    def sign(*_: object, **__: object) -> None:
        heard[threading.get_ident()] = time.monotonic()

    for name in ("connect", "checkout", "checkin"):  # the pool's
        event.listen(engine, name, sign)
    for name in ("begin", "commit", "rollback", "before_cursor_execute", "after_cursor_execute"):
        event.listen(engine, name, sign)


def _is_missing_parent(error: BaseException | None) -> bool:
    """Whether a constraint failed because the row it belongs to is gone (a foreign key:
    SQLite's message, PostgreSQL's SQLSTATE 23503)."""
    return "FOREIGN KEY constraint failed" in str(error) or (
        getattr(error, "sqlstate", None) == "23503"
    )
