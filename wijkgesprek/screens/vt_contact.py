"""Record what was done with Veilig Thuis: advice asked, a melding made, or — with the
reason — not reported yet (step 5 of the Meldcode route)."""

from __future__ import annotations

from datetime import date

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Input, Static
from textual.widgets.option_list import Option

from wijkgesprek.domain.meldcode import (
    ADVICE,
    CONTACT_KINDS,
    NOT_YET,
    REPORT,
    Contact,
    contact_day,
    contact_problem,
)
from wijkgesprek.screens.dialog import Dialog
from wijkgesprek.widgets.field import field
from wijkgesprek.widgets.numbered_list import NumberedList

HELP = """\
# Veilig Thuis: wat is er gedaan?

Leg vast wat u deed nadat het afwegingskader uitkwam op **melden**, of toen u
Veilig Thuis om advies vroeg:

1. **Advies gevraagd**: de datum, met wie u sprak (de rol, geen naam), het
   kenmerk dat Veilig Thuis gaf en wat u afsprak.
2. **Melding gedaan**: hetzelfde, voor de melding.
3. **Nog niet gemeld**: alleen met de reden. Het bezoek kan dan worden
   afgesloten, maar het gezin blijft bovenaan de lijst staan tot de melding is
   vastgelegd.

Kies met het cijfer of de pijltjes en **Enter**. **Enter** gaat naar het volgende
veld; in het laatste veld, of met **Ctrl+S**, wordt het bewaard. Een lege datum is
vandaag; verder mag *gisteren*, 3-12 of 3-12-2026. **Escape** gaat terug zonder iets
vast te leggen (en vraagt eerst, als u al iets typte).
"""

_FIELDS = ("vt-day", "vt-met", "vt-kenmerk", "vt-afspraak")


class VtContactScreen(Dialog[Contact | None]):
    HELP = HELP
    BINDINGS = [
        Binding("escape", "cancel", "Terug", id="vt-terug", priority=True),
        Binding("ctrl+s", "save", "Bewaren", id="vt-bewaren", priority=True),
        # Handled the moment it arrives (not through Input.Submitted, which comes later):
        # what is typed after Enter lands in the next field.
        Binding("enter", "next", "Volgende", show=False, priority=True),
    ]

    def __init__(self, today: date | None = None) -> None:
        super().__init__()
        self.today = today or date.today()
        self.kind = ""

    def compose(self) -> ComposeResult:
        with Vertical(id="vt-dialog", classes="dialog safety-detail"):
            yield Static("Veilig Thuis: wat is er gedaan?", classes="dialog-title")
            yield NumberedList(
                *[
                    Option(f"{n} {label}", id=kind)
                    for n, (kind, label) in enumerate(CONTACT_KINDS.items(), start=1)
                ],
                id="vt-kind",
                on_choose=self._chosen,
            )
            yield field("Datum", self._input("vt-day", "leeg is vandaag; of 3-12-2026", 20))
            yield field("Met wie (rol)", self._input("vt-met", "bijv. medewerker Veilig Thuis", 80))
            yield field("Kenmerk", self._input("vt-kenmerk", "het nummer van Veilig Thuis", 40))
            yield field("Afgesproken", self._input("vt-afspraak", "wat u afsprak", 300))
            yield field("Waarom nog niet?", self._input("vt-reden", "de reden", 300))
            yield Static("", id="vt-error", classes="form-error", markup=False)
        with Vertical(classes="dialog discreet-only"):
            yield Static("Discrete weergave. Ctrl+G toont dit venster weer; Escape gaat terug.")
        yield Footer(compact=True, show_command_palette=False)

    @staticmethod
    def _input(widget_id: str, placeholder: str, length: int) -> Input:
        return Input(
            placeholder=placeholder,
            id=widget_id,
            compact=True,
            max_length=length,
            select_on_focus=False,
        )

    def on_mount(self) -> None:
        self._show_fields()
        self.set_focus(self.query_one("#vt-kind", NumberedList))

    def _show_fields(self) -> None:
        for widget_id in _FIELDS:
            self.query_one(f"#{widget_id}").parent.display = self.kind in (ADVICE, REPORT)  # type: ignore[union-attr]
        self.query_one("#vt-reden").parent.display = self.kind == NOT_YET  # type: ignore[union-attr]

    def _chosen(self, index: int) -> None:
        self.kind = list(CONTACT_KINDS)[index]
        self._show_fields()
        self.query_one("#vt-error", Static).update("")
        if self.kind == NOT_YET:
            self.set_focus(self.query_one("#vt-reden", Input))
            return
        # Empty is today (its placeholder says so): a "vandaag" put in the field would have
        # a typed date added to it, and selecting it would let a stray key replace it.
        self.set_focus(self.query_one("#vt-day", Input))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next":  # in the fields; the list keeps its own Enter
            return isinstance(self.focused, Input)
        return True

    def action_next(self) -> None:
        widget_id = self.focused.id if self.focused is not None else ""
        if widget_id in _FIELDS[:-1]:
            following = _FIELDS[_FIELDS.index(widget_id) + 1]
            self.set_focus(self.query_one(f"#{following}", Input))
            return
        self.action_save()

    def _value(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value.strip()

    def contact(self) -> Contact:
        if self.kind == NOT_YET:
            return Contact(kind=NOT_YET, reden=self._value("vt-reden"))
        typed = self._value("vt-day") or "vandaag"
        return Contact(
            kind=self.kind,
            day=contact_day(typed, self.today),
            met=self._value("vt-met"),
            kenmerk=self._value("vt-kenmerk"),
            afspraak=self._value("vt-afspraak"),
        )

    def action_save(self) -> None:
        if not self.kind:
            self.query_one("#vt-error", Static).update("Kies eerst wat er is gedaan: 1, 2 of 3.")
            return
        contact = self.contact()
        problem = contact_problem(contact)
        wrong_day = self.kind != NOT_YET and self._value("vt-day") and contact.day is None
        if wrong_day:
            problem = "Die datum ken ik niet, of hij ligt in de toekomst; bijv. vandaag of 3-12."
        self.query_one("#vt-error", Static).update(problem or "")
        if problem is None:
            self.dismiss(contact)
            return
        shown = [f for f in (*_FIELDS, "vt-reden") if self._field_shown(f)]
        empty = "vt-day" if wrong_day else next((f for f in shown if not self._value(f)), shown[0])
        self.set_focus(self.query_one(f"#{empty}", Input))

    def _field_shown(self, widget_id: str) -> bool:
        return bool(self.query_one(f"#{widget_id}").parent.display)  # type: ignore[union-attr]

    def action_cancel(self) -> None:
        from wijkgesprek.screens.choice import ChoiceScreen

        typed = any(self._value(f) for f in ("vt-met", "vt-kenmerk", "vt-afspraak", "vt-reden"))
        if not typed:
            self.dismiss(None)
            return

        def answered(answer: str | None) -> None:
            if answer == "weg":
                self.dismiss(None)
            elif answer == "bewaren":
                self.action_save()

        self.app.push_screen(
            ChoiceScreen(
                "Nog niet vastgelegd",
                "U typte iets dat nog niet is vastgelegd.",  # names nothing: discreet too
                [("bewaren", "Vastleggen"), ("terug", "Verder typen"), ("weg", "Niet vastleggen")],
            ),
            answered,
        )
