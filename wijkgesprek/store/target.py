"""Where the data is: the database file on this laptop, or a team database on a server.

Every question whose answer differs between the two is asked of one object, so the rest
of wijkgesprek never asks which of the two it has: how to prepare it (create or migrate),
how to name it in a message (never with a password), what a database error means in
Dutch, whether the app keeps daily backups of it, and whether notes go through an outbox
on the laptop first.

Importing this module stays light (the App imports it before the first frame): the store
modules that do the work are imported when a method is called.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from wijkgesprek.store.pgaddress import Tls

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from wijkgesprek.errors import StoreError
    from wijkgesprek.store.outbox import Outbox


class Target(Protocol):
    """A database wijkgesprek can work in: :class:`LocalFile` or :class:`TeamServer`."""

    @property
    def file(self) -> Path | None:
        """The SQLite file on this laptop; None for a team database (the server's)."""

    @property
    def daily_backups(self) -> bool:
        """Whether the app keeps daily backups of it (a server keeps its own; practice
        data is never backed up)."""

    def has_data(self) -> bool:
        """Whether there is a database to read without creating one (a team database
        always is)."""

    def is_ready(self) -> bool:
        """Whether it is certainly current without a closer look (cheap: asked before the
        first frame); otherwise :meth:`prepare` looks properly."""

    def prepare(self, *, shows_notes: bool = False) -> int:
        """Create or migrate it; the schema version. Every problem a user can meet is a
        Dutch ``StoreError``. ``shows_notes`` (the app): also refuse an account that may
        not read notes."""

    def describe(self) -> str:
        """A Dutch name for messages (``de database …``, ``de teamdatabase …``), never
        with a password."""

    def explain(self, error: BaseException | None) -> StoreError:
        """The Dutch error for a problem the database driver reported (damage, a full
        disk, a server that does not answer); never with note text or a password."""

    def outbox(self, folder: Path) -> Outbox | None:
        """Where notes wait on this laptop (in the data ``folder``) before they reach the
        database; None when they are written directly."""

    def engine(self) -> Engine:
        """A SQLAlchemy engine for the prepared database (``engine.Store`` uses it)."""


@dataclass(frozen=True)
class LocalFile:
    """The SQLite file on this laptop (perhaps encrypted); ``practice``: the practice
    database, marked as one (``wijkgesprek oefenen``)."""

    path: Path
    practice: bool = False

    @property
    def file(self) -> Path:
        return self.path

    @property
    def daily_backups(self) -> bool:
        return not self.practice

    def has_data(self) -> bool:
        return self.path.exists()

    def is_ready(self) -> bool:
        from wijkgesprek.store.schema import is_ready

        return is_ready(self.path, practice=self.practice)

    def prepare(self, *, shows_notes: bool = False) -> int:
        from wijkgesprek.store.schema import prepare_database

        return prepare_database(self.path, practice=self.practice)

    def describe(self) -> str:
        return f"de database {self.path}"

    def explain(self, error: BaseException | None) -> StoreError:
        from wijkgesprek.errors import DamagedDatabase, StoreError
        from wijkgesprek.store.sqlitefile import explain, is_damage

        kind = DamagedDatabase if is_damage(error) else StoreError
        return kind(explain(self.path, error))

    def outbox(self, folder: Path) -> None:
        return None

    def engine(self) -> Engine:
        import sqlite3

        from sqlalchemy import event
        from sqlmodel import create_engine

        from wijkgesprek.store import crypto

        module = crypto.module_for(self.path)  # SQLCipher for an encrypted database
        # hide_parameters: SQL errors must never carry note text into logs or messages.
        engine = create_engine(
            f"sqlite:///{self.path}",
            module=module,
            connect_args={"timeout": 10},
            hide_parameters=True,
        )

        @event.listens_for(engine, "connect")
        def _pragmas(connection: Any, _record: Any) -> None:
            cursor = connection.cursor()
            if module is not sqlite3:
                cursor.execute("PRAGMA cipher_log_level = NONE")  # no log lines on stderr
                cursor.execute(crypto.current_key_pragma())
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA busy_timeout = 10000")
            # Deleted text is overwritten with zeros, so an erased family cannot be read back.
            cursor.execute("PRAGMA secure_delete = ON")
            cursor.close()

        return engine


@dataclass(frozen=True)
class TeamServer:
    """A team database on PostgreSQL: a ``postgresql://`` address without a password
    (``pgaddress.check_url``; the password comes from PGPASSWORD or a password file),
    and how TLS must be used for it (``database_tls`` in the config)."""

    url: str
    tls: Tls = field(default_factory=Tls)

    def __repr__(self) -> str:
        from wijkgesprek.store.pgaddress import describe_safely

        return f"TeamServer({describe_safely(self.url)!r})"

    @property
    def file(self) -> None:
        return None

    @property
    def daily_backups(self) -> bool:
        return False

    @property
    def address(self) -> str:
        """The address as shown: without a password, written the same way however the
        user wrote it (the outbox keeps notes under it)."""
        from wijkgesprek.store.pgaddress import describe

        return describe(self.url)

    def has_data(self) -> bool:
        return True

    def is_ready(self) -> bool:
        return False  # the server is asked at every start: its version, the account's rights

    def prepare(self, *, shows_notes: bool = False) -> int:
        from wijkgesprek.store.postgres import prepare

        return prepare(self.url, tls=self.tls, shows_notes=shows_notes)

    def describe(self) -> str:
        return f"de teamdatabase {self.address}"

    def explain(self, error: BaseException | None) -> StoreError:
        from wijkgesprek.errors import NotAllowed, StoreError, Unreachable
        from wijkgesprek.store.postgres import explain, is_unreachable

        kind = Unreachable if is_unreachable(error) else StoreError
        if getattr(error, "sqlstate", None) == "42501":  # insufficient_privilege
            kind = NotAllowed
        return kind(explain(self.url, error))

    def outbox(self, folder: Path) -> Outbox:
        from wijkgesprek.store.outbox import OUTBOX_NAME, Outbox

        return Outbox(folder / OUTBOX_NAME, self.address)

    def engine(self) -> Engine:
        from sqlmodel import create_engine

        from wijkgesprek.store.pgaddress import sqlalchemy_url
        from wijkgesprek.store.postgres import connect_arguments, driver

        driver()  # without the team extra: one Dutch sentence, not an ImportError
        return create_engine(
            sqlalchemy_url(self.url),
            hide_parameters=True,  # SQL errors never carry note text
            pool_pre_ping=True,
            connect_args=connect_arguments(self.url, self.tls),
        )


def as_target(value: Target | Path, *, practice: bool = False) -> Target:
    """``value``, where a path stands for the file on this laptop (a shorthand for tests
    and tools); ``practice`` marks that file as the practice database."""
    return LocalFile(value, practice=practice) if isinstance(value, Path) else value
