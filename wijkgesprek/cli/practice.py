"""Practice on the command line: the cases a trainee practises with, and a trainer's
overview of a group's attempts (``oefen-overzicht``)."""

from __future__ import annotations

import argparse
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from wijkgesprek import paths
from wijkgesprek.cli.common import Parser
from wijkgesprek.content.model import Cases, Guide

if TYPE_CHECKING:
    from wijkgesprek.content.model import PracticeCase
    from wijkgesprek.domain.progress import Score


def practice_cases(extra: Sequence[Path], *, guide: Guide) -> Cases:
    """The shipped cases and a trainer's own (``--casussen``), with the shared word list,
    checked against ``guide`` (its topics and its netwerkkaart); a file named twice is read
    once."""
    from wijkgesprek.content.cases import load_cases
    from wijkgesprek.content.words import load_words

    files = [paths.shipped_cases()]
    for file in extra:
        if not any(_same(file, known) for known in files):
            files.append(file)
    return load_cases(
        files,
        topic_ids=[topic.id for topic in guide.topics],
        words=load_words(paths.shipped_words()),
        network=guide.network,
    )


def _same(one: Path, other: Path) -> bool:
    try:
        return one.resolve() == other.resolve()
    except OSError:
        return False


def add_overview_command(sub: argparse._SubParsersAction[Parser]) -> None:
    overview = sub.add_parser(
        "oefen-overzicht",
        help="overzicht van de oefenpogingen van een groep (Markdown, zonder aantekeningen)",
        description="Zet de oefenpogingen van een groep naast elkaar, per casus en per "
        "deelnemer: alleen tellingen, nooit aantekeningen, vragen of antwoorden. Geef de "
        "oefendatabases van de deelnemers (elk een wijkgesprek-oefenen.db, bijvoorbeeld "
        "hernoemd naar de deelnemer); zonder bestanden de oefendatabase van deze laptop.",
    )
    overview.add_argument(
        "databases", nargs="*", metavar="OEFENDATABASE", type=Path, help="oefendatabases"
    )
    overview.add_argument(
        "--casussen",
        metavar="BESTAND",
        type=Path,
        action="append",
        help="eigen oefencasussen die de groep gebruikte, naast de meegeleverde",
    )
    overview.add_argument(
        "--uitvoer",
        metavar="BESTAND",
        type=Path,
        help="schrijf naar dit bestand (alleen voor jou leesbaar) in plaats van het scherm",
    )
    overview.add_argument(
        "--overschrijven", action="store_true", help="een bestaand --uitvoer-bestand vervangen"
    )


def overview(args: argparse.Namespace) -> int:
    """``wijkgesprek oefen-overzicht``: a group's attempts as Markdown, counts only."""

    from wijkgesprek.cli.common import guide_file
    from wijkgesprek.content.questions import load_guide
    from wijkgesprek.domain.progress import TraineeAttempts, group_markdown
    from wijkgesprek.text import visible

    cases = practice_cases(args.casussen or (), guide=load_guide(guide_file(args)))
    files: list[Path] = list(args.databases) or [
        paths.data_dir(args.data_dir) / paths.PRACTICE_DATABASE_NAME
    ]
    stems = [file.stem for file in files]
    group = []
    for file in files:
        name = file.stem if stems.count(file.stem) == 1 else str(file)
        if not args.databases:
            name = "deze laptop"
        group.append(TraineeAttempts(trainee=name, scores=_attempts(file, cases)))
    text = group_markdown(group)
    if args.uitvoer is None:
        sys.stdout.write(visible(text))
        return 0
    from wijkgesprek.export.files import write_private

    write_private(args.uitvoer, text.encode("utf-8"), overwrite=args.overschrijven)
    print(f"Geschreven: {visible(str(args.uitvoer))} ({len(files)} oefendatabase(s)).")
    return 0


def _attempts(file: Path, cases: Cases) -> tuple[tuple[PracticeCase, tuple[Score, ...]], ...]:
    """Every case's scores in the practice database ``file``, read from a copy: the
    trainee's file is never changed (an older one is brought up to date in the copy)."""
    import tempfile

    from wijkgesprek.errors import StoreError
    from wijkgesprek.store import practice
    from wijkgesprek.store.engine import Store
    from wijkgesprek.store.schema import read_version
    from wijkgesprek.store.target import LocalFile

    if not file.is_file():
        raise StoreError(f"{file}: geen oefendatabase gevonden; controleer de naam en de map.")
    try:
        read_version(file, practice=True)  # refuses a database with real families
        with tempfile.TemporaryDirectory() as folder:
            copy = Path(folder) / paths.PRACTICE_DATABASE_NAME
            source = sqlite3.connect(f"file:{file}?mode=ro", uri=True)
            written = sqlite3.connect(copy)
            try:
                source.backup(written)
            finally:
                source.close()
                written.close()
            target = LocalFile(copy, practice=True)
            target.prepare()
            store = Store(target)
            try:
                return tuple(
                    (case, tuple(store.run(practice.scores, case=case, words=cases.words)))
                    for case in cases.cases
                )
            finally:
                store.engine.dispose()
    except sqlite3.DatabaseError:
        raise StoreError(
            f"{file} kan niet als oefendatabase worden gelezen; het bestand is niet gewijzigd."
        ) from None
