"""At the start of a visit: what is still open from last time, to be marked."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from wijkgesprek.domain.referral import ReferralData, ReferralStep, state_text
from wijkgesprek.domain.visit import AgreementData
from wijkgesprek.screens.dialog import Dialog
from wijkgesprek.store import repo
from wijkgesprek.text import visible

if TYPE_CHECKING:
    from wijkgesprek.app import WijkgesprekApp

HELP = """\
# Nog open van vorige keer

Dit zijn de afspraken en verwijzingen van eerdere bezoeken die nog open staan.
Loop ze samen na. Kies een regel met de pijltjes:

- **g**: gedaan · **o**: nog open · **v**: vervallen (voor een afspraak);
- **Enter** op een verwijzing werkt de stand bij (aangemeld, wachtlijst, gestart,
  niet gelukt).

**Escape** gaat door naar het gesprek; wat nog open is, blijft open.
"""

STATES = {"g": "gedaan", "o": "open", "v": "vervallen"}


class CarryOverScreen(Dialog[None]):
    HELP = HELP
    BINDINGS = [
        Binding("g", "mark('g')", "Gedaan", id="afspraak-gedaan"),
        Binding("o", "mark('o')", "Nog open", id="afspraak-open"),
        Binding("v", "mark('v')", "Vervallen", id="afspraak-vervallen"),
        Binding("escape", "close", "Naar het gesprek", id="nog-open-sluiten"),
    ]

    app: WijkgesprekApp

    def __init__(
        self,
        visit_id: int,
        agreements: tuple[AgreementData, ...],
        referrals: tuple[ReferralData, ...],
    ) -> None:
        super().__init__()
        self.visit_id = visit_id
        self.items: list[AgreementData | ReferralData] = [*agreements, *referrals]
        self.marked: dict[int, str] = {}

    def compose(self) -> ComposeResult:
        with Vertical(id="carry-over", classes="dialog"):
            yield Static("Nog open van vorige keer", classes="dialog-title")
            yield OptionList(id="open-items", markup=False)
            yield Static(
                "g gedaan · o nog open · v vervallen · Enter verwijzing bijwerken · "
                "Escape naar het gesprek",
                classes="hint",
            )
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self._show()
        self.query_one("#open-items").focus()

    def _show(self) -> None:
        listing = self.query_one("#open-items", OptionList)
        highlighted = listing.highlighted
        listing.clear_options()
        for item in self.items:
            if isinstance(item, AgreementData):
                state = self.marked.get(item.id, item.status)
                late = " · over tijd" if state == "open" and item.overdue(date.today()) else ""
                text = (
                    f"Afspraak: {item.wat} — {item.wie or '?'} — {item.when() or '?'} "
                    f"[{state}{late}]"
                )
            else:
                text = f"Verwijzing: {item.naam} — {state_text(item)}"
            listing.add_option(Option(Content(visible(text))))
        listing.highlighted = 0 if highlighted is None else highlighted

    def _current(self) -> AgreementData | ReferralData | None:
        index = self.query_one("#open-items", OptionList).highlighted
        return None if index is None else self.items[index]

    def action_mark(self, key: str) -> None:
        item = self._current()
        if not isinstance(item, AgreementData):
            return
        if not self.app.write(
            repo.set_agreement_status,
            agreement_id=item.id,
            status=STATES[key],
            visit_id=self.visit_id,
            now=datetime.now(UTC),
        ):
            return
        self.marked[item.id] = STATES[key]
        self._show()
        listing = self.query_one("#open-items", OptionList)
        listing.action_cursor_down()

    @on(OptionList.OptionSelected, "#open-items")
    def _referral(self) -> None:
        item = self._current()
        if not isinstance(item, ReferralData):
            return
        from wijkgesprek.screens.referral_state import ReferralStateScreen, StateChange

        def done(change: StateChange | None) -> None:
            if change is None:
                return
            step = ReferralStep(change.state, change.reason, datetime.now(UTC), self.visit_id)
            if not self.app.write(
                repo.update_referral,
                referral_id=item.id,
                visit_id=self.visit_id,
                state=step.state,
                reason=step.reason,
                now=step.at,
            ):
                return
            self.items[self.items.index(item)] = item.moved(step)
            self._show()

        self.app.push_screen(ReferralStateScreen(item), done)

    def action_close(self) -> None:
        self.dismiss(None)
