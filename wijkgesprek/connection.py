"""The team database's connection, as the app sees it: reachable, or offline.

On a team database nothing waits on the network for long, and typing not at all:

- A note is kept in the outbox on the laptop (``store/outbox.py``) and a *sender* thread
  takes it to the server (with the version check: a colleague's save meanwhile is merged
  three-way, never overwritten). The screen hears the outcome when it is there
  (``notes_sent``); a refusal, a timeout or a crash never loses the note.
- Any other call (``run``, ``use``) runs in a thread of its own while the screen waits,
  but only while the server gives signs of life: a call silent for ``SILENCE`` seconds is
  given up (a slow line is not a dead one; a stalled one is), and the next call gets a
  new connection.

When the server does not answer, the app goes *offline*: the title says so, notes are
only kept in the outbox, calls that need the server say so at once, and every
``PROBE_DELAY`` seconds a new try reaches the server (on a new connection) and sends
the outbox. Then the app is back. At the start, notes left from last time (offline, or a
crash) are sent the same way.

Without a team database (a laptop's SQLite file, practice) calls run directly and the app
is never offline. Either way this is the screens' one way to the database: ``App.read`` and
``App.write`` call :meth:`Connection.run`, a screen that shows a problem in its own place
calls it itself, and no screen touches ``App.store`` (docs/architecture.md).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from rich.text import Text
from textual.timer import Timer

from wijkgesprek.errors import StoreError, Unreachable
from wijkgesprek.text import visible

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel

    from wijkgesprek.app import WijkgesprekApp
    from wijkgesprek.domain.household import Children
    from wijkgesprek.domain.visit import VisitRecord
    from wijkgesprek.store.engine import Store
    from wijkgesprek.store.outbox import Outbox, Sent, Written

T = TypeVar("T")

PROBE_DELAY = 3.0
"""Seconds between tries to reach the team database again while offline."""
SILENCE = 2.0
"""Seconds a call to the team database may go without any sign of life from the server
(a statement answered, a connection made) before it counts as hung and the app goes
offline. One step takes a round trip or two; a slow line (250 ms) stays far below."""
WATCH = 0.25
"""Seconds between looks at whether the sender still hears from the server."""
OUTBOX_PROBLEMS = (OSError, sqlite3.Error, StoreError)


class Attempt(Generic[T]):
    """One call to the team database, in a daemon thread of its own (a connection stuck
    on a dead network never blocks quitting), with its signs of life."""

    def __init__(self, store: Store, call: Callable[[], T]) -> None:
        self.store = store
        self.future: Future[T] = Future()
        self.started = time.monotonic()
        self.taken = False
        """Whether its result was taken (by the message from its thread, or ``settle``)."""
        self.thread = threading.Thread(
            target=self._run, args=(call,), name="wijkgesprek-teamdatabase", daemon=True
        )
        self.thread.start()

    def _run(self, call: Callable[[], T]) -> None:
        try:
            self.future.set_result(call())
        except BaseException as error:  # handed to the waiting side
            self.future.set_exception(error)
        finally:
            self.store.forget(threading.get_ident())

    @property
    def silent(self) -> float:
        """Seconds since the server last gave a sign of life to this call."""
        ident = self.thread.ident or 0
        return time.monotonic() - self.store.silent_since(ident, self.started)

    def wait(self, silence: float) -> T:
        """The call's result; ``TimeoutError`` once it was silent for ``silence`` s."""
        while True:
            try:
                return self.future.result(timeout=max(0.01, min(0.1, silence - self.silent)))
            except TimeoutError:
                if self.silent >= silence:
                    raise


class Connection:
    """The team database's connection state, owned by the app."""

    def __init__(self, app: WijkgesprekApp, outbox: Outbox | None) -> None:
        self.app = app
        self.outbox = outbox
        """Where notes go first on a team database (None: the laptop's own file)."""
        self.offline = False
        """Whether the team database stopped answering; notes then wait in the outbox."""
        self._probe_timer: Timer | None = None
        self._watch_timer: Timer | None = None
        self._sender: Attempt[Sent | None] | None = None
        self._again = False
        self._left_over = False
        self._unprepared = False
        """Started without the server: the first answer must prepare it first (its
        version, this account's rights), as the start does."""

    # -- calls -------------------------------------------------------------------

    def run(self, function: Callable[..., T], /, *, timeout: float = SILENCE, **kwargs: Any) -> T:
        """``store.run``: the one way screens reach the database (``App.read`` and
        ``App.write`` tell its problems). On a team database it runs in its own thread,
        given up when the server is silent for ``timeout`` s (then :class:`Unreachable`;
        the call may still land), and is refused at once while offline. Called from a
        worker thread it runs there: the screen goes on meanwhile."""
        return self._bounded(lambda: self.app.store.run(function, **kwargs), timeout)

    def use(self, function: Callable[[Store], T], /, *, timeout: float = SILENCE) -> T:
        """``function(store)``, for work of more than one transaction (erasing): bounded
        and refused like :meth:`run`."""
        return self._bounded(lambda: function(self.app.store), timeout)

    def _bounded(self, call: Callable[[], T], silence: float) -> T:
        if self.outbox is None:  # the laptop's own file: no network to wait for
            return call()
        if self.offline:
            raise Unreachable("De teamdatabase is niet bereikbaar (offline).")
        if threading.current_thread() is not threading.main_thread():
            return call()  # a worker's: nothing waits on it (libpq's timeouts bound it)
        try:
            return Attempt(self.app.store, call).wait(silence)
        except TimeoutError:
            self.app.store.fresh_connections()  # the next call: a new connection
            raise Unreachable("De teamdatabase antwoordt niet op tijd.") from None

    def write_note(
        self,
        *,
        visit_id: int,
        topic: str,
        text: str,
        base: int,
        base_text: str,
        now: datetime,
        cursor: int | None = None,
    ) -> Written:
        """Write a note straight to the database, waited for, on the version ``base``
        (with the text ``base_text``) it was typed on; a newer version saved meanwhile is
        merged three-way with it (``Written.merged``; ``Written.cursor`` is where
        ``cursor`` went). The laptop's own file always; a team database only when the
        outbox cannot be written (a failing laptop disk). ``saving.save_note`` decides."""
        from wijkgesprek.store.outbox import Pending, write_one

        item = Pending(visit_id, topic, text, base, now, base_text=base_text)
        return self._bounded(lambda: write_one(item, self.app.store, cursor=cursor), SILENCE)

    def keep(
        self, *, visit_id: int, topic: str, text: str, base: int, base_text: str, now: datetime
    ) -> None:
        """Keep the note in the outbox (a team database); the sender takes it on."""
        assert self.outbox is not None
        self.outbox.keep(
            visit_id=visit_id, topic=topic, text=text, base=base, base_text=base_text, now=now
        )
        self._again = True

    def start_visit(self, *, code: str, wijk: str, children: Children, now: datetime) -> int:
        """Offline: a visit begun on this laptop, started on the server when it answers
        (or the household's open visit resumed there); its (negative) id until then."""
        assert self.outbox is not None
        return self.outbox.start_visit(code=code, wijk=wijk, children=children, now=now)

    def waiting_visit(self, visit_id: int) -> VisitRecord | None:
        """A visit begun offline, with its notes as typed (None: not on this laptop)."""
        from wijkgesprek.domain.visit import VisitRecord

        if self.outbox is None:
            return None
        try:
            visit = next((v for v in self.outbox.visits() if v.visit_id == visit_id), None)
        except OUTBOX_PROBLEMS:
            return None
        if visit is None:
            return None
        record = VisitRecord(visit_id, visit.code, visit.wijk, visit.children, visit.started_at)
        return self.with_waiting(record)

    def with_waiting(self, record: VisitRecord) -> VisitRecord:
        """The visit with the notes still waiting in the outbox, as they were typed."""
        from wijkgesprek.domain.visit import TopicNote

        if self.outbox is None:
            return record
        try:
            waiting = self.outbox.waiting_for(record.id)
        except OUTBOX_PROBLEMS:
            return record
        notes = dict(record.notes)
        for topic, item in waiting.items():
            notes[topic] = replace(
                notes.get(topic, TopicNote()),
                text=item.text,
                version=item.base,
                base=item.base_text,
            )
        return replace(record, notes=notes)

    # -- the sender ------------------------------------------------------------------

    def send_soon(self) -> None:
        """Take what waits in the outbox to the server, in the sender's thread: now, or
        when the one under way is done. Offline, the probe does it."""
        if self.outbox is None or self.offline:
            return
        if self._sender is not None:
            self._again = True
            return
        self._start_sender(probe=False)

    def _start_sender(self, *, probe: bool) -> None:
        self._again = False
        store = self.app.store
        attempt: Attempt[Sent | None] = Attempt(store, lambda: self._send(probe))
        self._sender = attempt
        attempt.future.add_done_callback(lambda _: self._answer(attempt))
        if self._watch_timer is None:
            self._watch_timer = self.app.set_interval(WATCH, self._watch, name="verzender")

    def _answer(self, attempt: Attempt[Sent | None]) -> None:
        """In the sender's thread, when it is done: its result to the UI thread (a
        message: the thread never waits for the screen)."""
        error = attempt.future.exception()
        if error is not None:  # a mistake in wijkgesprek, not an offline server:
            self.app.call_later(_raise, error)  # it ends the app, as on the screen
            return
        self.app.call_later(self._sent, attempt, attempt.future.result())

    def _watch(self) -> None:
        """A sender that no longer hears from the server is given up: the app goes
        offline, and the next try gets a new connection."""
        attempt = self._sender
        if attempt is None or attempt.silent < SILENCE:
            return
        self._sender = None
        self.app.store.fresh_connections()
        self.lost()

    def _send(self, probe: bool) -> Sent | None:
        """Send the outbox (in the sender's thread), after a ping when ``probe``; None
        when the server does not answer (yet). Only the known problems are caught here."""
        from sqlalchemy.exc import SQLAlchemyError

        from wijkgesprek.store.outbox import Sent, send
        from wijkgesprek.store.repo import ping

        assert self.outbox is not None
        try:
            if self._unprepared:
                self.app.database.prepare(shows_notes=True)
                self._unprepared = False
            elif probe:
                self.app.store.run(ping)
            return send(self.outbox, self.app.store)
        except Unreachable:
            return None
        except StoreError as refused:
            if self._unprepared:  # the server answers, but this app may not use it
                return Sent(stop=str(refused))
            return Sent(refused=[(None, str(refused))])
        except (OSError, sqlite3.Error):  # the laptop's outbox (a failing disk)
            return Sent(
                refused=[(None, "Het bestand met wachtende aantekeningen kan niet worden gelezen.")]
            )
        except SQLAlchemyError:  # a driver problem the store did not name: not reachable yet
            return None

    def settle(self) -> None:
        """Wait (bounded by the server's silence) until what waits in the outbox is on
        the server: before a visit is finished, and when the app stops."""
        for _ in range(3):  # the one under way, then what was typed meanwhile
            if self.outbox is None or self.offline:
                return
            if self._sender is None:
                if not self._still_waiting():
                    return
                self._start_sender(probe=False)
            attempt = self._sender
            assert attempt is not None
            try:
                sent = attempt.wait(SILENCE)
            except TimeoutError:
                self._watch()
                return
            except Exception:  # a mistake: raised on the UI thread by its own message
                return
            self._sent(attempt, sent)

    def _sent(self, attempt: Attempt[Sent | None], sent: Sent | None) -> None:
        """The sender's result, on the UI thread: online again or still offline, what
        to tell, and every screen hears what was written."""
        if attempt.taken:  # by ``settle`` already
            return
        attempt.taken = True
        current = attempt is self._sender
        if current:
            self._sender = None
        if sent is None:
            if current:
                self.lost()  # at the start, or a send that broke off: try again later
            return
        if sent.stop:  # as at a start with the server: the one sentence, and stop
            self.app.exit(return_code=1, message=Text(visible(sent.stop)))
            return
        back = current and self.offline
        if back:
            self.offline = False
            if self._probe_timer is not None:
                self._probe_timer.stop()
            self.app.update_title()
            self.app.clear_notifications()  # "offline" and "must wait" are no longer true
        self._tell_sent(sent, back)
        for screen in self.app.screen_stack:
            heard = getattr(screen, "notes_sent", None)
            if callable(heard):
                heard(sent)
            reconnected = getattr(screen, "reconnected", None)
            if back and callable(reconnected):
                reconnected()
        self._again = self._again or bool(sent.busy)  # a busy note goes again at once
        if current and not self.offline and (self._again or (back and self._still_waiting())):
            self.send_soon()  # typed while sending: that goes now too

    def _still_waiting(self) -> bool:
        assert self.outbox is not None
        try:
            return bool(self.outbox.pending())
        except OUTBOX_PROBLEMS:
            return False

    def _shown(self) -> set[int]:
        """The visits a screen shows (and tells about itself)."""
        return {
            visit_id
            for screen in self.app.screen_stack
            if isinstance(visit_id := getattr(screen, "visit_id", None), int)
            and callable(getattr(screen, "notes_sent", None))
        }

    def _tell_sent(self, sent: Sent, back: bool) -> None:
        """Say what screens do not say themselves: the news of a connection that is
        back, of notes left from last time, and of notes whose visit is not on screen."""
        told_all = back or self._left_over
        self._left_over = False
        shown = set() if told_all else self._shown()
        written = [w for w in sent.written if not w.finished]
        if back:
            count = f" {len(written)} aantekening(en) van deze laptop zijn erin gezet." * bool(
                written
            )
            self.app.notify(f"De verbinding met de teamdatabase is terug.{count}", markup=False)
        elif told_all and written:
            self.app.notify(
                f"{len(written)} aantekening(en) die nog op deze laptop stonden, zijn nu in "
                "de teamdatabase gezet.",
                markup=False,
            )
        merged = [w for w in written if w.merged and w.visit_id not in shown]
        if merged:
            names = sorted({w.by for w in merged if w.by})
            who = f" ({', '.join(names)})" if names else ""
            self._warn(
                f"In {len(merged)} aantekening(en) had iemand anders{who} intussen ook "
                "geschreven. Beide versies zijn samengevoegd: wat u allebei schreef staat er "
                "één keer in; waar u op dezelfde plek schreef, staan beide stukken met een "
                "regel „tegelijk geschreven” met naam en tijd. Kijk ze samen na."
            )
        finished = [w for w in sent.written if w.finished and w.visit_id not in shown]
        if finished:
            kept = sum(1 for w in finished if w.kept)
            self._warn(
                f"{len(finished)} aantekening(en) hoorden bij een bezoek dat intussen is "
                f"afgerond; de aantekeningen zelf liggen vast. {kept} daarvan bevatte(n) nieuwe "
                "tekst: die is bewaard als aanvulling bij dat bezoek."
            )
        dropped = [item for item in sent.dropped if item.visit_id not in shown]
        if dropped:
            self._warn(
                f"{len(dropped)} aantekening(en) hoorden bij een bezoek dat intussen is "
                "gewist; die zijn niet in de teamdatabase gezet."
            )
        refused = [
            reason for item, reason in sent.refused if item is None or item.visit_id not in shown
        ]
        if refused:
            self._warn(
                f"{len(refused)} aantekening(en) staan nog op deze laptop: {refused[0]} Ze "
                "worden opnieuw verstuurd bij de volgende aantekening of de volgende start.",
                severity="error",
            )

    # -- offline and back ----------------------------------------------------------

    def tell(self) -> None:
        """Say that something other than a note must wait for the server."""
        self.app.notify(
            "Dit kan pas weer als de teamdatabase bereikbaar is. Uw aantekeningen worden "
            "intussen op deze laptop bewaard.",
            markup=False,
        )

    def lost(self) -> None:
        """The team database does not answer: keep notes on the laptop, say so once, and
        try to reach it again every few seconds (in a thread; typing goes on)."""
        if self.offline or self.outbox is None:
            return
        self.offline = True
        self.app.update_title()
        for screen in self.app.screen_stack:
            went_offline = getattr(screen, "went_offline", None)
            if callable(went_offline):
                went_offline()
        self.app.notify(
            "De teamdatabase is niet bereikbaar (offline). U kunt doorwerken: uw "
            "aantekeningen worden op deze laptop bewaard en verstuurd zodra de verbinding "
            "terug is.",
            severity="warning",
            timeout=20,
            markup=False,
        )
        self._probe_timer = self.app.set_interval(PROBE_DELAY, self._probe, name="verbinding")

    def start_offline(self) -> None:
        """The app started while the team database did not answer: it opens offline,
        with what it can show, and is back (after preparing the server, as a start
        does) as soon as the server answers."""
        if self.outbox is None:
            return
        self._unprepared = True
        self.offline = True
        self.app.update_title()
        waiting = self.waiting()
        kept = (
            f" {waiting} aantekening(en) van de vorige keer staan veilig op deze laptop."
            if waiting
            else ""
        )
        self.app.notify(
            "De teamdatabase is niet bereikbaar: wijkgesprek werkt offline." + kept + " U "
            "kunt een nieuw huisbezoek beginnen (n) en schrijven; alles wordt op deze "
            "laptop bewaard en verstuurd zodra de verbinding er is. Huishoudens, zoeken en "
            "afspraken wachten tot dan.",
            severity="warning",
            timeout=30,
            markup=False,
        )
        self._probe_timer = self.app.set_interval(PROBE_DELAY, self._probe, name="verbinding")
        self._left_over = bool(waiting)

    def send_left_over(self) -> None:
        """At the start: send notes left on the laptop last time (offline, or a crash),
        and say when notes wait for another team database."""
        if self.outbox is None:
            return
        try:
            others = self.outbox.others()
            waiting = bool(self.outbox.pending())
        except OUTBOX_PROBLEMS:
            self._warn(
                f"Het bestand met wachtende aantekeningen ({self.outbox.path}) kan niet "
                "worden gelezen. Laat het staan en vraag de beheerder om hulp.",
                severity="error",
            )
            return
        if others:
            self._warn(
                f"Er staan nog {others} aantekening(en) op deze laptop voor een andere "
                "teamdatabase. Start wijkgesprek met dat adres om ze te versturen."
            )
        if waiting:
            self._left_over = True
            self._probe()

    def _probe(self) -> None:
        """A new try to reach the server and send the outbox; not while one is under
        way (a hung one is given up by ``_watch`` first)."""
        if self._sender is not None:
            return
        self.app.stopping.flush_all()  # offline, what was typed last goes into the outbox first
        self._start_sender(probe=True)

    def _warn(self, message: str, severity: SeverityLevel = "warning") -> None:
        """A message that stays long enough to be read after the conversation."""
        self.app.notify(message, severity=severity, timeout=30, markup=False)

    def waiting(self) -> int:
        """How many notes (and visits begun offline) wait in the outbox (0 without a
        team database)."""
        if self.outbox is None:
            return 0
        try:
            return len(self.outbox.pending()) + len(self.outbox.visits())
        except OUTBOX_PROBLEMS:
            return 0


def _raise(error: BaseException) -> None:
    """Raise ``error`` on the UI thread, where an unexpected error ends the app with one
    sentence (``App._fatal_error``)."""
    raise error
