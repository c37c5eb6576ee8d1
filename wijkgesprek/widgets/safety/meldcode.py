"""The Meldcode route: five steps, consultations, the afwegingskader and the dossier text."""

from __future__ import annotations

from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from wijkgesprek.domain.safety import (
    ASSESS,
    CONSULT,
    DOSSIER,
    OUTCOME_TEXT,
    STEP,
    STEP_STATES,
    answer_problem,
    assessment_from,
    current,
    draft_dossier,
)
from wijkgesprek.widgets.field import field
from wijkgesprek.widgets.note_area import NoteArea
from wijkgesprek.widgets.safety.base import SafetyContext, SafetySection


class AnswerBox(Static, can_focus=True):
    """The current question of the afwegingskader: J answers yes, N answers no."""

    BINDINGS = [
        Binding("j", "answer('ja')", "Ja", id="afweging-ja"),
        Binding("n", "answer('nee')", "Nee", id="afweging-nee"),
    ]

    def action_answer(self, answer: str) -> None:
        section = self.query_ancestor(MeldcodeSection)
        section.answer(answer)


class MeldcodeSection(SafetySection):
    title = "Meldcode"
    BINDINGS = [
        Binding("ctrl+s", "save_dossier", "Tekst bewaren", id="dossier-bewaren", show=False),
        Binding("ctrl+n", "new_draft", "Nieuw concept", id="dossier-concept", show=False),
    ]

    def __init__(self, **kwargs: str) -> None:
        super().__init__(**kwargs)
        self.context: SafetyContext | None = None
        self.answering = ""
        self.visit_date = date.today()

    def compose(self) -> ComposeResult:
        yield Static("Stappen (Enter: open → bezig → gedaan)", classes="section-label")
        yield OptionList(id="steps")
        yield Static("Overleg (met wie, welk advies)", classes="section-label")
        yield Static("", id="consults")
        yield field(
            "Met wie (rol)",
            Input(
                placeholder="bijv. aandachtsfunctionaris",
                id="consult-role",
                compact=True,
                max_length=80,
            ),
        )
        yield field(
            "Advies",
            Input(placeholder="Enter bewaart", id="consult-advice", compact=True, max_length=500),
        )
        yield Static("Afwegingskader", classes="section-label")
        yield Static("", id="route", markup=False)
        yield AnswerBox("", id="question")
        with Horizontal(classes="field", id="answer-field"):
            yield Label("Waarom?", classes="field-label", id="answer-label")
            yield Input(
                placeholder="Enter bewaart", id="answer-reason", compact=True, max_length=500
            )
        yield Static("", id="route-error", classes="form-error", markup=False)
        yield Static(
            "Tekst voor het dossier (feitelijk; pas aan; Ctrl+S bewaart, Ctrl+N nieuw concept)",
            classes="section-label",
        )
        yield NoteArea(id="dossier", soft_wrap=True)

    def on_mount(self) -> None:
        self.query_one("#answer-field").display = False

    def show(self, context: SafetyContext) -> None:
        self.context = context
        steps = current(context.entries, STEP)
        listing = self.query_one("#steps", OptionList)
        highlighted = listing.highlighted
        listing.clear_options()
        for step in context.guide.meldcode:
            entry = steps.get(str(step.number))
            state = entry.value if entry else "open"
            when = f" {entry.at.astimezone():%d-%m}" if entry and state != "open" else ""
            listing.add_option(Option(Content(f"{step.number}. {step.titel} — {state}{when}")))
        listing.highlighted = 0 if highlighted is None else highlighted
        consults = sorted(current(context.entries, CONSULT).values(), key=lambda e: e.at)
        self.query_one("#consults", Static).update(
            Content("").join(Content(f"• {e.value}: {e.note}\n") for e in consults)
            if consults
            else Content("(nog geen)")
        )
        self._show_route(context)
        dossier = current(context.entries, DOSSIER).get("")
        area = self.query_one("#dossier", NoteArea)
        if not area.has_focus:
            area.load_note(dossier.note if dossier else self._draft())

    def _show_route(self, context: SafetyContext) -> None:
        route = assessment_from(context.entries, context.guide)
        lines = [
            f"{q.number}. {q.vraag} — {'ja' if yes else 'nee'}: {reason}"
            for q, yes, reason in route.path
        ]
        if route.outcome:
            lines.append(f"Uitkomst: {OUTCOME_TEXT[route.outcome]}")
        self.query_one("#route", Static).update("\n".join(lines) or "Nog niet begonnen.")
        question = self.query_one("#question", AnswerBox)
        if route.question is None:
            question.update("")
            question.display = False
            return
        question.display = True
        text = [Content.styled(f"Vraag {route.question.number}: {route.question.vraag}", "bold")]
        if route.question.toelichting:
            text.append(Content.styled(route.question.toelichting, "italic"))
        text.append(Content("J = ja · N = nee (kies eerst dit vak met Tab)"))
        question.update(Content("\n").join(text))

    def _draft(self) -> str:
        assert self.context is not None
        return draft_dossier(self.context.guide, self.context.entries, visit_date=self.visit_date)

    def status(self, context: SafetyContext) -> str:
        route = assessment_from(context.entries, context.guide)
        if route.outcome:
            return route.outcome
        started = any(e.value != "open" for e in current(context.entries, STEP).values())
        return "bezig" if started or route.path else ""

    @on(OptionList.OptionSelected, "#steps")
    def _step(self, event: OptionList.OptionSelected) -> None:
        assert self.context is not None
        step = self.context.guide.meldcode[event.option_index]
        entry = current(self.context.entries, STEP).get(str(step.number))
        state = entry.value if entry else "open"
        following = STEP_STATES[(STEP_STATES.index(state) + 1) % len(STEP_STATES)]
        self.record(STEP, str(step.number), following)

    @on(Input.Submitted, "#consult-role")
    def _to_advice(self) -> None:
        self.query_one("#consult-advice", Input).focus()

    @on(Input.Submitted, "#consult-advice")
    def _consult(self, event: Input.Submitted) -> None:
        role = self.query_one("#consult-role", Input)
        if role.value.strip() and event.value.strip():
            self.record(CONSULT, "", role.value.strip(), event.value.strip())
            role.value = event.input.value = ""
            role.focus()

    def answer(self, answer: str) -> None:
        self.answering = answer
        self.query_one("#answer-label", Label).update(f"Waarom {answer}?")
        self.query_one("#answer-field").display = True
        self.query_one("#answer-reason", Input).focus()

    @on(Input.Submitted, "#answer-reason")
    def _answer(self, event: Input.Submitted) -> None:
        assert self.context is not None
        route = assessment_from(self.context.entries, self.context.guide)
        problem = answer_problem(event.value)
        self.query_one("#route-error", Static).update(problem or "")
        if problem or route.question is None or not self.answering:
            return
        self.record(ASSESS, str(route.question.number), self.answering, event.value.strip())
        event.input.value = ""
        self.answering = ""
        self.query_one("#answer-field").display = False
        self.query_one("#question", AnswerBox).focus()

    def action_save_dossier(self) -> None:
        self.record(DOSSIER, "", "", self.query_one("#dossier", TextArea).text)
        self.notify("De tekst voor het dossier is bewaard.")

    def action_new_draft(self) -> None:
        self.query_one("#dossier", TextArea).load_text(self._draft())
