"""Signals in three groups, each tickable with a note in the family's own words."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from wijkgesprek.domain.safety import SIGNAL, current
from wijkgesprek.text import quoted, visible
from wijkgesprek.widgets.safety.base import Field, SafetyContext, SafetyInput, SafetySection


class SignalList(OptionList):
    """Enter ticks or unticks the highlighted signal at once (a priority binding that
    calls the section): the words typed straight after it land in the field it opens."""

    BINDINGS = [Binding("enter", "tick", "Aan/uit", show=False, priority=True)]

    def action_tick(self) -> None:
        if self.highlighted is not None:
            self.query_ancestor(SignalsSection).toggle(self.highlighted)


class SignalsSection(SafetySection):
    title = "Signalen"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.keys: list[str | None] = []
        self.ticked: dict[str, str] = {}
        self.pending = ""

    def compose(self) -> ComposeResult:
        yield Static(
            "Een hulpmiddel om te objectiveren, geen score die beslist. Enter vinkt aan of uit.",
            classes="section-label",
        )
        yield SignalList(id="signal-list", markup=False)
        yield SafetyInput(
            placeholder="In de woorden van het gezin (mag leeg); Enter bewaart",
            id="signal-note",
            compact=True,
            max_length=300,
        )

    def on_mount(self) -> None:
        self.query_one("#signal-note").display = False

    def show(self, context: SafetyContext) -> None:
        self.ticked = {
            key: entry.note
            for key, entry in current(context.entries, SIGNAL).items()
            if entry.value == "aan"
        }
        listing = self.query_one("#signal-list", OptionList)
        highlighted = listing.highlighted
        listing.clear_options()
        self.keys = []
        for group in context.guide.signal_groups:
            listing.add_option(Option(Content.styled(group.titel, "bold"), disabled=True))
            self.keys.append(None)
            for signal in group.signals:
                key = f"{group.id}/{signal.id}"
                mark = "☑" if key in self.ticked else "☐"
                note = self.ticked.get(key, "")
                prompt = Content(f"{mark} {signal.tekst}")
                if note:
                    prompt = Content.assemble(prompt, ("\n   " + quoted(visible(note)), "italic"))
                listing.add_option(Option(prompt))
                self.keys.append(key)
        listing.highlighted = 1 if highlighted is None else highlighted

    def status(self, context: SafetyContext) -> str:
        count = sum(1 for e in current(context.entries, SIGNAL).values() if e.value == "aan")
        return f"{count} aangevinkt" if count else ""

    @on(OptionList.OptionSelected, "#signal-list")
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        self.toggle(event.option_index)

    def toggle(self, index: int) -> None:
        """Untick a ticked signal; tick another one after its words (Enter)."""
        key = self.keys[index]
        if key is None:
            return
        if key in self.ticked:
            self.record(SIGNAL, key, "uit")
            return
        self.pending = key
        note = self.query_one("#signal-note", Input)
        note.display = True
        note.value = ""
        self.screen.set_focus(note)

    def entered(self, field: SafetyInput) -> None:
        """Enter ticks the signal with the words typed (they may be empty: the signal was
        chosen with Enter on the list)."""
        if self.pending and not self.record(
            SIGNAL, self.pending, "aan", field.value.strip(), kept=()
        ):
            return  # not written (said once): the words stay
        self.leave_field(field)

    def leave_field(self, field: Field) -> Widget | None:
        """The words field belongs to the signal chosen: Escape (or Enter) closes it and
        goes back to the signals, nothing ticked."""
        if field.id != "signal-note":
            return super().leave_field(field)
        self.pending = ""
        field.clear()
        field.display = False
        listing = self.query_one("#signal-list", OptionList)
        self.screen.set_focus(listing)
        return listing
