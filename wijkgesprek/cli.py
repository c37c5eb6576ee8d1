"""The command line: arguments → a subcommand or the app.

Known errors become one Dutch sentence on stderr and an exit code (0 fine,
1 wrong input, 2 wrong use). Heavy imports (Textual, SQLModel) happen only
in the branch that needs them, so ``--version`` and ``controleer`` are quick.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from wijkgesprek import __version__, paths
from wijkgesprek.errors import ContentError, UsageError, WijkError

if TYPE_CHECKING:
    from wijkgesprek.content.model import Guide

_TRANSLATIONS = (
    ("unrecognized arguments:", "onbekende opties of woorden:"),
    ("the following arguments are required:", "dit ontbreekt nog:"),
    ("expected one argument", "verwacht één waarde"),
    ("invalid choice:", "onbekende keuze:"),
    ("choose from", "kies uit"),
    ("ambiguous option:", "onduidelijke optie:"),
    ("could match", "kan zijn"),
    ("not allowed with argument", "gaat niet samen met"),
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


def _run(args: argparse.Namespace) -> int:
    if args.command == "controleer":
        return _check(args.files, as_json=args.json, guide_file=_guide_file(args))
    if args.command == "suggesties":
        return _suggestions(args)
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


def _load_guide_cached(path: Path) -> Guide:
    """The guide, from the cache when unchanged (keeps PyYAML off the first frame)."""
    from wijkgesprek.content.cache import cached

    def build() -> Guide:
        from wijkgesprek.content.questions import load_guide

        return load_guide(path)

    from wijkgesprek.content.model import Guide

    return cached(path, kind="leidraad", build=build, cache_dir=paths.cache_dir(), expect=Guide)


def _start_app(args: argparse.Namespace) -> int:
    from wijkgesprek.config import load_config
    from wijkgesprek.store.schema import prepare_database

    config = load_config(paths.config_file())
    questions = Path(args.questions) if args.questions else config.questions
    guide = _load_guide_cached(questions or paths.shipped_questions())
    database = paths.data_dir(args.data_dir) / paths.DATABASE_NAME
    prepare_database(database)
    network = tuple(args.network or config.network or (paths.shipped_network(),))

    from wijkgesprek.app import WijkgesprekApp

    app = WijkgesprekApp(guide=guide, database=database, config=config, network=network)
    app.run()
    return app.return_code or 0
