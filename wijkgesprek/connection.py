"""The team database's connection, as the app sees it: reachable, or offline.

On a team database no call waits on the network for long: each runs in a thread of its
own and is waited for at most ``ANSWER_TIMEOUT`` (a note's save: ``SAVE_TIMEOUT``). A note
is written to the outbox on the laptop (``store/outbox.py``) before it goes to the server,
so a refusal, a timeout or a crash never loses it.

When the server does not answer, the app goes *offline*: the title says so, notes are
only kept in the outbox, calls that need the server say so at once, and every
``PROBE_DELAY`` seconds a thread tries the server and sends the outbox (with the version
check: a colleague's save meanwhile is merged three-way, never overwritten). Then the app is back,
and screens that show notes learn the versions written (``reconnected``). At the start,
notes left from last time (offline, or a crash) are sent the same way.

Without a team database (a laptop's SQLite file, practice) calls run directly and the app
is never offline. Either way this is the screens' one way to the database: ``App.read`` and
``App.write`` call :meth:`Connection.run`, a screen that shows a problem in its own place
calls it itself, and no screen touches ``App.store`` (docs/architecture.md).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import Future
from contextlib import suppress
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from textual.timer import Timer

from wijkgesprek.errors import Gone, StoreError, Unreachable

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel

    from wijkgesprek.app import WijkgesprekApp
    from wijkgesprek.domain.visit import VisitRecord
    from wijkgesprek.store.engine import Store
    from wijkgesprek.store.outbox import Outbox, Sent, Written

T = TypeVar("T")

PROBE_DELAY = 3.0
"""Seconds between tries to reach the team database again while offline."""
SAVE_TIMEOUT = 1.0
"""Seconds a note's save may take on the team database before the app goes offline."""
ANSWER_TIMEOUT = 2.0
"""Seconds any other call may take on the team database before the app goes offline."""
OUTBOX_PROBLEMS = (OSError, sqlite3.Error, StoreError)


class Connection:
    """The team database's connection state, owned by the app."""

    def __init__(self, app: WijkgesprekApp, outbox: Outbox | None) -> None:
        self.app = app
        self.outbox = outbox
        """Where notes go first on a team database (None: the laptop's own file)."""
        self.offline = False
        """Whether the team database stopped answering; notes then wait in the outbox."""
        self._probe_timer: Timer | None = None
        self._sending = False

    # -- calls -------------------------------------------------------------------

    def run(
        self, function: Callable[..., T], /, *, timeout: float = ANSWER_TIMEOUT, **kwargs: Any
    ) -> T:
        """``store.run``: the one way screens reach the database (``App.read`` and
        ``App.write`` tell its problems). On a team database it runs in its own thread,
        waited for at most ``timeout`` (then :class:`Unreachable`; the call may still
        land), and is refused at once while offline. Called from a worker thread it runs
        there: the screen goes on meanwhile."""
        return self._bounded(lambda: self.app.store.run(function, **kwargs), timeout)

    def use(self, function: Callable[[Store], T], /, *, timeout: float = ANSWER_TIMEOUT) -> T:
        """``function(store)``, for work of more than one transaction (erasing): bounded
        and refused like :meth:`run`."""
        return self._bounded(lambda: function(self.app.store), timeout)

    def _bounded(self, call: Callable[[], T], timeout: float) -> T:
        if self.outbox is None:  # the laptop's own file: no network to wait for
            return call()
        if self.offline:
            raise Unreachable("De teamdatabase is niet bereikbaar (offline).")
        if threading.current_thread() is not threading.main_thread():
            return call()  # a worker's: nothing waits on it (libpq's timeouts bound it)
        future: Future[T] = Future()

        def run() -> None:
            try:
                future.set_result(call())
            except BaseException as error:  # handed to the waiting side
                future.set_exception(error)

        # A daemon thread: a connection stuck on a dead network never blocks quitting.
        threading.Thread(target=run, name="wijkgesprek-teamdatabase", daemon=True).start()
        try:
            return future.result(timeout=timeout)
        except TimeoutError:
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
        """Write a note on the version ``base`` (with the text ``base_text``) it was typed
        on; a newer version saved meanwhile is merged three-way with it
        (``Written.merged``; ``Written.cursor`` is where ``cursor`` went). On a team
        database the note goes into the outbox first, and a note already waiting there
        decides the version it continues from. What to do when this fails is decided by
        ``saving.save_note``, the one caller."""
        from wijkgesprek.store.outbox import Pending, write_one

        item = Pending(visit_id, topic, text, base, now, base_text=base_text)
        if self.outbox is not None:
            with suppress(*OUTBOX_PROBLEMS):  # a failing laptop disk must not stop the save
                item = self.outbox.keep(
                    visit_id=visit_id,
                    topic=topic,
                    text=text,
                    base=base,
                    base_text=base_text,
                    now=now,
                    trying=True,
                )
        if item.text != text:  # a waiting text decided otherwise: no place to follow
            cursor = None
        try:
            written = self._bounded(
                lambda: write_one(item, self.app.store, cursor=cursor), SAVE_TIMEOUT
            )
        except Gone:  # the visit was erased meanwhile: nothing is left to save it in
            if self.outbox is not None:
                with suppress(*OUTBOX_PROBLEMS):
                    self.outbox.done(item, None)
            raise
        if self.outbox is not None:
            with suppress(*OUTBOX_PROBLEMS):  # it is on the server; a stale row is harmless
                self.outbox.done(item, written.version, merged=written.merged)
        return written

    def keep(
        self, *, visit_id: int, topic: str, text: str, base: int, base_text: str, now: datetime
    ) -> None:
        """Offline: keep the note in the outbox only."""
        assert self.outbox is not None
        self.outbox.keep(
            visit_id=visit_id, topic=topic, text=text, base=base, base_text=base_text, now=now
        )

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
        self.app.notify(
            "De teamdatabase is niet bereikbaar (offline). U kunt doorwerken: uw "
            "aantekeningen worden op deze laptop bewaard en verstuurd zodra de verbinding "
            "terug is.",
            severity="warning",
            timeout=20,
            markup=False,
        )
        self._probe_timer = self.app.set_interval(PROBE_DELAY, self._probe, name="verbinding")

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
            self._probe()

    def _probe(self) -> None:
        if self._sending:
            return  # one sender at a time: a slow send is not started twice
        self._sending = True
        self.app.flush_all()  # offline, what was typed last goes into the outbox first
        # A daemon thread, not a worker: quitting never waits for a server that hangs.
        threading.Thread(
            target=self._try_and_send, name="wijkgesprek-versturen", daemon=True
        ).start()

    def _try_and_send(self) -> None:
        try:
            sent = self._send()
        except Exception as mistake:  # a mistake in wijkgesprek, not an offline server:
            self.app.call_later(_raise, mistake)  # it ends the app, as on the screen
            return
        with suppress(RuntimeError):  # the app stopped meanwhile; the outbox keeps the rest
            self.app.call_from_thread(self._sent, sent)

    def _send(self) -> Sent | None:
        """Reach the server and send the outbox (in the sending thread); None when the
        server does not answer (yet). Only the known problems are caught here."""
        from sqlalchemy.exc import SQLAlchemyError

        from wijkgesprek.store.outbox import Sent, send
        from wijkgesprek.store.repo import ping

        assert self.outbox is not None
        try:
            self.app.store.run(ping)
            return send(self.outbox, self.app.store)
        except Unreachable:
            return None
        except (OSError, sqlite3.Error, StoreError):  # the laptop's outbox (a failing disk)
            return Sent(
                refused=["Het bestand met wachtende aantekeningen kan niet worden gelezen."]
            )
        except SQLAlchemyError:  # a driver problem the store did not name: not reachable yet
            return None

    def _sent(self, sent: Sent | None) -> None:
        self._sending = False
        if sent is None:
            self.lost()  # at the start, or a send that broke off: try again later
            return
        back = self.offline
        if back:
            self.offline = False
            if self._probe_timer is not None:
                self._probe_timer.stop()
            self.app.update_title()
            self.app.clear_notifications()  # "offline" and "must wait" are no longer true
        self._tell_sent(sent, back)
        for screen in self.app.screen_stack:
            reconnected = getattr(screen, "reconnected", None)
            if callable(reconnected):
                reconnected(sent.written)
        if not sent.refused and self.outbox is not None and self._still_waiting():
            self._probe()  # typed while sending: that goes now too

    def _still_waiting(self) -> bool:
        assert self.outbox is not None
        try:
            return bool(self.outbox.pending())
        except OUTBOX_PROBLEMS:
            return False

    def _tell_sent(self, sent: Sent, back: bool) -> None:
        count = len(sent.written)
        if back:
            written = f" {count} aantekening(en) van deze laptop zijn erin gezet." if count else ""
            self.app.notify(f"De verbinding met de teamdatabase is terug.{written}", markup=False)
        elif count:
            self.app.notify(
                f"{count} aantekening(en) die nog op deze laptop stonden, zijn nu in de "
                "teamdatabase gezet.",
                markup=False,
            )
        if sent.merged:
            self._warn(
                f"In {len(sent.merged)} aantekening(en) had iemand anders intussen ook "
                "geschreven. Beide versies zijn samengevoegd: wat u allebei schreef staat er "
                "één keer in; waar u op dezelfde plek schreef, staan beide stukken met een "
                "regel „tegelijk geschreven”. Kijk ze samen na."
            )
        if sent.dropped:
            self._warn(
                f"{sent.dropped} aantekening(en) hoorden bij een bezoek dat intussen is "
                "gewist; die zijn niet in de teamdatabase gezet."
            )
        if sent.refused:
            self._warn(
                f"{len(sent.refused)} aantekening(en) staan nog op deze laptop: "
                f"{sent.refused[0]} Ze worden opnieuw verstuurd bij de volgende start.",
                severity="error",
            )

    def _warn(self, message: str, severity: SeverityLevel = "warning") -> None:
        """A message that stays long enough to be read after the conversation."""
        self.app.notify(message, severity=severity, timeout=30, markup=False)

    def waiting(self) -> int:
        """How many notes wait in the outbox (0 without a team database)."""
        try:
            return len(self.outbox.pending()) if self.outbox is not None else 0
        except OUTBOX_PROBLEMS:
            return 0


def _raise(error: Exception) -> None:
    """Raise ``error`` on the UI thread, where an unexpected error ends the app with one
    sentence (``App._fatal_error``)."""
    raise error
