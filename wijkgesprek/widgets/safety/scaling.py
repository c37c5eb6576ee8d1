"""Scaling (Signs of Safety): 0–10 asked of each person, and the three columns."""

from __future__ import annotations

from datetime import datetime

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.suggester import SuggestFromList
from textual.widgets import Input, Static

from wijkgesprek.domain.safety import COLUMN, COLUMNS, SCALE, current, scale_problem
from wijkgesprek.widgets.field import field
from wijkgesprek.widgets.safety.base import SafetyContext, SafetySection


class ScalingSection(SafetySection):
    title = "Schaalvraag"

    def compose(self) -> ComposeResult:
        yield Static(
            "0 = de kinderen kunnen niet thuis blijven, 10 = iedereen is het erover eens dat "
            "ze veilig genoeg zijn. Vraag het ieder apart.",
            classes="section-label",
        )
        yield field(
            "Wie (rol)",
            Input(placeholder="bijv. ouder", id="scale-role", compact=True, max_length=40),
        )
        yield field(
            "Cijfer 0–10",
            Input(placeholder="bijv. 6", id="scale-score", compact=True, max_length=2),
        )
        yield field(
            "Eigen woorden",
            Input(placeholder="Enter bewaart", id="scale-note", compact=True, max_length=300),
        )
        yield Static("", id="scale-error", classes="form-error", markup=False)
        yield Static("", id="scale-scores")
        for key, question in COLUMNS.items():
            yield Static(question, classes="section-label")
            yield Input(
                placeholder="Enter bewaart", id=f"column-{key}", compact=True, max_length=1000
            )

    def show(self, context: SafetyContext) -> None:
        role = self.query_one("#scale-role", Input)
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
                Content(f"• {role_name}: {e.value}" + (f" — “{e.note}”" if e.note else "") + "\n")
                for role_name, e in this_visit.items()
            ]
        self.query_one("#scale-scores", Static).update(Content("").join(lines))
        columns = current(context.entries, COLUMN)
        for key in COLUMNS:
            field = self.query_one(f"#column-{key}", Input)
            if not field.has_focus and key in columns:
                field.value = columns[key].note

    def status(self, context: SafetyContext) -> str:
        count = len(current(context.entries, SCALE))
        return f"{count} gevraagd" if count else ""

    @on(Input.Submitted, "#scale-role, #scale-score")
    def _next_field(self) -> None:
        self.screen.focus_next()

    @on(Input.Submitted, "#scale-note")
    def _save(self) -> None:
        role = self.query_one("#scale-role", Input)
        score = self.query_one("#scale-score", Input)
        note = self.query_one("#scale-note", Input)
        problem = (
            "Vul in aan wie u het vroeg (de rol, geen naam)." if not role.value.strip() else None
        ) or scale_problem(score.value)
        self.query_one("#scale-error", Static).update(problem or "")
        if problem:
            return
        self.record(SCALE, role.value.strip(), str(int(score.value)), note.value.strip())
        for one in (role, score, note):
            one.value = ""
        role.focus()

    @on(Input.Submitted, "#column-zorgen, #column-goed, #column-gebeuren")
    def _save_column(self, event: Input.Submitted) -> None:
        key = (event.input.id or "").removeprefix("column-")
        self.record(COLUMN, key, "", event.value.strip())
