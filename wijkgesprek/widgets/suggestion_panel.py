"""The "Aanbod" panel: suggestions from the sociale kaart, and the household's referrals."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from wijkgesprek.content.model import Entry
from wijkgesprek.domain.referral import ReferralData, state_text
from wijkgesprek.domain.suggest import Suggestion, matches_filter
from wijkgesprek.text import visible

if TYPE_CHECKING:
    from wijkgesprek.app import WijkgesprekApp


def offer_heading(
    theme_name: Callable[[str], str],
    *,
    wijk: str,
    themes: Sequence[str],
    gaps: Sequence[str],
    problem: str | None,
    why: str = "",
) -> str:
    """The lines above the offers: for which themes, why informal offers come first,
    where nothing was found."""
    place = visible(wijk)
    if themes:
        lines = [f"Aanbod in {place} voor " + ", ".join(map(theme_name, themes))]
    else:
        lines = [f"Alle aanbod in {place}. Koppel thema's (F3) voor gerichte suggesties."]
    lines += [why] if why else []
    lines += [f"Geen aanbod voor '{theme_name(t)}' in {place}." for t in gaps]
    if problem:
        lines.append(problem)
    return "\n".join(lines)


def contact_line(entry: Entry) -> str:
    parts = (entry.contact.telefoon, entry.contact.email, entry.contact.website)
    return " · ".join(part for part in parts if part)


class SuggestionPanel(Vertical):
    """Typing filters; Enter on an offer asks for a referral; Enter on a referral asks to
    change it.

    A view: the screen gives it what to show (:meth:`show`) and acts on its messages
    (:class:`Refer`, :class:`ChangeReferral`): it writes nothing and opens no screen.
    """

    app: WijkgesprekApp

    BINDINGS = [
        Binding("down", "to_list", "Naar de lijst", show=False),
    ]

    class Refer(Message):
        """Enter on an offer: make a referral to it."""

        def __init__(self, suggestion: Suggestion) -> None:
            super().__init__()
            self.suggestion = suggestion

    class ChangeReferral(Message):
        """Enter on a referral of the household: change its state."""

        def __init__(self, referral: ReferralData) -> None:
            super().__init__()
            self.referral = referral

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.suggestions: list[Suggestion] = []
        self.shown: list[Suggestion] = []
        self.referrals: list[ReferralData] = []

    def compose(self) -> ComposeResult:
        yield Static("", id="aanbod-heading", markup=False)
        yield Input(placeholder="Typ om te filteren…", id="aanbod-filter", compact=True)
        yield OptionList(id="aanbod-list", markup=False)
        yield Static("", id="aanbod-detail", markup=False)
        yield Static("Verwijzingen van dit huishouden", id="referral-heading")
        yield OptionList(id="referral-list", markup=False)

    def show(
        self,
        *,
        heading: str,
        suggestions: Sequence[Suggestion],
        referrals: Sequence[ReferralData],
    ) -> None:
        self.query_one("#aanbod-heading", Static).update(heading)
        self.suggestions = list(suggestions)
        self._filter(self.query_one("#aanbod-filter", Input).value)
        self.show_referrals(referrals)

    def show_referrals(self, referrals: Sequence[ReferralData]) -> None:
        self.referrals = list(referrals)
        listing = self.query_one("#referral-list", OptionList)
        listing.clear_options()
        listing.add_options(
            Option(Content(visible(f"{referral.naam} — {state_text(referral)}")))
            for referral in self.referrals
        )
        listing.display = bool(self.referrals)
        if self.referrals:
            listing.highlighted = 0
        self.query_one("#referral-heading").display = bool(self.referrals)

    @on(Input.Changed, "#aanbod-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self._filter(event.value)

    def _filter(self, text: str) -> None:
        self.shown = [s for s in self.suggestions if matches_filter(s, text)]
        listing = self.query_one("#aanbod-list", OptionList)
        listing.clear_options()
        listing.add_options(
            Option(
                Content.assemble(
                    (s.entry.naam, "bold"), f" ({s.entry.soort})\n  ", (s.reason, "dim")
                )
            )
            for s in self.shown
        )
        if self.shown:
            listing.highlighted = 0
        self._detail(0 if self.shown else None)

    def _detail(self, index: int | None) -> None:
        detail = self.query_one("#aanbod-detail", Static)
        if index is None or index >= len(self.shown):
            detail.update("Geen aanbod gevonden." if self.suggestions else "")
            return
        entry = self.shown[index].entry
        detail.update(
            " · ".join(part for part in (entry.wanneer, entry.kosten, contact_line(entry)) if part)
        )

    @on(OptionList.OptionHighlighted, "#aanbod-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._detail(event.option_index)

    @on(Input.Submitted, "#aanbod-filter")
    def _submit_filter(self) -> None:
        highlighted = self.query_one("#aanbod-list", OptionList).highlighted
        if self.shown:
            self._refer(self.shown[highlighted or 0])

    @on(OptionList.OptionSelected, "#aanbod-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._refer(self.shown[event.option_index])

    def _refer(self, suggestion: Suggestion) -> None:
        self.post_message(self.Refer(suggestion))

    @on(OptionList.OptionSelected, "#referral-list")
    def _referral_selected(self, event: OptionList.OptionSelected) -> None:
        self.post_message(self.ChangeReferral(self.referrals[event.option_index]))

    def action_to_list(self) -> None:
        if self.query_one("#aanbod-filter", Input).has_focus and self.shown:
            self.query_one("#aanbod-list", OptionList).focus()

    def focus_filter(self) -> None:
        # Now, not deferred (Widget.focus): keys typed right after F9 land in the filter.
        self.screen.set_focus(self.query_one("#aanbod-filter", Input))
