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

from wijkgesprek.domain.merge import follow, rebase
from wijkgesprek.domain.visit import TopicNote, VisitRecord, is_touched
from wijkgesprek.saving import Kept, Notice, Outcome, refused_outcome, save_note, sent_outcome
from wijkgesprek.store import access, repo

if TYPE_CHECKING:
    from wijkgesprek.app import WijkgesprekApp
    from wijkgesprek.store.outbox import Sent, Written
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
        self.finished = False
        """The visit was finished meanwhile elsewhere: its notes can no longer change."""
        self._on_its_way: datetime | None = None
        """When the note on the screen was last kept for the sender (team database), while
        the server has not answered that save yet."""

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
        connection = self.app.connection
        if connection.outbox is not None:  # a visit begun offline: on this laptop
            self.visit_id = connection.outbox.moved(self.visit_id)
            if self.visit_id < 0:
                return connection.waiting_visit(self.visit_id)
        read = access.open_visit if opening else repo.get_visit
        record = self.app.read(read, visit_id=self.visit_id)
        return None if record is None else connection.with_waiting(record)

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
            self.app.door.household_gone()
            return None
        if outcome.kept is Kept.FINISHED:
            self._visit_finished(outcome.notices)
            return outcome.state
        if outcome.merged:
            self._show_merged(mine, outcome.text, outcome.cursor)
        self._tell(outcome.notices)
        self._failing = outcome.failing
        if outcome.retry and refresh and self.is_attached:
            self._retrying = True
            self._timer = self.set_timer(RETRY_DELAY, self.action_save)
        if outcome.kept is Kept.SCREEN_ONLY:
            return outcome.state  # it stays "unsaved"
        if outcome.kept is Kept.SENDING:
            self._on_its_way = self._on_its_way or _now()
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

    def _visit_finished(self, notices: tuple[Notice, ...]) -> None:
        """The visit was finished meanwhile (a colleague, another window): what was typed
        on is an addition now. The text stays in view, and nothing more can be typed."""
        self._dirty = False
        self.finished = True
        self.note.read_only = True
        self._tell(notices)

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

    def notes_sent(self, sent: Sent) -> None:
        """The sender took notes of this laptop to the team database (``connection.py``):
        each note of this visit goes on from the version written. A note that now holds
        a colleague's version too is shown so, with what was typed since on top of it
        (``domain.merge.rebase``: nothing twice, no second marker); a refused one waits
        and is tried again; a visit finished or erased meanwhile is said."""
        if self.record is None or not self.is_attached:
            return
        if self.visit_id in sent.started:  # begun offline: the server's visit now
            self.visit_id = sent.started[self.visit_id]
            self.record = replace(self.record, id=self.visit_id)
        if any(item.visit_id == self.visit_id for item in sent.dropped):
            self._dirty, self.record = False, None
            self.app.door.household_gone()
            return
        for written in sent.written:
            if written.visit_id == self.visit_id:
                self._written(written)
        refused = [
            reason for item, reason in sent.refused if item and item.visit_id == self.visit_id
        ]
        if refused and self.record is not None:
            note = self.record.notes.get(self.topic_id, TopicNote())
            self._show(refused_outcome(refused[0], note, now=_now(), failing=self._failing))
            if not self._retrying:
                self._retrying = True
                self._timer = self.set_timer(RETRY_DELAY, self.action_save)

    def _written(self, written: Written) -> None:
        assert self.record is not None
        known = self.record.notes.get(written.topic, TopicNote())
        shown = written.topic == self.topic_id
        if written.finished:
            if shown and self._dirty:
                self.flush()  # typed since: an addition too
            if not self.finished:
                self._show(sent_outcome(written, now=_now(), failing=self._failing))
            return
        if written.version <= known.version:
            return  # this screen heard of a newer version already
        mine = self.note.text if shown else known.text
        text = mine
        if written.merged:
            at = self._cursor() if shown else None
            rebased = rebase(
                written.sent, mine, written.text, who=written.by, when=_now(), cursor=at
            )
            text = rebased.text
            if shown and text != mine:
                self._show_merged(mine, text, rebased.cursor)
                if text != written.text:
                    self._note_changed()  # typed on: kept on top of the merged version
        was_touched = is_touched(written.topic, self.record)
        saved = replace(
            known,
            text=text,
            version=written.version,
            base=None if text == written.text else written.text,
        )
        self.record = replace(self.record, notes={**self.record.notes, written.topic: saved})
        if was_touched != is_touched(written.topic, self.record):
            self.post_message(self.NotesChanged())
        if shown:
            self._on_its_way = None
            self._show(sent_outcome(written, now=_now(), failing=self._failing))
        else:
            outcome = sent_outcome(written, now=_now(), failing=False)
            self._tell(outcome.notices)

    def went_offline(self) -> None:
        """The team database stopped answering: a note on its way waits on the laptop."""
        if self._on_its_way is not None and self.is_attached:
            self._update_note_label(f"offline bewaard {self._on_its_way.astimezone():%H:%M}")

    def _show(self, outcome: Outcome) -> None:
        """An outcome the sender brought for the note on the screen: its state line,
        what to tell, whether saving fails now."""
        if outcome.kept is Kept.FINISHED:
            self._visit_finished(outcome.notices)
        else:
            self._tell(outcome.notices)
            self._failing = outcome.failing
        if outcome.state and not (self._dirty and outcome.kept is Kept.SAVED):
            self._update_note_label(outcome.state)

    def _tell(self, notices: tuple[Notice, ...]) -> None:
        for notice in notices:
            self.notify(notice.text, severity=notice.severity, timeout=notice.timeout, markup=False)

    def action_save(self) -> None:
        self._dirty = True
        self.flush()
