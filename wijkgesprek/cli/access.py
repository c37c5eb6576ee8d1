"""``toegang``: the access log, for a professional (their households) and an auditor."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from wijkgesprek.cli.common import Parser, database_target, opened_store
from wijkgesprek.text import visible

if TYPE_CHECKING:
    from wijkgesprek.domain.access import AccessEntry


def household_code(text: str) -> str:
    from wijkgesprek.domain.household import code_problem, normalise_code

    problem = code_problem(text)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return normalise_code(text)


def add_access_command(sub: argparse._SubParsersAction[Parser]) -> None:
    access = sub.add_parser(
        "toegang",
        help="het toegangslog: wie wat met welk huishouden deed, en wanneer",
        description="Toon het toegangslog (NEN 7513): wie een huishouden opende, "
        "exporteerde, inlas, doorzocht, wijzigde of wiste, wanneer en vanaf welk adres. Op "
        "een teamdatabase ziet een professional de huishoudens die hij of zij bezocht en "
        "wat hij of zij zelf deed, een auditor alles. Ook dit lezen wordt vastgelegd.",
    )
    access.add_argument(
        "--huishouden",
        metavar="CODE",
        type=household_code,
        help="alleen dit huishouden (een gewist huishouden staat er als gewist-…)",
    )
    access.add_argument("--json", action="store_true", help="als JSON")


HEADER = ("moment", "wie", "handeling", "gezinscode", "wat", "vanaf")


def _row(entry: AccessEntry, *, team: bool) -> tuple[str, ...]:
    return (
        entry.at.astimezone().strftime("%d-%m-%Y %H:%M"),
        entry.who or ("?" if team else "deze laptop"),
        entry.action,
        entry.household or "(alle)",
        entry.detail,
        entry.source or ("server" if team else ""),
    )


def show_access(args: argparse.Namespace) -> int:
    from wijkgesprek.store.access import read_log

    target = database_target(args)
    team = target.file is None
    if not target.has_data():
        print("Nog geen gegevens.", file=sys.stderr if args.json else sys.stdout)
        if args.json:
            print("[]")
        return 0
    with opened_store(target) as store:
        entries = store.run(read_log, code=args.huishouden)
    if args.json:
        import json

        keys = ("moment", "wie", "handeling", "gezinscode", "wat", "vanaf")
        rows = [
            dict(
                zip(
                    keys,
                    (e.at.isoformat(), e.who, e.action, e.household, e.detail, e.source),
                    strict=True,
                )
            )
            for e in entries
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not entries:
        print(f"Niets vastgelegd{f' voor {args.huishouden}' if args.huishouden else ''}.")
        return 0
    lines = [HEADER, *(_row(entry, team=team) for entry in entries)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(HEADER))]
    for line in lines:
        print(
            visible("  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip())
        )
    return 0
