"""``wis``: erase a household completely (AVG), after typing its code once more."""

from __future__ import annotations

import argparse
import sys

from wijkgesprek import paths
from wijkgesprek.cli.common import ask, database_target, has_data, opened_store
from wijkgesprek.errors import UsageError, WijkError
from wijkgesprek.text import confirms


def add_erase_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    erase = sub.add_parser(
        "wis",
        help="een huishouden volledig wissen (met alle bezoeken en aantekeningen)",
        description="Wis een huishouden met alle bezoeken, aantekeningen, afspraken, "
        "verwijzingen, veiligheidsgegevens en zoekgegevens, ook uit de reservekopieën. Dit "
        "kan niet ongedaan worden.",
    )
    erase.add_argument("code", metavar="CODE", help="de gezinscode")
    erase.add_argument(
        "--bevestig",
        metavar="CODE",
        help="typ de gezinscode nog eens (anders wordt erom gevraagd)",
    )


def erase(args: argparse.Namespace) -> int:
    from wijkgesprek.domain.household import normalise_code

    code = normalise_code(args.code)
    target = database_target(args)
    if not has_data(target):
        raise WijkError(f"Huishouden {code} bestaat niet: er zijn nog geen gegevens.")
    confirmation = args.bevestig
    if confirmation is None:
        if not sys.stdin.isatty():
            raise UsageError(
                f"wijkgesprek wis: bevestig met --bevestig {code} (er is geen toetsenbord)."
            )
        confirmation = ask(f"Typ {code} om alles van dit huishouden te wissen: ")
    if not confirms(confirmation, code):
        raise WijkError("De code klopt niet; er is niets gewist.")
    from wijkgesprek.store.erase import erase_households

    with opened_store(target) as store:
        erased = erase_households(store, [code])
    if not erased.codes and not erased.backups:
        raise WijkError(f"Huishouden {code} bestaat niet; er is niets gewist.")
    if erased.codes:
        print(f"Huishouden {code} is gewist, met {erased.visits} bezoek(en).")
    else:  # erased before, but still in a backup
        print(f"Huishouden {code} stond niet (meer) in de database.")
    if erased.backups:
        print(f"Het is ook gewist uit {erased.backups} reservekopie(ën).")
    for warning in erased.warnings():
        print(warning, file=sys.stderr)
    return 0


def add_retention_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    retention = sub.add_parser(
        "bewaartermijn",
        help="huishoudens die langer dan de bewaartermijn niet bezocht zijn (en wissen)",
        description="Toon de huishoudens waarvan het laatste bezoek langer geleden is dan "
        "de bewaartermijn (instelling 'bewaartermijn', standaard 20 jaar). Met --wis "
        "worden ze na bevestiging volledig gewist.",
    )
    retention.add_argument("--wis", action="store_true", help="wis deze huishoudens")
    retention.add_argument(
        "--ja", action="store_true", help="niet om bevestiging vragen (alleen met --wis)"
    )


def retention(args: argparse.Namespace) -> int:
    from wijkgesprek.cli.common import today
    from wijkgesprek.config import load_config
    from wijkgesprek.domain.retention import past_retention
    from wijkgesprek.store import repo
    from wijkgesprek.store.erase import erase_households

    years = load_config(paths.config_file()).retention_years
    target = database_target(args)
    if not has_data(target):
        print("Er zijn nog geen gegevens.")
        return 0
    with opened_store(target) as store:
        rows = past_retention(store.run(repo.list_households), today=today(), years=years)
        if not rows:
            print(f"Geen huishoudens over de bewaartermijn van {years} jaar.")
            return 0
        print(f"Over de bewaartermijn van {years} jaar (laatste bezoek):")
        for row in rows:
            assert row.last_visit is not None
            print(f"  {row.code}  {row.last_visit.astimezone():%d-%m-%Y}")
        if not args.wis:
            print("Wissen: wijkgesprek bewaartermijn --wis")
            return 0
        if not args.ja:
            if not sys.stdin.isatty():
                raise UsageError(
                    "wijkgesprek bewaartermijn: bevestig met --ja (er is geen toetsenbord)."
                )
            answer = ask(f"Typ WISSEN om deze {len(rows)} huishouden(s) te wissen: ")
            if not confirms(answer, "WISSEN"):
                print("Er is niets gewist.")
                return 1
        erased = erase_households(store, [row.code for row in rows])
    print(f"{len(erased.codes)} huishouden(s) gewist, met {erased.visits} bezoek(en).")
    if erased.backups:
        print(f"Ze zijn ook gewist uit {erased.backups} reservekopie(ën).")
    for warning in erased.warnings():
        print(warning, file=sys.stderr)
    return 0
