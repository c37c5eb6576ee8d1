"""A SelectionList whose space bar toggles at once."""

from __future__ import annotations

from typing import Any

from textual.content import Content
from textual.widgets import SelectionList
from textual.widgets.selection_list import SelectionType


class ToggleList(SelectionList[SelectionType]):
    """Space toggles the highlighted option right away, not through a message: an Enter
    typed straight after it (a priority binding of the dialog) sees the new choice.
    Its options are text as written (names of kinds of help from the guide), never
    markup: SelectionList reads a str prompt as markup when it makes the option, so a
    str is made literal ``Content`` first."""

    def __init__(self, *selections: tuple[Any, ...], **kwargs: Any) -> None:
        literal = [
            (Content(prompt), *rest) if isinstance(prompt, str) else (prompt, *rest)
            for prompt, *rest in selections
        ]
        super().__init__(*literal, **kwargs)
        self._markup = False

    def action_select(self) -> None:
        if self.highlighted is not None:
            self.toggle(self.get_option_at_index(self.highlighted))
