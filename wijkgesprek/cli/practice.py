"""Practice on the command line: the cases a trainee practises with."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from wijkgesprek import paths
from wijkgesprek.content.model import Cases


def practice_cases(extra: Sequence[Path], *, topic_ids: Sequence[str]) -> Cases:
    """The shipped cases and a trainer's own (``--casussen``), with the shared word list;
    a file named twice is read once."""
    from wijkgesprek.content.cases import load_cases
    from wijkgesprek.content.words import load_words

    files = [paths.shipped_cases()]
    for file in extra:
        if not any(_same(file, known) for known in files):
            files.append(file)
    return load_cases(files, topic_ids=topic_ids, words=load_words(paths.shipped_words()))


def _same(one: Path, other: Path) -> bool:
    try:
        return one.resolve() == other.resolve()
    except OSError:
        return False
