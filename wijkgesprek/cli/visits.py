"""``zoek`` and ``vervolg``: finding notes and the follow-ups that are due."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from wijkgesprek.errors import UsageError, WijkError
from wijkgesprek.export.files import write_recorded
from wijkgesprek.text import visible

if TYPE_CHECKING:
    from wijkgesprek.domain.visit import HouseholdRow

from wijkgesprek import paths
from wijkgesprek.cli import common
from wijkgesprek.cli.common import (
    database_target,
    guide_file,
    load_guide_cached,
    opened_store,
)


def search_notes(args: argparse.Namespace) -> int:
    """``wijkgesprek zoek``: notes and additions with the hits between « and »."""
    text = " ".join(args.tekst)
    from wijkgesprek.domain.search import fts_query

    if fts_query(text) is None:  # nothing to look for: say so before opening anything
        told = (
            f"'{visible(text)}' bevat geen letters of cijfers" if text.strip() else "TEKST is leeg"
        )
        raise UsageError(
            f"wijkgesprek zoek: geef een woord om naar te zoeken ({told}), zoals: "
            "wijkgesprek zoek huur"
        )
    target = database_target(args)
    if not target.has_data():  # say so, and do not create a database for that
        print("Nog geen gegevens.", file=sys.stderr if args.json else sys.stdout)
        if args.json:
            print("[]")
        return 0
    from wijkgesprek.domain.search import plain_snippet
    from wijkgesprek.store.access import search  # the households shown are logged

    with opened_store(target) as store:
        hits = store.run(search, text=text, limit=args.aantal)
    try:
        titles = {t.id: t.titel for t in load_guide_cached(guide_file(args)).topics}
    except WijkError:  # a broken guide does not stop a search: show the topic ids
        titles = {}
    rows = [
        {
            "gezinscode": hit.household_code,
            "bezoek": hit.visit_number,  # as `wijkgesprek export CODE --bezoek N` counts
            "datum": hit.started_at.astimezone().date().isoformat(),
            "onderwerp": hit.topic,
            "onderwerp_titel": titles.get(hit.topic, hit.topic),
            "bron": hit.source,
            "open": hit.visit_open,
            "fragment": plain_snippet(hit.snippet),
        }
        for hit in hits
    ]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print(f"Niets gevonden voor {visible(text)}.")
        return 0
    header = ("gezinscode", "bezoek", "datum", "onderwerp", "fragment")
    lines = [
        (
            visible(str(row["gezinscode"])),
            str(row["bezoek"]),
            date.fromisoformat(str(row["datum"])).strftime("%d-%m-%Y"),
            visible(str(row["onderwerp_titel"]))
            + (" (aanvulling)" if row["bron"] == "aanvulling" else ""),
            str(row["fragment"]),
        )
        for row in rows
    ]
    widths = [max(len(line[i]) for line in [header, *lines]) for i in range(4)]
    for line in [header, *lines]:
        cells = [cell.ljust(width) for cell, width in zip(line[:4], widths, strict=True)]
        print("  ".join([*cells, line[4]]))
    return 0


def follow_ups(args: argparse.Namespace) -> int:
    """``wijkgesprek vervolg``: follow-up contacts as a table or an iCalendar file."""
    from wijkgesprek.domain.follow_up import follow_up_order

    today = common.today()
    rows = household_rows(args)
    if rows is None:  # no database yet: say so, and do not create one for that
        if args.formaat == "tabel" and args.uitvoer is None:
            print("Nog geen gegevens.")
            return 0
        print("Nog geen gegevens.", file=sys.stderr)
        rows = []

    def order(row: HouseholdRow) -> tuple[tuple[int, int], str]:
        return follow_up_order(row.next_contact, today, args.dagen), row.code

    # follow_up_order groups: 0 overdue, 1 within --dagen, 2 later, 3 none agreed
    wanted = 3 if args.alles else 2
    shown = sorted((row for row in rows if order(row)[0][0] < wanted), key=order)
    if args.formaat == "ics":
        from wijkgesprek.export.ics import follow_ups_to_ics

        payload = follow_ups_to_ics(shown, today=today)
    else:
        text = follow_up_table(shown, today=today, soon_days=args.dagen, alles=args.alles)
        if args.uitvoer is None:
            sys.stdout.write(text)
            return 0
        payload = text.encode("utf-8")
    if args.uitvoer is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(payload)
        sys.stdout.buffer.flush()
        return 0
    warning = write_recorded(  # for every household it names: each may be erased
        args.uitvoer,
        payload,
        overwrite=args.overschrijven,
        codes=[row.code for row in shown],
        kind="vervolg",
        data_folder=paths.data_dir(args.data_dir),
    )
    count = f"{len(shown)} vervolgcontact{'' if len(shown) == 1 else 'en'}"
    print(f"Geschreven: {visible(str(args.uitvoer))} ({count}).")
    if warning:
        print(warning, file=sys.stderr)
    return 0


def household_rows(args: argparse.Namespace) -> list[HouseholdRow] | None:
    """Every household from the app's database; None when there is no database yet."""
    target = database_target(args)
    if not target.has_data():
        return None
    from wijkgesprek.store import repo

    with opened_store(target) as store:
        return store.run(repo.list_households)


def follow_up_table(
    rows: Sequence[HouseholdRow], *, today: date, soon_days: int, alles: bool
) -> str:
    from wijkgesprek.domain.follow_up import follow_up_label, follow_up_order

    if not rows:
        if alles:
            return "Geen vervolgcontacten afgesproken.\n"
        return f"Geen vervolgcontacten over tijd of binnen {soon_days} dagen.\n"
    header = ("gezinscode", "wijk", "datum", "status")
    lines = [
        (
            row.code,
            row.wijk,
            row.next_contact.strftime("%d-%m-%Y"),
            follow_up_label(row.next_contact, today),
        )
        for row in rows
        if row.next_contact is not None
    ]
    widths = [max(len(line[i]) for line in [header, *lines]) for i in range(3)]
    out = [
        "  ".join(cell.ljust(width) for cell, width in zip(line[:3], widths, strict=True))
        + "  "
        + line[3]
        for line in [header, *lines]
    ]
    groups = [follow_up_order(row.next_contact, today, soon_days)[0] for row in rows]
    total = f"{groups.count(0)} over tijd, {groups.count(1)} binnenkort"
    if alles:
        total += f", {groups.count(2)} later"
    return "\n".join([*out, "", total]) + "\n"
