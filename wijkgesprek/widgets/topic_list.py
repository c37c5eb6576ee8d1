"""The list of conversation topics, each marked touched (●) or not (○)."""

from __future__ import annotations

from textual.binding import Binding
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from wijkgesprek.content.model import Topic


class TopicList(OptionList):
    """Topics of the guide; digits 1–9 jump to a topic."""

    BINDINGS = [
        Binding(
            str(number),
            f"jump({number})",
            f"Onderwerp {number}",
            show=False,
            id=f"onderwerp-{number}",
        )
        for number in range(1, 10)
    ]

    def __init__(self, topics: tuple[Topic, ...], **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.topics = topics

    def show(self, touched: set[str]) -> None:
        """Redraw the markers, keeping the highlighted topic."""
        highlighted = self.highlighted
        self.clear_options()
        self.add_options(
            Option(
                Content(f"{number} {'●' if topic.id in touched else '○'} {topic.titel}"),
                id=topic.id,
            )
            for number, topic in enumerate(self.topics, start=1)
        )
        self.highlighted = highlighted

    def action_jump(self, number: int) -> None:
        if number <= len(self.topics):
            self.highlighted = number - 1
            self.action_select()
