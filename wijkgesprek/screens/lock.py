"""The lock: with an encrypted database the app locks after a while without keys (and on
Ctrl+L). Nothing of the work underneath shows until the passphrase is typed again."""

from __future__ import annotations

from typing import TYPE_CHECKING

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

    def on_mount(self) -> None:
        self.query_one(Input).focus()

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
            return
        self.wrong += 1
        if self.wrong >= TRIES:
            self.app.stop_locked(f"{TRIES} keer een verkeerd wachtwoord")
            return
        self.query_one("#form-error", Static).update("Het wachtwoord klopt niet.")
        field.focus()
