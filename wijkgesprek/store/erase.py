"""Erasing households for good: the rows, then the traces (index, free pages, WAL)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from wijkgesprek.store import repo
from wijkgesprek.store.engine import Store
from wijkgesprek.store.schema import scrub


@dataclass(frozen=True)
class Erased:
    """What an erasure did (codes only: they are what the user typed or chose)."""

    codes: tuple[str, ...]
    """The households that were erased; an unknown code (perhaps erased meanwhile in
    another window) is not among them."""
    visits: int
    """Visits removed with them."""
    log_emptied: bool = True
    """False when another window kept the WAL from being emptied: remains of the erased
    text may still be in it."""

    def warnings(self) -> list[str]:
        """What the user must know or do for the erasure to be complete (Dutch)."""
        said = []
        if not self.log_emptied:
            said.append(
                "Let op: wijkgesprek is nog open in een ander venster, daardoor kon het "
                "logbestand van de database (WAL) niet worden geleegd; daar kunnen nog resten "
                "van de gewiste gegevens in staan. Sluit alle vensters van wijkgesprek en "
                "start het daarna één keer opnieuw: dan wordt het geleegd."
            )
        return said


def erase_households(store: Store, codes: Sequence[str]) -> Erased:
    """Erase each household that exists (an unknown code is skipped) and scrub the file
    once when something was erased."""
    erased: list[str] = []
    visits = 0
    for code in codes:
        try:
            visits += store.run(repo.erase_household, code=code)
        except LookupError:
            continue  # not there (any more): nothing to erase
        erased.append(code)
    emptied = True
    if erased and not isinstance(store.target, str):  # a team database: the server's
        store.engine.dispose()  # scrub rebuilds the file: no pooled connection may hold it
        emptied = scrub(store.path)
    return Erased(codes=tuple(erased), visits=visits, log_emptied=emptied)
