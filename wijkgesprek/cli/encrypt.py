"""``versleutel``: encrypt the database and its backups; and asking the passphrase when an
encrypted database is opened from the command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from wijkgesprek.cli.common import Parser, ask, database_target, local_only
from wijkgesprek.errors import StoreError, UsageError, WijkError

TRIES = 3


def add_encrypt_command(sub: argparse._SubParsersAction[Parser]) -> None:
    sub.add_parser(
        "versleutel",
        help="versleutel de database en de reservekopieën met een wachtwoord",
        description="Versleutel de database en alle reservekopieën met een wachtwoord "
        "(SQLCipher, AES-256). Daarna vraagt wijkgesprek bij het starten om het "
        "wachtwoord, en vergrendelt de app na een tijd zonder toetsen. Sluit eerst alle "
        "vensters van wijkgesprek. Zonder wachtwoord zijn de gegevens niet terug te halen.",
    )


def unlock_database(database: Path) -> None:
    """Ask the passphrase of an encrypted database (up to three times)."""
    from wijkgesprek.store import crypto

    if not crypto.is_encrypted(database) or crypto.is_unlocked():
        return  # plain, missing or unreadable (the store says what is wrong), or known
    if not sys.stdin.isatty():
        raise StoreError(
            f"De database {database} is versleuteld; start wijkgesprek in een terminal om "
            "het wachtwoord te typen."
        )
    for _ in range(TRIES):
        passphrase = ask("Wachtwoord voor wijkgesprek: ", secret=True)
        try:
            crypto.unlock(database, passphrase)
            return
        except crypto.WrongPassphrase as problem:
            if _opens_newest_backup(database, passphrase):
                # The passphrase is right, so the database itself is damaged: opening it
                # says so, and offers this backup (as for a damaged plain database).
                return
            print(problem, file=sys.stderr)
    raise crypto.WrongPassphrase(f"{TRIES} keer een verkeerd wachtwoord; wijkgesprek stopt.")


def _opens_newest_backup(database: Path, passphrase: str) -> bool:
    """Whether ``passphrase`` opens the newest encrypted backup (its key is then kept)."""
    from wijkgesprek.store import crypto
    from wijkgesprek.store.backup import list_backups

    newest = next((path for path in list_backups(database) if crypto.is_encrypted(path)), None)
    if newest is None:
        return False
    try:
        crypto.unlock(newest, passphrase)
    except (crypto.WrongPassphrase, OSError):
        return False
    return True


def encrypt(args: argparse.Namespace) -> int:
    from wijkgesprek.store import crypto
    from wijkgesprek.store.schema import prepare_database

    database = local_only(database_target(args), "versleutel")
    cleaned = _remove_leftovers(database)  # of a versleutel (or a copy) that was interrupted
    if crypto.is_encrypted(database):
        return _finish(database, cleaned=cleaned)
    crypto.require_sqlcipher()
    if not sys.stdin.isatty():
        raise UsageError("wijkgesprek versleutel: typ het wachtwoord in een terminal.")
    passphrase = ask("Nieuw wachtwoord: ", secret=True)
    if problem := crypto.passphrase_problem(passphrase):
        raise WijkError(f"{problem} Er is niets veranderd.")
    if ask("Typ het wachtwoord nog eens: ", secret=True) != passphrase:
        raise WijkError("De wachtwoorden zijn niet gelijk; er is niets veranderd.")
    prepare_database(database)
    # The database first: it holds the salt, so a run that is interrupted after it is
    # finished with the same passphrase (see _finish).
    crypto.encrypt_file(database, passphrase)
    backups = _encrypt_backups(database, passphrase)
    print(
        f"De database en {backups} reservekopie(ën) zijn versleuteld. Bewaar het "
        "wachtwoord goed: zonder wachtwoord zijn de gegevens niet terug te halen."
    )
    return 0


def _remove_leftovers(database: Path) -> bool:
    """Overwrite and remove what an interrupted versleutel or copy left; whether any."""
    from wijkgesprek.store import crypto
    from wijkgesprek.store.backup import backup_folder, partial_copies

    cleaned = False
    for path in (database, *sorted(backup_folder(database).glob("*.db"))):
        cleaned = crypto.remove_leftovers(path) or cleaned
    for partial in partial_copies(database):
        crypto.overwrite(partial)
        cleaned = True
    return cleaned


def _plain_backups(database: Path) -> list[Path]:
    from wijkgesprek.store import crypto
    from wijkgesprek.store.backup import backup_folder

    return [p for p in sorted(backup_folder(database).glob("*.db")) if not crypto.is_encrypted(p)]


def _encrypt_backups(database: Path, passphrase: str | None) -> int:
    from wijkgesprek.store import crypto

    backups = _plain_backups(database)
    for backup in backups:
        crypto.encrypt_file(backup, passphrase)
    return len(backups)


def _finish(database: Path, *, cleaned: bool) -> int:
    """The database is encrypted already: encrypt the backups a versleutel that was
    interrupted left plain, with the database's passphrase."""
    from wijkgesprek.store import crypto

    if not _plain_backups(database):
        if cleaned:
            print(
                "De database was al versleuteld; wat een onderbroken versleuteling "
                "onversleuteld achterliet is overschreven en verwijderd."
            )
            return 0
        raise WijkError("De database is al versleuteld; er is niets veranderd.")
    crypto.require_sqlcipher()
    unlock_database(database)
    crypto.refuse_if_open(database)  # as for the first run: close every window first
    backups = _encrypt_backups(database, None)  # with the database's key, unlocked
    print(
        f"De database was al versleuteld; nu zijn ook {backups} reservekopie(ën) "
        "versleuteld die een onderbroken versleuteling onversleuteld liet."
    )
    return 0
