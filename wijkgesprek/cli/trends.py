"""``trends``: figures per wijk, without recognisable families."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from wijkgesprek.cli import common
from wijkgesprek.cli.common import (
    Parser,
    choice_of,
    database_target,
    guide_file,
    load_guide_cached,
    opened_store,
)
from wijkgesprek.errors import NotAllowed, StoreError, UsageError, WijkError
from wijkgesprek.export.files import write_private

if TYPE_CHECKING:
    from wijkgesprek.domain.trends import Publication
    from wijkgesprek.store.engine import Store
    from wijkgesprek.store.target import Target
    from wijkgesprek.store.trends import Published


def add_trends_command(sub: argparse._SubParsersAction[Parser]) -> None:
    trends = sub.add_parser(
        "trends",
        help="cijfers per wijk en periode, zonder herkenbare gezinnen",
        description="Tel per wijk en periode: bezoeken, huishoudens, thema's, zorgen over "
        "veiligheid, verwijzingen en gaten in het aanbod. Aantallen onder 5 staan er als <5; "
        "een wijk met minder dan 5 huishoudens staat niet apart. Alleen hele maanden, "
        "kwartalen en jaren. Zonder --van en --tot: het laatste jaar. Perioden schrijft u als "
        "2026 (jaar), 2026-K1 (kwartaal) of 2026-03 (maand).",
    )
    trends.add_argument(
        "--formaat",
        **choice_of("tabel", "csv", "md", what="formaat"),
        default="tabel",
        help="tabel (standaard, met staafjes), csv of md (verslag voor de gemeente)",
    )
    trends.add_argument(
        "--wijk",
        action="append",
        default=[],
        metavar="WIJK",
        help="alleen deze wijk (herhaalbaar; ook 'overige wijken' of 'alle wijken')",
    )
    trends.add_argument(
        "--per",
        **choice_of("maand", "kwartaal", "jaar", what="periode"),
        default="kwartaal",
        help="per maand, kwartaal (standaard) of jaar",
    )
    trends.add_argument("--van", type=span, metavar="PERIODE", help="vanaf deze periode")
    trends.add_argument("--tot", type=span, metavar="PERIODE", help="tot en met deze periode")
    trends.add_argument(
        "--vergelijk",
        nargs=2,
        type=span,
        metavar=("EERDER", "LATER"),
        help="vergelijk twee perioden, met de verandering in procenten "
        "(bijvoorbeeld --vergelijk 2025-K1 2026-K1)",
    )
    trends.add_argument(
        "--uitvoer",
        metavar="BESTAND",
        type=Path,
        help="schrijf naar dit bestand (alleen voor jou leesbaar) in plaats van het scherm",
    )
    trends.add_argument(
        "--overschrijven", action="store_true", help="een bestaand --uitvoer-bestand vervangen"
    )
    trends.add_argument(
        "--publiceer",
        action="store_true",
        help="alleen publiceren in de teamdatabase, voor de coördinatoren (die lezen alleen "
        "gepubliceerde cijfers); elke 'trends' van een professional publiceert ook",
    )


def span(text: str) -> object:
    from wijkgesprek.domain.trends import is_grid_period, parse_span

    try:
        found = parse_span(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    if not is_grid_period(found):
        raise argparse.ArgumentTypeError(
            f"'{text}': kies één maand (2026-03), kwartaal (2026-K1) of jaar (2026); "
            "een reeks van..tot wordt niet opgeteld, zodat geen weggelaten aantal terug te "
            "rekenen is."
        )
    return found


def trends(args: argparse.Namespace) -> int:
    """``wijkgesprek trends``: suppressed figures per wijk and period. On a team database
    whoever may count the visits publishes the figures for the coordinators, who read
    only those (``--publiceer``: publish, show nothing)."""
    from wijkgesprek.domain import trends as t
    from wijkgesprek.export.trends import Report, format_report, spans_text

    if args.vergelijk and (args.van or args.tot):
        raise UsageError("wijkgesprek trends: --vergelijk gaat niet samen met --van of --tot.")
    today = common.today()
    try:
        guide_themes = load_guide_cached(guide_file(args)).themes
        names = {theme.id: theme.naam for theme in guide_themes}
    except WijkError:  # a broken guide does not stop the figures: show the theme ids
        names = {}
    now = t.month_key(today.year, today.month)
    publication, published = _counted(args, names, now)
    notes: list[str] = []
    if published is not None:
        now = published.month  # as it was then: later months were not counted
        notes.append(
            f"Cijfers zoals gepubliceerd in de teamdatabase op "
            f"{published.made_at.astimezone():%d-%m-%Y} om "
            f"{published.made_at.astimezone():%H:%M}."
        )
    if args.publiceer:
        print("De trends zijn gepubliceerd in de teamdatabase, voor de coördinatoren.")
        return 0
    if args.vergelijk:
        spans = tuple(args.vergelijk)
        title = f"{spans[0].label} vergeleken met {spans[1].label}"
    else:
        last = args.tot.last if args.tot else t.period_of(now, args.per).last
        first = args.van.first if args.van else t.shift_months(last, -11)
        if last < first:
            raise UsageError("wijkgesprek trends: --tot ligt vóór --van.")
        spans = t.periods(first, last, args.per)
        if (spans[0].first, spans[-1].last) != (first, last):
            notes.append(
                f"Hele perioden per {args.per}: {spans_text(spans)} "
                f"({spans[0].first} t/m {spans[-1].last})."
            )
        title = f"per {args.per}, {spans_text(spans)}"
    report = Report(
        publication.trends(spans, now=now),
        title,
        comparison=bool(args.vergelijk),
        wijken=tuple(args.wijk),
        theme_names=names,
        notes=tuple(notes),
    )
    text = format_report(report, args.formaat, today=today)
    if args.uitvoer is None:
        sys.stdout.write(text)
        return 0
    write_private(args.uitvoer, text.encode("utf-8"), overwrite=args.overschrijven)
    print(f"Geschreven: {args.uitvoer} (wijktrends {title}).")
    return 0


def _counted(
    args: argparse.Namespace, names: dict[str, str], now: str
) -> tuple[Publication, Published | None]:
    """The publication of all data, counted here (and published, on a team database), or
    the one published in the team database for an account that may not count."""
    from wijkgesprek.content.model import KINDS
    from wijkgesprek.domain import trends as t

    target = database_target(args)
    if args.publiceer and target.file is not None:
        raise UsageError(
            "wijkgesprek trends --publiceer is voor een teamdatabase: daar lezen de "
            "coördinatoren de gepubliceerde cijfers."
        )
    rows: list[t.VisitRow] = []
    if not target.has_data():  # no database yet: nothing to count, and none is created
        return t.publish(rows, themes=tuple(names), soorten=KINDS, now=now), None
    from wijkgesprek.store.trends import (
        data_months,
        publish_trends,
        reads_visits,
        visit_rows,
    )

    with opened_store(target) as store:
        if not store.run(reads_visits):
            return _published(store, target, publishing=args.publiceer)
        # Always every visit: the grid is suppressed once for all data, so that each
        # cell is shown the same in every output.
        months = store.run(data_months)
        if months is not None:
            rows = store.run(visit_rows, first=months[0], last=months[1])
        publication = t.publish(rows, themes=tuple(names), soorten=KINDS, now=now)
        if target.file is None:
            store.run(publish_trends, publication=publication, month=now)
    return publication, None


def _published(store: Store, target: Target, *, publishing: bool) -> tuple[Publication, Published]:
    from wijkgesprek.store.trends import published_trends

    where = target.describe()
    if publishing:
        raise NotAllowed(
            f"Uw account bij {where} mag de bezoeken niet tellen (rol coördinator), dus "
            "ook geen trends publiceren; dat doet een professional of de beheerder."
        )
    try:
        published = store.run(published_trends)
    except ValueError:
        raise StoreError(
            f"De gepubliceerde trends in {where} zijn niet te lezen. Vraag de beheerder ze "
            "opnieuw te publiceren: wijkgesprek trends --publiceer."
        ) from None
    if published is None:
        raise StoreError(
            f"Er zijn nog geen trends gepubliceerd in {where}. Een coördinator leest alleen "
            "gepubliceerde cijfers: vraag de beheerder 'wijkgesprek trends --publiceer' te "
            "laten draaien (bijvoorbeeld elke nacht)."
        )
    return published.publication, published
