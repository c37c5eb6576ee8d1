"""Database file preparation: folder, permissions, version check and migrations.

Runs with the standard library's sqlite3 before the user interface starts, so
that a database from the future, a damaged file or an unwritable folder is
reported as one clear sentence, and SQLAlchemy stays off the path to the
first frame. The ORM (``store.models``) is only imported afterwards.

The migration ladder starts at version 1. Each step runs in one transaction
and raises ``PRAGMA user_version``; a database with a higher version than
``SCHEMA_VERSION`` is refused, never touched. Before an existing database is
upgraded, a copy is kept in ``reservekopieen/voor-migratie-*.db``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from wijkgesprek.errors import DamagedDatabase, StoreError
from wijkgesprek.store.backup import copy_before_migration, list_backups
from wijkgesprek.store.sqlitefile import (
    APPLICATION_ID,
    PRACTICE_APPLICATION_ID,
    explain,
    is_damage,
)

if TYPE_CHECKING:
    import sqlite3


_V1 = (
    """CREATE TABLE household (
        id INTEGER PRIMARY KEY,
        code TEXT NOT NULL UNIQUE,
        wijk TEXT NOT NULL,
        age_groups TEXT NOT NULL DEFAULT '',
        created_at DATETIME NOT NULL
    )""",
    """CREATE TABLE visit (
        id INTEGER PRIMARY KEY,
        household_id INTEGER NOT NULL REFERENCES household (id) ON DELETE CASCADE,
        started_at DATETIME NOT NULL,
        ended_at DATETIME,
        next_contact DATE
    )""",
    "CREATE INDEX ix_visit_household_id ON visit (household_id)",
    """CREATE TABLE note (
        id INTEGER PRIMARY KEY,
        visit_id INTEGER NOT NULL REFERENCES visit (id) ON DELETE CASCADE,
        topic TEXT NOT NULL,
        text TEXT NOT NULL DEFAULT '',
        themes TEXT NOT NULL DEFAULT '',
        updated_at DATETIME NOT NULL,
        UNIQUE (visit_id, topic)
    )""",
    """CREATE TABLE agreement (
        id INTEGER PRIMARY KEY,
        visit_id INTEGER NOT NULL REFERENCES visit (id) ON DELETE CASCADE,
        wat TEXT NOT NULL,
        wie TEXT NOT NULL DEFAULT '',
        wanneer TEXT NOT NULL DEFAULT '',
        created_at DATETIME NOT NULL
    )""",
    "CREATE INDEX ix_agreement_visit_id ON agreement (visit_id)",
)


_V2 = (
    """CREATE TABLE referral (
        id INTEGER PRIMARY KEY,
        household_id INTEGER NOT NULL REFERENCES household (id) ON DELETE CASCADE,
        visit_id INTEGER NOT NULL REFERENCES visit (id) ON DELETE CASCADE,
        naam TEXT NOT NULL,
        soort TEXT NOT NULL,
        wijk TEXT NOT NULL,
        themes TEXT NOT NULL DEFAULT '',
        contact TEXT NOT NULL DEFAULT '',
        state TEXT NOT NULL,
        reason TEXT NOT NULL DEFAULT '',
        created_at DATETIME NOT NULL,
        updated_at DATETIME NOT NULL
    )""",
    "CREATE INDEX ix_referral_household_id ON referral (household_id)",
    """CREATE TABLE referral_event (
        id INTEGER PRIMARY KEY,
        referral_id INTEGER NOT NULL REFERENCES referral (id) ON DELETE CASCADE,
        visit_id INTEGER NOT NULL REFERENCES visit (id) ON DELETE CASCADE,
        state TEXT NOT NULL,
        reason TEXT NOT NULL DEFAULT '',
        at DATETIME NOT NULL
    )""",
    "CREATE INDEX ix_referral_event_referral_id ON referral_event (referral_id)",
    """CREATE TABLE gap (
        id INTEGER PRIMARY KEY,
        visit_id INTEGER NOT NULL REFERENCES visit (id) ON DELETE CASCADE,
        wijk TEXT NOT NULL,
        theme TEXT NOT NULL,
        created_at DATETIME NOT NULL,
        UNIQUE (visit_id, theme)
    )""",
)


_V3 = (
    """CREATE TABLE safety_entry (
        id INTEGER PRIMARY KEY,
        visit_id INTEGER NOT NULL REFERENCES visit (id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        key TEXT NOT NULL DEFAULT '',
        value TEXT NOT NULL DEFAULT '',
        note TEXT NOT NULL DEFAULT '',
        at DATETIME NOT NULL,
        corrects_id INTEGER REFERENCES safety_entry (id)
    )""",
    "CREATE INDEX ix_safety_entry_visit_id ON safety_entry (visit_id)",
)


_V4 = (
    # Agreements carried over to later visits: done / still open / dropped.
    "ALTER TABLE agreement ADD COLUMN status TEXT NOT NULL DEFAULT 'open'",
    "ALTER TABLE agreement ADD COLUMN status_visit_id INTEGER REFERENCES visit (id)",
    "ALTER TABLE agreement ADD COLUMN status_at DATETIME",
    # A finished visit is never rewritten: an addition (aanvulling) has its own time.
    """CREATE TABLE correction (
        id INTEGER PRIMARY KEY,
        visit_id INTEGER NOT NULL REFERENCES visit (id) ON DELETE CASCADE,
        topic TEXT NOT NULL,
        text TEXT NOT NULL,
        created_at DATETIME NOT NULL
    )""",
    "CREATE INDEX ix_correction_visit_id ON correction (visit_id)",
    # Full-text search over notes and additions; diacritics are folded (ë finds e).
    """CREATE VIRTUAL TABLE note_fts USING fts5(
        text, content='note', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
    )""",
    "INSERT INTO note_fts (rowid, text) SELECT id, text FROM note",
    """CREATE TRIGGER note_fts_insert AFTER INSERT ON note BEGIN
        INSERT INTO note_fts (rowid, text) VALUES (new.id, new.text);
    END""",
    """CREATE TRIGGER note_fts_delete AFTER DELETE ON note BEGIN
        INSERT INTO note_fts (note_fts, rowid, text) VALUES ('delete', old.id, old.text);
    END""",
    """CREATE TRIGGER note_fts_update AFTER UPDATE OF text ON note BEGIN
        INSERT INTO note_fts (note_fts, rowid, text) VALUES ('delete', old.id, old.text);
        INSERT INTO note_fts (rowid, text) VALUES (new.id, new.text);
    END""",
    """CREATE VIRTUAL TABLE correction_fts USING fts5(
        text, content='correction', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER correction_fts_insert AFTER INSERT ON correction BEGIN
        INSERT INTO correction_fts (rowid, text) VALUES (new.id, new.text);
    END""",
    """CREATE TRIGGER correction_fts_delete AFTER DELETE ON correction BEGIN
        INSERT INTO correction_fts (correction_fts, rowid, text)
        VALUES ('delete', old.id, old.text);
    END""",
)


_V5 = (
    # Trends read the themes of every note of a period: a covering index saves ~20 %.
    "CREATE INDEX ix_note_visit_themes ON note (visit_id, themes)",
)


_V6 = (
    # Practice mode: what the trainee asked and what the invented family answered.
    # Only a practice database (PRACTICE_APPLICATION_ID) ever has rows here.
    """CREATE TABLE practice_turn (
        id INTEGER PRIMARY KEY,
        visit_id INTEGER NOT NULL REFERENCES visit (id) ON DELETE CASCADE,
        topic TEXT NOT NULL,
        voice TEXT NOT NULL DEFAULT '',
        question TEXT NOT NULL DEFAULT '',
        answer TEXT NOT NULL,
        kind TEXT NOT NULL,
        number INTEGER NOT NULL DEFAULT 0,
        at DATETIME NOT NULL
    )""",
    "CREATE INDEX ix_practice_turn_visit_id ON practice_turn (visit_id)",
)


_V7 = (
    # Team work: who started a visit, and a version per note so that two professionals
    # saving the same note do not overwrite each other (optimistic locking).
    "ALTER TABLE visit ADD COLUMN author TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE note ADD COLUMN version INTEGER NOT NULL DEFAULT 1",
    "ALTER TABLE note ADD COLUMN updated_by TEXT NOT NULL DEFAULT ''",
)


_V8 = (
    # Children are asked as ages and kept as birth years (the year of recording minus the
    # age), so that their age moves on. The old, overlapping age groups stay as they were
    # in the same column until a professional updates them; until now they were recorded
    # at the start of every visit, so the newest visit's start is when they were recorded.
    "ALTER TABLE household RENAME COLUMN age_groups TO children",
    "ALTER TABLE household ADD COLUMN children_at DATETIME",
    """UPDATE household SET children_at = coalesce(
        (SELECT max(started_at) FROM visit WHERE visit.household_id = household.id),
        created_at
    )""",
    # The wijk and the children change only on purpose, and every change is kept.
    """CREATE TABLE household_change (
        id INTEGER PRIMARY KEY,
        household_id INTEGER NOT NULL REFERENCES household (id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        old TEXT NOT NULL DEFAULT '',
        new TEXT NOT NULL DEFAULT '',
        at DATETIME NOT NULL,
        author TEXT NOT NULL DEFAULT ''
    )""",
    "CREATE INDEX ix_household_change_household_id ON household_change (household_id)",
)


def _statements(*statements: str) -> Callable[[sqlite3.Connection], None]:
    """A migration step made of SQL statements, run one by one in the step's transaction."""

    def step(connection: sqlite3.Connection) -> None:
        for statement in statements:
            connection.execute(statement)

    return step


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    _statements(*_V1),  # 0 -> 1: first release
    _statements(*_V2),  # 1 -> 2: referrals (verwijzingen) and gaps in the network
    _statements(*_V3),  # 2 -> 3: the safety trail (append-only)
    _statements(*_V4),  # 3 -> 4: agreement status, additions, full-text search (FTS5)
    _statements(*_V5),  # 4 -> 5: index for trends
    _statements(*_V6),  # 5 -> 6: practice conversations (wijkgesprek oefenen)
    _statements(*_V7),  # 6 -> 7: author of a visit, note versions (team database)
    _statements(*_V8),  # 7 -> 8: children as birth years, the household's change trail
]
SCHEMA_VERSION = len(MIGRATIONS)


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
            from datetime import datetime

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
    import time

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
