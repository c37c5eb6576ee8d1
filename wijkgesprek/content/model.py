"""Typed, immutable content read from the conversation guide (questions.yaml)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Theme:
    """A theme that can be tagged on a note, such as ``geldzorgen``."""

    id: str
    """The key as written in the YAML (lower case, no spaces), e.g. ``geldzorgen``."""
    naam: str
    """Display name, e.g. ``Geldzorgen``."""
    omschrijving: str = ""


@dataclass(frozen=True)
class Topic:
    """One topic of the conversation, such as ``kennismaking``."""

    id: str
    titel: str
    vragen: tuple[str, ...]
    """Open questions for this topic (at least one)."""
    doorvragen: tuple[str, ...] = ()
    """Follow-up prompts."""
    tip: str = ""
    """A short tip for the professional (from the seed pages)."""


@dataclass(frozen=True)
class Guide:
    """The whole conversation guide."""

    source: Path
    topics: tuple[Topic, ...]
    themes: tuple[Theme, ...]

    def topic(self, topic_id: str) -> Topic:
        for topic in self.topics:
            if topic.id == topic_id:
                return topic
        raise KeyError(topic_id)

    def theme(self, theme_id: str) -> Theme | None:
        for theme in self.themes:
            if theme.id == theme_id:
                return theme
        return None
