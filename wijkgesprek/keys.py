"""Every key goes where it was meant, in the order it was typed.

Textual hands a key to the focused widget as soon as it arrives, through that widget's
message queue. Two things can then go wrong when keys come quickly (a fast typist, a
burst from the terminal, a paste):

- a key that opens a dialog or moves the focus (a priority binding, run at once) is
  handled before the note has taken the letters typed just before it, so they end up
  in the next topic's note;
- the keys typed right after it reach the old field, or the new dialog before its
  first field has the focus.

So keys and pastes are handed on one at a time: the next one waits until the widget
that got the previous one has handled it, and, after the screen changed, until the new
screen is mounted and its focus is set. Nothing is dropped; a key that arrives while
others wait simply joins the queue.
"""

from __future__ import annotations

from collections import deque

from textual import events
from textual.app import App
from textual.message_pump import MessagePump
from textual.screen import Screen
from textual.widget import Widget

POLL = 0.005
"""Seconds between looks at a screen that is still being composed."""
GIVE_UP = 0.5
"""Seconds after which keys go on even if a widget never reported back (it closed)."""


class InOrderKeys(App[None]):
    """A mixin for the App (use it as the App's base class)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._held: deque[events.Key | events.Paste] = deque()
        self._typing_screen: Screen[object] | None = None
        self._waiting = 0
        """Non-zero while keys wait: the number of the wait, so a late report of an
        earlier wait does not end a newer one."""
        self._waits = 0
        self.keys_dispatched = 0
        """How many keys have been handed on so far: a screen can tell whether a key
        comes straight after another one."""

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.Paste) and not event.is_forwarded:
            self._held.append(event)
            if not self._waiting:
                await self._hand_on()
            return
        await super().on_event(event)

    async def _hand_on(self) -> None:
        while self._held:
            screen = self.screen
            if screen is not self._typing_screen:
                self._wait_for_screen(screen)
                return
            event = self._held.popleft()
            target: Widget = self.focused or screen
            if isinstance(event, events.Key):
                self.keys_dispatched += 1
            await super().on_event(event)
            if event.is_forwarded:  # not taken by a priority binding: follow it
                self._follow(event, target)
                return

    def _wait(self) -> int:
        self._waits += 1
        number = self._waiting = self._waits
        self.set_timer(GIVE_UP, lambda: self.call_later(self._go_on, number))
        return number

    def _follow(self, event: events.Key | events.Paste, widget: Widget) -> None:
        """Wait until ``event`` has been handled: by ``widget``, or by the containers it
        bubbles through up to the App, which runs the ordinary bindings last."""
        number = self._wait()

        def handled_by(node: MessagePump) -> None:
            parent = node._parent
            if event._stop_propagation or parent is None or parent is self:
                # Anything it passed on to the App is in the App's queue before this.
                self.call_later(self._go_on, number)
            elif not parent.call_later(handled_by, parent):
                self.call_later(self._go_on, number)

        if not widget.call_later(handled_by, widget):
            self.call_later(self._go_on, number)  # the widget is gone already

    def _wait_for_screen(self, screen: Screen[object]) -> None:
        number = self._wait()

        def look() -> None:
            if number != self._waiting:
                return
            if screen is not self.screen or screen.is_mounted:
                # Through the screen's own queue: what it still has to do first (the focus
                # it set while mounting, the result of a dialog that just closed, which
                # may open the next screen) is done before the keys go on.
                if not screen.call_later(self.call_later, self._go_on, number, True):
                    self.call_later(self._go_on, number, True)
            else:
                self.set_timer(POLL, lambda: self.call_later(look))

        self.call_later(look)

    async def _go_on(self, number: int, screen_ready: bool = False) -> None:
        if number != self._waiting:
            return  # an earlier wait, ended already
        self._waiting = 0
        if screen_ready:
            self._typing_screen = self.screen
        await self._hand_on()
