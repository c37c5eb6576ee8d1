"""The base of the visit screen: a note that is saved as it is typed.

A note is saved at most ``SAVE_DELAY`` after a keystroke (a throttle, so continuous typing
is saved too). On the team database the save is given up after ``connection.SAVE_TIMEOUT``
and the app goes offline: the note is then kept in the outbox on the laptop. A save that
fails otherwise (a full disk) keeps the text on screen and is retried every
``RETRY_DELAY`` without a keystroke. When a colleague saved the same note meanwhile, both
versions are kept, one under the other.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError
from textual.screen import Screen
from textual.timer import Timer

from wijkgesprek.domain.visit import TopicNote, VisitRecord, is_touched, merge_versions
from wijkgesprek.errors import SaveConflict, Unreachable, WijkError
from wijkgesprek.store import repo

if TYPE_CHECKING:
    from wijkgesprek.app import WijkgesprekApp
    from wijkgesprek.widgets.note_area import NoteArea

SAVE_DELAY = 0.5
"""Seconds between a keystroke and the save that includes it, at most."""
RETRY_DELAY = 3.0
"""Seconds between tries while saving fails (a full disk, an unreachable team database)."""


def _now() -> datetime:
    return datetime.now(UTC)


class NoteScreen(Screen[None]):
    """A screen showing one note of a visit (``record``, ``topic_id``) in ``note``."""

    app: WijkgesprekApp
    visit_id: int
    record: VisitRecord | None
    topic_id: str
    note: NoteArea

    def __init__(self) -> None:
        super().__init__()
        self._dirty = False
        self._failing = False
        self._timer: Timer | None = None

    def _update_note_label(self, state: str) -> None:
        raise NotImplementedError

    def _refresh_topics(self) -> None:
        raise NotImplementedError

    def _note_changed(self) -> None:
        self._dirty = True
        if self._timer is None:
            self._timer = self.set_timer(SAVE_DELAY, self.flush)

    def flush(self) -> None:
        """Save the note now if it changed (on timer, topic switch, leaving and quitting)."""
        state = self._save()
        if state and self.is_attached:
            self._update_note_label(state)

    def _save(self, *, refresh: bool = True) -> str | None:
        """Write the note to the database (or, offline, to the laptop's outbox); the
        state line to show when something was written. ``refresh`` updates the topic
        list (not while the screen is being taken down)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if not self._dirty or self.record is None:
            return None
        text = self.note.text
        note = self.record.notes.get(self.topic_id, TopicNote())
        version = note.version
        at = datetime.now().strftime("%H:%M")
        try:
            if not self.app.connection.offline:
                try:
                    text, version = self._write(text, note)
                    state = f"opgeslagen {at}"
                except Unreachable:  # the team database stopped answering
                    if self.app.connection.outbox is None:
                        raise
                    self.app.connection.lost()
            if self.app.connection.offline:
                assert self.app.connection.outbox is not None
                self.app.connection.outbox.keep(
                    visit_id=self.visit_id, topic=self.topic_id, text=text, base=version, now=_now()
                )
                state = f"offline bewaard {at}"
        except (WijkError, SQLAlchemyError, OSError, sqlite3.Error):
            self._failed(refresh)  # the note stays on screen; retried
            return None
        if self._failing and not self.app.connection.offline:
            self.notify("Opgeslagen: wat u typte staat weer in de database.")
        self._failing = False
        self._dirty = False
        was_touched = is_touched(self.topic_id, self.record)
        self.record = replace(
            self.record,
            notes={
                **self.record.notes,
                self.topic_id: replace(note, text=text, version=version),
            },
        )
        if refresh and was_touched != is_touched(self.topic_id, self.record):
            self._refresh_topics()
        return state

    def _write(self, text: str, note: TopicNote) -> tuple[str, int]:
        """Save on top of the version that was shown; when a colleague saved meanwhile,
        keep both versions. The text saved and its version."""
        save = partial(self.app.connection.save_note, visit_id=self.visit_id, topic=self.topic_id)
        try:
            return text, save(text=text, now=_now(), base=note.version)
        except SaveConflict as conflict:
            text = merge_versions(conflict.theirs, text, datetime.now())
            version = save(text=text, now=_now(), base=conflict.version)
            if self.is_attached:  # typing goes on at the end, below both
                self.note.load_note(text)
                self.note.move_cursor(self.note.document.end)
            self.notify(
                f"{conflict} Beide versies staan nu onder elkaar in de aantekening; "
                "kijk ze samen na.",
                severity="warning",
                timeout=30,
                markup=False,
            )
            return text, version

    def _failed(self, refresh: bool) -> None:
        if not self._failing:  # one message, not one per retry: calm at the table
            self.notify(
                "Opslaan lukt op dit moment niet. Uw tekst staat nog op het scherm; "
                "wijkgesprek probeert het elke paar seconden opnieuw.",
                severity="error",
            )
        self._failing = True
        if refresh and self.is_attached:  # not while the screen is being taken down
            self._update_note_label("nog niet opgeslagen · opnieuw proberen…")
            self._timer = self.set_timer(RETRY_DELAY, self.flush)

    def reconnected(self) -> None:
        """The team database answers again and the notes kept on the laptop are in it:
        show them as they are now (a colleague's version may have been merged in)."""
        record = self.app.read(repo.get_visit, visit_id=self.visit_id)
        if record is None or not self.is_attached:
            return
        self.record = record
        text = record.notes.get(self.topic_id, TopicNote()).text
        if text != self.note.text:
            self.note.load_note(text)
            self.note.move_cursor(self.note.document.end)
        self._refresh_topics()
        self._update_note_label(f"opgeslagen {datetime.now():%H:%M}")

    def action_save(self) -> None:
        self._dirty = True
        self.flush()
