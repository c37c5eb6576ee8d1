"""Scaling (Signs of Safety): 0–10 asked of each person, and the three columns."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from textual import events, on
from textual.app import ComposeResult
from textual.content import Content
from textual.suggester import SuggestFromList
from textual.widgets import Static

from wijkgesprek.domain.safety import COLUMN, COLUMNS, SCALE, current, scale_problem
from wijkgesprek.text import quoted, visible
from wijkgesprek.widgets.field import field
from wijkgesprek.widgets.safety.base import Field, SafetyContext, SafetyInput, SafetySection

CONFIRM = "Enter nog eens: vastleggen · Escape: niet"


class ScalingSection(SafetySection):
    """The scores are kept with Enter in the third field (the role and a valid score are
    asked for); a column is kept after a second Enter, once it shows what will be kept."""

    title = "Schaalvraag"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.kept: dict[str, str] = {}
        """The text of each column in the trail."""
        self.confirming: dict[str, str] = {}
        """Columns that showed what will be kept after an Enter: the text then."""

    def compose(self) -> ComposeResult:
        yield Static(
            "0 = de kinderen kunnen niet thuis blijven, 10 = iedereen is het erover eens dat "
            "ze veilig genoeg zijn. Vraag het ieder apart.",
            classes="section-label",
        )
        yield field(
            "Wie (rol)",
            SafetyInput(placeholder="bijv. ouder", id="scale-role", compact=True, max_length=40),
        )
        yield field(
            "Cijfer 0–10",
            SafetyInput(placeholder="bijv. 6", id="scale-score", compact=True, max_length=2),
        )
        yield field(
            "Eigen woorden",
            SafetyInput(placeholder="Enter bewaart", id="scale-note", compact=True, max_length=300),
        )
        yield Static("", id="scale-error", classes="form-error", markup=False)
        yield Static("", id="scale-scores")
        for key, question in COLUMNS.items():
            yield Static(question, classes="section-label")
            yield SafetyInput(
                placeholder="Enter, nog eens Enter: vastleggen",
                id=f"column-{key}",
                compact=True,
                max_length=1000,
            )
            yield Static("", id=f"column-{key}-hint", classes="hint column-hint")

    def show(self, context: SafetyContext) -> None:
        role = self.query_one("#scale-role", SafetyInput)
        role.suggester = SuggestFromList(context.guide.roles, case_sensitive=False)
        per_visit: dict[tuple[str, int], tuple[datetime, str]] = {}
        for started, entry in context.history:  # oldest first: a correction overwrites
            if entry.kind == SCALE:
                per_visit[(entry.key, entry.visit_id)] = (started, entry.value)
        by_role: dict[str, list[str]] = {}
        for (role_name, _visit), (started, value) in sorted(
            per_visit.items(), key=lambda item: item[1][0]
        ):
            day = started.astimezone().strftime("%d-%m")
            by_role.setdefault(role_name, []).append(f"{value} ({day})")
        lines = [Content.styled("Cijfers over de bezoeken heen\n", "bold")]
        lines += [
            Content(f"• {role_name}: " + " → ".join(values) + "\n")
            for role_name, values in by_role.items()
        ] or [Content("(nog geen)\n")]
        this_visit = current(context.entries, SCALE)
        if this_visit:
            lines.append(Content.styled("Dit bezoek\n", "bold"))
            lines += [
                Content(
                    f"• {role_name}: {e.value}"
                    + (f" — {quoted(visible(e.note))}" if e.note else "")
                    + "\n"
                )
                for role_name, e in this_visit.items()
            ]
        self.query_one("#scale-scores", Static).update(Content("").join(lines))
        columns = current(context.entries, COLUMN)
        self.kept = {key: entry.note for key, entry in columns.items()}
        for key, kept in self.kept.items():
            # Typed text that is not kept yet stays (SafetySection.redraw).
            self.query_one(f"#column-{key}", SafetyInput).value = kept

    def status(self, context: SafetyContext) -> str:
        count = len(current(context.entries, SCALE))
        return f"{count} gevraagd" if count else ""

    def entered(self, field: SafetyInput) -> None:
        if field.id in ("scale-role", "scale-score"):
            self.screen.focus_next()
        elif field.id == "scale-note":
            self._save()
        else:
            self._save_column(field)

    def _save(self) -> None:
        role = self.query_one("#scale-role", SafetyInput)
        score = self.query_one("#scale-score", SafetyInput)
        note = self.query_one("#scale-note", SafetyInput)
        problem = (
            "Vul in aan wie u het vroeg (de rol, geen naam)." if not role.value.strip() else None
        ) or scale_problem(score.value)
        self.query_one("#scale-error", Static).update(problem or "")
        if problem:
            return
        kept = self.record(
            SCALE, role.value.strip(), str(int(score.value)), note.value.strip(), kept=()
        )
        if not kept:
            return  # not written (said once): what was typed stays
        for one in (role, score, note):
            one.value = ""
        self.screen.set_focus(role)

    # -- the three columns: Enter shows what will be kept, a second Enter keeps it -------

    def _hint(self, key: str, text: str | Content) -> None:
        hint = self.query_one(f"#column-{key}-hint", Static)
        hint.update(text)
        hint.display = bool(text)
        if text:
            hint.scroll_visible(animate=False)

    def _save_column(self, field: SafetyInput) -> None:
        key = (field.id or "").removeprefix("column-")
        text = field.value.strip()
        if not text:
            self.confirming.pop(key, None)
            self._hint(
                key,
                "Leeg: er is niets vastgelegd; Escape zet terug wat er stond."
                if key in self.kept
                else "",
            )
        elif text == self.kept.get(key, ""):
            self.confirming.pop(key, None)
            self._hint(key, "Dit is al vastgelegd.")
        elif self.confirming.get(key) == field.value:
            if self.record(COLUMN, key, "", text):
                self.confirming.pop(key, None)
                self._hint(key, "")
        else:
            self.confirming[key] = field.value
            self._hint(
                key,
                Content.assemble("Vastleggen: ", quoted(visible(text)), "\n", (CONFIRM, "bold")),
            )

    @on(SafetyInput.Changed, "#column-zorgen, #column-goed, #column-gebeuren")
    def _changed(self, event: SafetyInput.Changed) -> None:
        key = (event.input.id or "").removeprefix("column-")
        if self.confirming.get(key) != event.value:
            self.confirming.pop(key, None)
            self._hint(key, "")

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        """A column left (Tab, discreet mode) takes back what it was about to keep."""
        key = (event.widget.id or "").removeprefix("column-")
        if key in COLUMNS:
            self.confirming.pop(key, None)
            self._hint(key, "")

    def withdraw(self, field: Field) -> bool:
        key = (field.id or "").removeprefix("column-")
        if key not in self.confirming:
            return False
        del self.confirming[key]
        self._hint(key, "")
        return True
