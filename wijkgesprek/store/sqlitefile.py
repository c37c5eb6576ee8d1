"""A database file of wijkgesprek: the marks that say whose it is, and what SQLite's
errors about it mean in Dutch.

Standard library only, and below both ``schema`` (which prepares the file) and ``backup``
(which copies it, also before a migration), so neither has to import the other's way up.
"""

from __future__ import annotations

from pathlib import Path

APPLICATION_ID = 0x574B4753  # "WKGS": marks a file as a wijkgesprek database
PRACTICE_APPLICATION_ID = 0x574B4F45  # "WKOE": a practice database (wijkgesprek oefenen)
"""Practice data lives in its own file with its own mark: a practice database is never
opened as the real one, nor the other way round (see ``schema.read_version``)."""


def is_damage(error: BaseException | None) -> bool:
    text = str(error).lower()
    return "not a database" in text or "malformed" in text or "corrupt" in text


def explain(path: Path, error: BaseException | None) -> str:
    text = str(error).lower()
    if is_damage(error):
        return (
            f"De database {path} is beschadigd of geen SQLite-bestand. Er is niets "
            "overschreven. Zet een reservekopie terug met 'wijkgesprek herstel' of kies "
            "een andere map met --data-dir."
        )
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return (
            f"De database {path} kan niet worden geschreven. Controleer de rechten of kies "
            "een andere map met --data-dir."
        )
    if "full" in text:
        return f"De schijf is vol: de database {path} kan niet worden bijgewerkt. Maak ruimte vrij."
    if "locked" in text:
        return f"De database {path} is bezet door een ander programma. Probeer het zo opnieuw."
    return f"De database {path} kan niet worden gebruikt ({error}). Er is niets overschreven."
