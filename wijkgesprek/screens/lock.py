"""The lock: with an encrypted database the app locks after a while without keys (and on
Ctrl+L). Nothing of the work underneath shows until the passphrase is typed again."""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input, Static

if TYPE_CHECKING:
    from wijkgesprek.app import WijkgesprekApp

HELP = """\
# Vergrendeld

wijkgesprek is vergrendeld: na een tijd zonder toetsen, of met **Ctrl+L**. Uw werk
is opgeslagen en staat er nog. Typ het wachtwoord van de database en druk op
**Enter** om verder te gaan. **Ctrl+Q** stopt wijkgesprek. Na {tries} verkeerde
wachtwoorden stopt wijkgesprek zelf (uw werk is dan al opgeslagen).
"""

TRIES = 5
"""Wrong passphrases before the app stops by itself."""


class LockScreen(Screen[None]):
    """A whole screen (not a dialog), so nothing of the screens below is drawn."""

    HELP = HELP.format(tries=TRIES)
    AUTO_FOCUS = "#lock-passphrase"
    """Focused once composed (a query in ``on_mount`` failed now and then under load)."""
    app: WijkgesprekApp

    def __init__(self) -> None:
        super().__init__()
        self.wrong = 0

    def compose(self) -> ComposeResult:
        with Vertical(id="lock-dialog", classes="dialog"):
            yield Static("wijkgesprek is vergrendeld", classes="dialog-title")
            yield Static("Typ het wachtwoord en druk op Enter.", classes="hint")
            yield Input(password=True, id="lock-passphrase", placeholder="wachtwoord")
            yield Static("", id="form-error", classes="form-error", markup=False)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.input.disabled = True  # one try at a time; scrypt takes a moment
        self._check(event.value)

    @work(thread=True, exclusive=True)
    def _check(self, passphrase: str) -> None:
        from wijkgesprek.store.crypto import check_passphrase

        # call_from_thread awaits a coroutine function too; its type says otherwise.
        self.app.call_from_thread(self._checked, check_passphrase(passphrase))  # type: ignore[arg-type]

    async def _checked(self, correct: bool) -> None:
        field = self.query_one(Input)
        field.value = ""
        field.disabled = False
        if correct:
            # Only what was opened over the lock (its help) goes with it; the screens
            # below, with the user's work, stay as they were.
            while self.app.screen is not self and self in self.app.screen_stack:
                await self.app.pop_screen()
            self.dismiss()
            self.app.chores.tell_damage()  # the one message that must not be lost
            return
        self.wrong += 1
        if self.wrong >= TRIES:
            self.app.locker.stop(f"{TRIES} keer een verkeerd wachtwoord")
            return
        self.query_one("#form-error", Static).update("Het wachtwoord klopt niet.")
        field.focus()


ALLOWED = ("help", "quit", "lock", "focus_next", "focus_previous")
"""The App's actions that work while the lock is on: help and stopping."""


class Lock:
    """The lock of an encrypted database, for the App: Ctrl+L and the idle timer put a
    :class:`LockScreen` over every screen and dialog; while it is on, only help and
    stopping work."""

    def __init__(self, app: WijkgesprekApp) -> None:
        self.app = app
        self.last_input = time.monotonic()

    @property
    def encrypted(self) -> bool:
        """Whether the database was unlocked with a passphrase in this process."""
        crypto = sys.modules.get("wijkgesprek.store.crypto")
        return crypto is not None and crypto.is_unlocked() and self.app.cases is None

    @property
    def locked(self) -> bool:
        """Whether a lock screen is anywhere on the stack (also under its help)."""
        return any(isinstance(screen, LockScreen) for screen in self.app.screen_stack)

    def start(self, minutes: float) -> None:
        """Lock after ``minutes`` without a key (an encrypted database only)."""
        if self.encrypted and minutes > 0:
            self.app.set_interval(min(10.0, minutes * 60 / 4), self._when_idle, name="vergrendelen")

    def _when_idle(self) -> None:
        if time.monotonic() - self.last_input >= self.app.config.lock_minutes * 60:
            self.lock()

    def lock(self) -> None:
        if not self.encrypted:
            self.app.notify(
                "Vergrendelen kan met een versleutelde database ('wijkgesprek versleutel').",
                markup=False,
            )
        elif not self.locked:
            self.app.stopping.flush_all()
            # A message of a moment ago can name the family ("Op de kaart: …",
            # "Afspraak verwijderd: …"), and messages show over every screen.
            self.app.clear_notifications()
            self.app.push_screen(LockScreen())

    def allows(self, action: str) -> bool:
        return not self.locked or action in ALLOWED

    def stop(self, reason: str) -> None:
        """Stop from the lock screen (too many wrong passphrases); the work was saved
        when the app locked, and is saved once more."""
        self.app.stopping.flush_all()
        self.app.exit(
            return_code=1, message=Text(f"wijkgesprek is gestopt: {reason}. Uw werk is opgeslagen.")
        )
