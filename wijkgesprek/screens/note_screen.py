"""The base of the visit screen: a note that is saved as it is typed.

A note is saved at most ``SAVE_DELAY`` after a keystroke (a throttle, so continuous typing
is saved too). On the team database the save is given up after ``connection.SAVE_TIMEOUT``
and the app goes offline: the note is then kept in the outbox on the laptop. A save that
fails otherwise (a full disk) keeps the text on screen and is retried every
``RETRY_DELAY`` without a keystroke. When a colleague (or another window) saved the same
note meanwhile, the two are merged three-way on the version this screen started from
(``domain.merge``): each piece once, both pieces with a marker line where both wrote at
the same place. The merged text becomes this screen's new start, and the cursor stays
where it was typing.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Static
from textual.widgets.text_area import Document

from wijkgesprek.domain.merge import follow
from wijkgesprek.domain.visit import TopicNote, VisitRecord, is_touched
from wijkgesprek.errors import Gone, Unreachable, WijkError
from wijkgesprek.store import repo

if TYPE_CHECKING:
    from wijkgesprek.app import WijkgesprekApp
    from wijkgesprek.store.outbox import Written
    from wijkgesprek.widgets.note_area import NoteArea

SAVE_DELAY = 0.5
"""Seconds between a keystroke and the save that includes it, at most."""
RETRY_DELAY = 3.0
"""Seconds between tries while saving fails (a full disk, an unreachable team database)."""


def _now() -> datetime:
    return datetime.now(UTC)


class NoteScreen(Screen[None]):
    """A screen showing one note of a visit (``record``, ``topic_id``) in ``note``, with
    its title in ``#note-label`` and whether it is saved in ``#note-state``."""

    app: WijkgesprekApp
    visit_id: int
    record: VisitRecord | None
    topic_id: str
    note: NoteArea

    def __init__(self) -> None:
        super().__init__()
        self._dirty = False
        self._failing = False
        self._retrying = False
        self._timer: Timer | None = None

    class NotesChanged(Message):
        """A note became written or empty, or got newer versions: lists of the topics
        (● and ○) are to be shown again."""

    def _update_note_label(self, state: str) -> None:
        title = self.app.guide.topic(self.topic_id).titel
        self.query_one("#note-label", Static).update(f"Aantekeningen · {title}")
        self.query_one("#note-state", Static).update(state)

    @property
    def unsaved(self) -> bool:
        """Whether typed text is only on the screen (saving it failed, also locally)."""
        return self._dirty

    def _read_record(self) -> VisitRecord | None:
        """The visit from the database, with the notes still waiting on the laptop as
        they were typed; None (said once) when it cannot be read now."""
        record = self.app.read(repo.get_visit, visit_id=self.visit_id)
        return None if record is None else self.app.connection.with_waiting(record)

    def _note_changed(self) -> None:
        self._dirty = True
        if self._retrying and self._timer is not None:  # typing goes on: keep it soon
            self._timer.stop()
            self._timer = None
        if self._timer is None:
            self._retrying = False
            self._timer = self.set_timer(SAVE_DELAY, self.flush)

    def flush(self) -> None:
        """Save the note now if it changed (on timer, topic switch, leaving and quitting)."""
        state = self._save()
        if state and self.is_attached:
            self._update_note_label(state)

    def _save(self, *, refresh: bool = True) -> str | None:
        """Write the note to the database (offline: to the outbox on the laptop only);
        the state line to show when it was kept. ``refresh`` updates the topic list (not
        while the screen is being taken down)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if not self._dirty or self.record is None:
            return None
        connection = self.app.connection
        text = self.note.text
        note = self.record.notes.get(self.topic_id, TopicNote())
        version, base = note.version, note.saved
        at = f"{datetime.now():%H:%M}"
        state = f"opgeslagen {at}"
        problem: Exception | None = None
        if not connection.offline:
            try:
                text, version, merged = self._write(text, note)
                state += merged
                base = text
            except Gone:  # erased meanwhile: there is nothing left to save the note in
                self._dirty, self.record = False, None
                self.app.household_gone()
                return None
            except (WijkError, SQLAlchemyError, OSError, sqlite3.Error) as error:
                problem = error
        if isinstance(problem, Unreachable):
            connection.lost()  # a team database only: the note waits in the outbox
        if problem is not None or connection.offline:
            kept = self._keep_locally(text, version, base)
            if connection.offline and kept:
                state = f"offline bewaard {at}"
            else:  # refused (read-only server, full disk): tried again
                self._failed(refresh, problem, kept=kept)
                if not kept:
                    return None  # only on the screen: it stays "unsaved"
                state = f"op deze laptop bewaard {at} · opnieuw proberen…"
        elif self._failing:
            self.notify("Opgeslagen: wat u typte staat weer in de database.")
            self._failing = False
        self._dirty = False
        was_touched = is_touched(self.topic_id, self.record)
        saved = replace(note, text=text, version=version, base=None if base == text else base)
        self.record = replace(self.record, notes={**self.record.notes, self.topic_id: saved})
        if refresh and was_touched != is_touched(self.topic_id, self.record):
            self.post_message(self.NotesChanged())
        return state

    def _keep_locally(self, text: str, version: int, base: str) -> bool:
        """Keep the note in the outbox (a team database); False when that is not possible."""
        if self.app.connection.outbox is None:
            return False
        try:
            self.app.connection.keep(
                visit_id=self.visit_id,
                topic=self.topic_id,
                text=text,
                base=version,
                base_text=base,
                now=_now(),
            )
        except (WijkError, OSError, sqlite3.Error):
            return False
        return True

    def _write(self, text: str, note: TopicNote) -> tuple[str, int, str]:
        """Save on top of the version this text started from; a version saved meanwhile
        is merged with it. The text saved, its version, and what the state line adds."""
        written = self.app.connection.save_note(
            visit_id=self.visit_id,
            topic=self.topic_id,
            text=text,
            base=note.version,
            base_text=note.saved,
            now=_now(),
            cursor=self._cursor(),
        )
        if not written.merged:
            return written.text, written.version, ""
        self._show_merged(text, written.text, written.cursor)
        where = f"door {written.by}" if written.by else "in een ander venster"
        if written.conflicts:  # both wrote at the same place: worth a look
            self.notify(
                f"Deze aantekening is intussen ook {where} bewaard. Er is niets overschreven: "
                "beide versies zijn samengevoegd. Waar u op dezelfde plek schreef, staan "
                "beide stukken, met een regel „tegelijk geschreven”; kijk die samen na.",
                severity="warning",
                timeout=30,
                markup=False,
            )
        return written.text, written.version, f" · aangevuld {where}"

    def _cursor(self) -> int | None:
        """Where the cursor is in the note's text (None when not shown)."""
        if not self.is_attached or not isinstance(self.note.document, Document):
            return None
        return self.note.document.get_index_from_location(self.note.cursor_location)

    def _show_merged(self, mine: str, merged: str, cursor: int | None = None) -> None:
        """Show a merged note, the cursor where it was in ``mine`` (typing goes on there):
        at ``cursor`` when the merge followed it."""
        at = self._cursor()
        if at is None:
            return
        self.note.load_note(merged)
        if cursor is None or self.note.text != merged:
            cursor = follow(mine, self.note.text, at)
        document = self.note.document
        if isinstance(document, Document):
            self.note.move_cursor(document.get_location_from_index(cursor))

    def _failed(self, refresh: bool, problem: Exception | None, *, kept: bool) -> None:
        if not self._failing:  # one message, not one per retry: calm at the table
            reason = f"{problem} " if isinstance(problem, WijkError) else ""
            where = "is op deze laptop bewaard" if kept else "staat nog op het scherm"
            self.notify(
                f"Opslaan lukt op dit moment niet. {reason}Uw tekst {where}; wijkgesprek "
                "probeert het elke paar seconden opnieuw.",
                severity="error",
                markup=False,
            )
        self._failing = True
        if refresh and self.is_attached:  # not while the screen is being taken down
            if not kept:
                self._update_note_label("nog niet opgeslagen · opnieuw proberen…")
            self._retrying = True
            self._timer = self.set_timer(RETRY_DELAY, self.action_save)

    def reconnected(self, written: list[Written]) -> None:
        """The team database answers again and the notes waiting on the laptop were
        written: go on from their versions, and show a note that now holds a
        colleague's version too (unless more was typed since: that merges again)."""
        if self.record is None or not self.is_attached:
            return
        notes = dict(self.record.notes)
        for note in written:
            if note.visit_id != self.visit_id:
                continue
            known = notes.get(note.topic, TopicNote())
            if note.version <= known.version:
                continue  # this screen saved a newer version meanwhile
            shown = note.topic == self.topic_id
            if note.merged and shown and (self._dirty or self.note.text != known.text):
                continue  # the old version stays: the next save merges, nothing is lost
            text = note.text if note.merged else known.text
            notes[note.topic] = replace(
                known,
                text=text,
                version=note.version,
                base=None if text == note.text else note.text,
            )
            if note.merged and shown:
                self._show_merged(known.text, note.text)
        self.record = replace(self.record, notes=notes)
        self.post_message(self.NotesChanged())
        if not self._dirty and not self._failing:
            self._update_note_label(f"opgeslagen {datetime.now():%H:%M}")

    def action_save(self) -> None:
        self._dirty = True
        self.flush()
