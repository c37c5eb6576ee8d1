"""Daily rotating backups with SQLite's backup API, and restoring one.

Standard library only, so a damaged database can still be restored when nothing else
works. Backups live in ``<data folder>/reservekopieen`` (0700), one file per day
(0600); the newest ``keep`` are kept.
"""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path

from wijkgesprek.errors import StoreError
from wijkgesprek.store.crypto import connect, database_errors

FOLDER = "reservekopieen"
PREFIX = "wijkgesprek-"


def backup_folder(database: Path) -> Path:
    return database.parent / FOLDER


def list_backups(database: Path) -> list[Path]:
    """The backups, newest first."""
    folder = backup_folder(database)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{PREFIX}*.db"), reverse=True)


def _copy(source: Path, target: Path) -> None:
    """A consistent copy with SQLite's backup API (encrypted when the source is)."""
    origin = connect(source)
    try:
        copy = connect(target)
        try:
            origin.backup(copy)
        finally:
            copy.close()
    finally:
        origin.close()


def daily_backup(database: Path, *, today: date, keep: int = 7) -> Path | None:
    """Make today's backup if there is none yet; remove all but the newest ``keep``.
    Returns the new backup, or None when today's already existed."""
    folder = backup_folder(database)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    target = folder / f"{PREFIX}{today:%Y-%m-%d}.db"
    made = None
    if not target.exists():
        partial = target.with_suffix(".tmp")
        _copy(database, partial)
        os.chmod(partial, 0o600)
        os.replace(partial, target)
        made = target
    for old in list_backups(database)[max(keep, 1) :]:
        old.unlink()
    return made


def copy_before_migration(database: Path, *, version: int, now: datetime) -> Path:
    """Keep the database as it is before a migration step changes it (never rotated)."""
    folder = backup_folder(database)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    target = folder / f"voor-migratie-{database.stem}-v{version}-{now:%Y%m%d-%H%M%S}.db"
    partial = target.with_suffix(".tmp")
    _copy(database, partial)
    os.chmod(partial, 0o600)
    os.replace(partial, target)
    return target


def check_backup(path: Path) -> None:
    """Refuse a file that is not an intact wijkgesprek database (Dutch StoreError)."""
    from wijkgesprek.store.schema import APPLICATION_ID

    try:
        connection = connect(path, read_only=True)
        try:
            intact = connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            ours = connection.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        finally:
            connection.close()
    except database_errors():
        intact = ours = False
    if not (intact and ours):
        raise StoreError(
            f"{path} is geen gave reservekopie van wijkgesprek; er is niets veranderd."
        )


def restore(database: Path, backup: Path, *, now: datetime) -> Path | None:
    """Put ``backup`` back as the database. The current file, if any, is kept beside the
    backups first (``voor-herstel-<time>.db``), so a restore can be undone."""
    check_backup(backup)
    kept = None
    if database.exists():
        kept = backup_folder(database) / f"voor-herstel-{now:%Y%m%d-%H%M%S}.db"
        try:
            _copy(database, kept)
            os.chmod(kept, 0o600)
        except database_errors():  # damaged: keep its bytes as they are
            kept.write_bytes(database.read_bytes())
            os.chmod(kept, 0o600)
        for suffix in ("-wal", "-shm"):
            database.with_name(database.name + suffix).unlink(missing_ok=True)
        database.unlink()
    _copy(backup, database)
    os.chmod(database, 0o600)
    return kept
