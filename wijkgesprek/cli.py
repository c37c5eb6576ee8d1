"""The command line: arguments → a subcommand or the app.

Known errors become one Dutch sentence on stderr and an exit code (0 fine,
1 wrong input, 2 wrong use). Heavy imports (Textual, SQLModel) happen only
in the branch that needs them, so ``--version`` and ``controleer`` are quick.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from wijkgesprek import __version__, paths
from wijkgesprek.errors import ContentError, UsageError, WijkError

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
    sub = parser.add_subparsers(dest="command", metavar="OPDRACHT", parser_class=_Parser)
    check = sub.add_parser(
        "controleer", help="controleer YAML-bestanden", description="Controleer YAML-bestanden."
    )
    check.add_argument("files", nargs="+", metavar="BESTAND", type=Path)
    check.add_argument("--json", action="store_true", help="toon wat er gelezen is als JSON")
    sub.add_parser(
        "waar",
        help="toon waar gegevens en instellingen staan",
        description="Toon waar gegevens en instellingen staan.",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    os.umask(0o077)  # everything this process writes is private to the user
    try:
        return _run(build_parser().parse_args(argv))
    except WijkError as error:
        print(str(error), file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        return 130


def _run(args: argparse.Namespace) -> int:
    if args.command == "controleer":
        return _check(args.files, as_json=args.json)
    if args.command == "waar":
        print(f"gegevens:     {paths.data_dir(args.data_dir)}")
        print(f"instellingen: {paths.config_file()}")
        print(f"leidraad:     {paths.shipped_questions()}")
        return 0
    return _start_app(args)


def _check(files: list[Path], *, as_json: bool) -> int:
    from wijkgesprek.content.questions import guide_to_json, load_guide

    failed = False
    read = []
    for file in files:
        try:
            read.append(guide_to_json(load_guide(file)))
        except ContentError as error:
            failed = True
            print(str(error), file=sys.stderr)
    if as_json and not failed:
        print(json.dumps(read[0] if len(read) == 1 else read, ensure_ascii=False, indent=2))
    elif not failed:
        for file in files:
            print(f"{file}: in orde")
    return 1 if failed else 0


def _start_app(args: argparse.Namespace) -> int:
    from wijkgesprek.config import load_config
    from wijkgesprek.content.questions import load_guide
    from wijkgesprek.store.schema import prepare_database

    config = load_config(paths.config_file())
    questions = Path(args.questions) if args.questions else config.questions
    guide = load_guide(questions or paths.shipped_questions())
    database = paths.data_dir(args.data_dir) / paths.DATABASE_NAME
    prepare_database(database)

    from wijkgesprek.app import WijkgesprekApp

    app = WijkgesprekApp(guide=guide, database=database, config=config)
    app.run()
    return app.return_code or 0
