"""``wis``: erase a household completely (AVG), after typing its code once more."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from wijkgesprek import paths
from wijkgesprek.cli.common import Parser, ask, choice_of, database_target, opened_store
from wijkgesprek.errors import ERASE_REFUSED, NotAllowed, UsageError, WijkError
from wijkgesprek.text import confirms, visible

if TYPE_CHECKING:
    from wijkgesprek.export.record import Written


def add_erase_command(sub: argparse._SubParsersAction[Parser]) -> None:
    erase = sub.add_parser(
        "wis",
        help="een huishouden volledig wissen (met alle bezoeken en aantekeningen)",
        description="Wis een huishouden met alle bezoeken, aantekeningen, afspraken, "
        "verwijzingen, veiligheidsgegevens en zoekgegevens, ook uit de reservekopieën. "
        "Exports die wijkgesprek van het huishouden schreef, worden genoemd en op verzoek "
        "ook gewist (alleen als ze niet veranderd zijn). Dit kan niet ongedaan worden.",
    )
    erase.add_argument("code", metavar="CODE", help="de gezinscode")
    erase.add_argument(
        "--bevestig",
        metavar="CODE",
        help="typ de gezinscode nog eens (anders wordt erom gevraagd); exports die "
        "wijkgesprek van het huishouden schreef, worden dan ook gewist",
    )
    add_exports_option(erase)


def add_exports_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--exporten",
        **choice_of("wis", "bewaar", what="keuze voor de exports"),
        help="exports die wijkgesprek van deze huishoudens schreef: wis (ook wissen) of "
        "bewaar (laten staan); anders wordt erom gevraagd",
    )


def erase(args: argparse.Namespace) -> int:
    from wijkgesprek.domain.household import normalise_code

    code = normalise_code(args.code)
    target = database_target(args)
    if not target.has_data():
        raise WijkError(f"Huishouden {code} bestaat niet: er zijn nog geen gegevens.")
    if target.file is None:  # a team database: may this account erase it? Asked first.
        from wijkgesprek.store.repo import may_erase

        with opened_store(target) as store:
            if not store.run(may_erase, code=code):
                raise NotAllowed(ERASE_REFUSED)
    confirmation = args.bevestig
    if confirmation is None:
        if not sys.stdin.isatty():
            raise UsageError(
                f"wijkgesprek wis: bevestig met --bevestig {code} (er is geen toetsenbord)."
            )
        confirmation = ask(f"Typ {code} om alles van dit huishouden te wissen: ")
    if not confirms(confirmation, code):
        raise WijkError("De code klopt niet; er is niets gewist.")
    files, erase_files = offer_exports(
        args, [code], answered=args.bevestig is not None, whose=f"huishouden {code}"
    )
    from wijkgesprek.store.erase import erase_households

    with opened_store(target) as store:
        erased = erase_households(store, [code])
    if erased.refused:  # the server said no after all (its rights changed meanwhile)
        raise NotAllowed(ERASE_REFUSED)
    if not erased.codes and not erased.backups and not files:
        raise WijkError(f"Huishouden {code} bestaat niet; er is niets gewist.")
    if erased.codes:
        print(f"Huishouden {code} is gewist, met {erased.visits} bezoek(en).")
    else:  # erased before, but still in a backup
        print(f"Huishouden {code} stond niet (meer) in de database.")
    if erased.backups:
        print(f"Het is ook gewist uit {erased.backups} reservekopie(ën).")
    tell_exports(args, [code], files, erase=erase_files)
    for warning in erased.warnings():
        print(warning, file=sys.stderr)
    return 0


def offer_exports(
    args: argparse.Namespace, codes: Sequence[str], *, answered: bool, whose: str
) -> tuple[list[Written], bool]:
    """The exports recorded for ``codes``, listed, and whether to erase them too: asked
    after the confirmation, before anything is erased (Ctrl+D still changes nothing). A
    confirmation given as an option (``--bevestig``, ``--ja``) answers yes, unless
    ``--exporten bewaar``. A record that cannot be read lists nothing: ``tell_exports``
    says so after the erasure."""
    from wijkgesprek.export.record import RecordProblem, exports_of

    try:
        files = exports_of(paths.data_dir(args.data_dir), codes)
    except RecordProblem:
        return [], False
    if not files:
        return [], False
    print(f"Exports die wijkgesprek van {whose} schreef (bestanden buiten de database):")
    for written in files:
        print(f"  {written.label(codes)}")
    if args.exporten is not None:
        return files, args.exporten == "wis"
    if answered:
        return files, True
    which = "deze export" if len(files) == 1 else f"deze {len(files)} exports"
    while True:
        answer = ask(f"Ook {which} wissen? Typ ja of nee: ").strip().casefold()
        if answer in ("ja", "j", "nee", "n"):
            return files, answer.startswith("j")


def tell_exports(
    args: argparse.Namespace, codes: Sequence[str], files: Sequence[Written], *, erase: bool
) -> None:
    """Erase the listed exports when chosen, take ``codes`` out of the record, and say
    what became of each file."""
    from wijkgesprek.export.record import settle

    settled = settle(paths.data_dir(args.data_dir), codes, files, erase=erase)
    for line in settled.lines():
        print(line)
    if settled.problem:
        print(visible(settled.problem), file=sys.stderr)


def add_retention_command(sub: argparse._SubParsersAction[Parser]) -> None:
    retention = sub.add_parser(
        "bewaartermijn",
        help="huishoudens die langer dan de bewaartermijn niet bezocht zijn (en wissen)",
        description="Toon de huishoudens waarvan het laatste bezoek langer geleden is dan "
        "de bewaartermijn (instelling 'bewaartermijn', standaard 20 jaar). Met --wis "
        "worden ze na bevestiging volledig gewist.",
    )
    retention.add_argument("--wis", action="store_true", help="wis deze huishoudens")
    retention.add_argument(
        "--ja",
        action="store_true",
        help="niet om bevestiging vragen (alleen met --wis); exports die wijkgesprek van "
        "deze huishoudens schreef, worden dan ook gewist",
    )
    add_exports_option(retention)


def retention(args: argparse.Namespace) -> int:
    from wijkgesprek.cli.common import today
    from wijkgesprek.config import load_config
    from wijkgesprek.domain.retention import past_retention
    from wijkgesprek.store import repo
    from wijkgesprek.store.erase import erase_households

    if args.exporten is not None and not args.wis:
        raise UsageError("wijkgesprek bewaartermijn: --exporten hoort bij --wis.")
    years = load_config(paths.config_file()).retention_years
    target = database_target(args)
    if not target.has_data():
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
        refused = [row.code for row in rows if not store.run(repo.may_erase, code=row.code)]
        if refused:  # a team database: only their owners or a team lead may erase them
            print(
                f"Niet door u te wissen: {', '.join(refused)}. Alleen de eigenaar van een "
                "huishouden (wie het eerste bezoek begon) of een teamleider mag het wissen.",
                file=sys.stderr,
            )
            rows = [row for row in rows if row.code not in refused]
            if not rows:
                return 1
        if not args.ja:
            if not sys.stdin.isatty():
                raise UsageError(
                    "wijkgesprek bewaartermijn: bevestig met --ja (er is geen toetsenbord)."
                )
            answer = ask(f"Typ WISSEN om deze {len(rows)} huishouden(s) te wissen: ")
            if not confirms(answer, "WISSEN"):
                print("Er is niets gewist.")
                return 1
        codes = [row.code for row in rows]
        files, erase_files = offer_exports(args, codes, answered=args.ja, whose="deze huishoudens")
        erased = erase_households(store, codes)
    print(f"{len(erased.codes)} huishouden(s) gewist, met {erased.visits} bezoek(en).")
    if erased.backups:
        print(f"Ze zijn ook gewist uit {erased.backups} reservekopie(ën).")
    if erased.refused:  # refused after all: their exports stay as they are
        codes = [code for code in codes if code not in erased.refused]
        files = [file for file in files if not set(file.codes) & set(erased.refused)]
    tell_exports(args, codes, files, erase=erase_files)
    for warning in erased.warnings():
        print(warning, file=sys.stderr)
    return 0
