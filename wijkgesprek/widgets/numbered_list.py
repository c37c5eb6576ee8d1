"""An OptionList where the digits 1–9 choose the option with that number."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import OptionList


class NumberedList(OptionList):
    BINDINGS = [
        Binding(str(number), f"jump({number})", f"Kies {number}", show=False)
        for number in range(1, 10)
    ]

    def action_jump(self, number: int) -> None:
        if number <= self.option_count:
            self.highlighted = number - 1
            self.action_select()
