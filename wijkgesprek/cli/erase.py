"""``wis``: erase a household completely (AVG), after typing its code once more."""

from __future__ import annotations

import argparse
import sys

from wijkgesprek import paths
from wijkgesprek.errors import UsageError, WijkError


def add_erase_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    erase = sub.add_parser(
        "wis",
        help="een huishouden volledig wissen (met alle bezoeken en aantekeningen)",
        description="Wis een huishouden met alle bezoeken, aantekeningen, afspraken, "
        "verwijzingen, veiligheidsgegevens en zoekgegevens. Dit kan niet ongedaan worden.",
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
    database = paths.data_dir(args.data_dir) / paths.DATABASE_NAME
    if not database.exists():
        raise WijkError(f"Huishouden {code} bestaat niet: er zijn nog geen gegevens.")
    confirmation = args.bevestig
    if confirmation is None:
        if not sys.stdin.isatty():
            raise UsageError(
                f"wijkgesprek wis: bevestig met --bevestig {code} (er is geen toetsenbord)."
            )
        confirmation = input(f"Typ {code} om alles van dit huishouden te wissen: ")
    if normalise_code(confirmation) != code:
        raise WijkError("De code klopt niet; er is niets gewist.")
    from wijkgesprek.store import repo
    from wijkgesprek.store.engine import Store
    from wijkgesprek.store.schema import prepare_database, scrub

    prepare_database(database)
    store = Store(database)
    try:
        visits = store.run(repo.erase_household, code=code)
    except LookupError:
        raise WijkError(f"Huishouden {code} bestaat niet; er is niets gewist.") from None
    finally:
        store.engine.dispose()
    scrub(database)
    print(f"Huishouden {code} is gewist, met {visits} bezoek(en).")
    return 0
