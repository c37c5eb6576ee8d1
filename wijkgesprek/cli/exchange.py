"""``export`` and ``import``: dossiers, the family version and hand-overs."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from wijkgesprek import paths
from wijkgesprek.cli.common import (
    Parser,
    choice_of,
    database_target,
    guide_file,
    load_guide_cached,
    opened_store,
    visit_number,
)
from wijkgesprek.errors import ContentError, UsageError, WijkError
from wijkgesprek.export.files import write_recorded
from wijkgesprek.text import visible

if TYPE_CHECKING:
    from wijkgesprek.exchange.handover import Vocabulary
    from wijkgesprek.store.engine import Store


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
        help="overdrachten (JSON) van een collega inlezen",
        description="Lees een of meer overdrachten in (bestanden, of een map: elk .json-bestand "
        "erin, op naam). Elk bestand wordt apart ingelezen: een bestand dat wordt geweigerd "
        "verandert niets, de andere worden wel ingelezen. Een bestaand huishouden wordt nooit "
        "zomaar overschreven: nieuwe bezoeken komen erbij; verschilt een bezoek, dan staan de "
        "verschillen op het scherm en verandert er voor dat bestand niets zonder --neem-over. "
        "Thema's en 'geen aanbod' moeten in de gespreksleidraad staan; een onbekende soort "
        "verwijzing wordt 'overig'.",
    )
    incoming.add_argument(
        "files", metavar="BESTAND", type=Path, nargs="+", help="een overdracht of een map"
    )
    incoming.add_argument(
        "--neem-over",
        action="store_true",
        dest="neem_over",
        help="neem bij verschillen de versie uit het bestand over (de eigen versie blijft "
        "bewaard als aanvulling); geldt voor elk bestand",
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
    if not target.has_data():
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
    if args.soort == "gezin" and args.met_veiligheid:
        kind = "gezin-veiligheid"
    else:
        kind = "dossier-bezoek" if args.soort == "dossier" and visit_id else args.soort
    from wijkgesprek.domain.access import EXPORTED
    from wijkgesprek.store.access import record

    with opened_store(target) as store:  # each export is a copy outside the database
        store.run(record, action=EXPORTED, codes=[code], detail=kind)
    if args.soort == "overdracht":
        from wijkgesprek.exchange.handover import dumps, to_handover

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
            image, drawing_warning = None, ""
            if args.uitvoer is not None:  # the map's drawing beside it (first: never a
                from wijkgesprek.export.network import write_beside  # link without it)

                image, drawing_warning = write_beside(
                    args.uitvoer,
                    history,
                    guide,
                    visit_id=visit_id,
                    overwrite=args.overschrijven,
                    data_folder=paths.data_dir(args.data_dir),
                )
            text = dossier(history, guide, visit_id=visit_id, image=image)
            what = f"dossier van {code}" + (f", met {image}" if image else "")
            if drawing_warning:
                print(drawing_warning, file=sys.stderr)
    if args.uitvoer is None:
        sys.stdout.write(text)
        return 0
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


def handover_vocabulary(guide: Path) -> Vocabulary:
    """What a hand-over's themes, gaps and referral kinds may be: the guide's theme ids and
    the sociale kaart's kinds."""
    from wijkgesprek.exchange.handover import Vocabulary

    return Vocabulary(themes=tuple(theme.id for theme in load_guide_cached(guide).themes))


def handover_files(given: list[Path]) -> tuple[list[Path], list[str]]:
    """The files to read, in order: a folder stands for every ``*.json`` in it, by name
    (not hidden ones, such as macOS's ``._`` copies); and a message for each folder
    without one."""
    files: list[Path] = []
    empty: list[str] = []
    for path in given:
        if path.is_dir():
            found = sorted(
                p for p in path.iterdir() if p.suffix == ".json" and not p.name.startswith(".")
            )
            if not found:
                empty.append(f"{path}: geen .json-bestanden in deze map.")
            files.extend(found)
        else:
            files.append(path)
    return files, empty


def import_handover(args: argparse.Namespace) -> int:
    """``wijkgesprek import``: take hand-overs in, each file in its own transaction;
    nothing of a file changes while it conflicts or is refused."""
    vocabulary = handover_vocabulary(guide_file(args))
    files, empty = handover_files(args.files)
    for message in empty:
        print(visible(message), file=sys.stderr)
    if len(args.files) == 1 and not empty and files == args.files:
        with ExitStack() as stack:
            opener = _lazy_store(stack, args)
            return 0 if _import_one(files[0], opener, args, vocabulary, many=False) else 1
    refused: list[Path] = []
    with ExitStack() as stack:
        opener = _lazy_store(stack, args)
        for file in files:
            if not _import_one(file, opener, args, vocabulary, many=True):
                refused.append(file)
    count = len(files)
    if not refused and not empty:
        print(f"{count} {'bestand' if count == 1 else 'bestanden'} ingelezen.")
        return 0
    if files:
        verb = "is" if len(refused) == 1 else "zijn"
        print(
            visible(
                f"{len(refused)} van de {count} {'bestand' if count == 1 else 'bestanden'} "
                f"{verb} niet ingelezen"
                + (": " + ", ".join(str(f) for f in refused) if refused else "")
                + f"; {count - len(refused)} wel."
            ),
            file=sys.stderr,
        )
    return 1


def _lazy_store(stack: ExitStack, args: argparse.Namespace) -> Callable[[], Store]:
    """Opens the database the first time a file needs it (a bad file creates none)."""
    opened: list[Store] = []

    def store() -> Store:
        if not opened:
            opened.append(stack.enter_context(opened_store(database_target(args))))
        return opened[0]

    return store


def _import_one(
    file: Path,
    store: Callable[[], Store],
    args: argparse.Namespace,
    vocabulary: Vocabulary,
    *,
    many: bool,
) -> bool:
    """Read ``file`` and import it in one transaction; prints what was done or why not
    (with ``many``, under the file's name). True when it was imported."""

    from wijkgesprek.exchange.handover import read_handover
    from wijkgesprek.store.handover import (
        NOTHING_CHANGED,
        apply_import,
        describe_conflicts,
        describe_plan,
        plan_import,
    )

    refused = f"{file}: niet ingelezen; er is niets veranderd."
    try:
        handover = read_handover(file, vocabulary=vocabulary)
    except ContentError as error:
        print(visible(str(error)), file=sys.stderr)
        print(
            visible(refused) if many else "Het bestand is niet ingelezen; er is niets veranderd.",
            file=sys.stderr,
        )
        return False
    except WijkError as error:  # not there, not readable, too large
        if not many:
            raise
        print(visible(str(error)), file=sys.stderr)
        print(visible(refused), file=sys.stderr)
        return False
    for warning in handover.warnings:
        print(visible(str(warning)), file=sys.stderr)
    database = store()
    plan = database.run(plan_import, handover=handover)
    for line in describe_conflicts(plan):
        print(line)
    if plan.conflicts and not args.neem_over:
        for line in describe_plan(plan):
            print(line)
        if many:
            print(
                visible(f"{file}: niet ingelezen: het verschilt van wat hier staat. ")
                + NOTHING_CHANGED,
                file=sys.stderr,
            )
        else:
            print(NOTHING_CHANGED, file=sys.stderr)
        return False
    try:
        done = database.run(
            apply_import, plan=plan, take_over=args.neem_over, now=datetime.now(UTC)
        )
    except WijkError as error:  # locked, full, changed meanwhile: this file changed nothing
        if not many:
            raise
        print(visible(str(error)), file=sys.stderr)
        print(visible(refused), file=sys.stderr)
        return False
    if plan.new_household or plan.new_visits or plan.new_referrals or plan.conflicts:
        from wijkgesprek.store.access import imported

        database.run(imported, codes=[handover.code], detail="overdracht")
    if many:
        print(visible(f"{file}: ingelezen"))
    for line in done:
        print(f"  {line}" if many else line)
    return True
