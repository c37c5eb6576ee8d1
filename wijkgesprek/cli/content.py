"""``controleer`` and ``suggesties``: content files and what the sociale kaart suggests."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

from wijkgesprek import paths
from wijkgesprek.choices import either, nearest, spelt_as, unknown
from wijkgesprek.cli.common import (
    guide_file,
    network_files,
)
from wijkgesprek.errors import ContentError, UsageError, WijkError
from wijkgesprek.text import visible


def check(files: list[Path], *, as_json: bool, guide_file: Path) -> int:
    """Check guides, practice cases, the practice word list and hand-overs one by one, and
    network files together (as the app reads them). A cases file is read with the
    shipped cases, as ``oefenen`` does: a case id or code used twice is a problem."""
    from wijkgesprek.cli.practice import practice_cases
    from wijkgesprek.content.cases import cases_to_json, is_cases_file
    from wijkgesprek.content.network import is_network_file, load_network, network_to_json
    from wijkgesprek.content.questions import guide_to_json, load_guide
    from wijkgesprek.content.words import is_words_file, load_words, words_to_json
    from wijkgesprek.exchange.handover import (
        Vocabulary,
        handover_json,
        is_handover_file,
        read_handover,
    )

    networks = [file for file in files if is_network_file(file)]
    problems: list[str] = []
    read: list[object] = []
    for file in files:
        if file in networks:
            continue
        try:
            if is_handover_file(file):
                ids = tuple(theme.id for theme in load_guide(guide_file).themes)
                handover = read_handover(file, vocabulary=Vocabulary(themes=ids))
                for warning in handover.warnings:
                    print(str(warning), file=sys.stderr)
                read.append(handover_json(handover))
            elif is_cases_file(file):
                cases = practice_cases([file], guide=load_guide(guide_file))
                chosen = [case for case in cases.cases if case.source == file]
                read.append(cases_to_json(replace(cases, sources=(file,), cases=tuple(chosen))))
            elif is_words_file(file):
                read.append(words_to_json(load_words(file)))
            else:
                read.append(guide_to_json(load_guide(file)))
        except WijkError as error:
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
        print(visible(problem), file=sys.stderr)
    if problems:
        return 1
    if as_json:
        text = json.dumps(read[0] if len(read) == 1 else read, ensure_ascii=False, indent=2)
        print(visible(text))
    else:
        for file in files:
            print(visible(f"{file}: in orde"))
    return 0


def suggestions(args: argparse.Namespace) -> int:
    from wijkgesprek.content.network import load_network
    from wijkgesprek.content.questions import load_guide
    from wijkgesprek.domain.suggest import offer

    guide = load_guide(guide_file(args))
    names = {theme.id: theme.naam for theme in guide.themes}
    themes = [theme_id(typed, names) for typed in args.thema]
    network, _ = load_network(
        network_files(args), themes=list(names), today=date.today(), cache_dir=paths.cache_dir()
    )
    wijk = known_wijk(args.wijk, network.wijken())
    ages = None if args.leeftijd is None else tuple((age, age) for age in args.leeftijd)
    offered = offer(
        network, themes=themes, wijk=wijk, ages=ages, today=date.today(), theme_names=names
    )
    found, missing = offered.suggestions, offered.gaps
    if args.json:
        print(
            visible(
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
        )
        return 0
    for theme in missing:
        print(visible(f"Geen aanbod voor '{names[theme]}' in {wijk}."))
    if not found:
        print("Niets gevonden.")
    rows = [(visible(s.entry.naam), visible(s.entry.soort), visible(s.reason)) for s in found]
    width = max((len(naam) for naam, _, _ in rows), default=0)
    for number, (naam, soort, reason) in enumerate(rows, start=1):
        print(f"{number:>3}. {naam:<{width}}  {soort:<10}  {reason}")
    return 0


def theme_id(typed: str, names: dict[str, str]) -> str:
    """``--thema``: a theme's id or name, in any case → its id; else a usage error."""
    found = spelt_as(typed, names)
    if found is not None:
        return found
    by_name = {name: theme for theme, name in names.items()}
    name = spelt_as(typed, by_name)
    if name is not None:
        return by_name[name]
    raise UsageError(
        "wijkgesprek suggesties: bij --thema: "
        + unknown(typed, "geen thema van de gespreksleidraad", list(names))
    )


def known_wijk(typed: str, wijken: Sequence[str]) -> str:
    """``--wijk`` as the sociale kaart spells it (any case). A likely slip (``Nord``) or
    nothing at all is a usage error; another wijk is told and gets the offers for the
    whole town: a household may live in a wijk without offers of its own."""
    found = spelt_as(typed, wijken)
    if found is not None or not wijken:
        return found or typed
    if not typed.strip() or nearest(typed, wijken):
        raise UsageError(
            "wijkgesprek suggesties: bij --wijk: "
            + unknown(typed, "geen wijk van de sociale kaart", wijken)
        )
    print(
        f"wijkgesprek suggesties: '{visible(typed)}' is geen wijk van de sociale kaart (die "
        f"kent {either(wijken, 'en')}); alleen aanbod voor de hele gemeente.",
        file=sys.stderr,
    )
    return typed
