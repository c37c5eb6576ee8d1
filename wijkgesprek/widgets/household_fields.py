"""The household's wijk and children as form fields, shared by the dialogs that start a
visit at a new household and that change a household's details.

- **Wijk**: a known wijk is completed by Tab and stored in its known spelling; an
  unknown one is asked about ("Bedoelt u Noord?") and only taken after Ctrl+N, pressed
  after that question for exactly that name.
- **Leeftijden**: the children's ages in whole years ("2 en 5"), plus three choices:
  zwanger, kinderen elders (zorgt mee), geen kinderen.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, SelectionList, Static

from wijkgesprek.domain.household import (
    ELSEWHERE,
    FLAGS,
    PREGNANT,
    Children,
    current_ages,
    read_children,
    wijk_problem,
)
from wijkgesprek.domain.wijk import known_spelling, not_known
from wijkgesprek.screens.dialog import Dialog
from wijkgesprek.text import visible
from wijkgesprek.widgets.completing_input import CompletingInput
from wijkgesprek.widgets.field import field
from wijkgesprek.widgets.toggle_list import ToggleList

NO_CHILDREN = "geen"
ResultT = TypeVar("ResultT")

HELP = """\
- **Wijk**: de wijk van het huishouden. Tab vult een bekende wijk aan (uit de
  sociale kaart en de andere huishoudens); hoofdletters maken niet uit. Een wijk
  die nog niet bekend is, vraagt wijkgesprek eerst na ("Bedoelt u Noord?"): verbeter
  de naam, of druk daarna op **Ctrl+N** om hem als nieuwe wijk te bewaren.
- **Leeftijden**: de leeftijd van elk kind in hele jaren, zoals de ouder het zegt:
  `2 en 5` (een baby: `0`, een tweeling: `3 en 3`). Bewaard wordt alleen het
  geboortejaar, zodat de leeftijd meegroeit; nooit een naam of geboortedatum.
- Kies met de pijltjes en de spatiebalk ook **zwanger** of **kinderen elders
  (zorgt mee)**, of **geen kinderen**. Een zwangerschap telt mee voor de kindcheck.
"""


class ChildrenList(ToggleList[str]):
    """The three choices: space toggles (at once), Enter submits the form."""

    BINDINGS = [Binding("enter", "screen.enter", "Opslaan", show=False, priority=True)]


class HouseholdFields(Vertical):
    """Wijk, ages and the three choices; :meth:`read` checks them together."""

    DEFAULT_CSS = """
    HouseholdFields {
        height: auto;
    }
    """

    def __init__(
        self, *, wijken: Sequence[str], wijk: str = "", children: Children | None = None
    ) -> None:
        super().__init__()
        self.wijken = tuple(wijken)
        self.wijk = wijk
        self.known = children
        self.asked: str | None = None
        """The unknown wijk last asked about: Ctrl+N takes it as a new wijk, as long as the
        field still holds exactly that name."""

    def compose(self) -> ComposeResult:
        known = self.known
        ages = current_ages(known, date.today()) if known else ()
        yield field(
            "Wijk",
            CompletingInput(
                self.wijken,
                value=self.wijk,
                placeholder="bijv. Noord (Tab vult aan)",
                id="wijk",
                max_length=40,
                compact=True,
            ),
        )
        yield field(
            "Leeftijden",
            Input(
                value=" en ".join(map(str, ages)),
                placeholder="in hele jaren, bijv. 2 en 5",
                id="ages",
                max_length=40,
                compact=True,
            ),
        )
        chosen = {
            PREGNANT: bool(known and known.pregnant),
            ELSEWHERE: bool(known and known.elsewhere),
            NO_CHILDREN: known is not None and not known.any,
        }
        options = [(label, flag, chosen[flag]) for flag, label in FLAGS.items()]
        options.append(("geen kinderen", NO_CHILDREN, chosen[NO_CHILDREN]))
        with Horizontal(classes="field children-field"):
            yield Label("Ook", classes="field-label")
            yield ChildrenList(*options, id="children")

    def read(self, *, confirm_new_wijk: bool = False) -> tuple[str, Children]:
        """The wijk (a known one in its spelling) and the children; ValueError with a Dutch
        sentence when something is missing, or the wijk is unknown and not yet confirmed."""
        typed = " ".join(self.query_one("#wijk", Input).value.split())
        problem = wijk_problem(typed)
        if problem:
            raise ValueError(problem)
        wijk = known_spelling(typed, self.wijken)
        if wijk is None:
            if not (confirm_new_wijk and self.asked == typed):
                self.asked = typed
                raise ValueError(
                    f"{not_known(typed, self.wijken)} Verbeter de wijk (Tab vult aan), of druk "
                    f"op Ctrl+N om '{typed}' als nieuwe wijk te bewaren."
                )
            wijk = typed
        selected = set(self.query_one("#children", SelectionList).selected)
        children = read_children(
            self.query_one("#ages", Input).value,
            pregnant=PREGNANT in selected,
            elsewhere=ELSEWHERE in selected,
            no_children=NO_CHILDREN in selected,
            today=date.today(),
            known=self.known,
        )
        return wijk, children


class HouseholdDialog(Dialog[ResultT]):
    """What the dialogs with :class:`HouseholdFields` share: Enter in a field or the
    button ``#ok`` submits, Ctrl+N (``new_wijk``) submits taking an unknown wijk that was
    just asked about, Escape or ``#cancel`` dismisses with ``cancelled``. Problems are
    shown in ``#form-error``. Subclasses bind the keys (with their own ids) and implement
    :meth:`submit`."""

    # Enter in a field submits the moment it arrives: what is typed straight after it
    # goes to the visit the dialog opens, not into this dialog's fields.
    BINDINGS = [Binding("enter", "enter", "Opslaan", show=False, priority=True)]

    def __init__(self, *, cancelled: ResultT) -> None:
        super().__init__()
        self.cancelled = cancelled

    def action_enter(self) -> None:
        """Enter: the button under it (Annuleren cancels), or else submit."""
        if isinstance(self.focused, Button) and self.focused.id == "cancel":
            self.action_cancel()
        else:
            self.submit()

    def action_cancel(self) -> None:
        self.dismiss(self.cancelled)

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def action_new_wijk(self) -> None:
        self.submit(confirm_new_wijk=True)

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def action_submit(self) -> None:
        self.submit()

    def submit(self, *, confirm_new_wijk: bool = False) -> None:
        """Read the fields and dismiss with the result; each dialog says what that is
        (the new-visit and household-change dialogs both override this)."""

    def say(self, problem: str) -> None:
        self.query_one("#form-error", Static).update(visible(problem))

    def read_household(self, *, confirm_new_wijk: bool) -> tuple[str, Children] | None:
        """The wijk and the children; None after saying what is wrong."""
        try:
            return self.query_one(HouseholdFields).read(confirm_new_wijk=confirm_new_wijk)
        except ValueError as refused:
            self.say(str(refused))
            return None
