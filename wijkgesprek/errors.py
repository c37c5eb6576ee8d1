"""Error types a user can cause, and how they are shown.

Every error here carries a Dutch message meant for the user. The command line
prints ``str(error)`` on stderr and exits with ``error.exit_code``; the app shows
the same text in a notification. No traceback reaches the user for these.
Messages never contain note text or household data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from wijkgesprek.text import visible


@dataclass(frozen=True)
class Problem:
    """One problem in a file a person wrote, with its position (1-based)."""

    file: Path
    line: int
    column: int
    message: str
    warning: bool = False

    def __str__(self) -> str:
        prefix = "waarschuwing: " if self.warning else ""
        # A message may quote a value from the file: never a control character from it.
        return visible(f"{self.file}:{self.line}:{self.column}: {prefix}{self.message}")


class WijkError(Exception):
    """Base class for errors with a Dutch message for the user."""

    exit_code = 1


class ContentError(WijkError):
    """A YAML content file (questions, network, cases) has problems."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class ConfigError(WijkError):
    """The configuration file cannot be used."""


class StoreError(WijkError):
    """The database or data folder cannot be used."""


class Unreachable(StoreError):
    """The team database does not answer (network, server down): notes are kept on the
    laptop until it does."""


class NotAllowed(StoreError):
    """The team database refused: the account's role may not do this (a coordinator
    asking for households, a professional erasing a colleague's household)."""


ERASE_REFUSED = (
    "Alleen de eigenaar van dit huishouden (wie het eerste bezoek begon) of een teamleider "
    "mag het wissen; vraag een teamleider. Er is niets gewist."
)


class DamagedDatabase(StoreError):
    """The database file is damaged (or not SQLite); a backup may be put back."""


class Gone(StoreError, LookupError):
    """The household or visit a screen or command asked for is not in the database (any
    more): erased in another window or with ``wijkgesprek wis``. Still a ``LookupError``,
    so code that asks for an unknown code keeps working."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message or GONE)


GONE = "Dit huishouden is intussen gewist (in een ander venster of met 'wijkgesprek wis')."


class SaveConflict(WijkError):
    """Someone else saved the same note since this text was begun (optimistic locking).

    Carries the other version, so both can be shown; the message itself holds no text.
    """

    def __init__(self, *, theirs: str, by: str, version: int, at: datetime | None = None) -> None:
        self.theirs = theirs
        self.by = by
        self.version = version
        self.at = at
        """When their version was saved (None: not known)."""
        who = f"{by} " if by else "iemand anders "
        super().__init__(
            f"Deze aantekening is intussen door {who}bewaard. Er is niets overschreven."
        )


class Finished(StoreError):
    """The visit was finished (afgerond) meanwhile, by a colleague or in another window:
    its notes are no longer changed (on a team database the server refuses it). What was
    typed after that is kept as an addition (aanvulling)."""

    def __init__(self, at: datetime | None = None) -> None:
        self.at = at
        """When the visit was finished (None: not known)."""
        when = f" om {at.astimezone():%H:%M}" if at is not None else ""
        super().__init__(f"Dit bezoek is intussen afgerond{when}; de aantekeningen liggen vast.")


class Cancelled(WijkError):
    """The user ended a question on the command line (Ctrl+D or Ctrl+C) before anything
    was changed."""


class UsageError(WijkError):
    """The command line was used wrongly."""

    exit_code = 2
