"""The screens' usual door to the database: ``App.read`` and ``App.write`` run a store
function through :meth:`Connection.run <wijkgesprek.connection.Connection.run>` and turn
a problem into one Dutch sentence (None / False back), so a screen goes back or keeps what
was typed instead of stopping the app. A household erased meanwhile (``errors.Gone``)
sends the app back to the list of households, once."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from wijkgesprek.errors import Gone, Unreachable, WijkError

if TYPE_CHECKING:
    from wijkgesprek.app import WijkgesprekApp

T = TypeVar("T")


class Door:
    """``read``/``write`` for the App, and what a problem they meet means."""

    def __init__(self, app: WijkgesprekApp) -> None:
        self.app = app
        self._going_home = False

    def write(self, function: Callable[..., object], /, **kwargs: Any) -> bool:
        """Run a store function that changes data; True when it was saved. A problem the
        user can meet (a full disk, a read-only or locked database) is told in Dutch and
        the app goes on, with what was typed still on the screen."""
        try:
            self.app.connection.run(function, **kwargs)
        except WijkError as error:
            self.cannot_use(error)
            return False
        return True

    def read(self, function: Callable[..., T], /, **kwargs: Any) -> T | None:
        """Run a store function; None (after one Dutch message) when the database cannot
        be used right now, so a screen can go back instead of stopping the app."""
        try:
            return self.app.connection.run(function, **kwargs)
        except WijkError as error:
            self.cannot_use(error)
            return None

    def cannot_use(self, error: WijkError) -> None:
        """Say why the database cannot be used; an unreachable team database makes the
        app go offline (notes are then kept on the laptop); a household erased meanwhile
        sends the app back to the list of households."""
        connection = self.app.connection
        if isinstance(error, Gone):
            self.household_gone()
        elif isinstance(error, Unreachable) and connection.outbox is not None:
            if connection.offline:
                connection.tell()
            else:
                connection.lost()
        else:
            self.app.notify(str(error), severity="error", timeout=20, markup=False)

    def household_gone(self) -> None:
        """The household on screen was erased (another window, ``wijkgesprek wis``): say
        so once, calmly, and go back to the list, after the screens that noticed it have
        gone back themselves."""
        if self._going_home:
            return
        self._going_home = True
        self.app.notify(f"{Gone()} U bent terug bij de huishoudens.", timeout=15, markup=False)
        self.app.call_after_refresh(self._back_home)

    def _back_home(self) -> None:
        self._going_home = False
        if self.app.locked:  # never past the lock; the next key after unlocking comes here again
            return
        while len(self.app.screen_stack) > 1:
            self.app.pop_screen()
