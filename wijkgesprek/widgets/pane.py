"""Plain layout containers that draw nothing themselves.

Textual redraws every container that overlaps a change; a ``BLANK`` container is
painted as plain background without going through the styles cache. Use these only
for containers without a border or padding (those would not be drawn).
"""

from __future__ import annotations

from textual.containers import Horizontal, Vertical


class Column(Vertical):
    BLANK = True


class Row(Horizontal):
    BLANK = True
