"""Saving a note: the one place that decides where what was typed is kept.

On the laptop's own file: the database, at once; when it refuses (a full disk), the note
stays only on the screen and is tried again. On a team database: the outbox on this
laptop first, and the sender (``connection.py``) takes it to the server in a thread, so
typing never waits on the network; the server's answer follows (written, merged with a
colleague's version, refused and tried again, or the visit finished or erased meanwhile).
When the server does not answer the app goes offline and the note simply waits in the
outbox; when the outbox cannot be written either, the note goes straight to the server,
and else stays only on the screen. Every answer is an :class:`Outcome` with the state line
and what to tell; the screen (``screens/note_screen.py``) only shows it and starts the
retry it asks for.

Every problem of a database driver or of the disk (``sqlite3``, SQLAlchemy, ``OSError``)
becomes a :class:`~wijkgesprek.errors.WijkError` here. Anything else is a mistake in
wijkgesprek itself: it is raised, never taken for a server that is offline.
"""

from __future__ import annotations

import errno
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Literal

from sqlalchemy.exc import SQLAlchemyError

from wijkgesprek.errors import Gone, StoreError, Unreachable, WijkError

if TYPE_CHECKING:
    from wijkgesprek.connection import Connection
    from wijkgesprek.domain.visit import TopicNote
    from wijkgesprek.store.outbox import Written

DRIVER_PROBLEMS = (sqlite3.Error, SQLAlchemyError, OSError)
"""What the database drivers and the disk raise that ``Store.run`` has not made Dutch."""

BACK = "Opgeslagen: wat u typte staat weer in de database."


class Kept(Enum):
    """Where a note is after a save."""

    SAVED = "saved"
    """In the database."""
    OFFLINE = "offline"
    """On this laptop (the outbox) while the team database does not answer; sent when it does."""
    RETRYING = "retrying"
    """Refused (a read-only server, a full disk): kept on this laptop and tried again."""
    SCREEN_ONLY = "screen"
    """Nowhere but on the screen: tried again; quitting asks twice."""
    SENDING = "sending"
    """On this laptop (the outbox of a team database), on its way: the sender takes it
    to the server, and its outcome follows (``sent_outcome``, ``refused_outcome``)."""
    GONE = "gone"
    """The visit was erased meanwhile: there is nothing left to keep the note in."""
    FINISHED = "finished"
    """The visit was finished meanwhile (a colleague, another window): its note stays as
    it was, and what was typed on is kept as an addition (aanvulling)."""


@dataclass(frozen=True)
class Notice:
    """Something to tell in a notification (Dutch)."""

    text: str
    severity: Literal["information", "warning", "error"] = "information"
    timeout: float | None = None
    """Seconds it stays (None: Textual's default)."""


@dataclass(frozen=True)
class Outcome:
    """What a save did, for the screen to show."""

    kept: Kept
    text: str = ""
    """The note as it is kept now (a merge may have added a colleague's text)."""
    version: int = 0
    """The saved version ``text`` continues from."""
    base: str = ""
    """The text of that version."""
    state: str = ""
    """The line under the note ("opgeslagen 10:42", "offline bewaard 10:42", …)."""
    notices: tuple[Notice, ...] = ()
    failing: bool = False
    """Whether saving fails at the moment (told once, until a save succeeds again)."""
    merged: bool = False
    """A colleague's (or another window's) version was merged in: show ``text``."""
    cursor: int | None = None
    """After a merge, where the cursor goes in ``text`` (None: follow it by the words)."""

    @property
    def retry(self) -> bool:
        """Whether the screen should try again soon without a keystroke."""
        return self.kept in (Kept.RETRYING, Kept.SCREEN_ONLY)


def save_note(
    connection: Connection,
    *,
    visit_id: int,
    topic: str,
    text: str,
    note: TopicNote,
    now: datetime,
    cursor: int | None = None,
    failing: bool = False,
) -> Outcome:
    """Save ``text``, typed on the saved version of ``note``, and say where it is kept.
    ``cursor`` is where the cursor is in ``text`` (a merge follows it); ``failing``
    whether the previous save failed (a failure is told once, a recovery once).

    On a team database the note is kept on this laptop and the sender takes it to the
    server (``Kept.SENDING``): nothing waits on the network, and the server's answer
    comes later (:func:`sent_outcome`, :func:`refused_outcome`). Only when the laptop
    cannot keep it is it written straight to the server, waited for."""
    at = f"{now.astimezone():%H:%M}"
    if connection.outbox is not None and _keep_locally(
        connection, visit_id=visit_id, topic=topic, text=text, note=note, now=now
    ):
        if connection.offline:
            return Outcome(
                Kept.OFFLINE,
                text,
                note.version,
                note.saved,
                state=f"offline bewaard {at}",
                failing=failing,
            )
        connection.send_soon()
        return Outcome(Kept.SENDING, text, note.version, note.saved, failing=failing)
    problem: WijkError | None = None
    if not connection.offline:
        try:
            written = connection.write_note(
                visit_id=visit_id,
                topic=topic,
                text=text,
                base=note.version,
                base_text=note.saved,
                now=now,
                cursor=cursor,
            )
        except Gone:  # erased meanwhile: there is nothing left to save the note in
            return Outcome(Kept.GONE)
        except WijkError as error:
            problem = error
        except DRIVER_PROBLEMS as error:
            problem = as_wijk_error(error)
        else:
            return _saved(written, at, failing)
    if isinstance(problem, Unreachable):
        connection.lost()  # a team database only: the probe tries again
    return _failed(
        Kept.SCREEN_ONLY, text, note, at, failing, f"{problem} " if problem is not None else ""
    )


def sent_outcome(written: Written, *, now: datetime, failing: bool) -> Outcome:
    """The sender wrote a note kept on this laptop (team database): what to show."""
    return _saved(written, f"{now.astimezone():%H:%M}", failing)


def refused_outcome(reason: str, note: TopicNote, *, now: datetime, failing: bool) -> Outcome:
    """The server refused a note the sender took to it (read-only, no rights): it stays
    on this laptop and is tried again."""
    at = f"{now.astimezone():%H:%M}"
    return _failed(Kept.RETRYING, note.text, note, at, failing, f"{reason} ")


def _failed(kept: Kept, text: str, note: TopicNote, at: str, failing: bool, reason: str) -> Outcome:
    where = "staat nog op het scherm" if kept is Kept.SCREEN_ONLY else "is op deze laptop bewaard"
    told = Notice(
        f"Opslaan lukt op dit moment niet. {reason}Uw tekst {where}; wijkgesprek probeert "
        "het elke paar seconden opnieuw.",
        severity="error",
    )
    return Outcome(
        kept,
        text,
        note.version,
        note.saved,
        state=(
            "nog niet opgeslagen · opnieuw proberen…"
            if kept is Kept.SCREEN_ONLY
            else f"op deze laptop bewaard {at} · opnieuw proberen…"
        ),
        notices=() if failing else (told,),  # one message, not one per retry: calm at the table
        failing=True,
    )


def _finished(written: Written, at: str) -> Outcome:
    when = f" om {written.ended.astimezone():%H:%M}" if written.ended is not None else ""
    kept = (
        "Wat u daarna typte, is bewaard als aanvulling bij dit bezoek"
        if written.kept
        else "U had daarna niets nieuws getypt"
    )
    told = Notice(
        f"Dit bezoek is intussen afgerond{when}, door een collega of in een ander venster. "
        f"{kept}; de aantekeningen zelf liggen vast en hier typen kan niet meer. Escape gaat "
        "terug; in de geschiedenis (g) staat het bezoek met zijn aanvullingen.",
        severity="warning",
        timeout=60,
    )
    return Outcome(
        Kept.FINISHED,
        written.text,
        written.version,
        written.text,
        state=f"afgerond · als aanvulling bewaard {at}" if written.kept else "afgerond",
        notices=(told,),
    )


def _saved(written: Written, at: str, failing: bool) -> Outcome:
    if written.finished:
        return _finished(written, at)
    notices: list[Notice] = []
    state = f"opgeslagen {at}"
    if written.merged:
        where = f"door {written.by}" if written.by else "in een ander venster"
        state += f" · aangevuld {where}"
        if written.conflicts:  # both wrote at the same place: worth a look
            notices.append(
                Notice(
                    f"Deze aantekening is intussen ook {where} bewaard. Er is niets "
                    "overschreven: beide versies zijn samengevoegd. Waar u op dezelfde plek "
                    "schreef, staan beide stukken, met een regel „tegelijk geschreven”; kijk "
                    "die samen na.",
                    severity="warning",
                    timeout=30,
                )
            )
    if failing:
        notices.append(Notice(BACK))
    return Outcome(
        Kept.SAVED,
        written.text,
        written.version,
        written.text,
        state=state,
        notices=tuple(notices),
        merged=written.merged,
        cursor=written.cursor,
    )


def _keep_locally(
    connection: Connection, *, visit_id: int, topic: str, text: str, note: TopicNote, now: datetime
) -> bool:
    """Keep the note in the outbox (a team database); False when that is not possible."""
    if connection.outbox is None:
        return False
    try:
        connection.keep(
            visit_id=visit_id,
            topic=topic,
            text=text,
            base=note.version,
            base_text=note.saved,
            now=now,
        )
    except (WijkError, *DRIVER_PROBLEMS):
        return False
    return True


def as_wijk_error(error: Exception) -> StoreError:
    """A driver's or the disk's problem as one Dutch sentence (never the driver's words,
    which may name data)."""
    if isinstance(error, OSError):
        if error.errno == errno.ENOSPC:
            return StoreError("De schijf van deze laptop is vol. Maak ruimte vrij.")
        return StoreError("De schijf van deze laptop kan op dit moment niet worden gebruikt.")
    return StoreError(f"De database geeft een onverwachte fout ({type(error).__name__}).")
