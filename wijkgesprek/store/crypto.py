"""Optional encryption at rest: the whole database file with SQLCipher.

SQLCipher (through the ``sqlcipher3`` wheel) encrypts every page with AES-256 and checks
it with HMAC-SHA512, so everything stays encrypted — notes, the full-text index, free
pages, the WAL and backups — and search works as before. The key is not SQLCipher's own
PBKDF2 but a raw key from **scrypt** (memory-hard: 32 MiB, about 0.1 s), salted with
the 16 random bytes SQLCipher keeps at the start of the file. Nothing else is stored.

One passphrase per data folder: after :func:`unlock` every connection this process opens
(``connect``, the SQLAlchemy engine) uses the key, and new files (backups) are encrypted.
A file with a plain SQLite header is always opened as plain SQLite.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

from wijkgesprek.errors import StoreError

SALT_SIZE = 16
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
"""scrypt cost: 2^15 × 8 × 128 bytes = 32 MiB of memory per try."""
MIN_PASSPHRASE = 10
PLAIN_HEADER = b"SQLite format 3\0"
INSTALL_HINT = (
    "Versleuteling vraagt om SQLCipher: installeer wijkgesprek met "
    "pip install 'wijkgesprek[versleuteling]'."
)


class WrongPassphrase(StoreError):
    """The passphrase does not open the database."""


class _State:
    key: bytes | None = None
    salt: bytes | None = None


_state = _State()


PAGE = 4096
"""SQLCipher's page size (and SQLite's): a plain file's first page holds its header."""
SAMPLE = 4 * PAGE
"""How much of the file :func:`is_encrypted` looks at after the first page."""
RANDOM_LIMIT = 512.0
"""Chi-square of the byte counts below which a sample counts as random (encrypted).
Random bytes give 255 ± 23 (255 degrees of freedom), so an encrypted file is far below;
the pages of a plain SQLite file (small numbers, zeros, text) give thousands or more."""


def is_encrypted(path: Path) -> bool:
    """Whether ``path`` looks like an SQLCipher file: no plain SQLite header, whole pages,
    and pages that look random. A plain database whose first page is damaged keeps
    plain pages after it, so it is called damaged, never asked for a passphrase that was
    never set. Only a file without a plain header is read further."""
    try:
        with path.open("rb") as handle:
            header = handle.read(len(PLAIN_HEADER))
            if header == PLAIN_HEADER:
                return False
            size = path.stat().st_size
            if size < 1024 or size % 1024:
                return False
            # The pages after the first (that one may be what is damaged); a file of one
            # page: the rest of it after the salt.
            handle.seek(PAGE if size > PAGE else SALT_SIZE)
            sample = handle.read(SAMPLE)
    except OSError:
        return False
    return _looks_random(sample)


def _looks_random(data: bytes) -> bool:
    if not data:
        return False
    expected = len(data) / 256
    spread = sum((data.count(value) - expected) ** 2 for value in range(256)) / expected
    return spread < RANDOM_LIMIT


def is_unlocked() -> bool:
    return _state.key is not None


def derive(passphrase: str, salt: bytes) -> bytes:
    import hashlib  # here, not at the top: a plain start only asks is_encrypted

    return hashlib.scrypt(
        passphrase.encode("utf-8"),
        salt=salt,
        n=SCRYPT_N,
        r=SCRYPT_R,
        p=SCRYPT_P,
        maxmem=64 * 1024 * 1024,
        dklen=32,
    )


def passphrase_problem(passphrase: str) -> str | None:
    if len(passphrase) < MIN_PASSPHRASE:
        return f"Kies een wachtwoord van minstens {MIN_PASSPHRASE} tekens."
    return None


def _module() -> Any:
    try:
        import sqlcipher3  # type: ignore[import-not-found,import-untyped,unused-ignore]
    except ImportError:
        raise StoreError(INSTALL_HINT) from None
    return sqlcipher3.dbapi2


def require_sqlcipher() -> None:
    """A Dutch StoreError saying how to install SQLCipher when it is not installed."""
    _module()


def key_pragma(key: bytes, salt: bytes) -> str:
    return f"PRAGMA key = \"x'{key.hex()}{salt.hex()}'\""


def open_encrypted(path: Path | str, key: bytes, salt: bytes, **options: Any) -> Any:
    """A DB-API connection to an encrypted file (made if new) with ``key`` and ``salt``."""
    connection = _module().connect(str(path), **options)
    # SQLCipher logs a failed page check to stderr; the user gets one Dutch sentence instead.
    connection.execute("PRAGMA cipher_log_level = NONE")
    connection.execute(key_pragma(key, salt))
    return connection


def current_key_pragma() -> str:
    assert _state.key is not None and _state.salt is not None
    return key_pragma(_state.key, _state.salt)


def unlock(path: Path, passphrase: str) -> None:
    """Check ``passphrase`` against the encrypted database and keep its key for this
    process; :class:`WrongPassphrase` when it does not open the file."""
    with path.open("rb") as handle:
        salt = handle.read(SALT_SIZE)
    key = derive(passphrase, salt)
    connection = open_encrypted(path, key, salt)
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except _module().DatabaseError:
        raise WrongPassphrase(
            "Het wachtwoord klopt niet (of het bestand is beschadigd). Er is niets veranderd."
        ) from None
    finally:
        connection.close()
    _state.key, _state.salt = key, salt


def check_passphrase(passphrase: str) -> bool:
    """Whether ``passphrase`` gives the key in use (for the lock screen)."""
    if _state.key is None or _state.salt is None:
        return False
    import hmac

    return hmac.compare_digest(derive(passphrase, _state.salt), _state.key)


def forget() -> None:
    """Drop the key (tests; a new unlock is then needed)."""
    _state.key = _state.salt = None


def module_for(path: Path) -> Any:
    """The DB-API module for ``path``: SQLCipher when unlocked and the file is (or will
    be) encrypted, the standard library's sqlite3 otherwise."""
    import sqlite3

    if _state.key is not None and (is_encrypted(path) or not path.exists()):
        return _module()
    if is_encrypted(path) and _state.key is None:
        raise StoreError(
            f"De database {path} is versleuteld; start wijkgesprek in een terminal en typ "
            "het wachtwoord."
        )
    return sqlite3


def connect(path: Path, *, read_only: bool = False, **options: Any) -> Any:
    """Open ``path`` like ``sqlite3.connect``, encrypted when that applies (see
    :func:`module_for`); ``read_only`` never writes (nor makes a WAL file)."""
    import sqlite3

    module = module_for(path)
    target: Any = path
    if read_only:
        target, options = f"{path.resolve().as_uri()}?mode=ro", {**options, "uri": True}
    if module is sqlite3:
        return sqlite3.connect(target, **options)
    assert _state.key is not None and _state.salt is not None
    return open_encrypted(target, _state.key, _state.salt, **options)


def database_errors() -> tuple[type[BaseException], ...]:
    """The DatabaseError classes of both modules (SQLCipher's only when installed)."""
    import sqlite3

    try:
        return (sqlite3.DatabaseError, _module().DatabaseError)
    except StoreError:
        return (sqlite3.DatabaseError,)


ASIDE = ".onversleuteld"
"""The plain file's second name while ``encrypt_file`` swaps it for the encrypted one."""


def encrypt_file(path: Path, passphrase: str | None) -> None:
    """Encrypt the plain database (or backup) at ``path`` in place, with a new salt the
    first time and the folder's salt after that (``passphrase`` None: the key unlocked in
    this process). The plain bytes are overwritten.

    Safe against a crash at any moment: the encrypted copy is written and synced first,
    then takes the plain file's place in one step (the plain file is kept under a second
    name until then), and only after that are the plain bytes overwritten. Refused with a
    Dutch :class:`StoreError`, nothing changed, while another program (a window of
    wijkgesprek) has the file open."""
    if _state.salt is None:
        assert passphrase is not None
        _state.salt = os.urandom(SALT_SIZE)
        _state.key = derive(passphrase, _state.salt)
    assert _state.key is not None
    target = path.with_name(path.name + ".versleuteld")
    target.unlink(missing_ok=True)
    remove_leftovers(path)
    source = _module().connect(str(path), isolation_level=None, timeout=1)
    try:
        # Locked for this connection alone until it closes: no window may read or write
        # meanwhile, and one that has the file open (even idle) makes this fail at once.
        _lock_alone(source, path)
        _export(source, target)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    finally:
        source.close()
    os.chmod(target, 0o600)
    sync_file(target)
    _swap(path, target)
    overwrite(path.with_name(path.name + ASIDE))


def _lock_alone(connection: Any, path: Path) -> None:
    """Take ``path`` for ``connection`` alone until it closes; a Dutch StoreError when
    another program (a window of wijkgesprek) has the file open, even idle."""
    import sqlite3

    connection.execute("PRAGMA locking_mode = EXCLUSIVE")
    try:
        connection.execute("BEGIN EXCLUSIVE")
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        connection.execute("COMMIT")
    except database_errors() as error:
        if not isinstance(error, sqlite3.OperationalError | _operational()):
            raise
        if "locked" not in str(error).lower() and "busy" not in str(error).lower():
            raise
        raise StoreError(
            f"{path} is nog open in wijkgesprek (een ander venster?). Sluit eerst alle "
            "vensters van wijkgesprek en probeer het opnieuw; er is niets veranderd."
        ) from None


def _operational() -> type[BaseException]:
    import sqlite3

    try:
        return _module().OperationalError  # type: ignore[no-any-return]
    except StoreError:
        return sqlite3.OperationalError


def refuse_if_open(path: Path) -> None:
    """A Dutch StoreError when a window of wijkgesprek has ``path`` open (before the file
    is replaced under it: what that window writes would go nowhere). A file that cannot
    be read at all (damaged) is no reason to refuse."""
    if not path.exists():
        return
    connection = connect(path, isolation_level=None, timeout=1)
    try:
        _lock_alone(connection, path)
    except StoreError:
        raise
    except database_errors():
        return  # damaged, or not ours: nothing to protect here
    finally:
        connection.close()


def _swap(path: Path, encrypted: Path) -> None:
    """Put ``encrypted`` in the place of the plain ``path`` in one step; the plain file
    (with its WAL and SHM files) stays reachable under the name ``path`` + ASIDE."""
    aside = path.with_name(path.name + ASIDE)
    logs = [path.with_name(path.name + end) for end in ("-wal", "-shm")]
    try:
        try:
            os.link(path, aside)  # a second name: ``path`` is never missing
        except OSError:  # a file system without hard links
            os.replace(path, aside)
        for log in logs:  # never read into the encrypted file
            if log.exists():
                os.replace(log, aside.with_name(aside.name + log.name[len(path.name) :]))
        os.replace(encrypted, path)
    except OSError:
        if aside.exists() and not path.exists():
            os.replace(aside, path)
        for log in logs:
            moved = aside.with_name(aside.name + log.name[len(path.name) :])
            if moved.exists() and not log.exists():
                os.replace(moved, log)
        if aside.exists() and os.path.samefile(aside, path):
            aside.unlink()
        encrypted.unlink(missing_ok=True)
        raise StoreError(
            f"{path} kon niet worden versleuteld: de schijf gaf een fout. Controleer de "
            "schijfruimte; het bestand is niet veranderd."
        ) from None
    with contextlib.suppress(OSError):  # the swap itself has happened
        sync_folder(path.parent)


def remove_leftovers(path: Path) -> bool:
    """Finish an ``encrypt_file`` that was interrupted: overwrite and remove the plain
    copy kept aside (only a second name of ``path`` itself when it stopped before the
    swap: its WAL and SHM files go back) and a half-made encrypted copy. Whether there
    was anything to do."""
    aside = path.with_name(path.name + ASIDE)
    found = False
    if aside.exists():
        found = True
        before_swap = not path.exists() or os.path.samefile(aside, path)
        if before_swap:  # ``path`` is (or, without hard links, was) the plain file
            for end in ("-wal", "-shm"):
                moved, log = (name.with_name(name.name + end) for name in (aside, path))
                if moved.exists() and not log.exists():
                    os.replace(moved, log)
            if path.exists():
                aside.unlink()
            else:
                os.replace(aside, path)
        overwrite(aside)  # whatever is still under that name
    for end in (".versleuteld", ".versleuteld-journal"):  # encrypted, but half made
        half = path.with_name(path.name + end)
        if half.exists():
            found = True
            half.unlink()
    return found


def export_encrypted(source: Path, target: Path) -> None:
    """Write an encrypted copy of the plain database ``source`` to the new file ``target``
    with the unlocked key (SQLCipher's backup API cannot copy plain into encrypted)."""
    connection = _module().connect(str(source))
    try:
        _export(connection, target)
    finally:
        connection.close()


def _export(connection: Any, target: Path) -> None:
    assert _state.key is not None and _state.salt is not None
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    app_id = connection.execute("PRAGMA application_id").fetchone()[0]
    connection.execute(
        f"ATTACH DATABASE ? AS versleuteld KEY \"x'{_state.key.hex()}{_state.salt.hex()}'\"",
        (str(target),),
    )
    connection.execute("SELECT sqlcipher_export('versleuteld')")
    connection.execute(f"PRAGMA versleuteld.user_version = {int(version)}")
    connection.execute(f"PRAGMA versleuteld.application_id = {int(app_id)}")
    connection.execute("DETACH DATABASE versleuteld")


def sync_file(path: Path) -> None:
    """Make sure the bytes of ``path`` are on the disk (not only in the page cache)."""
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


def sync_folder(folder: Path) -> None:
    """Make sure a rename or a new file in ``folder`` is on the disk (POSIX only)."""
    if os.name != "posix":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def overwrite(path: Path) -> None:
    """Overwrite a file (and its WAL and SHM files) with zeros and remove them (best
    effort: an SSD or a copy-on-write file system may keep old blocks; full-disk
    encryption covers that)."""
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if file.exists():
            size = file.stat().st_size
            with file.open("r+b") as handle:
                handle.write(b"\0" * size)
                handle.flush()
                os.fsync(handle.fileno())
            file.unlink()
