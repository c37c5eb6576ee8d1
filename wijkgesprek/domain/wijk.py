"""Wijk names: one wijk, however it was typed (no Textual, no SQL).

A wijk is compared without regard to case or extra spaces (``noord`` is Noord), so an
old household stored as ``noord`` still gets Noord's offers and counts under Noord in the
trends. New households get the spelling of a known wijk; an unknown wijk is only stored
after the professional confirms it (see ``screens.new_visit``).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence


def wijk_key(wijk: str) -> str:
    """What two spellings of one wijk have in common: no case, single spaces."""
    return " ".join(wijk.split()).casefold()


def known_wijken(*sources: Iterable[str]) -> list[str]:
    """Every wijk once, in the spelling of the first source that has it (the sociale kaart
    first, then the households), sorted as people read."""
    spelled: dict[str, str] = {}
    for source in sources:
        for wijk in source:
            if wijk.strip():
                spelled.setdefault(wijk_key(wijk), " ".join(wijk.split()))
    return sorted(spelled.values(), key=wijk_key)


def known_spelling(typed: str, known: Iterable[str]) -> str | None:
    """The known wijk that ``typed`` is (whatever its case), or None."""
    key = wijk_key(typed)
    return next((wijk for wijk in known if wijk_key(wijk) == key), None)


def complete_wijk(typed: str, known: Sequence[str]) -> str | None:
    """The one known wijk that starts with ``typed`` (case-insensitive), in its own
    spelling; None when nothing is typed, nothing fits, or more than one does."""
    key = wijk_key(typed)
    if not key:
        return None
    exact = known_spelling(typed, known)
    if exact is not None:
        return exact
    fitting = {wijk_key(wijk): wijk for wijk in known if wijk_key(wijk).startswith(key)}
    return next(iter(fitting.values())) if len(fitting) == 1 else None


def not_known(typed: str, known: Sequence[str]) -> str:
    """Dutch: ``typed`` is not a known wijk, with the closest known one if any looks like it."""
    keys = {wijk_key(wijk): wijk for wijk in known}
    close = difflib.get_close_matches(wijk_key(typed), list(keys), n=1, cutoff=0.5)
    prefix = [wijk for key, wijk in keys.items() if key.startswith(wijk_key(typed))]
    guess = keys[close[0]] if close else (prefix[0] if len(prefix) == 1 else None)
    hint = f" Bedoelt u {guess}?" if guess else ""
    return f"'{typed.strip()}' is geen bekende wijk.{hint}"


def shared_spellings(names: Iterable[str]) -> dict[str, str]:
    """Each spelling mapped to the one its wijk is shown with: a spelling with capitals
    and small letters (``Noord``) before all small (``noord``) or all capitals."""
    groups: dict[str, set[str]] = {}
    for name in names:
        groups.setdefault(wijk_key(name), set()).add(name)
    shown: dict[str, str] = {}
    for spellings in groups.values():
        best = min(spellings, key=lambda s: (s.islower() or s.isupper(), s.strip() != s, s))
        shown.update(dict.fromkeys(spellings, best))
    return shown
