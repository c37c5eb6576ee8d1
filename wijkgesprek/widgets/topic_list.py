"""The list of conversation topics, each marked touched (●) or not (○)."""

from __future__ import annotations

from textual.content import Content
from textual.widgets.option_list import Option

from wijkgesprek.content.model import Topic
from wijkgesprek.widgets.numbered_list import NumberedList


class TopicList(NumberedList):
    """Topics of the guide; digits 1–9 jump to a topic."""

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
