"""Database file preparation: folder, permissions, version check and migrations.

Runs with the standard library's sqlite3 before the user interface starts, so
that a database from the future, a damaged file or an unwritable folder is
reported as one clear sentence, and SQLAlchemy stays off the path to the
first frame. The ORM (``store.models``) is only imported afterwards.

The migration ladder (``store.ladder``, shared with the team database) starts
at version 1. Each step runs in one transaction and raises ``PRAGMA user_version``;
a database with a higher version than ``SCHEMA_VERSION`` is refused, never touched.
Before an existing database is upgraded, a copy is kept in
``reservekopieen/voor-migratie-*.db``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from wijkgesprek.errors import DamagedDatabase, StoreError
from wijkgesprek.store.backup import copy_before_migration, list_backups
from wijkgesprek.store.ladder import SCHEMA_VERSION, SQLITE, STEPS, statements
from wijkgesprek.store.sqlitefile import (
    APPLICATION_ID,
    PRACTICE_APPLICATION_ID,
    explain,
    is_damage,
)

if TYPE_CHECKING:
    import sqlite3


def _run_all(sql: tuple[str, ...]) -> Callable[[sqlite3.Connection], None]:
    """A migration step made of SQL statements, run one by one in the step's transaction."""

    def step(connection: sqlite3.Connection) -> None:
        for statement in sql:
            connection.execute(statement)

    return step


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    _run_all(statements(step, SQLITE)) for step in STEPS
]
"""Step N (0-based) takes the file from version N to N + 1 (``store.ladder``)."""


def ensure_data_dir(folder: Path) -> None:
    """Create the data folder (0700) or check that it can be written."""
    try:
        created = not folder.exists()
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if created or _holds_only_our_files(folder):
            os.chmod(folder, 0o700)
    except OSError as error:
        raise StoreError(
            f"De gegevensmap {folder} kan niet worden aangemaakt ({error.strerror}). "
            "Kies een andere map met --data-dir of WIJKGESPREK_DATA_DIR."
        ) from None
    if not folder.is_dir():
        raise StoreError(f"{folder} is geen map. Kies een gegevensmap met --data-dir.")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise StoreError(
            f"De gegevensmap {folder} is niet schrijfbaar. Pas de rechten aan of kies "
            "een andere map met --data-dir of WIJKGESPREK_DATA_DIR."
        )


def _holds_only_our_files(folder: Path) -> bool:
    return all(
        entry.name.startswith("wijkgesprek") or entry.name == "reservekopieen"
        for entry in folder.iterdir()
    )


def _connect(path: Path) -> sqlite3.Connection:
    from wijkgesprek.store.crypto import connect

    connection: sqlite3.Connection = connect(path, isolation_level=None, timeout=10)
    connection.execute("PRAGMA busy_timeout = 10000")
    return connection


def _application_id(practice: bool) -> int:
    return PRACTICE_APPLICATION_ID if practice else APPLICATION_ID


def read_version(path: Path, *, practice: bool = False) -> int:
    """The schema version of an existing database file (0 for an empty file).

    A practice database is refused where the real one is expected, and the other way
    round. Like any SQLite client, this may fold a leftover WAL file into the database;
    it writes nothing else.
    """
    connection = _connect(path)
    try:
        app_id = connection.execute("PRAGMA application_id").fetchone()[0]
        version = int(connection.execute("PRAGMA user_version").fetchone()[0])
        tables = connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    finally:
        connection.close()
    if tables and app_id != _application_id(practice):
        if app_id == PRACTICE_APPLICATION_ID:
            raise StoreError(
                f"{path} is een oefendatabase; oefengegevens worden nooit met echte "
                "gegevens gemengd. Gebruik 'wijkgesprek oefenen' of kies een andere "
                "gegevensmap met --data-dir. Het bestand is niet gewijzigd."
            )
        if app_id == APPLICATION_ID:
            raise StoreError(
                f"{path} is een database met echte gezinnen; de oefenmodus gebruikt die "
                "nooit. Het bestand is niet gewijzigd."
            )
        raise StoreError(
            f"{path} is geen database van wijkgesprek. Kies een andere gegevensmap met "
            "--data-dir; het bestand is niet gewijzigd."
        )
    return version


TABLE_PAGES = (0x05, 0x0D)
"""The kinds of b-tree page a table's page is (interior, leaf); page 1 is one of them."""


def is_ready(path: Path, *, practice: bool = False) -> bool:
    """Whether the database is certainly ours and current, read from its header alone.

    This keeps the sqlite3 module off the start of the app when nothing needs doing.
    Anything unusual (no file, a WAL file with content, another version, another
    application, a first page that is no table page) answers False, and
    :func:`prepare_database` then looks properly. Damage further on is found by the
    check after the first frame (:func:`wijkgesprek.store.backup.daily_backup`).
    """
    try:
        wal = path.with_name(path.name + "-wal")
        if wal.exists() and wal.stat().st_size > 0:
            return False
        with path.open("rb") as handle:
            header = handle.read(101)
    except OSError:
        return False
    return (
        len(header) == 101
        and header.startswith(b"SQLite format 3\0")
        and header[100] in TABLE_PAGES  # page 1 holds the schema table, after the header
        and int.from_bytes(header[60:64], "big") == SCHEMA_VERSION
        and int.from_bytes(header[68:72], "big") == _application_id(practice)
        and os.access(path, os.R_OK | os.W_OK)
        and os.access(path.parent, os.W_OK | os.X_OK)
    )


def prepare_database(path: Path, *, practice: bool = False) -> int:
    """Create or migrate the database at ``path``; return the schema version.
    ``practice`` marks (and expects) a practice database.

    Raises StoreError with a Dutch sentence for every problem a user can
    cause or meet: an unwritable folder, a damaged file, a newer version.
    """
    from wijkgesprek.store.crypto import database_errors

    ensure_data_dir(path.parent)
    if _is_empty(path):
        raise DamagedDatabase(_empty_message(path))
    try:
        version = read_version(path, practice=practice) if path.exists() else 0
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"De database {path} is gemaakt door een nieuwere versie van wijkgesprek "
                f"(schema {version}; deze versie kent tot en met {SCHEMA_VERSION}). Werk "
                "wijkgesprek bij. De database is niet gewijzigd."
            )
        if 0 < version < SCHEMA_VERSION:  # an upgrade: keep the old file first
            copy_before_migration(path, version=version, now=datetime.now())
        connection = _connect(path)
        try:
            _private(path)
            connection.execute("PRAGMA journal_mode = WAL")
            for number in range(version, SCHEMA_VERSION):
                connection.execute("BEGIN IMMEDIATE")
                try:
                    # Another window may have migrated meanwhile: read again under the lock.
                    current = int(connection.execute("PRAGMA user_version").fetchone()[0])
                    if current == number:
                        MIGRATIONS[number](connection)
                        connection.execute(f"PRAGMA user_version = {number + 1}")
                        connection.execute(f"PRAGMA application_id = {_application_id(practice)}")
                    connection.execute("COMMIT")
                except BaseException:
                    connection.execute("ROLLBACK")
                    raise
        finally:
            connection.close()
        for suffix in ("-wal", "-shm"):
            _private(path.with_name(path.name + suffix))
    except database_errors() as error:
        damaged = is_damage(error)
        raise (DamagedDatabase if damaged else StoreError)(explain(path, error)) from None
    except PermissionError:
        raise StoreError(
            f"De database {path} kan niet worden geopend: geen toegang. Pas de rechten aan "
            "of kies een andere map met --data-dir."
        ) from None
    return SCHEMA_VERSION


def _is_empty(path: Path) -> bool:
    """Whether ``path`` is an empty file (without a WAL that holds its pages). A new
    database gets its first page the moment WAL is switched on, so an empty file means
    lost data (only a kill in that instant of a very first start leaves one; with no
    backups the message says to remove it)."""
    try:
        if path.stat().st_size:
            return False
        wal = path.with_name(path.name + "-wal")
        return not (wal.exists() and wal.stat().st_size)
    except FileNotFoundError:
        return False
    except OSError:
        return False  # opening it says what is wrong


def _empty_message(path: Path) -> str:
    if list_backups(path):
        what = "Zet een reservekopie terug met 'wijkgesprek herstel'"
    else:
        what = (
            "Er zijn geen reservekopieën: verwijder het lege bestand om met een nieuwe "
            "database te beginnen, of kies een andere map met --data-dir"
        )
    return (
        f"De database {path} is leeg (0 bytes): de gegevens zijn verloren gegaan, "
        f"bijvoorbeeld bij een schijffout of een kopie die niet af is. Er is niets "
        f"overschreven. {what}."
    )


CHECKPOINT_TRIES = 5


def scrub(path: Path) -> bool:
    """After an erasure: merge the search index (dropping deleted entries), rebuild the
    file without free pages and empty the WAL, all with ``secure_delete`` on. False when
    the WAL could not be emptied (another window kept reading); it is emptied when the
    last connection closes."""

    connection = _connect(path)
    try:
        connection.execute("PRAGMA secure_delete = ON")
        for table in ("note_fts", "correction_fts"):
            if connection.execute(  # an old backup may predate the search index
                "SELECT 1 FROM sqlite_master WHERE name = ?", (table,)
            ).fetchone():
                connection.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")
        connection.execute("VACUUM")
        connection.execute("PRAGMA busy_timeout = 1000")
        for _ in range(CHECKPOINT_TRIES):
            busy = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
            if not busy:
                return True
            time.sleep(0.2)  # a reader in another window: give it a moment to finish
        return False
    finally:
        connection.close()


def _private(path: Path) -> None:
    """Make a file readable by its owner only (a no-op where it does not exist)."""
    if path.exists():
        os.chmod(path, 0o600)
