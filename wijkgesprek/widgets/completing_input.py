"""A one-line field that completes a known name (a wijk) when Tab is pressed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual.suggester import SuggestFromList
from textual.widgets import Input

from wijkgesprek.domain.wijk import complete_wijk


class CompletingInput(Input):
    """An ``Input`` that shows a known name as a suggestion while typing, and completes
    a unique beginning of one on :meth:`complete` (the App calls it on Tab).

    :meth:`complete` does not wait for the suggestion (Textual's suggester answers
    asynchronously), so it also works for keys typed in one burst: it completes what
    the field holds now, and once more after the keys still waiting in the field's queue
    (typed before Tab, but not yet handled when the App's Tab binding runs).
    """

    def __init__(self, choices: Sequence[str], **kwargs: Any) -> None:
        super().__init__(suggester=SuggestFromList(choices, case_sensitive=False), **kwargs)
        self.choices = tuple(choices)

    def complete(self) -> None:
        """Replace what was typed by the one known name it starts (in that name's spelling)."""
        self._complete()
        self.call_later(self._complete)

    def _complete(self) -> None:
        completed = complete_wijk(self.value, self.choices)
        if completed is not None and completed != self.value:
            self.value = completed
            self.cursor_position = len(completed)
