"""A labelled one-line form field, the same in every dialog."""

from __future__ import annotations

from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Label


def field(label: str, widget: Widget, *, id: str | None = None, classes: str = "") -> Horizontal:
    """``label`` on the left (in the muted colour), ``widget`` filling the rest of the line."""
    return Horizontal(
        Label(label, classes="field-label"), widget, classes=f"field {classes}".strip(), id=id
    )
