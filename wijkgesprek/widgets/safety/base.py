"""What every safety section shares: the context it shows, and how it records."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from textual.containers import VerticalScroll
from textual.message import Message

from wijkgesprek.content.model import SafetyGuide
from wijkgesprek.domain.household import Children
from wijkgesprek.domain.safety import SafetyEntry


@dataclass(frozen=True)
class SafetyContext:
    """Everything a section needs to draw itself."""

    guide: SafetyGuide
    entries: Sequence[SafetyEntry]
    """The trail of this visit, oldest first."""
    history: Sequence[tuple[datetime, SafetyEntry]]
    """The trail of every visit of the household, with each visit's start."""
    children: Children
    tagged: Sequence[str]
    theme_names: Mapping[str, str]


class Record(Message):
    """A section asks to append an entry to the safety trail."""

    def __init__(self, kind: str, key: str = "", value: str = "", note: str = "") -> None:
        super().__init__()
        self.kind = kind
        self.key = key
        self.value = value
        self.note = note


class SafetySection(VerticalScroll, can_focus=False):
    """A section of the safety check (the screen hides them all in discreet mode)."""

    title = ""

    def show(self, context: SafetyContext) -> None:
        """Redraw from the context (called after every change to the trail); each
        section overrides this."""

    def record(self, kind: str, key: str = "", value: str = "", note: str = "") -> None:
        self.post_message(Record(kind, key, value, note))

    def status(self, context: SafetyContext) -> str:
        """A few words for the section list, e.g. "gedaan" or "2 aangevinkt"."""
        return ""
