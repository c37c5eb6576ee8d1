"""What every safety section shares: the context it shows, and how it records."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from textual.containers import VerticalScroll
from textual.widgets import Input, TextArea

from wijkgesprek.content.model import SafetyGuide
from wijkgesprek.domain.household import Children
from wijkgesprek.domain.safety import SafetyEntry


@dataclass(frozen=True)
class SafetyContext:
    """Everything a section needs to draw itself."""

    guide: SafetyGuide
    visit_id: int
    started: datetime
    """When this visit started: earlier visits are "vorige keer"."""
    entries: Sequence[SafetyEntry]
    """The trail of this visit, oldest first."""
    history: Sequence[tuple[datetime, SafetyEntry]]
    """The trail of every visit of the household, with each visit's start."""
    children: Children
    tagged: Sequence[str]
    theme_names: Mapping[str, str]


class Recorder(Protocol):
    """The screen the sections are on: it appends to the trail and redraws them."""

    def record_entry(self, kind: str, key: str, value: str, note: str) -> None: ...


class SafetySection(VerticalScroll, can_focus=False):
    """A section of the safety check (the screen hides them all in discreet mode)."""

    title = ""

    def show(self, context: SafetyContext) -> None:
        """Redraw from the context (called after every change to the trail); each
        section overrides this."""

    def record(self, kind: str, key: str = "", value: str = "", note: str = "") -> None:
        """Append to the trail now (not through a message: a key typed straight after,
        such as Escape, may close the screen, and the entry must be kept first)."""
        screen: Recorder = self.screen  # type: ignore[assignment]
        screen.record_entry(kind, key, value, note)

    _shown: dict[str, str] | None = None

    def remember_fields(self) -> None:
        """What the fields hold now, as shown after the last change to the trail."""
        self._shown = self._fields()

    def unsaved(self) -> bool:
        """Whether something was typed here that is not in the trail (yet): a field
        holding text other than it held after the last change (a field emptied after
        recording holds nothing to lose)."""
        return bool(self._unsaved_fields())

    def _unsaved_fields(self) -> list[str]:
        shown = self._shown or {}
        return [
            widget_id
            for widget_id, value in self._fields().items()
            if value.strip() and value != shown.get(widget_id, "")
        ]

    def focus_unsaved(self) -> None:
        """Back to the first field whose typed text is not kept yet."""
        for widget_id in self._unsaved_fields():
            self.screen.set_focus(self.query_one(f"#{widget_id}"))
            return
        self.focus_first()

    def _fields(self) -> dict[str, str]:
        return {
            str(widget.id): widget.text if isinstance(widget, TextArea) else widget.value
            for widget in self.query("Input, TextArea")
            if isinstance(widget, Input | TextArea)
        }

    def focus_first(self) -> None:
        """Where typing goes when the section is opened: its first field."""
        for widget in self.query("*"):
            if widget.focusable:
                self.screen.set_focus(widget)
                return

    def status(self, context: SafetyContext) -> str:
        """A few words for the section list, e.g. "gedaan" or "2 aangevinkt"."""
        return ""
