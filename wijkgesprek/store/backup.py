"""Daily rotating backups with SQLite's backup API, and restoring one.

Standard library only, so a damaged database can still be restored when nothing else
works. Backups live in ``<data folder>/reservekopieen`` (0700), one file per day
(0600); the newest ``keep`` are kept.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from wijkgesprek.errors import DamagedDatabase, StoreError
from wijkgesprek.store import crypto
from wijkgesprek.store.crypto import connect, database_errors
from wijkgesprek.store.sqlitefile import APPLICATION_ID, explain, is_damage

FOLDER = "reservekopieen"
PREFIX = "wijkgesprek-"


def backup_folder(database: Path) -> Path:
    return database.parent / FOLDER


def _private_folder(database: Path) -> Path:
    """The backup folder, made (0700) when it is not there yet."""
    folder = backup_folder(database)
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(folder, 0o700)
    except OSError:
        raise StoreError(
            f"De map {folder} voor reservekopieën kan niet worden gemaakt. Controleer de "
            "rechten; er is niets veranderd."
        ) from None
    return folder


def list_backups(database: Path) -> list[Path]:
    """The backups, newest first."""
    folder = backup_folder(database)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{PREFIX}*.db"), reverse=True)


def _copy(source: Path, target: Path, *, before_replace: Callable[[], None] | None = None) -> None:
    """A consistent copy of the database ``source`` at ``target``, with SQLite's backup
    API: encrypted when a passphrase is unlocked in this process, plain otherwise (so a
    plain backup put back into an encrypted setup is encrypted, never the other way).

    The copy is written to a temporary file beside ``target``, synced, and only then
    moved over ``target`` in one step (``before_replace`` runs just before): ``target``,
    perhaps the live database, is never removed first nor left half written. A problem
    is a Dutch :class:`StoreError` (:class:`DamagedDatabase` for a damaged ``source``),
    and ``target`` is then as it was."""

    def write(partial: Path) -> None:
        if crypto.is_unlocked() and not crypto.is_encrypted(source):
            crypto.export_encrypted(source, partial)  # the backup API cannot encrypt
            return
        # Both sides with the same module: SQLCipher with the key when it is unlocked
        # (the source is encrypted too), the standard library's sqlite3 otherwise.
        origin = connect(source)
        try:
            copy = connect(partial)
            try:
                origin.backup(copy)
            finally:
                copy.close()
        finally:
            origin.close()

    _place(source, target, write, before_replace=before_replace)


def _copy_bytes(source: Path, target: Path) -> None:
    """``source`` copied byte for byte (a damaged database, kept as it is)."""
    _place(source, target, lambda partial: shutil.copyfile(source, partial))


def _place(
    source: Path,
    target: Path,
    write: Callable[[Path], object],
    *,
    before_replace: Callable[[], None] | None = None,
) -> None:
    partial = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    problems: tuple[type[BaseException], ...] = (OSError, *database_errors())
    try:
        _remove(partial)
        write(partial)
        os.chmod(partial, 0o600)
        crypto.sync_file(partial)
        if before_replace is not None:
            before_replace()
        os.replace(partial, target)
        crypto.sync_folder(target.parent)
    except problems as error:
        _remove(partial)
        if not isinstance(error, OSError) and is_damage(error):
            raise DamagedDatabase(explain(source, error)) from None
        raise StoreError(
            f"{source} kon niet worden gekopieerd naar {target}: {_reason(error)}. Er is "
            "niets veranderd."
        ) from None
    except BaseException:
        _remove(partial)
        raise


def partial_copies(database: Path) -> list[Path]:
    """Copies that a process stopped halfway (a kill, a power cut) left in the data folder
    or the backup folder: :func:`_place`'s temporary files of a process that no longer
    runs, with their journals."""
    found: list[Path] = []
    for folder in (database.parent, backup_folder(database)):
        if folder.is_dir():
            for path in folder.glob("*.tmp*"):  # NAME.PID.tmp, and its -journal or -wal
                pid = path.name.rsplit(".tmp", 1)[0].rsplit(".", 1)[-1]
                if pid.isdigit() and not _running(int(pid)):
                    found.append(path)
    return sorted(found)


def _running(pid: int) -> bool:
    if os.name != "posix":
        return True  # cannot tell: leave it
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process
    return True


def _remove(path: Path) -> None:
    for file in (path, *(path.with_name(path.name + end) for end in ("-journal", "-wal"))):
        with contextlib.suppress(OSError):
            file.unlink()


def _reason(error: BaseException) -> str:
    text = str(error).lower()
    if getattr(error, "errno", None) == errno.ENOSPC or "full" in text:
        return "de schijf is vol"
    if isinstance(error, PermissionError) or "readonly" in text or "read-only" in text:
        return "geen toestemming om te schrijven"
    if "locked" in text:
        return "de database is bezet door een ander venster van wijkgesprek"
    return "het kopiëren is mislukt"


CHECK_SECONDS = 10.0
"""How long :func:`check_database` may take; a database too big to check in this time is
backed up unchecked (``quick_check`` reads every page: 23–56 ms for 30 MB, 0.3–0.6 s
encrypted)."""


def check_database(
    path: Path, *, seconds: float | None = None, read_only: bool = False
) -> bool | None:
    """``PRAGMA quick_check`` of ``path``: True when intact, False when damaged, None when
    it could not finish within ``seconds`` (default :data:`CHECK_SECONDS`) or cannot be
    opened without a passphrase."""

    limit = CHECK_SECONDS if seconds is None else seconds
    deadline = time.monotonic() + limit
    try:
        connection = connect(path, read_only=read_only, timeout=5)
    except database_errors():
        return False
    except StoreError:  # encrypted, and no key in this process
        return None
    # SQLite calls this during the check too (every 10,000 steps: about every 0.3 ms).
    connection.set_progress_handler(lambda: time.monotonic() > deadline, 10_000)
    try:
        rows = connection.execute("PRAGMA quick_check(1)").fetchall()
    except database_errors() as error:
        # Interrupted, locked, a disk error: no verdict (the copy then says what is wrong).
        return False if is_damage(error) else None
    finally:
        connection.close()
    return bool(rows == [("ok",)])


def newest_intact(database: Path) -> tuple[Path | None, list[Path]]:
    """The newest daily backup that passes :func:`check_backup`, and the newer ones that
    did not (damaged, or not opened with the key in use), newest first."""
    damaged: list[Path] = []
    for backup in list_backups(database):
        try:
            check_backup(backup)
        except StoreError:
            damaged.append(backup)
            continue
        return backup, damaged
    return None, damaged


def daily_backup(database: Path, *, today: date, keep: int = 7) -> Path | None:
    """Check the database and make today's backup if there is none yet; remove all but
    the newest ``keep``, never the last intact one. Returns the new backup, or None when
    today's already existed. A damaged database is a :class:`DamagedDatabase` naming
    the newest intact backup, and no backup is made or removed.

    The app runs this after its first frame at every start, so damage anywhere in the
    file is found at the start, off the path to the first frame."""
    folder = _private_folder(database)
    if check_database(database) is False:
        raise DamagedDatabase(_damaged_message(database))
    target = folder / f"{PREFIX}{today:%Y-%m-%d}.db"
    made = None
    if not target.exists():
        _copy(database, target)
        made = target
    _rotate(database, keep=max(keep, 1), intact=made)
    return made


def _rotate(database: Path, *, keep: int, intact: Path | None) -> None:
    """Remove all but the newest ``keep`` backups, unless none of those is intact: the
    newest intact one of the rest stays then. ``intact`` was just made from a checked
    database, so normally nothing needs to be checked."""
    backups = list_backups(database)
    kept, old = backups[:keep], backups[keep:]
    if old and intact not in kept and not any(_maybe_intact(path) for path in kept):
        good = next((path for path in old if _maybe_intact(path)), None)
        if good is not None:
            old.remove(good)
    for path in old:
        path.unlink()


def _maybe_intact(backup: Path) -> bool:
    return check_database(backup, read_only=True) is not False


def _damaged_message(database: Path) -> str:
    good, _ = newest_intact(database)
    if good is None:
        backup = "Er is geen gave reservekopie; vraag hulp aan de beheerder."
    else:
        backup = f"De nieuwste gave reservekopie is {good.name}."
    return (
        f"De database {database} is beschadigd (gevonden bij de controle na het starten). "
        "Er is geen nieuwe reservekopie gemaakt, zodat de gave blijven. Sluit wijkgesprek "
        f"en zet een reservekopie terug met 'wijkgesprek herstel'. {backup}"
    )


def copy_before_migration(database: Path, *, version: int, now: datetime) -> Path:
    """Keep the database as it is before a migration step changes it (never rotated)."""
    folder = _private_folder(database)
    target = folder / f"voor-migratie-{database.stem}-v{version}-{now:%Y%m%d-%H%M%S}.db"
    _copy(database, target)
    return target


def check_backup(path: Path) -> None:
    """Refuse a file that is not an intact wijkgesprek database (Dutch StoreError)."""
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
    backups first (``voor-herstel-<time>.db``), so a restore can be undone. The current
    file is replaced in one step only once the copy of the backup is whole."""
    check_backup(backup)
    from wijkgesprek.store.crypto import refuse_if_open

    refuse_if_open(database)  # a window writing to a file replaced under it loses it all
    kept = None
    if database.exists():
        kept = _private_folder(database) / f"voor-herstel-{now:%Y%m%d-%H%M%S}.db"
        try:
            _copy(database, kept)
        except StoreError:  # damaged (or not readable now): keep its bytes as they are
            _copy_bytes(database, kept)
            wal = database.with_name(database.name + "-wal")
            if wal.exists():
                _copy_bytes(wal, kept.with_name(kept.name + "-wal"))

    def drop_old_log() -> None:  # the old file's WAL must never be read into the new one
        for suffix in ("-wal", "-shm"):
            database.with_name(database.name + suffix).unlink(missing_ok=True)

    _copy(backup, database, before_replace=drop_old_log)
    return kept
