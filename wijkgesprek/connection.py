"""Whether the team database answers, and what the app does while it does not.

A note's save to the team database runs in a thread of its own and is waited for at most
``SAVE_TIMEOUT``: a server that does not answer (refused, or a network that silently drops
everything) never holds up typing for longer. Then the app goes *offline*: the title says
so, notes go to the outbox on the laptop (``store/outbox.py``), and a thread tries to reach
the server every few seconds. A save that was given up on may still land later; the outbox
then recognises that version as this laptop's own, not a colleague's. When it answers,
every screen's text is kept first, then the outbox is written with the version check
(a colleague's save meanwhile is merged, never overwritten) and screens that show notes
reload them. At the start, notes left from last time (offline, or a crash) are written.

Without a team database (a laptop's SQLite file, practice) there is no outbox and the
app is never offline.
"""

from __future__ import annotations

import sqlite3
import threading
from concurrent.futures import Future
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING

from textual.timer import Timer

from wijkgesprek.errors import Unreachable, WijkError

if TYPE_CHECKING:
    from wijkgesprek.app import WijkgesprekApp
    from wijkgesprek.store.outbox import Attempt, Outbox, Sent

PROBE_DELAY = 3.0
"""Seconds between tries to reach the team database again while offline."""
SAVE_TIMEOUT = 1.0
"""Seconds a note's save may take on the team database before the app goes offline."""


class Connection:
    """The team database's connection state, owned by the app."""

    def __init__(self, app: WijkgesprekApp, outbox: Outbox | None) -> None:
        self.app = app
        self.outbox = outbox
        """Where notes wait while the team database cannot be reached (a team only)."""
        self.offline = False
        """Whether the team database stopped answering; notes then go to the outbox."""
        self._probe_timer: Timer | None = None
        self.given_up: set[Attempt] = set()
        """Saves not waited for: they may land later, and are then not a colleague's."""

    def save_note(self, *, visit_id: int, topic: str, text: str, base: int, now: datetime) -> int:
        """``repo.save_note``; on a team database in its own thread, waited for at most
        ``SAVE_TIMEOUT`` (then :class:`Unreachable`, and the save may still land)."""
        from wijkgesprek.store import repo
        from wijkgesprek.store.outbox import Attempt

        save = partial(
            self.app.store.run,
            repo.save_note,
            visit_id=visit_id,
            topic=topic,
            text=text,
            base=base,
            now=now,
        )
        if self.outbox is None:  # the laptop's own file: no network to wait for
            return save()
        future: Future[int] = Future()

        def run() -> None:
            try:
                future.set_result(save())
            except BaseException as error:  # handed to the waiting side
                future.set_exception(error)

        # A daemon thread: a connection stuck on a dead network never blocks quitting.
        threading.Thread(target=run, name="wijkgesprek-opslaan", daemon=True).start()
        try:
            return future.result(timeout=SAVE_TIMEOUT)
        except TimeoutError:
            self.given_up.add(Attempt(visit_id, topic, base, text))
            raise Unreachable("De teamdatabase antwoordt niet op tijd.") from None

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

    def _probe(self) -> None:
        self.app.run_worker(self._try_server, thread=True, exclusive=True, group="probe")

    def _try_server(self) -> None:
        from wijkgesprek.store.repo import ping

        try:
            self.app.store.run(ping)
        except WijkError:
            return
        self.app.call_from_thread(self._back)

    def _back(self) -> None:
        if not self.offline:
            return
        self.app.flush_all()  # what was typed last goes into the outbox first, in order
        self.app.clear_notifications()  # "offline" and "must wait" are no longer true
        sent = self._send()
        if sent is None:
            return  # gone again: the next try follows
        self.offline = False
        if self._probe_timer is not None:
            self._probe_timer.stop()
        self.app.update_title()
        self.app.notify(
            "De verbinding met de teamdatabase is terug."
            + (
                f" {sent.sent} aantekening(en) van deze laptop zijn erin gezet."
                if sent.sent
                else ""
            ),
            markup=False,
        )
        for screen in self.app.screen_stack:
            reconnected = getattr(screen, "reconnected", None)
            if callable(reconnected):
                reconnected()

    def send_left_over(self) -> None:
        """At the start: write notes left on the laptop last time (offline, or a crash)."""
        if self.outbox is None:
            return
        sent = self._send()
        if sent is not None and sent.sent:
            self.app.notify(
                f"{sent.sent} aantekening(en) die nog op deze laptop stonden, zijn nu in de "
                "teamdatabase gezet.",
                markup=False,
            )

    def _send(self) -> Sent | None:
        """Write the notes kept on the laptop; None when that cannot be done now."""
        from wijkgesprek.store.outbox import send

        assert self.outbox is not None
        try:
            sent = send(self.outbox, self.app.store, given_up=self.given_up)
        except WijkError as error:
            self.app.cannot_use(error)
            return None
        except (OSError, sqlite3.Error):  # the outbox cannot be read: kept, tried again later
            return None
        if sent.merged:
            self.app.notify(
                f"In {len(sent.merged)} aantekening(en) had iemand anders intussen ook "
                "geschreven. Beide versies staan nu onder elkaar; kijk ze samen na.",
                severity="warning",
                timeout=30,
                markup=False,
            )
        if sent.dropped:
            self.app.notify(
                f"{sent.dropped} aantekening(en) hoorden bij een bezoek dat intussen is "
                "gewist; die zijn niet in de teamdatabase gezet.",
                severity="warning",
                timeout=30,
                markup=False,
            )
        return sent

    def waiting(self) -> int:
        """How many notes wait in the outbox (0 without a team database)."""
        try:
            return len(self.outbox.pending()) if self.outbox is not None else 0
        except (OSError, sqlite3.Error, WijkError):
            return 0
