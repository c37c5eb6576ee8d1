"""The command line: arguments → a subcommand or the app.

Known errors become one Dutch sentence on stderr and an exit code (0 fine,
1 wrong input, 2 wrong use). Heavy imports (Textual, SQLModel) happen only
in the branch that needs them, so ``--version`` and ``controleer`` are quick."""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from wijkgesprek import __version__, paths
from wijkgesprek.errors import DamagedDatabase, Unreachable, WijkError
from wijkgesprek.store.target import LocalFile, Target
from wijkgesprek.text import visible

if TYPE_CHECKING:
    from wijkgesprek.content.model import Guide
    from wijkgesprek.store.outbox import Outbox

from wijkgesprek.cli.common import (
    GUIDE_CACHE,
    Parser,
    age,
    choice_of,
    colours,
    count,
    database_target,
    days,
    guide_file,
    load_guide_cached,
    network_files,
)

TEAM_HELP = (
    "een teamdatabase: postgresql://gebruiker@server/naam (wachtwoord via PGPASSWORD of "
    "een wachtwoordbestand, nooit in het adres)"
)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="wijkgesprek",
        description="Gespreksleidraad voor huisbezoeken van het sociaal wijkteam.",
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"wijkgesprek {__version__}",
        help="toon het versienummer en stop",
    )
    parser.add_argument(
        "--data-dir",
        metavar="MAP",
        help="map voor de database (standaard: WIJKGESPREK_DATA_DIR of de gebruikersmap)",
    )
    parser.add_argument("--database", metavar="ADRES", help=TEAM_HELP)
    parser.add_argument(
        "--questions",
        "--vragen",
        metavar="BESTAND",
        dest="questions",
        help="eigen gespreksleidraad (YAML) in plaats van de meegeleverde",
    )
    parser.add_argument(
        "--network",
        "--netwerk",
        metavar="BESTAND",
        dest="network",
        action="append",
        type=Path,
        help="sociale kaart (YAML); herhaalbaar, een later bestand gaat voor",
    )
    parser.add_argument(
        "--kleur",
        "--kleuren",
        metavar="KLEUR",
        dest="colours",
        type=colours,
        help="licht, donker of een Textual-thema, alleen voor deze keer (standaard: 'kleuren' "
        "in de instellingen, die Ctrl+T in de app bijwerkt)",
    )
    sub = parser.add_subparsers(dest="command", metavar="OPDRACHT", parser_class=Parser)
    check = sub.add_parser(
        "controleer",
        help="controleer bestanden (gespreksleidraad, sociale kaart, casussen, overdracht)",
        description="Controleer een gespreksleidraad, sociale kaart, oefencasussen of een "
        "overdracht (JSON). Meerdere kaarten worden samen gelezen, zoals de app dat doet.",
    )
    check.add_argument("files", nargs="+", metavar="BESTAND", type=Path)
    check.add_argument("--json", action="store_true", help="toon wat er gelezen is als JSON")
    suggest = sub.add_parser(
        "suggesties",
        help="wat de sociale kaart voorstelt voor thema's, wijk en leeftijden",
        description="Toon het aanbod uit de sociale kaart, best passend eerst.",
    )
    suggest.add_argument(
        "--thema",
        action="append",
        default=[],
        metavar="THEMA",
        help="thema, zoals geldzorgen (herhaalbaar)",
    )
    suggest.add_argument("--wijk", required=True, help="de wijk van het huishouden")
    suggest.add_argument(
        "--leeftijd",
        action="append",
        type=age,
        default=None,
        metavar="JAREN",
        help="leeftijd van een kind in jaren (herhaalbaar)",
    )
    suggest.add_argument("--json", action="store_true", help="als JSON")
    follow = sub.add_parser(
        "vervolg",
        help="vervolgcontacten: over tijd en binnenkort",
        description="Toon de afgesproken vervolgcontacten, over tijd eerst. Met --formaat ics "
        "komt er een agendabestand uit, met alleen de gezinscode per afspraak.",
    )
    follow.add_argument(
        "--formaat",
        **choice_of("tabel", "ics", what="formaat"),
        default="tabel",
        help="tabel (standaard) of ics (agendabestand)",
    )
    follow.add_argument(
        "--uitvoer",
        metavar="BESTAND",
        type=Path,
        help="schrijf naar dit bestand (alleen voor jou leesbaar) in plaats van het scherm",
    )
    follow.add_argument(
        "--overschrijven", action="store_true", help="een bestaand --uitvoer-bestand vervangen"
    )
    follow.add_argument(
        "--dagen",
        type=days,
        default=14,
        metavar="N",
        help="wat binnen N dagen valt telt als binnenkort (standaard 14)",
    )
    follow.add_argument(
        "--alles", action="store_true", help="ook vervolgcontacten die verder weg liggen"
    )
    from wijkgesprek.cli.access import add_access_command
    from wijkgesprek.cli.admin import add_admin_command
    from wijkgesprek.cli.erase import add_erase_command, add_retention_command
    from wijkgesprek.cli.exchange import add_exchange_commands
    from wijkgesprek.cli.migrate import add_migrate_command
    from wijkgesprek.cli.restore import add_restore_command
    from wijkgesprek.cli.trends import add_trends_command

    add_exchange_commands(sub)
    add_migrate_command(sub)
    add_trends_command(sub)
    add_erase_command(sub)
    add_retention_command(sub)
    add_restore_command(sub)
    add_access_command(sub)
    add_admin_command(sub, TEAM_HELP)
    from wijkgesprek.cli.encrypt import add_encrypt_command

    add_encrypt_command(sub)
    find = sub.add_parser(
        "zoek",
        help="zoek in alle aantekeningen en aanvullingen",
        description="Zoek in alle aantekeningen en aanvullingen, de beste eerst. Elk woord "
        "vindt ook langere woorden (schuld: schulden); woorden tussen aanhalingstekens "
        """staan precies zo achter elkaar ('"geen geld"'); accenten hoeven niet (cafe: café). """
        "Het bezoeknummer telt per huishouden vanaf het eerste bezoek, zoals "
        "'wijkgesprek export CODE --bezoek N'.",
    )
    find.add_argument("tekst", nargs="+", metavar="TEKST", help="waar u naar zoekt")
    find.add_argument(
        "--aantal", type=count, default=20, metavar="N", help="toon de beste N (standaard 20)"
    )
    find.add_argument("--json", action="store_true", help="als JSON")
    practice = sub.add_parser(
        "oefenen",
        help="oefen een gesprek met een verzonnen gezin",
        description="Oefen het gesprek met een verzonnen gezin en kijk daarna terug. "
        "Oefengegevens staan in een eigen database en komen nooit bij echte gezinnen, "
        "zoekresultaten, exports of trends.",
    )
    practice.add_argument(
        "--casussen",
        metavar="BESTAND",
        type=Path,
        action="append",
        help="eigen oefencasussen (YAML), naast de meegeleverde; herhaalbaar",
    )
    from wijkgesprek.cli.practice import add_overview_command

    add_overview_command(sub)
    sub.add_parser(
        "waar",
        help="toon waar gegevens en instellingen staan",
        description="Toon waar gegevens en instellingen staan.",
    )
    for name, command in sub.choices.items():  # also after the command: "trends --database …"
        if name not in (*NO_DATABASE, "migreer", "herstel", "versleutel", "beheer"):
            command.add_argument(
                "--database", metavar="ADRES", default=argparse.SUPPRESS, help=TEAM_HELP
            )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    os.umask(0o077)  # everything this process writes is private to the user
    arguments = sys.argv[1:] if argv is None else list(argv)
    try:
        _refuse_undecodable(arguments)
        if not arguments:  # the common start: no need to build the whole parser
            plain = argparse.Namespace(
                command=None,
                data_dir=None,
                database=None,
                questions=None,
                network=None,
                colours=None,
            )
            return run(plain)
        return run(build_parser().parse_args(arguments))
    except WijkError as error:
        from wijkgesprek.store.pgaddress import hide_passwords

        # Also an argument echoed by argparse: a password typed in an address never shows.
        print(visible(hide_passwords(str(error))), file=sys.stderr)
        return error.exit_code
    except EOFError:  # Ctrl+D at a question that is not asked through common.ask
        print("Er is niets veranderd.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Onderbroken.", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `wijkgesprek vervolg | head`: the reader left early
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _refuse_undecodable(arguments: Sequence[str]) -> None:
    """Bytes that are not UTF-8 reach Python as lone surrogates, which no file, database
    or terminal can take: refuse them here, naming the argument by its position."""
    from wijkgesprek.errors import UsageError

    for number, argument in enumerate(arguments, 1):
        try:
            argument.encode("utf-8")
        except UnicodeEncodeError:
            raise UsageError(
                f"Argument {number} bevat tekens die geen geldige tekst (UTF-8) zijn; typ "
                "het opnieuw, of hernoem het bestand."
            ) from None


NO_DATABASE = ("controleer", "suggesties", "waar", "oefenen", "oefen-overzicht", "versleutel")
"""Commands that never open the (real) database, so never ask its passphrase."""
OWN_PASSPHRASE = ("herstel",)
"""Commands that ask the passphrase themselves (for a backup, say)."""


def run(args: argparse.Namespace) -> int:
    # Each subcommand's module is imported only when it runs: the plain start stays quick.
    if args.command not in (*NO_DATABASE, *OWN_PASSPHRASE) and args.database is None:
        from wijkgesprek.cli.encrypt import unlock_database

        unlock_database(paths.data_dir(args.data_dir) / paths.DATABASE_NAME)
    if args.command == "versleutel":
        from wijkgesprek.cli.encrypt import encrypt

        return encrypt(args)
    if args.command in ("controleer", "suggesties"):
        from wijkgesprek.cli.content import check, suggestions

        if args.command == "suggesties":
            return suggestions(args)
        return check(args.files, as_json=args.json, guide_file=guide_file(args))
    if args.command in ("vervolg", "zoek"):
        from wijkgesprek.cli.visits import follow_ups, search_notes

        return follow_ups(args) if args.command == "vervolg" else search_notes(args)
    if args.command in ("export", "import"):
        from wijkgesprek.cli.exchange import export_household, import_handover

        return export_household(args) if args.command == "export" else import_handover(args)
    if args.command == "migreer":
        from wijkgesprek.cli.migrate import migrate

        return migrate(args)
    if args.command == "herstel":
        from wijkgesprek.cli.restore import restore

        return restore(args)
    if args.command in ("wis", "bewaartermijn"):
        from wijkgesprek.cli.erase import erase, retention

        return erase(args) if args.command == "wis" else retention(args)
    if args.command == "trends":
        from wijkgesprek.cli.trends import trends

        return trends(args)
    if args.command == "toegang":
        from wijkgesprek.cli.access import show_access

        return show_access(args)
    if args.command == "beheer":
        from wijkgesprek.cli.admin import admin

        return admin(args)
    if args.command == "oefen-overzicht":
        from wijkgesprek.cli.practice import overview

        return overview(args)
    if args.command == "waar":
        print(f"gegevens:       {paths.data_dir(args.data_dir)}")
        print(f"oefenen:        {paths.data_dir(args.data_dir) / paths.PRACTICE_DATABASE_NAME}")
        print(f"instellingen:   {paths.config_file()}")
        print(f"leidraad:       {guide_file(args)}")
        for file in network_files(args):
            print(f"sociale kaart:  {file}")
        return 0
    return start_app(args)


def start_app(args: argparse.Namespace) -> int:

    from wijkgesprek.config import load_config
    from wijkgesprek.content.cache import is_current

    config = load_config(paths.config_file())
    if args.colours:  # for this run only; Ctrl+T is what is remembered
        config = replace(config, theme=args.colours)
    chosen = guide_file(args, config)
    guide: Guide | Callable[[], Guide]
    if is_current(chosen, kind=GUIDE_CACHE, cache_dir=paths.cache_dir()):
        # Checked before and unchanged: load it after the first frame.
        guide = partial(load_guide_cached, chosen)
    else:
        guide = load_guide_cached(chosen)  # check it now: problems before the UI
    practice = args.command == "oefenen"
    cases = None
    if practice:  # the cases are checked against the guide's topics before the UI
        from wijkgesprek.cli.practice import practice_cases

        if callable(guide):
            guide = guide()
        cases = practice_cases(args.casussen or (), guide=guide)
    target: Target
    if practice:  # practice data stays on this laptop, also in a team
        folder = paths.data_dir(args.data_dir)
        target = LocalFile(folder / paths.PRACTICE_DATABASE_NAME, practice=True)
    else:
        target = database_target(args)
    outbox = target.outbox(paths.data_dir(args.data_dir))
    offline = False
    if not target.is_ready():
        try:
            if outbox is None:
                target.prepare(shows_notes=True)
            else:  # a team database: never a blank screen while the network hangs
                offline = not _prepared_soon(target)
        except Unreachable:
            if outbox is None:
                raise
            _outbox_readable(outbox)
            offline = True  # the app opens offline, with what it can show
        except DamagedDatabase as problem:
            from wijkgesprek.cli.restore import offer_latest_backup

            if target.file is None or practice or not offer_latest_backup(target.file, problem):
                raise
            target.prepare()
    network = network_files(args, config)

    from wijkgesprek.app import WijkgesprekApp

    app = WijkgesprekApp(
        guide=guide,
        database=target,
        config=config,
        network=network,
        cases=cases,
        outbox=outbox,
        data_folder=paths.data_dir(args.data_dir),
        offline=offline,
    )
    app.run()
    return app.return_code or 0


def _prepared_soon(target: Target) -> bool:
    """Prepare the team database (its version, this account's rights) before the first
    frame, unless the server takes longer than ``START_WAIT``: then False, and the app
    opens offline and prepares it when it answers. Its Dutch errors are raised."""
    import threading
    from concurrent.futures import Future

    done: Future[int] = Future()

    def prepare() -> None:
        try:
            done.set_result(target.prepare(shows_notes=True))
        except BaseException as error:  # raised below, on the main thread
            done.set_exception(error)

    threading.Thread(target=prepare, name="wijkgesprek-start", daemon=True).start()
    try:
        done.result(timeout=START_WAIT)
    except TimeoutError:
        return False
    return True


START_WAIT = 3.0
"""Seconds the start waits for a team database before it opens offline."""


def _outbox_readable(outbox: Outbox) -> None:
    """Starting offline needs the notes waiting on this laptop: a damaged file of them
    is one sentence, and no start."""
    try:
        outbox.pending()
    except (OSError, sqlite3.Error, WijkError):
        raise Unreachable(
            "De teamdatabase is niet bereikbaar, en het bestand met wachtende aantekeningen "
            f"({outbox.path}) kan niet worden gelezen; laat het staan en vraag de beheerder "
            "om hulp."
        ) from None
