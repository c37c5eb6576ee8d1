"""``export`` and ``import``: dossiers, the family version and hand-overs."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from wijkgesprek import paths
from wijkgesprek.cli.common import (
    Parser,
    choice_of,
    database_target,
    guide_file,
    has_data,
    load_guide_cached,
    opened_store,
    visit_number,
)
from wijkgesprek.errors import ContentError, UsageError, WijkError
from wijkgesprek.export.files import write_recorded
from wijkgesprek.text import visible


def add_exchange_commands(sub: argparse._SubParsersAction[Parser]) -> None:
    export = sub.add_parser(
        "export",
        help="een huishouden of bezoek exporteren: dossier, gezinsversie of overdracht",
        description="Exporteer een huishouden (of één bezoek): een dossier in Markdown voor het "
        "archief van de organisatie, een korte gezinsversie in eenvoudige taal, of een "
        "overdracht (JSON) voor een collega. Zonder --uitvoer komt het op het scherm.",
    )
    export.add_argument("code", metavar="CODE", help="de gezinscode, bijvoorbeeld GZ-001")
    export.add_argument(
        "--bezoek", type=visit_number, metavar="N", help="alleen bezoek N (1 = het eerste)"
    )
    export.add_argument(
        "--soort",
        **choice_of("dossier", "gezin", "overdracht", what="soort export"),
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


def export_household(args: argparse.Namespace) -> int:
    """``wijkgesprek export``: a dossier, the family version or a hand-over."""
    from wijkgesprek.domain.household import normalise_code

    if args.met_veiligheid and args.soort != "gezin":
        raise UsageError("wijkgesprek export: --met-veiligheid hoort bij --soort gezin.")
    if args.bezoek is not None and args.soort == "overdracht":
        raise UsageError(
            "wijkgesprek export: een overdracht gaat over het hele huishouden; laat --bezoek weg."
        )
    code = normalise_code(args.code)
    target = database_target(args)
    if not has_data(target):
        raise WijkError(f"Huishouden {code} bestaat niet: er zijn nog geen gegevens.")
    from wijkgesprek.store import repo
    from wijkgesprek.store.handover import referral_extras

    try:
        with opened_store(target) as store:
            history = store.run(repo.get_household, code=code)
            extras = store.run(referral_extras, code=code)
    except LookupError:
        raise WijkError(f"Huishouden {code} bestaat niet.") from None
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

        guide = load_guide_cached(guide_file(args))
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
    if args.soort == "gezin" and args.met_veiligheid:
        kind = "gezin-veiligheid"
    else:
        kind = "dossier-bezoek" if args.soort == "dossier" and visit_id else args.soort
    warning = write_recorded(
        args.uitvoer,
        text.encode("utf-8"),
        overwrite=args.overschrijven,
        codes=[code],
        kind=kind,
        data_folder=paths.data_dir(args.data_dir),
    )
    print(f"Geschreven: {visible(str(args.uitvoer))} ({what}).")
    if warning:
        print(warning, file=sys.stderr)
    return 0


def import_handover(args: argparse.Namespace) -> int:
    """``wijkgesprek import``: take a hand-over in; nothing changes while it conflicts."""
    from datetime import UTC, datetime

    from wijkgesprek.export.handover import read_handover

    try:
        handover = read_handover(args.file)
    except ContentError as error:
        print(str(error), file=sys.stderr)
        print("Het bestand is niet ingelezen; er is niets veranderd.", file=sys.stderr)
        return 1
    from wijkgesprek.store.handover import (
        NOTHING_CHANGED,
        apply_import,
        describe_conflicts,
        describe_plan,
        plan_import,
    )

    with opened_store(database_target(args)) as store:
        plan = store.run(plan_import, handover=handover)
        for line in describe_conflicts(plan):
            print(line)
        if plan.conflicts and not args.neem_over:
            for line in describe_plan(plan):
                print(line)
            print(NOTHING_CHANGED, file=sys.stderr)
            return 1
        done = store.run(apply_import, plan=plan, take_over=args.neem_over, now=datetime.now(UTC))
    for line in done:
        print(line)
    return 0
