"""The base of every dialog: a modal screen with its own keys in its own footer."""

from __future__ import annotations

from typing import TypeVar

from textual.binding import Binding
from textual.screen import ModalScreen

T = TypeVar("T")


class Dialog(ModalScreen[T]):
    """A dialog. Each one composes a ``Footer`` last, so the keys shown at the bottom
    are the dialog's own, with F1 for its help (the App's F1 handles the key; this
    binding only puts it in the footer, which shows no App keys over a dialog)."""

    BINDINGS = [Binding("f1", "app.help", "Hulp", id="dialoog-hulp")]
