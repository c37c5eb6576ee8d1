"""Saving what every screen holds, and stopping (Ctrl+Q).

``flush_all`` asks every screen on the stack to save what it holds: before the app stops,
before it locks, and while offline before a probe (what was typed last goes into the
outbox first). Ctrl+Q then waits until what is on its way to the team database got there,
asks twice when some text could be kept nowhere, and says so when notes still wait on
this laptop."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from rich.text import Text

if TYPE_CHECKING:
    from wijkgesprek.app import WijkgesprekApp

QUIT_AGAIN = 10.0
"""Seconds in which a second Ctrl+Q stops even with text that could not be saved."""


class Stopping:
    """Flushing the screens and stopping, for the App."""

    def __init__(self, app: WijkgesprekApp) -> None:
        self.app = app
        self._warned = -QUIT_AGAIN

    def flush_all(self) -> None:
        for screen in self.app.screen_stack:
            flush = getattr(screen, "flush", None)
            if callable(flush):
                flush()

    def quit(self) -> None:
        app = self.app
        self.flush_all()
        app.connection.settle()  # what is on its way to the team database gets there
        unsaved = any(getattr(screen, "unsaved", False) for screen in app.screen_stack)
        if unsaved and time.monotonic() - self._warned > QUIT_AGAIN:
            self._warned = time.monotonic()
            app.notify(
                "Uw laatste tekst kon niet worden opgeslagen en staat alleen op het scherm. "
                "Kopieer hem, of druk nog eens Ctrl+Q om toch te stoppen.",
                severity="error",
                timeout=20,
            )
            return
        waiting = app.connection.waiting()
        if waiting:
            app.exit(
                message=Text(
                    f"{waiting} aantekening(en) staan nog op deze laptop. Ze worden in de "
                    "teamdatabase gezet bij de volgende start met verbinding."
                )
            )
            return
        app.exit()
