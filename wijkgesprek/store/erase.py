"""Erasing households for good: the rows, then the traces (index, free pages, WAL)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from wijkgesprek.errors import NotAllowed, WijkError
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
    backups: int = 0
    """Backups (``reservekopieen``) the households were erased from as well."""
    backups_failed: tuple[str, ...] = ()
    """Names of backups that could not be opened to erase in (damaged, say)."""
    on_server: bool = False
    """Erased in a team database: the server keeps traces wijkgesprek cannot reach."""
    refused: tuple[str, ...] = ()
    """Households the team database would not let this account erase (not their owner,
    not a team lead); nothing of them was erased."""

    def warnings(self) -> list[str]:
        """What the user must know or do for the erasure to be complete (Dutch)."""
        said = []
        if self.refused:
            said.append(
                f"Niet gewist: {', '.join(self.refused)}. Alleen de eigenaar van een "
                "huishouden (wie het eerste bezoek begon) of een teamleider mag het wissen."
            )
        if self.on_server and self.codes:
            said.append(SERVER_TRACES)
        if not self.log_emptied:
            said.append(
                "Let op: wijkgesprek is nog open in een ander venster, daardoor kon het "
                "logbestand van de database (WAL) niet worden geleegd; daar kunnen nog resten "
                "van de gewiste gegevens in staan. Sluit alle vensters van wijkgesprek en "
                "start het daarna één keer opnieuw: dan wordt het geleegd."
            )
        if self.backups_failed:
            names = ", ".join(self.backups_failed)
            said.append(
                f"Let op: de reservekopie(ën) {names} kon(den) niet worden geopend en kunnen "
                "het huishouden nog bevatten. Verwijder ze zelf uit de map met "
                "reservekopieën ('wijkgesprek waar' toont waar die staat)."
            )
        return said


SERVER_TRACES = (
    "Let op: de tekst is uit de tabellen van de teamdatabase gewist, maar de server kan er "
    "nog resten van hebben waar wijkgesprek niet bij kan: in vrijgekomen ruimte van de "
    "databasebestanden (tot VACUUM die opnieuw gebruikt), in het WAL-logboek en een "
    "WAL-archief, in reservekopieën (pg_dump, base backups) en op replica's. De beheerder "
    "moet: VACUUM FULL draaien (of wachten tot autovacuum de ruimte hergebruikt), het "
    "WAL-archief en de reservekopieën niet langer bewaren dan afgesproken, en dit wissen "
    "noteren, zodat het na het terugzetten van een reservekopie opnieuw gebeurt."
)
"""What an erasure in a team database cannot reach, and what the admin must do."""


def erase_households(store: Store, codes: Sequence[str]) -> Erased:
    """Erase each household that exists (an unknown code is skipped; one the team
    database refuses is listed) and scrub the file once when something was erased; then
    erase the households (all of ``codes``: also one erased before) from every backup of
    a local database in the same way."""
    erased: list[str] = []
    refused: list[str] = []
    visits = 0
    for code in codes:
        try:
            visits += store.run(repo.erase_household, code=code)
        except NotAllowed:
            refused.append(code)
            continue
        except LookupError:
            continue  # not there (any more): nothing to erase
        erased.append(code)
    file = store.target.file
    if file is None:  # a team database: the server's (and its backups)
        return Erased(codes=tuple(erased), visits=visits, on_server=True, refused=tuple(refused))
    emptied = True
    if erased:
        store.engine.dispose()  # scrub rebuilds the file: no pooled connection may hold it
        emptied = scrub(file)
    changed, failed = erase_in_backups(file, codes)
    return Erased(
        codes=tuple(erased),
        visits=visits,
        log_emptied=emptied,
        backups=changed,
        backups_failed=failed,
    )


def erase_in_backups(database: Path, codes: Sequence[str]) -> tuple[int, tuple[str, ...]]:
    """Erase the households from every backup of ``database`` (daily ones, and the copies
    kept before a migration or a restore, of any schema version), scrubbing each that
    held one. Returns how many changed, and the names of those that could not be opened."""
    from wijkgesprek.store.backup import backup_folder
    from wijkgesprek.store.crypto import database_errors

    folder = backup_folder(database)
    if not codes or not folder.is_dir():
        return 0, ()
    problems: tuple[type[BaseException], ...] = (WijkError, OSError, *database_errors())
    changed, failed = 0, []
    for path in sorted(folder.glob("*.db")):
        try:
            if _erase_in_file(path, codes):
                changed += 1
        except problems:
            failed.append(path.name)
    return changed, tuple(failed)


def _erase_in_file(path: Path, codes: Sequence[str]) -> bool:
    """Plain SQL, so it works on every schema version: every table hangs off the
    household with ON DELETE CASCADE, and the search index follows by its triggers."""
    from wijkgesprek.store.crypto import connect

    marks = ", ".join("?" for _ in codes)
    connection = connect(path, isolation_level=None, timeout=10)
    try:
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute("PRAGMA secure_delete = ON")
        connection.execute("BEGIN IMMEDIATE")
        try:
            removed = connection.execute(
                f"DELETE FROM household WHERE code IN ({marks})", tuple(codes)
            ).rowcount
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
    finally:
        connection.close()
    if removed:
        scrub(path)
    return bool(removed)
