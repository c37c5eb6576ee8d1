"""Signals in three groups, each tickable with a note in the family's own words."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from wijkgesprek.domain.safety import SIGNAL, current
from wijkgesprek.widgets.safety.base import SafetyContext, SafetySection


class SignalsSection(SafetySection):
    title = "Signalen"

    def __init__(self, **kwargs: str) -> None:
        super().__init__(**kwargs)
        self.keys: list[str | None] = []
        self.ticked: dict[str, str] = {}
        self.pending = ""

    def compose(self) -> ComposeResult:
        yield Static(
            "Een hulpmiddel om te objectiveren, geen score die beslist. Enter vinkt aan of uit.",
            classes="section-label",
        )
        yield OptionList(id="signal-list", markup=False)
        yield Input(
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
                    prompt = Content.assemble(prompt, ("\n   “" + note + "”", "italic"))
                listing.add_option(Option(prompt))
                self.keys.append(key)
        listing.highlighted = 1 if highlighted is None else highlighted

    def status(self, context: SafetyContext) -> str:
        count = sum(1 for e in current(context.entries, SIGNAL).values() if e.value == "aan")
        return f"{count} aangevinkt" if count else ""

    @on(OptionList.OptionSelected, "#signal-list")
    def _toggle(self, event: OptionList.OptionSelected) -> None:
        key = self.keys[event.option_index]
        if key is None:
            return
        if key in self.ticked:
            self.record(SIGNAL, key, "uit")
            return
        self.pending = key
        note = self.query_one("#signal-note", Input)
        note.display = True
        note.value = ""
        note.focus()

    @on(Input.Submitted, "#signal-note")
    def _note(self, event: Input.Submitted) -> None:
        if self.pending:
            self.record(SIGNAL, self.pending, "aan", event.value.strip())
        self.pending = ""
        event.input.display = False
        self.query_one("#signal-list", OptionList).focus()
