"""The open database: a SQLite file (the default, perhaps encrypted) or a team database
on PostgreSQL (``store.target`` makes the engine), used in one short session per call."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from wijkgesprek.errors import Gone, Unreachable
from wijkgesprek.store.target import Target, as_target

T = TypeVar("T")


class Store:
    """The open database: runs repo functions in a short session each."""

    def __init__(self, target: Target | Path) -> None:
        self.target = as_target(target)
        self.engine = self.target.engine()

    @property
    def path(self) -> Path:
        """The SQLite file (only for a local database)."""
        if self.target.file is None:
            raise TypeError("a team database has no file")
        return self.target.file

    def run(self, function: Callable[..., T], /, **kwargs: Any) -> T:
        """Run ``function(session=..., **kwargs)``; a database that cannot be used (disk
        full, read-only, locked too long, damaged) becomes a Dutch ``StoreError``, and a
        household or visit that is not there (any more: erased meanwhile) ``Gone``."""
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
            raise self.target.explain(error.orig) from None


def _is_missing_parent(error: BaseException | None) -> bool:
    """Whether a constraint failed because the row it belongs to is gone (a foreign key:
    SQLite's message, PostgreSQL's SQLSTATE 23503)."""
    return "FOREIGN KEY constraint failed" in str(error) or (
        getattr(error, "sqlstate", None) == "23503"
    )
