"""One person on the netwerkkaart: a small form, every field by keyboard.

Tab goes from field to field; Enter in a text field goes to the next one; a choice opens
with Enter and is made with the arrows and Enter; space ticks in a list. Ctrl+S keeps
the person. Escape puts the field you are in back as it was; in a field you did not
change it closes the form, asking first when something else was changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Footer, Input, Label, Select, SelectionList, Static

from wijkgesprek.content.model import CLOSE, NetworkGuide
from wijkgesprek.domain.network_map import (
    MAX_MEMBER,
    MAX_NAME,
    MAX_ROLE,
    Person,
    member_problem,
    name_problem,
    role_problem,
)
from wijkgesprek.screens.choice import ChoiceScreen
from wijkgesprek.screens.dialog import Dialog
from wijkgesprek.text import visible
from wijkgesprek.widgets.completing_input import CompletingInput
from wijkgesprek.widgets.field import field
from wijkgesprek.widgets.toggle_list import ToggleList

if TYPE_CHECKING:
    from wijkgesprek.app import WijkgesprekApp

HELP = """\
# Iemand op de netwerkkaart

- **Rol**: wie het is voor het gezin: oma, buurvrouw, juf van groep 3, huisarts,
  voetbaltrainer, schuldhulp. **Tab** vult een bekende rol aan en kiest de groep.
- **Voornaam**: hoogstens een voornaam of initialen (Ria, J.K.), nooit een achternaam,
  adres of telefoonnummer: wie op de kaart staat, gaf daar zelf geen toestemming voor.
  Mag leeg blijven. In de discrete weergave (**Ctrl+G**) is dit veld verborgen.
- **Dichtbij wie**: bij wie in het gezin deze persoon het dichtst staat (leeg: het
  hele gezin).
- **Groep**, **Afstand** en **Energie**: **Enter** opent de keuzes, de pijltjes en
  **Enter** kiezen. Dichtbij staat op de binnenste ring van de tekening.
- **Helpt met** en **Ook**: de pijltjes en de **spatiebalk** vinken aan en uit.
  *Zou meer willen of kunnen doen*: wie zou willen meedenken?
  *Weet van de zorgen*: hoort bij het veiligheidsnetwerk (verborgen bij Ctrl+G).

**Ctrl+S** bewaart. **Escape** zet het veld waarin u staat terug zoals het was; in een
veld dat u niet veranderde sluit Escape het formulier (is er iets anders veranderd, dan
vraagt wijkgesprek eerst wat ermee moet).
"""

MEMBERS = ("het hele gezin", "moeder", "vader", "ouder", "kinderen", "oudste kind", "jongste kind")
_UNKNOWN = "onbekend"


class PersonDialog(Dialog[Person | None]):
    """Returns the person as typed (number as given), or None when nothing is kept."""

    HELP = HELP
    BINDINGS = [
        Binding("ctrl+s", "save", "Bewaren", id="persoon-bewaren", priority=True),
        Binding("escape", "back", "Terug", id="persoon-terug"),
        # Enter in a text field moves on the moment it arrives, so what is typed next
        # lands in the next field; in the lists it keeps the person.
        Binding("enter", "enter", "Volgende", show=False, priority=True),
    ]

    app: WijkgesprekApp

    def __init__(self, person: Person, guide: NetworkGuide, *, title: str) -> None:
        super().__init__()
        self.person = person
        self.guide = guide
        self.title_text = title
        self.start: dict[str, object] = {}
        self.auto_group = ""
        """The group the role chose (a role typed later may choose another)."""

    def compose(self) -> ComposeResult:
        person, guide = self.person, self.guide
        with Vertical(id="person-dialog", classes="dialog"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            roles = [role for role, _ in guide.roles]
            yield field(
                "Rol",
                CompletingInput(
                    roles,
                    value=person.role,
                    placeholder="bijv. oma, buurvrouw, juf van groep 3",
                    id="role",
                    max_length=MAX_ROLE,
                    compact=True,
                    select_on_focus=False,
                ),
            )
            yield field(
                "Voornaam",
                Input(
                    value=person.name,
                    placeholder="alleen voornaam of initialen (mag leeg)",
                    id="name",
                    max_length=MAX_NAME,
                    compact=True,
                    select_on_focus=False,
                ),
                id="name-field",
                classes="safety-detail",
            )
            yield Static(
                "Discreet: de voornaam is verborgen. Ctrl+G toont hem weer.",
                classes="discreet-only hint",
            )
            yield field(
                "Dichtbij wie",
                CompletingInput(
                    MEMBERS,
                    value=person.member,
                    placeholder="het hele gezin",
                    id="member",
                    max_length=MAX_MEMBER,
                    compact=True,
                    select_on_focus=False,
                ),
            )
            groups = [(Text(g.naam), g.id) for g in guide.groups]
            yield field(
                "Groep",
                Select(
                    groups,
                    value=person.group if guide.group(person.group) else Select.NULL,
                    prompt="kies een groep",
                    id="group",
                    compact=True,
                ),
            )
            yield field(
                "Afstand",
                Select(
                    [(Text(text), key) for key, text in guide.closeness],
                    value=person.closeness,
                    allow_blank=False,
                    id="closeness",
                    compact=True,
                ),
            )
            yield field(
                "Energie",
                Select(
                    [(Text("weet ik niet"), _UNKNOWN)]
                    + [(Text(text), key) for key, text in guide.energy],
                    value=person.energy or _UNKNOWN,
                    allow_blank=False,
                    id="energy",
                    compact=True,
                ),
            )
            with Horizontal(classes="field person-list"):
                yield Label("Helpt met", classes="field-label")
                yield ToggleList(
                    *[(kind.naam, kind.id, kind.id in person.helps) for kind in guide.helps],
                    id="helps",
                    compact=True,
                )
            with Horizontal(classes="field person-flag"):
                yield Label("Ook", classes="field-label")
                yield ToggleList(
                    ("zou meer willen of kunnen doen (meedenken)", "more", person.more),
                    id="more",
                    compact=True,
                )
            with Horizontal(classes="field person-flag safety-detail"):
                yield Label("", classes="field-label")
                yield ToggleList(
                    (
                        "weet van de zorgen, helpt de kinderen veilig te houden",
                        "safety",
                        person.safety,
                    ),
                    id="safety",
                    compact=True,
                )
            yield Static("", id="form-error", classes="form-error", markup=False)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.start = self._values()
        self.set_focus(self.query_one("#role", Input))

    # -- reading the fields ---------------------------------------------------------

    def _value(self, widget: Widget) -> object:
        if isinstance(widget, Input):
            return widget.value
        if isinstance(widget, Select):
            return widget.value
        if isinstance(widget, SelectionList):
            return tuple(sorted(widget.selected))
        return None

    def _fields(self) -> list[Widget]:
        return list(self.query("#role, #name, #member, #group, #closeness, #energy")) + list(
            self.query("#helps, #more, #safety")
        )

    def _values(self) -> dict[str, object]:
        return {str(widget.id): self._value(widget) for widget in self._fields()}

    def _field_of(self, widget: Widget | None) -> Widget | None:
        """The field a focused widget belongs to (a choice's open list: its choice)."""
        for node in widget.ancestors_with_self if widget is not None else ():
            if isinstance(node, Widget) and node in self._fields():
                return node
        return None

    def read(self) -> Person | None:
        """The person as typed; None after saying what is wrong (and going there)."""
        role = self.query_one("#role", Input).value.strip()
        name = self.query_one("#name", Input).value.strip()
        member = self.query_one("#member", Input).value.strip()
        for widget_id, problem in (
            ("role", role_problem(role)),
            ("name", name_problem(name)),
            ("member", member_problem(member)),
        ):
            if problem:
                self.query_one("#form-error", Static).update(visible(problem))
                if not (widget_id == "name" and self.app.discreet):
                    self.set_focus(self.query_one(f"#{widget_id}"))
                return None
        group = self.query_one("#group", Select).value
        group_id = group if isinstance(group, str) else ""
        if member.casefold() == MEMBERS[0]:
            member = ""
        energy = self.query_one("#energy", Select).value
        closeness = self.query_one("#closeness", Select).value
        helps = set(self.query_one("#helps", SelectionList).selected)
        found = self.guide.group(group_id)
        return self.person.replace(
            role=role,
            name=name,
            member=member,
            group=group_id,
            informal=found.informal if found else False,
            helps=tuple(kind.id for kind in self.guide.helps if kind.id in helps),
            closeness=closeness if isinstance(closeness, str) else CLOSE,
            energy=energy if isinstance(energy, str) and energy != _UNKNOWN else "",
            more="more" in self.query_one("#more", SelectionList).selected,
            safety="safety" in self.query_one("#safety", SelectionList).selected,
        )

    # -- keys ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "enter":  # a choice opens and chooses with its own Enter
            focused = self.focused
            return focused is not None and not any(
                isinstance(node, Select) for node in focused.ancestors_with_self
            )
        return True

    def action_enter(self) -> None:
        if isinstance(self.focused, Input):
            self.focus_next()
        else:
            self.action_save()

    @on(Input.Changed, "#role")
    def _group_from_role(self, event: Input.Changed) -> None:
        """A known role chooses its group, unless a group was chosen by hand."""
        group = self.query_one("#group", Select)
        known = self.guide.role_group(event.value)
        if known and self.guide.group(known) and group.value in (Select.NULL, self.auto_group):
            group.value = self.auto_group = known

    def action_save(self) -> None:
        person = self.read()
        if person is not None:
            self.dismiss(person)

    def action_back(self) -> None:
        """Escape: put the changed field back; in an unchanged one, close (asking first
        when something else was changed)."""
        widget = self._field_of(self.focused)
        now = self._values()
        if widget is not None and now[str(widget.id)] != self.start[str(widget.id)]:
            self._restore(widget, self.start[str(widget.id)])
            self.query_one("#form-error", Static).update("")
            return
        if now == self.start:
            self.dismiss(None)
            return

        def answered(answer: str | None) -> None:
            if answer == "bewaren":
                self.action_save()
            elif answer == "weg":
                self.dismiss(None)

        self.app.push_screen(
            ChoiceScreen(
                "Nog niet bewaard",
                "U veranderde iets dat nog niet is bewaard. Wat wilt u ermee?",
                [
                    ("bewaren", "Bewaren en sluiten"),
                    ("terug", "Terug naar het formulier"),
                    ("weg", "Niet bewaren en sluiten"),
                ],
            ),
            answered,
        )

    def _restore(self, widget: Widget, value: object) -> None:
        if isinstance(widget, Input) and isinstance(value, str):
            widget.value = value
            widget.cursor_position = len(value)
        elif isinstance(widget, Select):
            widget.value = value
        elif isinstance(widget, SelectionList) and isinstance(value, tuple):
            widget.deselect_all()
            for item in value:
                widget.select(item)
