"""``beheer``: looking after the database: ``beheer migreer`` brings it to this version."""

from __future__ import annotations

import argparse

from wijkgesprek.cli.common import Parser, database_target, local_only


def add_admin_command(sub: argparse._SubParsersAction[Parser], team_help: str) -> None:
    admin = sub.add_parser(
        "beheer",
        help="beheer van de database (bijwerken naar deze versie)",
        description="Beheer van de database. 'wijkgesprek beheer migreer' werkt de "
        "teamdatabase bij naar deze versie van wijkgesprek (als eigenaar, vóór de "
        "professionals hun app bijwerken) en zet de rechten van de rollen opnieuw; zonder "
        "--database de database op deze laptop. Zie docs/team-beheer.md.",
    )
    tasks = admin.add_subparsers(dest="task", metavar="TAAK", parser_class=Parser, required=True)
    migrate = tasks.add_parser(
        "migreer",
        help="de database bijwerken naar deze versie van wijkgesprek",
        description="Werk de database bij naar deze versie van wijkgesprek. Op een "
        "teamdatabase alleen als eigenaar; de rollen krijgen hun rechten opnieuw, ook als "
        "er niets bij te werken was.",
    )
    migrate.add_argument("--database", metavar="ADRES", default=argparse.SUPPRESS, help=team_help)


def admin(args: argparse.Namespace) -> int:
    from wijkgesprek.store.ladder import SCHEMA_VERSION
    from wijkgesprek.store.target import TeamServer

    target = database_target(args)
    if isinstance(target, TeamServer):
        from wijkgesprek.store.postgres import upgrade

        before, after = upgrade(target.url, tls=target.tls)
        where = target.describe()
        if before == after:
            print(
                f"{where.capitalize()} was al bij (schema {after}); de rollen hebben hun "
                "rechten opnieuw gekregen."
            )
        else:
            print(
                f"{where.capitalize()} is bijgewerkt van schema {before} naar {after}; de "
                "rollen hebben hun rechten gekregen. De professionals kunnen nu hun app "
                "bijwerken."
            )
        return 0
    from wijkgesprek.store.schema import read_version

    file = local_only(target, "beheer migreer")
    before = read_version(file) if file.exists() else 0
    after = target.prepare()
    where = target.describe()
    if before == after:
        print(f"{where.capitalize()} was al bij (schema {after}).")
    elif before == 0:
        print(f"{where.capitalize()} is gemaakt (schema {SCHEMA_VERSION}).")
    else:
        print(
            f"{where.capitalize()} is bijgewerkt van schema {before} naar {after}; een kopie "
            "van de oude staat in de map reservekopieen."
        )
    return 0
