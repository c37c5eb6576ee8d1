"""``trends``: figures per wijk, without recognisable families."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from wijkgesprek.cli import common
from wijkgesprek.cli.common import (
    Parser,
    choice_of,
    database_target,
    guide_file,
    load_guide_cached,
    opened_store,
)
from wijkgesprek.errors import UsageError, WijkError
from wijkgesprek.export.files import write_private


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
    """``wijkgesprek trends``: suppressed figures per wijk and period."""
    from wijkgesprek.content.model import KINDS
    from wijkgesprek.domain import trends as t
    from wijkgesprek.export.trends import Report, format_report, spans_text

    if args.vergelijk and (args.van or args.tot):
        raise UsageError("wijkgesprek trends: --vergelijk gaat niet samen met --van of --tot.")
    today = common.today()
    now = t.month_key(today.year, today.month)
    notes: list[str] = []
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
    rows: list[t.VisitRow] = []
    target = database_target(args)
    if target.has_data():  # no database yet: nothing to count, and none is created
        from wijkgesprek.store.trends import data_months, visit_rows

        with opened_store(target) as store:
            # Always every visit: the grid is suppressed once for all data, so that each
            # cell is shown the same in every output.
            months = store.run(data_months)
            if months is not None:
                rows = store.run(visit_rows, first=months[0], last=months[1])
    try:
        guide_themes = load_guide_cached(guide_file(args)).themes
        names = {theme.id: theme.naam for theme in guide_themes}
    except WijkError:  # a broken guide does not stop the figures: show the theme ids
        names = {}
    publication = t.publish(rows, themes=tuple(names), soorten=KINDS, now=now)
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
