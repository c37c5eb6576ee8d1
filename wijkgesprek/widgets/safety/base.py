"""What every safety section shares: the context it shows, and how it records."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Input, TextArea

from wijkgesprek.content.model import SafetyGuide
from wijkgesprek.domain.household import Children
from wijkgesprek.domain.meldcode import Contact
from wijkgesprek.domain.safety import SafetyEntry
from wijkgesprek.widgets.note_area import NoteArea


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
    """The screen the sections are on: it appends to the trail and redraws them, and
    opens the dialogs a section asks for (a widget is a view: it opens no screens)."""

    def record_entry(self, kind: str, key: str, value: str, note: str) -> bool: ...

    def ask_choice(
        self,
        title: str,
        text: str,
        answers: list[tuple[str, str]],
        done: Callable[[str | None], None],
    ) -> None: ...

    def ask_contact(self, done: Callable[[Contact | None], None]) -> None: ...


Field = Input | TextArea
"""Where a professional types: every Input and TextArea of a section."""


def field_text(field: Field) -> str:
    return field.text if isinstance(field, TextArea) else field.value


class SafetyInput(Input):
    """A one-line field of a safety section. Its Enter is handled the moment it arrives
    (a priority binding that calls the section, not a message), so the focus it moves
    or the entry it keeps is in place before the next key typed: a fast typist's
    "ouder", Enter, "6" never puts the 6 after "ouder"."""

    BINDINGS = [Binding("enter", "entered", show=False, priority=True)]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(select_on_focus=False, **kwargs)

    def action_entered(self) -> None:
        self.query_ancestor(SafetySection).entered(self)


class SafetySection(VerticalScroll, can_focus=False):
    """A section of the safety check (the screen hides them all in discreet mode).

    Its fields are never selected when they get the focus (a digit typed there would
    replace what they hold), and Escape in one of them is handled by the screen with
    :meth:`withdraw`, :meth:`typed` and :meth:`leave_field`."""

    title = ""

    def on_mount(self) -> None:
        # Textual selects an Input's text on focus: a stray key would replace it.
        for field in self.query(Input):
            field.select_on_focus = False

    def entered(self, field: SafetyInput) -> None:
        """Enter in ``field``, handled at once; sections override this."""

    def asker(self) -> Recorder:
        """The screen, for the dialogs a section needs."""
        screen: Recorder = self.screen  # type: ignore[assignment]
        return screen

    def show(self, context: SafetyContext) -> None:
        """Redraw from the context (called after every change to the trail); each
        section overrides this."""

    def record(
        self,
        kind: str,
        key: str = "",
        value: str = "",
        note: str = "",
        *,
        kept: Iterable[str] | None = None,
    ) -> bool:
        """Append to the trail now (not through a message: a key typed straight after,
        such as Escape, may close the screen, and the entry must be kept first). The
        same value as the last one for this key is not appended again. True when it is
        in the trail; then the fields ``kept`` (ids; by default the focused field of this
        section) hold what is kept, nothing left to lose."""
        screen: Recorder = self.screen  # type: ignore[assignment]
        if not screen.record_entry(kind, key, value, note):
            return False
        if kept is None:
            focused = self.screen.focused
            kept = (
                [str(focused.id)]
                if isinstance(focused, Field) and self in focused.ancestors
                else []
            )
        self.remember_fields(kept)
        return True

    _shown: dict[str, str] | None = None

    def remember_fields(self, only: Iterable[str] | None = None) -> None:
        """What the fields (all, or those with the ids ``only``) hold now: as shown after
        the last change to the trail, nothing typed to lose."""
        fields = self.fields()
        if only is None:
            self._shown = fields
        else:
            self._shown = dict(self._shown or {})
            self._shown.update({widget_id: fields[widget_id] for widget_id in only})

    def redraw(self, context: SafetyContext) -> None:
        """:meth:`show`, and what it did to the fields: a field it filled in (a kept
        column, a draft) holds what is shown; typed text that is not kept yet stays,
        also where the section would have filled in something else."""
        before = self.fields()
        typed = set(self._unsaved_fields())
        self.show(context)
        shown = []
        for widget_id, text in self.fields().items():
            if text == before.get(widget_id):
                continue
            if widget_id in typed:
                self._put(self.query_one(f"#{widget_id}"), before[widget_id])
            else:
                shown.append(widget_id)
        self.remember_fields(shown)

    def unsaved(self) -> bool:
        """Whether something was typed here that is not in the trail (yet): a field
        holding text other than it held after the last change (a field emptied after
        recording holds nothing to lose)."""
        return bool(self._unsaved_fields())

    def _unsaved_fields(self) -> list[str]:
        shown = self._shown or {}
        return [
            widget_id
            for widget_id, value in self.fields().items()
            if value.strip() and value != shown.get(widget_id, "")
        ]

    def typed(self, field: Field) -> bool:
        """Whether ``field`` holds typed text that is not kept (yet)."""
        return str(field.id) in self._unsaved_fields()

    def withdraw(self, field: Field) -> bool:
        """Escape in ``field`` first takes back what it was about to do (a confirmation
        shown after an Enter); True when there was something. Sections override this."""
        return False

    def cancel(self, widget: Widget) -> bool:
        """Escape on ``widget``, a part of the section that is not a field: True when it
        took back something in progress (the focus then stays). Sections override this."""
        return False

    def leave_field(self, field: Field) -> Widget | None:
        """Escape from ``field`` with nothing typed to lose (or after the professional
        chose not to keep it): the field holds again what it held after the last change
        to the trail. Returns where the focus goes: None for the list of sections (a
        section whose field belongs to one of its own lists overrides this)."""
        self._put(field, (self._shown or {}).get(str(field.id), ""))
        return None

    @staticmethod
    def _put(field: Widget, text: str) -> None:
        if isinstance(field, NoteArea):
            if field.text != text:
                field.load_note(text)
        elif isinstance(field, TextArea):
            if field.text != text:
                field.load_text(text)
        elif isinstance(field, Input):
            field.value = text

    def focus_unsaved(self) -> None:
        """Back to the first field whose typed text is not kept yet."""
        for widget_id in self._unsaved_fields():
            self.screen.set_focus(self.query_one(f"#{widget_id}"))
            return
        self.focus_first()

    def fields(self) -> dict[str, str]:
        return {
            str(widget.id): field_text(widget)
            for widget in self.query("Input, TextArea")
            if isinstance(widget, Field)
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
