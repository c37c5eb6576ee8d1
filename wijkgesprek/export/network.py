"""The netwerkkaart in the exports: a table in the dossier, "Wie helpt mee?" in the
family version, and a drawing as an SVG file beside the dossier's Markdown.

The SVG is written by hand with every text escaped for XML (``xml.sax.saxutils``): a
role or name a person typed is only ever the content of a ``<text>`` element, never an
attribute or markup. It draws what the screen draws (``domain.network_map
.placements``): the household in the middle, who is close on the inner circle.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from wijkgesprek.content.model import COSTS, GIVES, Guide
from wijkgesprek.domain.network_map import (
    Person,
    family_lines,
    helps_text,
    label,
    map_changes,
    placements,
    summary_line,
)
from wijkgesprek.domain.visit import HouseholdHistory, VisitHistory, map_before
from wijkgesprek.export.mdtext import inline
from wijkgesprek.text import visible

SVG_SUFFIX = "-netwerkkaart.svg"
_WIDTH, _HEIGHT = 720, 520
_RADII = {1: 120.0, 2: 225.0}


def image_name(markdown: Path) -> str:
    """The SVG's file name beside ``markdown`` (the dossier)."""
    return markdown.stem + SVG_SUFFIX


def drawn_visit(scope: Sequence[VisitHistory]) -> VisitHistory | None:
    """The visit whose map the drawing shows: the last one in ``scope`` with a map."""
    with_map = [visit for visit in scope if visit.record.network is not None]
    return with_map[-1] if with_map else None


def drawn_in(history: HouseholdHistory, visit_id: int | None) -> VisitHistory | None:
    """The visit whose map a dossier of ``visit_id`` (None: every visit) draws."""
    scope = [v for v in history.visits if visit_id is None or v.record.id == visit_id]
    return drawn_visit(scope)


def write_beside(
    markdown: Path,
    history: HouseholdHistory,
    guide: Guide,
    *,
    visit_id: int | None,
    overwrite: bool,
    data_folder: Path,
    exists_hint: str = "Kies een andere naam, of gebruik --overschrijven.",
) -> tuple[str | None, str]:
    """Write the drawing of the map a dossier at ``markdown`` shows beside it (0600,
    recorded for erasure with the household). Returns the file name to link (None: no
    map to draw) and "" or a Dutch warning about the record. Raises ``WijkError``."""
    from wijkgesprek.export.files import write_recorded

    drawn = drawn_in(history, visit_id)
    if drawn is None or drawn.record.network is None:
        return None, ""
    number = next(n for n, v in enumerate(history.visits, 1) if v is drawn)
    title = f"Netwerkkaart {history.code}, bezoek {number}"
    path = markdown.with_name(image_name(markdown))
    warning = write_recorded(
        path,
        svg(drawn.record.network, guide, title=title).encode("utf-8"),
        overwrite=overwrite,
        codes=[history.code],
        kind="netwerkkaart",
        data_folder=data_folder,
        exists_hint=exists_hint,
    )
    return path.name, warning


def dossier_section(
    visit: VisitHistory,
    history: HouseholdHistory,
    guide: Guide,
    *,
    image: str | None = None,
    number: int = 0,
) -> list[str]:
    """``### Netwerkkaart`` of one visit: a table, the summary, what changed since the
    map before, and the drawing when ``image`` names its file."""
    people = visit.record.network
    if people is None:
        return []
    network = guide.network
    out = ["", "### Netwerkkaart", ""]
    if people:
        out += [
            "| wie | groep | dichtbij wie | helpt met | afstand | energie | meer doen "
            "| veiligheidsnetwerk |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for person in people:
            cells = (
                label(person),
                network.group_name(person.group),
                person.member or "het hele gezin",
                helps_text(person, network) or "—",
                network.closeness_text(person.closeness).lower(),
                {GIVES: "geeft energie", COSTS: "kost energie"}.get(person.energy, "onbekend"),
                "ja" if person.more else "—",
                "ja" if person.safety else "—",
            )
            out.append("| " + " | ".join(inline(cell) for cell in cells) + " |")
        out.append("")
    out.append(f"*{inline(summary_line(people, network))}*")
    before = map_before(history, visit.record.id)
    changes = map_changes(before, people, network) if before is not None else []
    if changes:
        out += ["", "Veranderd sinds het bezoek ervoor:", ""]
        out += [f"- {inline(line)}" for line in changes]
    if image:
        out += ["", f"![Netwerkkaart van bezoek {number}]({image})"]
    return out


def family_section(people: Sequence[Person] | None, guide: Guide) -> list[str]:
    """``## Wie helpt mee?``: the people around the family, in plain words."""
    if not people:
        return []
    return ["", "## Wie helpt mee?", ""] + [
        f"- {inline(line)}" for line in family_lines(people, guide.network)
    ]


def _text(x: float, y: float, content: str, *, css: str, anchor: str = "middle") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" class="{css}">'
        f"{escape(visible(content))}</text>"
    )


def svg(people: Sequence[Person], guide: Guide, *, title: str) -> str:
    """The map as an SVG image (UTF-8 text)."""
    cx, cy = _WIDTH / 2, _HEIGHT / 2 - 10
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_WIDTH}" height="{_HEIGHT}" '
        f'viewBox="0 0 {_WIDTH} {_HEIGHT}" role="img">',
        f"<title>{escape(visible(title))}</title>",
        "<style>"
        "text{font-family:sans-serif;font-size:14px;fill:#222}"
        ".eigen{font-weight:bold}.formeel{font-style:italic}"
        ".gezin{font-weight:bold;font-size:16px}.uitleg{font-size:12px;fill:#555}"
        "circle{fill:none;stroke:#999;stroke-dasharray:4 4}"
        "</style>",
    ]
    for radius in _RADII.values():
        parts.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{radius:.1f}"/>')
    parts.append(_text(cx, cy + 5, "gezin", css="gezin"))
    for placed in placements(people, guide.network):
        angle = math.radians(placed.angle)
        radius = _RADII[placed.ring]
        x, y = cx + radius * math.cos(angle), cy + radius * math.sin(angle) + 5
        person = placed.person
        text = ("◆ " if person.safety else "") + label(person) + (" ↑" if person.more else "")
        parts.append(_text(x, y, text, css="eigen" if person.informal else "formeel"))
    parts.append(
        _text(
            16,
            _HEIGHT - 14,
            "binnen: dichtbij · buiten: verder weg · vet: eigen kring · ↑ wil meer doen · "
            "◆ veiligheidsnetwerk",
            css="uitleg",
            anchor="start",
        )
    )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
