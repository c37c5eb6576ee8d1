"""``herstel``: put a backup back, after a confirmation."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from wijkgesprek.cli.common import Parser, ask, database_target, local_only
from wijkgesprek.errors import UsageError, WijkError


def add_restore_command(sub: argparse._SubParsersAction[Parser]) -> None:
    restore = sub.add_parser(
        "herstel",
        help="een reservekopie terugzetten (na bevestiging)",
        description="Zet een reservekopie terug. Zonder BESTAND: de nieuwste. De huidige "
        "database wordt eerst bewaard bij de reservekopieën.",
    )
    restore.add_argument(
        "bestand",
        nargs="?",
        type=Path,
        metavar="BESTAND",
        help="de reservekopie (standaard de nieuwste)",
    )
    restore.add_argument("--lijst", action="store_true", help="toon de reservekopieën")
    restore.add_argument("--ja", action="store_true", help="niet om bevestiging vragen")


def restore(args: argparse.Namespace) -> int:
    from wijkgesprek.store.backup import list_backups
    from wijkgesprek.store.backup import restore as put_back

    database = local_only(database_target(args), "herstel")
    backups = list_backups(database)
    if args.lijst:
        for backup in backups:
            print(backup)
        if not backups:
            print("Er zijn nog geen reservekopieën.")
        return 0
    if not (args.bestand or backups):
        raise WijkError("Er zijn nog geen reservekopieën om terug te zetten.")
    named = args.bestand
    if named is not None and named.exists() and not named.is_file():  # a FIFO would hang
        raise WijkError(f"{named} is geen gewoon bestand; er is niets veranderd.")
    # The passphrase is checked against the backup when that is encrypted: the database
    # may be missing or damaged. A plain backup into an encrypted setup: the database's.
    from wijkgesprek.cli.encrypt import unlock_database
    from wijkgesprek.store.crypto import is_encrypted

    first = args.bestand or backups[0]
    unlock_database(first if is_encrypted(first) else database)
    chosen = args.bestand or newest_intact_told(database)
    if not args.ja:
        if not sys.stdin.isatty():
            raise UsageError("wijkgesprek herstel: bevestig met --ja (er is geen toetsenbord).")
        answer = ask(f"{chosen} terugzetten als database? Typ ja: ")
        if answer.strip().casefold() != "ja":
            print("Er is niets veranderd.")
            return 1
    kept = put_back(database, chosen, now=datetime.now())
    print(f"Teruggezet: {chosen}.")
    if kept:
        print(f"De vorige database is bewaard als {kept}.")
    return 0


def offer_latest_backup(database: Path, problem: WijkError) -> bool:
    """The database is damaged: offer to put the newest intact backup back (on a
    terminal; damaged ones are skipped, and named). True when it was put back; otherwise
    the problem is raised with the backup named."""
    from wijkgesprek.store.backup import list_backups
    from wijkgesprek.store.backup import restore as put_back

    if not list_backups(database):
        raise problem
    keyboard = sys.stdin.isatty()
    if keyboard:
        print(problem, file=sys.stderr)
    newest = newest_intact_told(database, None if keyboard else problem)
    if not keyboard:
        raise type(problem)(
            f"{problem} De nieuwste gave reservekopie is {newest.name}; zet die terug met "
            "'wijkgesprek herstel'."
        )
    answer = ask(
        f"De nieuwste gave reservekopie is {newest.name}. Terugzetten en verdergaan? De "
        "beschadigde database wordt eerst bewaard. Typ ja: "
    )
    if answer.strip().casefold() != "ja":
        print("Er is niets veranderd.", file=sys.stderr)
        raise WijkError("wijkgesprek is gestopt; de database is niet gewijzigd.")
    kept = put_back(database, newest, now=datetime.now())
    print(f"Teruggezet: {newest.name}. De beschadigde database is bewaard als {kept}.")
    return True


def newest_intact_told(database: Path, problem: WijkError | None = None) -> Path:
    """The newest intact daily backup; each newer, damaged one is named on stderr as it
    is skipped. None intact: a WijkError (after ``problem``, when given)."""
    from wijkgesprek.store.backup import newest_intact

    chosen, damaged = newest_intact(database)
    for backup in damaged:
        print(f"{backup.name} is beschadigd en wordt overgeslagen.", file=sys.stderr)
    if chosen is None:
        before = f"{problem} " if problem is not None else ""
        raise WijkError(
            f"{before}Er is geen gave reservekopie om terug te zetten; er is niets "
            "veranderd. Vraag hulp aan de beheerder."
        )
    return chosen
