"""``herstel``: put a backup back, after a confirmation."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from wijkgesprek.cli.common import ask, database_target, local_only
from wijkgesprek.errors import UsageError, WijkError


def add_restore_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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
    chosen = args.bestand or (backups[0] if backups else None)
    if chosen is None:
        raise WijkError("Er zijn nog geen reservekopieën om terug te zetten.")
    if chosen.exists() and not chosen.is_file():  # a FIFO would make every read wait
        raise WijkError(f"{chosen} is geen gewoon bestand; er is niets veranderd.")
    # The passphrase is checked against the backup when that is encrypted: the database
    # may be missing or damaged. A plain backup into an encrypted setup: the database's.
    from wijkgesprek.cli.encrypt import unlock_database
    from wijkgesprek.store.crypto import is_encrypted

    unlock_database(chosen if is_encrypted(chosen) else database)
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
    """The database is damaged: offer to put the newest backup back (on a terminal).
    True when it was put back; otherwise the problem is raised with the backup named."""
    from wijkgesprek.store.backup import list_backups
    from wijkgesprek.store.backup import restore as put_back

    backups = list_backups(database)
    if not backups:
        raise problem
    newest = backups[0]
    if not sys.stdin.isatty():
        raise type(problem)(
            f"{problem} De nieuwste reservekopie is {newest.name}; zet die terug met "
            "'wijkgesprek herstel'."
        )
    print(problem, file=sys.stderr)
    answer = ask(
        f"De nieuwste reservekopie is {newest.name}. Terugzetten en verdergaan? De "
        "beschadigde database wordt eerst bewaard. Typ ja: "
    )
    if answer.strip().casefold() != "ja":
        print("Er is niets veranderd.", file=sys.stderr)
        raise WijkError("wijkgesprek is gestopt; de database is niet gewijzigd.")
    kept = put_back(database, newest, now=datetime.now())
    print(f"Teruggezet: {newest.name}. De beschadigde database is bewaard als {kept}.")
    return True
