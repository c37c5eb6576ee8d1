"""``controleer`` and ``suggesties``: content files and what the sociale kaart suggests."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from wijkgesprek import paths
from wijkgesprek.cli.common import (
    guide_file,
    network_files,
)
from wijkgesprek.errors import ContentError, UsageError


def check(files: list[Path], *, as_json: bool, guide_file: Path) -> int:
    """Check guides and practice cases one by one, and network files together (as the
    app reads them)."""
    from wijkgesprek.content.cases import cases_to_json, is_cases_file, load_cases
    from wijkgesprek.content.network import is_network_file, load_network, network_to_json
    from wijkgesprek.content.questions import guide_to_json, load_guide

    networks = [file for file in files if is_network_file(file)]
    problems: list[str] = []
    read: list[object] = []
    for file in files:
        if file in networks:
            continue
        try:
            if is_cases_file(file):
                topic_ids = tuple(topic.id for topic in load_guide(guide_file).topics)
                read.append(cases_to_json(load_cases(file, topic_ids=topic_ids)))
            else:
                read.append(guide_to_json(load_guide(file)))
        except ContentError as error:
            problems.append(str(error))
    if networks:
        try:
            themes = [theme.id for theme in load_guide(guide_file).themes]
            network, warnings = load_network(networks, themes=themes, today=date.today())
            read.append(network_to_json(network))
            for warning in warnings:
                print(str(warning), file=sys.stderr)
        except ContentError as error:
            problems.append(str(error))
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    if as_json:
        import json

        print(json.dumps(read[0] if len(read) == 1 else read, ensure_ascii=False, indent=2))
    else:
        for file in files:
            print(f"{file}: in orde")
    return 0


def suggestions(args: argparse.Namespace) -> int:
    from wijkgesprek.content.network import load_network
    from wijkgesprek.content.questions import load_guide
    from wijkgesprek.domain.suggest import gaps, suggest

    guide = load_guide(guide_file(args))
    names = {theme.id: theme.naam for theme in guide.themes}
    unknown = [theme for theme in args.thema if theme not in names]
    if unknown:
        from wijkgesprek.content.yamlsource import did_you_mean

        raise UsageError(
            f"wijkgesprek suggesties: onbekend thema '{unknown[0]}'"
            f"{did_you_mean(unknown[0], list(names)) or '.'} "
            "De thema's staan in de gespreksleidraad."
        )
    network, _ = load_network(
        network_files(args), themes=list(names), today=date.today(), cache_dir=paths.cache_dir()
    )
    ages = None if args.leeftijd is None else tuple((age, age) for age in args.leeftijd)
    found = suggest(
        network, themes=args.thema, wijk=args.wijk, ages=ages, today=date.today(), theme_names=names
    )
    missing = gaps(network, themes=args.thema, wijk=args.wijk, ages=ages)
    if args.json:
        import json

        print(
            json.dumps(
                {
                    "suggesties": [
                        {
                            "naam": s.entry.naam,
                            "soort": s.entry.soort,
                            "wijk": s.entry.wijk,
                            "reden": s.reason,
                            "score": s.score,
                            "verouderd": s.stale,
                            "bestand": str(s.entry.source),
                            "regel": s.entry.line,
                        }
                        for s in found
                    ],
                    "geen_aanbod": list(missing),
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    for theme in missing:
        print(f"Geen aanbod voor '{names[theme]}' in {args.wijk}.")
    if not found:
        print("Niets gevonden.")
    width = max((len(s.entry.naam) for s in found), default=0)
    for number, s in enumerate(found, start=1):
        print(f"{number:>3}. {s.entry.naam:<{width}}  {s.entry.soort:<10}  {s.reason}")
    return 0
