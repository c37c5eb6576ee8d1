"""The netwerkkaart drawn as rings around the household, closest inside.

Plain Rich text on a grid of characters: two dotted ellipses (a terminal cell is about
twice as high as it is wide), the household in the middle, and each person's label on
its ring at the angle ``domain.network_map.placements`` gives it. The only layout is
that: a label is kept inside the drawing, and moved a row out when it would cover
another. Labels are text as typed, never markup.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from wijkgesprek.domain.network_map import Placement, label
from wijkgesprek.text import visible

MORE = "↑"
"""After a label: could or would like to do more."""
SAFE = "◆"
"""Before a label: in the veiligheidsnetwerk."""
LABEL_WIDTH = 18
CENTRE = "gezin"

_DOT = Style(dim=True)
_INFORMAL = Style(bold=True)
_FORMAL = Style(italic=True)
_CENTRE = Style(bold=True, reverse=True)


def person_label(placed: Placement, *, names: bool, safety: bool, width: int = LABEL_WIDTH) -> str:
    """The label drawn for a person: "◆oma Ria↑", shortened to ``width``."""
    person = placed.person
    text = visible(label(person, names=names))
    head = SAFE if safety and person.safety else ""
    tail = MORE if person.more else ""
    room = max(1, width - len(head) - len(tail))
    if len(text) > room:
        text = text[: room - 1] + "…"
    return f"{head}{text}{tail}"


def draw(
    placed: Sequence[Placement], *, width: int, height: int, names: bool, safety: bool
) -> Text:
    """The drawing as Rich text of ``width`` × ``height`` cells."""
    width, height = max(width, 12), max(height, 5)
    chars = [[" "] * width for _ in range(height)]
    styles: list[list[Style | None]] = [[None] * width for _ in range(height)]
    centre_x, centre_y = (width - 1) / 2, (height - 1) / 2
    outer_y = max(centre_y - 1, 1.0)
    outer_x = min(centre_x - 2, outer_y * 2.2)
    radii = {1: (outer_x * 0.5, outer_y * 0.5), 2: (outer_x, outer_y)}

    def put(row: int, column: int, text: str, style: Style) -> None:
        for offset, char in enumerate(text):
            if 0 <= row < height and 0 <= column + offset < width:
                chars[row][column + offset] = char
                styles[row][column + offset] = style

    for radius_x, radius_y in radii.values():
        for step in range(0, 360, 4):
            angle = math.radians(step)
            row = round(centre_y + radius_y * math.sin(angle))
            column = round(centre_x + radius_x * math.cos(angle))
            put(row, column, "·", _DOT)
    put(round(centre_y), round(centre_x - len(CENTRE) / 2), CENTRE, _CENTRE)

    taken: list[tuple[int, int, int]] = []  # (row, first column, last column) of labels

    def free(row: int, first: int, last: int) -> bool:
        return all(r != row or last < a - 1 or first > b + 1 for r, a, b in taken)

    for placement in placed:
        radius_x, radius_y = radii[placement.ring]
        angle = math.radians(placement.angle)
        text = person_label(placement, names=names, safety=safety)
        row = round(centre_y + radius_y * math.sin(angle))
        middle = round(centre_x + radius_x * math.cos(angle))
        first = min(max(middle - len(text) // 2, 0), width - len(text))
        outward = 1 if math.sin(angle) >= 0 else -1
        for tried in (row, row + outward, row - outward, row + 2 * outward):
            if 0 <= tried < height and free(tried, first, first + len(text) - 1):
                row = tried
                break
        taken.append((row, first, first + len(text) - 1))
        put(row, first, text, _INFORMAL if placement.person.informal else _FORMAL)

    result = Text(no_wrap=True, overflow="crop", end="")
    for number, line in enumerate(chars):
        for char, style in zip(line, styles[number], strict=True):
            result.append(char, style)
        if number < height - 1:
            result.append("\n")
    return result


class NetworkDrawing(Widget):
    """Draws the placements it was last given, at its own size (again after a resize)."""

    DEFAULT_CSS = """
    NetworkDrawing {
        width: 1fr;
        height: 1fr;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.placed: tuple[Placement, ...] = ()
        self.names = True
        self.safety = True

    def show(self, placed: Sequence[Placement], *, names: bool, safety: bool) -> None:
        self.placed, self.names, self.safety = tuple(placed), names, safety
        self.refresh()

    def render(self) -> Text:
        return draw(
            self.placed,
            width=self.size.width,
            height=self.size.height,
            names=self.names,
            safety=self.safety,
        )
