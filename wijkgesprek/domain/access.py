"""The access log as plain data: who did what with which household, when, from where
(NEN 7513). Kept by ``store.access``; the words are the ones the log shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

OPENED = "geopend"
"""A visit or a household's history was opened (detail: ``bezoek``, ``geschiedenis``)."""
EXPORTED = "geëxporteerd"
"""An export was made (detail: its kind, ``dossier``, ``gezin``, ``overdracht``, …)."""
IMPORTED = "ingelezen"
"""A hand-over was read in, or the laptop moved to the team (detail: ``overdracht``,
``migratie``)."""
SEARCHED = "gezocht"
"""A search showed (a snippet of) the household's notes."""
CREATED = "aangemaakt"
CHANGED = "gewijzigd"
"""Written by the database itself, at most once a quarter of an hour per kind of data
(detail: ``aantekening``, ``afspraak``, ``veiligheid``, …)."""
ERASED = "gewist"
"""Written by the database itself; the household is then a neutral id (``gewist-…``)."""
READ_LOG = "log gelezen"
"""Someone read the log (household: the code asked for, or empty for all)."""

APP_ACTIONS = (OPENED, EXPORTED, IMPORTED, SEARCHED)
"""What the app may write itself; the rest is the database's own word."""

ONCE = (OPENED, SEARCHED)
"""Kept once a quarter of an hour per person, household and detail (a screen that is
read again is the same look)."""

QUARTER = 15 * 60
"""Seconds in which the same look or change is one row."""


@dataclass(frozen=True)
class AccessEntry:
    at: datetime
    who: str
    """The login role on a team database; empty on the laptop (one user: its owner)."""
    action: str
    household: str
    """The gezinscode; ``gewist-…`` once the household was erased; empty when the whole
    log was read."""
    detail: str
    source: str
    """The client's address on a team database; empty on the server itself or a laptop."""
