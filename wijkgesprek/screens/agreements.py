"""Afspraken: what, who, when, and the date of the next contact.

Nothing typed here is lost silently: Ctrl+S keeps everything that was typed, Escape with
unsaved text asks, Delete asks, and a next contact in the past needs a second Enter.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Input, Static

from wijkgesprek.domain.dates import due_date, long_date
from wijkgesprek.domain.visit import VisitRecord, format_date, next_contact_date
from wijkgesprek.screens.choice import ChoiceScreen
from wijkgesprek.screens.dialog import Dialog
from wijkgesprek.store import repo
from wijkgesprek.text import one_line, visible
from wijkgesprek.widgets.completing_input import CompletingInput
from wijkgesprek.widgets.field import field

if TYPE_CHECKING:
    from wijkgesprek.app import WijkgesprekApp

HELP = """\
# Afspraken

Leg vast **wat** er gebeurt, **wie** het doet en **wanneer**. **Enter** gaat naar
het volgende veld; in het veld *Wanneer* voegt **Enter** de afspraak toe.
**Ctrl+S** bewaart alles wat u typte (de afspraak en het volgende contact) en
sluit.

Bij **Wie** vult **Tab** iemand van de netwerkkaart aan (het veiligheidsnetwerk
eerst), zodat een afspraak de mensen rond het gezin kan noemen.

*Wanneer* mag een datum zijn (11-12-2026, 11 december, vrijdag) of gewone tekst
(na de vakantie). Een afspraak met een datum die voorbij is en nog open staat,
staat bij de huishoudens bovenaan, bij de vervolgcontacten.

In de lijst verwijdert **Delete** de gekozen afspraak, nadat u het bevestigt.

**Volgend contact**: een datum als 3-12-2026, of korter: 17-12, 17 december of
vrijdag (de eerstvolgende). Een datum in het verleden vraagt
een tweede **Enter**. Laat het gezin niet los als u zich zorgen maakt: spreek
altijd een volgend contact af.

**Escape** gaat terug naar het gesprek. Staat er getypte tekst die nog niet is
bewaard, dan vraagt wijkgesprek eerst wat ermee moet.
"""

FIELDS = ("wat", "wie", "wanneer")
COLUMNS = (("Wat", 34), ("Wie", 16), ("Wanneer", 16))


class AgreementsScreen(Dialog[None]):
    HELP = HELP
    BINDINGS = [
        Binding("escape", "close", "Terug", id="afspraken-terug", priority=True),
        Binding("ctrl+s", "save", "Bewaren", id="afspraak-toevoegen", priority=True),
        Binding("delete", "remove", "Verwijderen", id="afspraak-verwijderen"),
        # Enter in a field moves on at once (not through a message), so what is typed
        # straight after it lands in the next field.
        Binding("enter", "enter", "Volgende", show=False, priority=True),
    ]

    app: WijkgesprekApp

    def __init__(self, visit_id: int, *, people: Sequence[str] = ()) -> None:
        super().__init__()
        self.visit_id = visit_id
        self.people = tuple(people)
        """Who is on the netwerkkaart, the veiligheidsnetwerk first: "wie" completes them."""
        self.record: VisitRecord | None = None
        self._past_warned = ""
        """A next contact in the past that was told about once; a second Enter on it
        confirms it."""

    def compose(self) -> ComposeResult:
        with Vertical(id="agreements-dialog", classes="dialog"):
            yield Static("Afspraken", classes="dialog-title")
            table: DataTable[Text] = DataTable(id="agreement-table", cursor_type="row")
            # Fixed widths (that fit a dialog at 80 columns): "Wanneer" always shows.
            for label, width in COLUMNS:
                table.add_column(label, width=width)
            yield table
            yield field(
                "Wat",
                Input(
                    placeholder="bijv. aanmelden bij de schuldhulp",
                    id="wat",
                    compact=True,
                    max_length=200,
                ),
            )
            yield field(
                "Wie",
                CompletingInput(
                    self.people,
                    placeholder="bijv. moeder, met oma (Tab: netwerkkaart)",
                    id="wie",
                    compact=True,
                    max_length=100,
                ),
            )
            yield field(
                "Wanneer",
                Input(
                    placeholder="bijv. 11-12-2026, vrijdag, na de vakantie",
                    id="wanneer",
                    compact=True,
                    max_length=100,
                ),
            )
            yield field(
                "Volgend contact",
                Input(placeholder="dd-mm-jjjj", id="next-contact", compact=True, max_length=10),
            )
            yield Static("", id="when-hint", classes="hint", markup=False)
            yield Static("", id="form-error", classes="form-error", markup=False)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        if not self._load():  # locked, or the team database not answering: back
            self.app.call_later(self.dismiss)
            return
        self.set_focus(self.query_one("#wat", Input))
        self.query_one("#when-hint").display = False

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "remove":  # in the footer only while the list has the focus
            return self.query_one("#agreement-table").has_focus
        if action == "enter":  # in the fields; the list keeps its own Enter
            return isinstance(self.focused, Input)
        return True

    def action_enter(self) -> None:
        field = self.focused
        if field is None or field.id in ("wat", "wie"):
            self.focus_next()
        elif field.id == "wanneer":
            self._add()
        else:
            self._save_next_contact(confirming=True)

    @on(DataTable.RowHighlighted)
    @on(DataTable.RowSelected)
    def _table_moved(self) -> None:
        self.refresh_bindings()

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    def _load(self, *, keep_next_contact: bool = False) -> bool:
        record = self.app.read(repo.get_visit, visit_id=self.visit_id)
        if record is None:
            return False
        self.record = record
        table = self.query_one("#agreement-table", DataTable)
        table.clear()
        for agreement in self.record.agreements:
            table.add_row(
                *(
                    Text(one_line(value, width), no_wrap=True)
                    for value, (_label, width) in zip(
                        (agreement.wat, agreement.wie, agreement.wanneer), COLUMNS, strict=True
                    )
                ),
                key=str(agreement.id),
            )
        table.display = bool(self.record.agreements)
        if not keep_next_contact:
            self.query_one("#next-contact", Input).value = format_date(self.record.next_contact)
        return True

    def _error(self, message: str) -> None:
        self.query_one("#form-error", Static).update(message)

    def _typed(self) -> dict[str, str]:
        return {name: self.query_one(f"#{name}", Input).value.strip() for name in FIELDS}

    @on(Input.Changed, "#wanneer")
    def _when_changed(self, event: Input.Changed) -> None:
        """Say which day a date in "wanneer" is read as, so a slip is seen at once."""
        due = due_date(event.value, made=date.today()) if event.value.strip() else None
        hint = self.query_one("#when-hint", Static)
        hint.update(f"Wanneer wordt gelezen als {long_date(due)}." if due else "")
        hint.display = due is not None

    def _add(self) -> bool:
        """Add the typed agreement; False (with a message) when it cannot be added."""
        typed = self._typed()
        if not typed["wat"]:
            self._error("Vul in wat er is afgesproken.")
            self.set_focus(self.query_one("#wat", Input))
            return False
        if not self.app.write(
            repo.add_agreement, visit_id=self.visit_id, **typed, now=datetime.now(UTC)
        ):
            return False
        for name in FIELDS:
            self.query_one(f"#{name}", Input).value = ""
        self._error("")
        self._load(keep_next_contact=True)
        self.set_focus(self.query_one("#wat", Input))
        return True

    def action_save(self) -> None:
        """Ctrl+S: keep everything that was typed (the agreement, the next contact) and
        close; anything that cannot be kept stays, with the reason."""
        if any(self._typed().values()) and not self._add():
            return
        if self._save_next_contact():
            self.dismiss(None)

    def action_remove(self) -> None:
        table = self.query_one("#agreement-table", DataTable)
        if not table.has_focus or not table.row_count or self.record is None:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        chosen = next((a for a in self.record.agreements if str(a.id) == key), None)
        if chosen is None:
            return

        def answered(answer: str | None) -> None:
            if answer == "verwijderen" and self.app.write(
                repo.remove_agreement, agreement_id=chosen.id
            ):
                self._load(keep_next_contact=True)
                self.notify(f"Afspraak verwijderd: {one_line(chosen.wat)}", markup=False)

        self.app.push_screen(
            ChoiceScreen(
                "Afspraak verwijderen?",
                f"“{one_line(chosen.wat)}” wordt uit dit bezoek verwijderd.",
                [("houden", "Niet verwijderen"), ("verwijderen", "Verwijderen")],
            ),
            answered,
        )

    @on(Input.Blurred, "#next-contact")
    def _next_contact_left(self) -> None:
        if self.is_attached and self.app.screen is self:
            self._save_next_contact()

    def _save_next_contact(self, *, confirming: bool = False) -> bool:
        """Save the next contact when it changed; False when it is not saved (not a
        date, or in the past and not confirmed with a second Enter)."""
        field = self.query_one("#next-contact", Input)
        text = field.value.strip()
        when = next_contact_date(text)
        if text and when is None:
            self._error(f"'{visible(text)}' is geen datum. Schrijf bijvoorbeeld 3-12-2026.")
            return False
        saved = self.record.next_contact if self.record else None
        past = when is not None and when < date.today() and when != saved
        if past and not (confirming and self._past_warned == text):
            self._past_warned = text
            self._error(
                f"{text} ligt in het verleden. Klopt dat? Druk nog eens Enter in dit "
                "veld om de datum toch te bewaren."
            )
            return False
        self._error("")
        if self.record is not None and when != self.record.next_contact:
            if not self.app.write(repo.set_next_contact, visit_id=self.visit_id, when=when):
                return False
            self._load(keep_next_contact=True)
        field.value = format_date(when)  # "17-12" is shown as the day it was read as
        return True

    def _unsaved(self) -> bool:
        typed = self.query_one("#next-contact", Input).value.strip()
        saved = self.record.next_contact if self.record else None
        contact_changed = next_contact_date(typed) != saved or (
            bool(typed) and next_contact_date(typed) is None
        )
        return any(self._typed().values()) or contact_changed

    def action_close(self) -> None:
        if not self._unsaved():
            self.dismiss(None)
            return
        typed = self._typed()
        answers = [("terug", "Terug naar het formulier"), ("weg", "Niet bewaren en sluiten")]
        if typed["wat"] or not any(typed.values()):
            answers.insert(0, ("bewaren", "Bewaren en sluiten"))

        def answered(answer: str | None) -> None:
            if answer == "weg":
                self.dismiss(None)
            elif answer == "bewaren":
                self.action_save()  # closes when everything was kept

        self.app.push_screen(
            ChoiceScreen(
                "Nog niet bewaard",
                "U typte iets dat nog niet is bewaard. Wat wilt u ermee?",
                answers,
            ),
            answered,
        )
