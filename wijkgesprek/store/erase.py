"""Erasing households for good: the rows, then the traces (index, free pages, WAL)."""

from __future__ import annotations

from collections.abc import Sequence

from wijkgesprek.store import repo
from wijkgesprek.store.engine import Store
from wijkgesprek.store.schema import scrub


def erase_households(store: Store, codes: Sequence[str]) -> int:
    """Erase each household (``LookupError`` for an unknown code, before anything is
    erased) and scrub the file once; return the number of visits removed."""
    for code in codes:
        if store.run(repo.find_household, code=code) is None:
            raise LookupError(code)
    visits = sum(store.run(repo.erase_household, code=code) for code in codes)
    if isinstance(store.target, str):
        return visits  # a team database: the server's administrator vacuums it
    store.engine.dispose()  # scrub rebuilds the file: no pooled connection may hold it
    scrub(store.path)
    return visits
