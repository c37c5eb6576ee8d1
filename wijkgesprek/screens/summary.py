"""Afronden: what was touched and not, themes and agreements; then end the visit."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from wijkgesprek.content.model import SafetyGuide
from wijkgesprek.domain.household import describe_children
from wijkgesprek.domain.meldcode import follow_through
from wijkgesprek.domain.referral import state_text
from wijkgesprek.domain.safety import (
    SIGNAL,
    SafetyEntry,
    current,
    end_problems,
    has_concerns,
    kindcheck_text,
)
from wijkgesprek.domain.visit import VisitRecord, format_date, summarise
from wijkgesprek.errors import WijkError
from wijkgesprek.store import repo
from wijkgesprek.text import visible

if TYPE_CHECKING:
    from wijkgesprek.app import WijkgesprekApp

HELP = """\
# Afronden

De samenvatting laat zien welke onderwerpen aan bod kwamen en welke niet, de
thema's en de afspraken. Kijk of u iets heeft overgeslagen dat er toe doet,
zoals dromen en hoop of de veiligheid.

- **Ctrl+E** sluit het bezoek af. Een afgesloten bezoek verschijnt bij het
  huishouden met de datum. Bij kinderen (of een zwangerschap) kan dat pas als de
  kindcheck is vastgelegd, en bij zorgen pas als er een volgend contact is.
- **Ctrl+D** sluit af én bewaart het dossier en de gezinsversie van dit bezoek,
  in de map van de laatste export (anders de map wijkgesprek in uw map met
  documenten). Alleen u kunt
  de bestanden lezen; een bestaand bestand wordt nooit overschreven.
- **Escape** gaat terug naar het gesprek; het bezoek blijft open.
"""


DISCREET_TODO = "Afsluiten kan nog niet: er ontbreekt nog iets. Ctrl+G toont wat."


class SummaryScreen(Screen[bool]):
    """Returns True when the visit was ended, False when the user went back."""

    HELP = HELP
    BINDINGS = [
        Binding("ctrl+e", "end", "Afsluiten", id="afsluiten", tooltip="Sluit dit huisbezoek af"),
        Binding(
            "ctrl+d",
            "end(True)",
            "Afsluiten + export",
            id="afsluiten-exporteren",
            tooltip="Sluit af en bewaar het dossier en de gezinsversie van dit bezoek",
        ),
        Binding("escape", "back", "Terug", id="samenvatting-terug", priority=True),
    ]

    app: WijkgesprekApp

    def __init__(self, visit_id: int) -> None:
        super().__init__()
        self.visit_id = visit_id
        self.code = ""
        self.problems: list[str] = []
        self.closing: list[str] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="summary"):
            yield Static(id="summary-text")
            yield Static(id="summary-safety", classes="safety-detail")
            # What is still to do may name a finding ("zorgen"): hidden in discreet mode,
            # where a calm line stands in for it.
            with Vertical(classes="summary-todo safety-detail"):
                yield Static(id="summary-todo", markup=False)
            with Vertical(classes="summary-todo discreet-only"):
                yield Static(DISCREET_TODO, id="summary-todo-discreet")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.sub_title = "Samenvatting"
        read = self.app.read(repo.visit_safety, visit_id=self.visit_id)
        if read is None:  # locked, or the team database not answering: back
            self.app.call_later(self.dismiss)
            return
        record, entries, _history = read
        self.code = record.household_code
        self.query_one("#summary-text", Static).update(self.render_summary(record))
        guide = self.app.guide.safety
        self.query_one("#summary-safety", Static).update(render_safety(entries, guide))
        self.closing = follow_through(entries, guide).lines()
        self.problems = end_problems(
            children=record.children,
            entries=entries,
            next_contact=record.next_contact,
            guide=guide,
        )
        todo = self.query_one("#summary-todo", Static)
        todo.update("\n".join(["Nog te doen voor u afsluit:", *self.problems]))
        todo.display = bool(self.problems)
        self.query_one("#summary-todo-discreet").display = bool(self.problems)
        self.query_one("#summary").focus()

    def render_summary(self, record: VisitRecord) -> Content:
        guide = self.app.guide
        summary = summarise(record, tuple(topic.id for topic in guide.topics))
        started = record.started_at.astimezone().strftime("%d-%m-%Y %H:%M")

        def titles(topic_ids: tuple[str, ...]) -> str:
            return ", ".join(guide.topic(t).titel for t in topic_ids) or "geen"

        def theme_names() -> str:
            return ", ".join(guide.theme_name(t) for t in summary.themes) or "geen"

        lines = [
            Content.styled("Huisbezoek " + visible(record.household_code), "bold"),
            Content(visible(f"{record.wijk} · {describe_children(record.children)}")),
            Content(f"Begonnen: {started}"),
            Content(""),
            Content.styled("Aan bod gekomen", "bold"),
            Content(titles(summary.touched)),
            Content(""),
            Content.styled("Niet aan bod gekomen", "bold"),
            Content(titles(summary.untouched)),
            Content(""),
            Content.styled("Thema's", "bold"),
            Content(visible(theme_names())),
            Content(""),
            Content.styled("Afspraken", "bold"),
        ]
        lines += [
            Content(
                visible(
                    f"• {a.wat} — {a.wie or 'nog niet bepaald'} — {a.when() or 'nog niet bepaald'}"
                )
            )
            for a in summary.agreements
        ] or [Content("geen")]
        lines += [Content(""), Content.styled("Verwijzingen", "bold")]
        lines += [Content(visible(f"• {r.naam} — {state_text(r)}")) for r in summary.referrals] or [
            Content("geen")
        ]
        if summary.gaps:
            lines += [
                Content(""),
                Content.styled("Geen aanbod gevonden voor", "bold"),
                Content(visible(", ".join(guide.theme_name(t) for t in summary.gaps))),
            ]
        lines += [
            Content(""),
            Content.styled("Volgend contact", "bold"),
            Content(format_date(summary.next_contact) or "nog niet afgesproken"),
        ]
        return Content("\n").join(lines)

    def action_end(self, export: bool = False) -> None:
        """Ctrl+E: close the visit; Ctrl+D: close it and export the dossier and the
        family version of this visit into the export folder (the last one used)."""
        if self.problems:
            told = DISCREET_TODO if self.app.discreet else " ".join(self.problems)
            self.notify(told, severity="warning", timeout=10)
            return
        if not self.app.write(repo.end_visit, visit_id=self.visit_id, now=datetime.now(UTC)):
            return
        if export:
            self._export()
        else:
            self.notify(
                self._closing_message("Het huisbezoek is afgesloten en opgeslagen."), markup=False
            )
        self.dismiss(True)

    def _export(self) -> None:
        from wijkgesprek.screens.export import export_folder, write_export

        folder = export_folder(self.app)
        try:
            names = [
                write_export(
                    self.app, code=self.code, visit_id=self.visit_id, choice=choice, folder=folder
                ).name
                for choice in ("dossier-bezoek", "gezin")
            ]
        except (WijkError, OSError) as error:
            reason = str(error) if isinstance(error, WijkError) else f"de map {folder} kan niet."
            self.notify(
                f"Het huisbezoek is afgesloten en opgeslagen. Exporteren lukte niet: {reason} "
                "Exporteer vanuit de geschiedenis (g, e).",
                severity="warning",
                timeout=20,
                markup=False,
            )
            return
        self.notify(
            self._closing_message(
                f"Het huisbezoek is afgesloten. Bewaard in {folder}: {', '.join(names)}."
            ),
            timeout=15,
            markup=False,
        )

    def _closing_message(self, message: str) -> str:
        """The closing message, with the Meldcode route's outcome and what was done (not
        in discreet mode: the family may read along)."""
        if self.app.discreet or not self.closing:
            return message
        return " ".join([message, *self.closing])

    def action_back(self) -> None:
        self.dismiss(False)


def render_safety(entries: list[SafetyEntry], guide: SafetyGuide) -> Content:
    """The safety part of the summary (hidden in discreet mode)."""
    ticked = sum(1 for e in current(entries, SIGNAL).values() if e.value == "aan")
    lines = [
        Content(""),
        Content.styled("Veiligheid", "bold"),
        Content(visible("Kindcheck: " + kindcheck_text(entries))),
        Content(f"Signalen aangevinkt: {ticked}"),
    ]
    lines += [Content(visible(line)) for line in follow_through(entries, guide).lines()]
    if has_concerns(entries):
        lines.append(Content("Er zijn zorgen vastgelegd: houd het volgende contact aan."))
    return Content("\n").join(lines)
