"""``wijkgesprek migreer --naar postgresql://…``: this laptop's households into the team
database, as hand-overs (``store.handover``): a visit already there (same start) is
skipped, so running it twice gives the same result."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime

from wijkgesprek import paths
from wijkgesprek.cli.common import Parser, opened_store, team_server
from wijkgesprek.store.target import LocalFile


def add_migrate_command(sub: argparse._SubParsersAction[Parser]) -> None:
    migrate = sub.add_parser(
        "migreer",
        help="de huishoudens van deze laptop naar de teamdatabase overzetten",
        description="Zet alle huishoudens van deze laptop over naar de teamdatabase. Wat er "
        "al staat, wordt overgeslagen: twee keer draaien geeft hetzelfde resultaat. Een "
        "huishouden dat in de teamdatabase anders is, wordt niet overgezet (zonder "
        "--neem-over). De database op de laptop verandert niet.",
    )
    migrate.add_argument(
        "--naar", required=True, metavar="ADRES", help="postgresql://gebruiker@server/naam"
    )
    migrate.add_argument(
        "--neem-over",
        action="store_true",
        help="bij verschillen de versie van de laptop nemen (de vervangen tekst blijft "
        "bewaard als aanvulling)",
    )


def migrate(args: argparse.Namespace) -> int:

    from wijkgesprek.store.access import imported
    from wijkgesprek.store.handover import (
        apply_import,
        describe_conflicts,
        describe_plan,
        load_handover,
        plan_import,
    )
    from wijkgesprek.store.repo import list_households

    team_target = team_server(args.naar)
    local = LocalFile(paths.data_dir(args.data_dir) / paths.DATABASE_NAME)
    if not local.has_data():
        print(f"Er is geen database op deze laptop ({local.path}); er is niets over te zetten.")
        return 0
    moved = skipped = held = 0
    with opened_store(local) as source, opened_store(team_target) as team:
        for row in source.run(list_households):
            handover = source.run(load_handover, code=row.code)
            plan = team.run(plan_import, handover=handover)
            if plan.conflicts and not args.neem_over:
                held += 1
                for line in [*describe_conflicts(plan), *describe_plan(plan)]:
                    print(line)
                continue
            if not (plan.new_household or plan.new_visits or plan.new_referrals or plan.conflicts):
                skipped += 1
                continue
            team.run(apply_import, plan=plan, take_over=args.neem_over, now=datetime.now(UTC))
            team.run(imported, codes=[row.code], detail="migratie")
            moved += 1
    print(f"Overgezet: {moved}. Stond er al: {skipped}. Niet overgezet door verschillen: {held}.")
    if held:
        print(
            "Bekijk de verschillen hierboven; 'wijkgesprek migreer --neem-over' neemt de "
            "versie van deze laptop.",
            file=sys.stderr,
        )
        return 1
    return 0
