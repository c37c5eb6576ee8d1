"""The base of the visit screen (and of practice): a note that is saved as it is typed.

A note is saved at most ``SAVE_DELAY`` after a keystroke (a throttle, so continuous typing
is saved too). Where it is kept is decided by ``saving.save_note``, which answers with an
outcome; this screen only shows it: the state line, what to tell, and a retry every
``RETRY_DELAY`` without a keystroke when the outcome asks for one (a full disk, a refusing
server). When a colleague (or another window) saved the same note meanwhile, the two were
merged three-way on the version this screen started from (``domain.merge``): the merged
text becomes this screen's new start, and the cursor stays where it was typing.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Static
from textual.widgets.text_area import Document

from wijkgesprek.domain.merge import follow
from wijkgesprek.domain.visit import TopicNote, VisitRecord, is_touched
from wijkgesprek.saving import Kept, save_note
from wijkgesprek.store import access, repo

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
    """The base of screens that show one note of a visit (``record``, ``topic_id``) in
    ``note``, with its title in ``#note-label`` and whether it is saved in ``#note-state``
    (the visit screen and the practice visit screen build on it; never shown itself)."""

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

    def _read_record(self, *, opening: bool = False) -> VisitRecord | None:
        """The visit from the database, with the notes still waiting on the laptop as
        they were typed; None (said once) when it cannot be read now. ``opening``: the
        screen opens, which the access log keeps."""
        read = access.open_visit if opening else repo.get_visit
        record = self.app.read(read, visit_id=self.visit_id)
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
        """Save the note (``saving.save_note`` decides where it is kept) and show the
        outcome; the state line to show. ``refresh`` updates the topic list and starts a
        retry (not while the screen is being taken down)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if not self._dirty or self.record is None:
            return None
        note = self.record.notes.get(self.topic_id, TopicNote())
        mine = self.note.text
        outcome = save_note(
            self.app.connection,
            visit_id=self.visit_id,
            topic=self.topic_id,
            text=mine,
            note=note,
            now=_now(),
            cursor=self._cursor(),
            failing=self._failing,
        )
        if outcome.kept is Kept.GONE:  # erased meanwhile: there is nothing left to save in
            self._dirty, self.record = False, None
            self.app.household_gone()
            return None
        if outcome.merged:
            self._show_merged(mine, outcome.text, outcome.cursor)
        for notice in outcome.notices:
            self.notify(notice.text, severity=notice.severity, timeout=notice.timeout, markup=False)
        self._failing = outcome.failing
        if outcome.retry and refresh and self.is_attached:
            self._retrying = True
            self._timer = self.set_timer(RETRY_DELAY, self.action_save)
        if outcome.kept is Kept.SCREEN_ONLY:
            return outcome.state  # it stays "unsaved"
        self._dirty = False
        was_touched = is_touched(self.topic_id, self.record)
        text, base = outcome.text, outcome.base
        saved = replace(
            note, text=text, version=outcome.version, base=None if base == text else base
        )
        self.record = replace(self.record, notes={**self.record.notes, self.topic_id: saved})
        if refresh and was_touched != is_touched(self.topic_id, self.record):
            self.post_message(self.NotesChanged())
        return outcome.state

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
