"""A SelectionList whose space bar toggles at once."""

from __future__ import annotations

from textual.widgets import SelectionList
from textual.widgets.selection_list import SelectionType


class ToggleList(SelectionList[SelectionType]):
    """Space toggles the highlighted option right away, not through a message: an Enter
    typed straight after it (a priority binding of the dialog) sees the new choice.
    Its options are text as written (theme names from the guide), never markup."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._markup = False  # SelectionList has no parameter for it

    def action_select(self) -> None:
        if self.highlighted is not None:
            self.toggle(self.get_option_at_index(self.highlighted))
