"""The command line: arguments → a subcommand or the app.

Known errors become one Dutch sentence on stderr and an exit code (0 fine,
1 wrong input, 2 wrong use). Heavy imports (Textual, SQLModel) happen only
in the branch that needs them, so ``--version`` and ``controleer`` are quick.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from wijkgesprek import __version__, paths
from wijkgesprek.errors import ContentError, UsageError, WijkError
from wijkgesprek.export.files import write_private

if TYPE_CHECKING:
    from wijkgesprek.content.model import Guide
    from wijkgesprek.domain.visit import HouseholdRow

GUIDE_CACHE = "leidraad"

_TRANSLATIONS = (
    ("unrecognized arguments:", "onbekende opties of woorden:"),
    ("the following arguments are required:", "dit ontbreekt nog:"),
    ("expected one argument", "verwacht één waarde"),
    ("invalid choice:", "onbekende keuze:"),
    ("choose from", "kies uit"),
    ("ambiguous option:", "onduidelijke optie:"),
    ("could match", "kan zijn"),
    ("not allowed with argument", "gaat niet samen met"),
    ("argument ", "bij "),
)


class _Parser(argparse.ArgumentParser):
    """argparse with Dutch words around the parts it prints itself."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._positionals.title = "argumenten"
        self._optionals.title = "opties"
        self.add_argument("-h", "--help", action="help", help="toon deze hulp en stop")

    def format_usage(self) -> str:
        return super().format_usage().replace("usage:", "gebruik:", 1)

    def format_help(self) -> str:
        return super().format_help().replace("usage:", "gebruik:", 1)

    def error(self, message: str) -> NoReturn:
        for english, dutch in _TRANSLATIONS:
            message = message.replace(english, dutch)
        raise UsageError(
            f"{self.prog}: {message}\nZie '{self.prog.split()[0]} --help' voor wat kan."
        )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
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
    sub = parser.add_subparsers(dest="command", metavar="OPDRACHT", parser_class=_Parser)
    check = sub.add_parser(
        "controleer",
        help="controleer YAML-bestanden (gespreksleidraad of sociale kaart)",
        description="Controleer YAML-bestanden: een gespreksleidraad of een sociale kaart. "
        "Meerdere kaarten worden samen gelezen, zoals de app dat doet.",
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
        type=_age,
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
        choices=("tabel", "ics"),
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
        type=_days,
        default=14,
        metavar="N",
        help="wat binnen N dagen valt telt als binnenkort (standaard 14)",
    )
    follow.add_argument(
        "--alles", action="store_true", help="ook vervolgcontacten die verder weg liggen"
    )
    _add_exchange_commands(sub)
    _add_trends_command(sub)
    find = sub.add_parser(
        "zoek",
        help="zoek in alle aantekeningen en aanvullingen",
        description="Zoek in alle aantekeningen en aanvullingen, de beste eerst. Elk woord "
        "vindt ook langere woorden (schuld: schulden); woorden tussen aanhalingstekens "
        """staan precies zo achter elkaar ('"geen geld"'); accenten hoeven niet (cafe: café).""",
    )
    find.add_argument("tekst", nargs="+", metavar="TEKST", help="waar u naar zoekt")
    find.add_argument(
        "--aantal", type=_count, default=20, metavar="N", help="toon de beste N (standaard 20)"
    )
    find.add_argument("--json", action="store_true", help="als JSON")
    sub.add_parser(
        "waar",
        help="toon waar gegevens en instellingen staan",
        description="Toon waar gegevens en instellingen staan.",
    )
    return parser


def _age(text: str) -> int:
    if not text.isdigit() or int(text) > 120:
        raise argparse.ArgumentTypeError(f"'{text}' is geen leeftijd in jaren")
    return int(text)


def _days(text: str) -> int:
    if not text.isdigit() or int(text) > 3660:
        raise argparse.ArgumentTypeError(f"'{text}' is geen aantal dagen")
    return int(text)


def main(argv: Sequence[str] | None = None) -> int:
    os.umask(0o077)  # everything this process writes is private to the user
    arguments = sys.argv[1:] if argv is None else list(argv)
    try:
        if not arguments:  # the common start: no need to build the whole parser
            plain = argparse.Namespace(command=None, data_dir=None, questions=None, network=None)
            return _run(plain)
        return _run(build_parser().parse_args(arguments))
    except WijkError as error:
        print(str(error), file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. `wijkgesprek vervolg | head`: the reader left early
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _run(args: argparse.Namespace) -> int:
    if args.command == "controleer":
        return _check(args.files, as_json=args.json, guide_file=_guide_file(args))
    if args.command == "suggesties":
        return _suggestions(args)
    if args.command == "vervolg":
        return _follow_ups(args)
    if args.command == "export":
        return _export(args)
    if args.command == "import":
        return _import(args)
    if args.command == "zoek":
        return _search_notes(args)
    if args.command == "trends":
        return _trends(args)
    if args.command == "waar":
        print(f"gegevens:       {paths.data_dir(args.data_dir)}")
        print(f"instellingen:   {paths.config_file()}")
        print(f"leidraad:       {_guide_file(args)}")
        for file in _network_files(args):
            print(f"sociale kaart:  {file}")
        return 0
    return _start_app(args)


def _guide_file(args: argparse.Namespace) -> Path:
    if args.questions:
        return Path(args.questions)
    from wijkgesprek.config import load_config

    return load_config(paths.config_file()).questions or paths.shipped_questions()


def _network_files(args: argparse.Namespace) -> tuple[Path, ...]:
    if args.network:
        return tuple(args.network)
    from wijkgesprek.config import load_config

    return load_config(paths.config_file()).network or (paths.shipped_network(),)


def _check(files: list[Path], *, as_json: bool, guide_file: Path) -> int:
    """Check guides one by one and network files together (as the app reads them)."""
    from wijkgesprek.content.network import is_network_file, load_network, network_to_json
    from wijkgesprek.content.questions import guide_to_json, load_guide

    networks = [file for file in files if is_network_file(file)]
    problems: list[str] = []
    read: list[object] = []
    for file in files:
        if file in networks:
            continue
        try:
            read.append(guide_to_json(load_guide(file)))
        except ContentError as error:
            problems.append(str(error))
    if networks:
        try:
            themes = [theme.id for theme in load_guide(guide_file).themes]
            network, warnings = load_network(networks, themes=themes, today=date.today())
            read.append(network_to_json(network))
            for warning in warnings:
                print(str(warning), file=sys.stderr)
        except ContentError as error:
            problems.append(str(error))
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    if as_json:
        import json

        print(json.dumps(read[0] if len(read) == 1 else read, ensure_ascii=False, indent=2))
    else:
        for file in files:
            print(f"{file}: in orde")
    return 0


def _suggestions(args: argparse.Namespace) -> int:
    from wijkgesprek.content.network import load_network
    from wijkgesprek.content.questions import load_guide
    from wijkgesprek.domain.suggest import gaps, suggest

    guide = load_guide(_guide_file(args))
    names = {theme.id: theme.naam for theme in guide.themes}
    unknown = [theme for theme in args.thema if theme not in names]
    if unknown:
        from wijkgesprek.content.yamlsource import did_you_mean

        raise UsageError(
            f"wijkgesprek suggesties: onbekend thema '{unknown[0]}'"
            f"{did_you_mean(unknown[0], list(names)) or '.'} "
            "De thema's staan in de gespreksleidraad."
        )
    network, _ = load_network(
        _network_files(args), themes=list(names), today=date.today(), cache_dir=paths.cache_dir()
    )
    ages = None if args.leeftijd is None else tuple((age, age) for age in args.leeftijd)
    found = suggest(
        network, themes=args.thema, wijk=args.wijk, ages=ages, today=date.today(), theme_names=names
    )
    missing = gaps(network, themes=args.thema, wijk=args.wijk, ages=ages)
    if args.json:
        import json

        print(
            json.dumps(
                {
                    "suggesties": [
                        {
                            "naam": s.entry.naam,
                            "soort": s.entry.soort,
                            "wijk": s.entry.wijk,
                            "reden": s.reason,
                            "score": s.score,
                            "verouderd": s.stale,
                            "bestand": str(s.entry.source),
                            "regel": s.entry.line,
                        }
                        for s in found
                    ],
                    "geen_aanbod": list(missing),
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    for theme in missing:
        print(f"Geen aanbod voor '{names[theme]}' in {args.wijk}.")
    if not found:
        print("Niets gevonden.")
    width = max((len(s.entry.naam) for s in found), default=0)
    for number, s in enumerate(found, start=1):
        print(f"{number:>3}. {s.entry.naam:<{width}}  {s.entry.soort:<10}  {s.reason}")
    return 0


def _count(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 1000:
        raise argparse.ArgumentTypeError(f"'{text}' is geen aantal van 1 tot en met 1000")
    return int(text)


def _search_notes(args: argparse.Namespace) -> int:
    """``wijkgesprek zoek``: notes and additions with the hits between « and »."""
    from wijkgesprek.text import visible

    text = " ".join(args.tekst)
    database = paths.data_dir(args.data_dir) / paths.DATABASE_NAME
    if not database.exists():  # say so, and do not create a database for that
        print("Nog geen gegevens.", file=sys.stderr if args.json else sys.stdout)
        if args.json:
            print("[]")
        return 0
    from wijkgesprek.domain.search import plain_snippet
    from wijkgesprek.store.engine import Store
    from wijkgesprek.store.schema import prepare_database
    from wijkgesprek.store.search import search

    prepare_database(database)
    store = Store(database)
    try:
        hits = store.run(search, text=text, limit=args.aantal)
    finally:
        store.engine.dispose()
    try:
        titles = {t.id: t.titel for t in _load_guide_cached(_guide_file(args)).topics}
    except WijkError:  # a broken guide does not stop a search: show the topic ids
        titles = {}
    rows = [
        {
            "gezinscode": hit.household_code,
            "bezoek": hit.visit_id,
            "datum": hit.started_at.astimezone().date().isoformat(),
            "onderwerp": hit.topic,
            "onderwerp_titel": titles.get(hit.topic, hit.topic),
            "bron": hit.source,
            "open": hit.visit_open,
            "fragment": plain_snippet(hit.snippet),
        }
        for hit in hits
    ]
    if args.json:
        import json

        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print(f"Niets gevonden voor {visible(text)}.")
        return 0
    header = ("gezinscode", "datum", "onderwerp", "fragment")
    lines = [
        (
            visible(str(row["gezinscode"])),
            date.fromisoformat(str(row["datum"])).strftime("%d-%m-%Y"),
            visible(str(row["onderwerp_titel"]))
            + (" (aanvulling)" if row["bron"] == "aanvulling" else ""),
            str(row["fragment"]),
        )
        for row in rows
    ]
    widths = [max(len(line[i]) for line in [header, *lines]) for i in range(3)]
    for line in [header, *lines]:
        cells = [cell.ljust(width) for cell, width in zip(line[:3], widths, strict=True)]
        print("  ".join([*cells, line[3]]))
    return 0


def _today() -> date:
    """Today's date (a seam for tests)."""
    return date.today()


def _follow_ups(args: argparse.Namespace) -> int:
    """``wijkgesprek vervolg``: follow-up contacts as a table or an iCalendar file."""
    from wijkgesprek.domain.follow_up import follow_up_order

    today = _today()
    rows = _household_rows(args)
    if rows is None:  # no database yet: say so, and do not create one for that
        if args.formaat == "tabel" and args.uitvoer is None:
            print("Nog geen gegevens.")
            return 0
        print("Nog geen gegevens.", file=sys.stderr)
        rows = []

    def order(row: HouseholdRow) -> tuple[tuple[int, int], str]:
        return follow_up_order(row.next_contact, today, args.dagen), row.code

    # follow_up_order groups: 0 overdue, 1 within --dagen, 2 later, 3 none agreed
    wanted = 3 if args.alles else 2
    shown = sorted((row for row in rows if order(row)[0][0] < wanted), key=order)
    if args.formaat == "ics":
        from wijkgesprek.export.ics import follow_ups_to_ics

        payload = follow_ups_to_ics(shown, today=today)
    else:
        text = _follow_up_table(shown, today=today, soon_days=args.dagen, alles=args.alles)
        if args.uitvoer is None:
            sys.stdout.write(text)
            return 0
        payload = text.encode("utf-8")
    if args.uitvoer is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(payload)
        sys.stdout.buffer.flush()
        return 0
    write_private(args.uitvoer, payload, overwrite=args.overschrijven)
    count = f"{len(shown)} vervolgcontact{'' if len(shown) == 1 else 'en'}"
    print(f"Geschreven: {args.uitvoer} ({count}).")
    return 0


def _household_rows(args: argparse.Namespace) -> list[HouseholdRow] | None:
    """Every household from the app's database; None when there is no database yet."""
    database = paths.data_dir(args.data_dir) / paths.DATABASE_NAME
    if not database.exists():
        return None
    from wijkgesprek.store import repo
    from wijkgesprek.store.engine import Store
    from wijkgesprek.store.schema import prepare_database

    prepare_database(database)
    store = Store(database)
    try:
        return store.run(repo.list_households)
    finally:
        store.engine.dispose()


def _follow_up_table(
    rows: Sequence[HouseholdRow], *, today: date, soon_days: int, alles: bool
) -> str:
    from wijkgesprek.domain.follow_up import follow_up_label, follow_up_order

    if not rows:
        if alles:
            return "Geen vervolgcontacten afgesproken.\n"
        return f"Geen vervolgcontacten over tijd of binnen {soon_days} dagen.\n"
    header = ("gezinscode", "wijk", "datum", "status")
    lines = [
        (
            row.code,
            row.wijk,
            row.next_contact.strftime("%d-%m-%Y"),
            follow_up_label(row.next_contact, today),
        )
        for row in rows
        if row.next_contact is not None
    ]
    widths = [max(len(line[i]) for line in [header, *lines]) for i in range(3)]
    out = [
        "  ".join(cell.ljust(width) for cell, width in zip(line[:3], widths, strict=True))
        + "  "
        + line[3]
        for line in [header, *lines]
    ]
    groups = [follow_up_order(row.next_contact, today, soon_days)[0] for row in rows]
    total = f"{groups.count(0)} over tijd, {groups.count(1)} binnenkort"
    if alles:
        total += f", {groups.count(2)} later"
    return "\n".join([*out, "", total]) + "\n"


def _load_guide_cached(path: Path) -> Guide:
    """The guide, from the cache when unchanged (keeps PyYAML off the first frame)."""
    from wijkgesprek.content.cache import cached

    def build() -> Guide:
        from wijkgesprek.content.questions import load_guide

        return load_guide(path)

    from wijkgesprek.content.model import Guide

    return cached(path, kind=GUIDE_CACHE, build=build, cache_dir=paths.cache_dir(), expect=Guide)


def _start_app(args: argparse.Namespace) -> int:
    from functools import partial

    from wijkgesprek.config import load_config
    from wijkgesprek.content.cache import is_current
    from wijkgesprek.store.schema import is_ready, prepare_database

    config = load_config(paths.config_file())
    questions = Path(args.questions) if args.questions else config.questions
    guide_file = questions or paths.shipped_questions()
    guide: Guide | Callable[[], Guide]
    if is_current(guide_file, kind=GUIDE_CACHE, cache_dir=paths.cache_dir()):
        # Checked before and unchanged: load it after the first frame.
        guide = partial(_load_guide_cached, guide_file)
    else:
        guide = _load_guide_cached(guide_file)  # check it now: problems before the UI
    database = paths.data_dir(args.data_dir) / paths.DATABASE_NAME
    if not is_ready(database):
        prepare_database(database)
    network = tuple(args.network or config.network or (paths.shipped_network(),))

    from wijkgesprek.app import WijkgesprekApp

    app = WijkgesprekApp(guide=guide, database=database, config=config, network=network)
    app.run()
    return app.return_code or 0


# -- export and import (dossier, family version, hand-over) ---------------------------------


def _add_exchange_commands(sub: argparse._SubParsersAction[_Parser]) -> None:
    export = sub.add_parser(
        "export",
        help="een huishouden of bezoek exporteren: dossier, gezinsversie of overdracht",
        description="Exporteer een huishouden (of één bezoek): een dossier in Markdown voor het "
        "archief van de organisatie, een korte gezinsversie in eenvoudige taal, of een "
        "overdracht (JSON) voor een collega. Zonder --uitvoer komt het op het scherm.",
    )
    export.add_argument("code", metavar="CODE", help="de gezinscode, bijvoorbeeld GZ-001")
    export.add_argument(
        "--bezoek", type=_visit_number, metavar="N", help="alleen bezoek N (1 = het eerste)"
    )
    export.add_argument(
        "--soort",
        choices=("dossier", "gezin", "overdracht"),
        default="dossier",
        help="dossier (standaard), gezin (eenvoudige taal) of overdracht (JSON)",
    )
    export.add_argument(
        "--met-veiligheid",
        action="store_true",
        dest="met_veiligheid",
        help="in de gezinsversie ook een korte alinea over veiligheid",
    )
    export.add_argument(
        "--uitvoer",
        metavar="BESTAND",
        type=Path,
        help="schrijf naar dit bestand (alleen voor jou leesbaar) in plaats van het scherm",
    )
    export.add_argument(
        "--overschrijven", action="store_true", help="een bestaand --uitvoer-bestand vervangen"
    )
    incoming = sub.add_parser(
        "import",
        help="een overdracht (JSON) van een collega inlezen",
        description="Lees een overdracht in. Een bestaand huishouden wordt nooit zomaar "
        "overschreven: nieuwe bezoeken komen erbij; verschilt een bezoek, dan staan de "
        "verschillen op het scherm en verandert er niets zonder --neem-over.",
    )
    incoming.add_argument("file", metavar="BESTAND", type=Path)
    incoming.add_argument(
        "--neem-over",
        action="store_true",
        dest="neem_over",
        help="neem bij verschillen de versie uit het bestand over (de eigen versie blijft "
        "bewaard als aanvulling)",
    )


def _visit_number(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is geen bezoeknummer (1 = het eerste)")
    return int(text)


def _export(args: argparse.Namespace) -> int:
    """``wijkgesprek export``: a dossier, the family version or a hand-over."""
    from wijkgesprek.domain.household import normalise_code

    if args.met_veiligheid and args.soort != "gezin":
        raise UsageError("wijkgesprek export: --met-veiligheid hoort bij --soort gezin.")
    if args.bezoek is not None and args.soort == "overdracht":
        raise UsageError(
            "wijkgesprek export: een overdracht gaat over het hele huishouden; laat --bezoek weg."
        )
    code = normalise_code(args.code)
    database = paths.data_dir(args.data_dir) / paths.DATABASE_NAME
    if not database.exists():
        raise WijkError(f"Huishouden {code} bestaat niet: er zijn nog geen gegevens.")
    from wijkgesprek.store import repo
    from wijkgesprek.store.engine import Store
    from wijkgesprek.store.handover import referral_extras
    from wijkgesprek.store.schema import prepare_database

    prepare_database(database)
    store = Store(database)
    try:
        history = store.run(repo.get_household, code=code)
        extras = store.run(referral_extras, code=code)
    except LookupError:
        raise WijkError(f"Huishouden {code} bestaat niet.") from None
    finally:
        store.engine.dispose()
    visit_id = None
    if args.bezoek is not None:
        count = len(history.visits)
        if args.bezoek > count:
            raise WijkError(
                f"{code} heeft {count} bezoek{'' if count == 1 else 'en'}; kies --bezoek 1 "
                f"tot en met {count}."
                if count
                else f"{code} heeft nog geen bezoeken."
            )
        visit_id = history.visits[args.bezoek - 1].record.id
    if args.soort == "overdracht":
        from wijkgesprek.export.handover import dumps, to_handover

        text = dumps(to_handover(history, extras=extras))
        what = f"overdracht van {code}"
    else:
        from wijkgesprek.export.markdown import dossier, family_version

        guide = _load_guide_cached(_guide_file(args))
        if args.soort == "gezin":
            text = family_version(
                history, guide, visit_id=visit_id, include_safety=args.met_veiligheid
            )
            what = f"gezinsversie van {code}"
        else:
            text = dossier(history, guide, visit_id=visit_id)
            what = f"dossier van {code}"
    if args.uitvoer is None:
        sys.stdout.write(text)
        return 0
    write_private(args.uitvoer, text.encode("utf-8"), overwrite=args.overschrijven)
    print(f"Geschreven: {args.uitvoer} ({what}).")
    return 0


def _import(args: argparse.Namespace) -> int:
    """``wijkgesprek import``: take a hand-over in; nothing changes while it conflicts."""
    from datetime import UTC, datetime

    from wijkgesprek.export.handover import read_handover

    try:
        handover = read_handover(args.file)
    except ContentError as error:
        print(str(error), file=sys.stderr)
        print("Het bestand is niet ingelezen; er is niets veranderd.", file=sys.stderr)
        return 1
    from wijkgesprek.store.engine import Store
    from wijkgesprek.store.handover import (
        NOTHING_CHANGED,
        apply_import,
        describe_conflicts,
        describe_plan,
        plan_import,
    )
    from wijkgesprek.store.schema import prepare_database

    database = paths.data_dir(args.data_dir) / paths.DATABASE_NAME
    prepare_database(database)
    store = Store(database)
    try:
        plan = store.run(plan_import, handover=handover)
        for line in describe_conflicts(plan):
            print(line)
        if plan.conflicts and not args.neem_over:
            for line in describe_plan(plan):
                print(line)
            print(NOTHING_CHANGED, file=sys.stderr)
            return 1
        done = store.run(apply_import, plan=plan, take_over=args.neem_over, now=datetime.now(UTC))
    finally:
        store.engine.dispose()
    for line in done:
        print(line)
    return 0


# -- trends: figures per wijk, without recognisable families ----------------------------------


def _add_trends_command(sub: argparse._SubParsersAction[_Parser]) -> None:
    trends = sub.add_parser(
        "trends",
        help="cijfers per wijk en periode, zonder herkenbare gezinnen",
        description="Tel per wijk en periode: bezoeken, huishoudens, thema's, zorgen over "
        "veiligheid, verwijzingen en gaten in het aanbod. Aantallen onder 5 staan er als <5; "
        "een wijk met minder dan 5 huishoudens staat niet apart. Zonder --van en --tot: het "
        "laatste jaar. Perioden schrijft u als 2026 (jaar), 2026-K1 (kwartaal), 2026-03 "
        "(maand) of 2025-K1..2025-K4.",
    )
    trends.add_argument(
        "--formaat",
        choices=("tabel", "csv", "md"),
        default="tabel",
        help="tabel (standaard, met staafjes), csv of md (verslag voor de gemeente)",
    )
    trends.add_argument(
        "--wijk",
        action="append",
        default=[],
        metavar="WIJK",
        help="alleen deze wijk (herhaalbaar; ook 'overige wijken' of 'alle wijken')",
    )
    trends.add_argument(
        "--per",
        choices=("maand", "kwartaal"),
        default="kwartaal",
        help="per maand of per kwartaal (standaard)",
    )
    trends.add_argument("--van", type=_span, metavar="PERIODE", help="vanaf deze periode")
    trends.add_argument("--tot", type=_span, metavar="PERIODE", help="tot en met deze periode")
    trends.add_argument(
        "--vergelijk",
        nargs=2,
        type=_span,
        metavar=("EERDER", "LATER"),
        help="vergelijk twee perioden, met de verandering in procenten "
        "(bijvoorbeeld --vergelijk 2025-K1 2026-K1)",
    )
    trends.add_argument(
        "--uitvoer",
        metavar="BESTAND",
        type=Path,
        help="schrijf naar dit bestand (alleen voor jou leesbaar) in plaats van het scherm",
    )
    trends.add_argument(
        "--overschrijven", action="store_true", help="een bestaand --uitvoer-bestand vervangen"
    )


def _span(text: str) -> object:
    from wijkgesprek.domain.trends import parse_span

    try:
        return parse_span(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _trends(args: argparse.Namespace) -> int:
    """``wijkgesprek trends``: suppressed figures per wijk and period."""
    from wijkgesprek.domain import trends as t
    from wijkgesprek.export.trends import Report, format_report, spans_text

    if args.vergelijk and (args.van or args.tot):
        raise UsageError("wijkgesprek trends: --vergelijk gaat niet samen met --van of --tot.")
    if args.vergelijk:
        spans = tuple(args.vergelijk)
        title = f"{spans[0].label} vergeleken met {spans[1].label}"
    else:
        today = _today()
        now = t.period_of(t.month_key(today.year, today.month), args.per)
        last = args.tot.last if args.tot else now.last
        first = args.van.first if args.van else t.shift_months(last, -11)
        if last < first:
            raise UsageError("wijkgesprek trends: --tot ligt vóór --van.")
        spans = t.periods(first, last, args.per)
        title = f"per {args.per}, {spans_text(spans)}"
    rows: list[t.VisitRow] = []
    database = paths.data_dir(args.data_dir) / paths.DATABASE_NAME
    if database.exists():  # no database yet: nothing to count, and none is created
        from wijkgesprek.store.engine import Store
        from wijkgesprek.store.schema import prepare_database
        from wijkgesprek.store.trends import visit_rows

        prepare_database(database)
        store = Store(database)
        try:
            first_month = min(span.first for span in spans)
            last_month = max(span.last for span in spans)
            rows = store.run(visit_rows, first=first_month, last=last_month)
        finally:
            store.engine.dispose()
    try:
        figures = t.trends(rows, spans)
    except ValueError as error:  # overlapping periods
        raise UsageError(f"wijkgesprek trends: {error}") from None
    try:
        names = {theme.id: theme.naam for theme in _load_guide_cached(_guide_file(args)).themes}
    except WijkError:  # a broken guide does not stop the figures: show the theme ids
        names = {}
    report = Report(
        figures,
        title,
        comparison=bool(args.vergelijk),
        wijken=tuple(args.wijk),
        theme_names=names,
    )
    text = format_report(report, args.formaat, today=_today())
    if args.uitvoer is None:
        sys.stdout.write(text)
        return 0
    write_private(args.uitvoer, text.encode("utf-8"), overwrite=args.overschrijven)
    print(f"Geschreven: {args.uitvoer} (wijktrends {title}).")
    return 0
