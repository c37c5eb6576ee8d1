"""An OptionList where the digits 1–9 choose the option with that number at once."""

from __future__ import annotations

from collections.abc import Callable

from textual.binding import Binding
from textual.widgets import OptionList


class NumberedList(OptionList):
    """Digits and Enter choose. They are priority bindings, handled the moment the key
    arrives, and the choice calls ``on_choose`` directly (not through a message): keys
    typed right after the choice go where the choice moved the focus, in order.
    Without ``on_choose`` (and for the mouse) the usual ``OptionSelected`` is posted."""

    BINDINGS = [
        *[
            Binding(str(number), f"jump({number})", f"Kies {number}", show=False, priority=True)
            for number in range(1, 10)
        ],
        Binding("enter", "choose", "Kiezen", show=False, priority=True),
    ]

    def __init__(
        self, *args: object, on_choose: Callable[[int], None] | None = None, **kwargs: object
    ) -> None:
        kwargs.setdefault("markup", False)  # options are text (titles from the guide), as written
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.on_choose = on_choose

    def action_jump(self, number: int) -> None:
        if number <= self.option_count:
            self.highlighted = number - 1
            self.action_choose()

    def action_choose(self) -> None:
        if self.highlighted is None:
            return
        if self.on_choose is None:
            self.action_select()
        else:
            self.on_choose(self.highlighted)
