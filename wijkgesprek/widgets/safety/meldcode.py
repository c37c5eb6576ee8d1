"""The Meldcode route: five steps, consultations, the afwegingskader and the dossier text."""

from __future__ import annotations

from datetime import date
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from wijkgesprek.content.model import AssessmentQuestion
from wijkgesprek.domain.meldcode import Contact, FollowThrough, follow_through
from wijkgesprek.domain.safety import (
    ASSESS,
    CONSULT,
    DOSSIER,
    OUTCOME_TEXT,
    STEP,
    STEP_STATES,
    VT_CONTACT,
    Assessment,
    answer_problem,
    assessment_from,
    current,
    draft_dossier,
)
from wijkgesprek.text import one_line, visible
from wijkgesprek.widgets.field import field
from wijkgesprek.widgets.note_area import NoteArea
from wijkgesprek.widgets.safety.base import Field, SafetyContext, SafetyInput, SafetySection


class AnswerBox(Static, can_focus=True):
    """The current question of the afwegingskader: J answers yes, N answers no; C
    corrects an earlier answer (also after the route has ended)."""

    BINDINGS = [
        Binding("j", "answer('ja')", "Ja", id="afweging-ja"),
        Binding("n", "answer('nee')", "Nee", id="afweging-nee"),
        Binding("c", "correct", "Corrigeren", id="afweging-corrigeren"),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "answer":  # J and N only while a question waits for its answer
            return self.query_ancestor(MeldcodeSection).waiting() is not None
        return True

    def action_answer(self, answer: str) -> None:
        self.query_ancestor(MeldcodeSection).answer(answer)

    def action_correct(self) -> None:
        self.query_ancestor(MeldcodeSection).choose_correction()


STEP_KEYS = "b = bezig, g = gedaan, o = open"


class MeldcodeSteps(OptionList):
    """The five steps: each set with its own letter, never by going round the states (a
    stray Enter would otherwise put a step in the append-only trail)."""

    BINDINGS = [
        Binding("b", "set_step('bezig')", "Bezig", id="stap-bezig"),
        Binding("g", "set_step('gedaan')", "Gedaan", id="stap-gedaan"),
        Binding("o", "set_step('open')", "Open", id="stap-open"),
    ]

    def action_set_step(self, state: str) -> None:
        self.query_ancestor(MeldcodeSection).set_step(state)


class FollowBox(Static, can_focus=True):
    """What was done with Veilig Thuis; Enter (or V) records it."""

    BINDINGS = [
        Binding("enter", "record", "Vastleggen", id="veilig-thuis-vastleggen"),
        Binding("v", "record", "Vastleggen", show=False),
    ]

    def action_record(self) -> None:
        self.query_ancestor(MeldcodeSection).record_contact()


class MeldcodeSection(SafetySection):
    title = "Meldcode"
    BINDINGS = [
        Binding("ctrl+s", "save_dossier", "Tekst bewaren", id="dossier-bewaren", show=False),
        Binding("ctrl+n", "new_draft", "Nieuw concept", id="dossier-concept", show=False),
    ]

    def entered(self, field: SafetyInput) -> None:
        """Enter in a field, handled at once (see SafetyInput)."""
        if field.id == "consult-role":
            self.screen.set_focus(self.query_one("#consult-advice", Input))
        elif field.id == "consult-advice":
            self._consult(field)
        elif field.id == "answer-reason":
            self._answer(field)

    def leave_field(self, field: Field) -> Widget | None:
        """Escape in the reason of an answer: no answer; back to the question."""
        super().leave_field(field)
        if field.id != "answer-reason":
            return None
        self.answering = ""
        self.query_one("#answer-field").display = False
        self.query_one("#route-error", Static).update("")
        return self.query_one("#question", AnswerBox)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.context: SafetyContext | None = None
        self.answering = ""
        self.correcting: int | None = None
        """The number of an answered question being corrected, if any."""
        self.visit_date = date.today()

    def cancel(self, widget: Widget) -> bool:
        """Escape on the question while correcting an answer: no correction."""
        if not isinstance(widget, AnswerBox) or self.correcting is None:
            return False
        self.correcting = None
        if self.context is not None:
            self._show_route(self.context)
        widget.refresh_bindings()
        return True

    def compose(self) -> ComposeResult:
        yield Static(f"Stappen ({STEP_KEYS})", classes="section-label")
        yield MeldcodeSteps(id="steps", markup=False)
        yield Static("", id="steps-hint", classes="hint")
        yield Static("Overleg (met wie, welk advies)", classes="section-label")
        yield Static("", id="consults")
        yield field(
            "Met wie (rol)",
            SafetyInput(
                placeholder="bijv. aandachtsfunctionaris",
                id="consult-role",
                compact=True,
                max_length=80,
            ),
        )
        yield field(
            "Advies",
            SafetyInput(
                placeholder="Enter bewaart", id="consult-advice", compact=True, max_length=500
            ),
        )
        yield Static("Afwegingskader", classes="section-label")
        yield Static("", id="route", markup=False)
        yield AnswerBox("", id="question")
        with Horizontal(classes="field", id="answer-field"):
            yield Label("Waarom?", classes="field-label", id="answer-label")
            yield SafetyInput(
                placeholder="Enter bewaart", id="answer-reason", compact=True, max_length=500
            )
        yield Static("", id="route-error", classes="form-error", markup=False)
        yield Static("Veilig Thuis: wat is er gedaan?", classes="section-label")
        yield FollowBox("", id="follow")
        yield Static(
            "Tekst voor het dossier (feitelijk; pas aan; Ctrl+S bewaart, Ctrl+N nieuw concept)",
            classes="section-label",
        )
        yield NoteArea(id="dossier", soft_wrap=True)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#answer-field").display = False

    def show(self, context: SafetyContext) -> None:
        self.context = context
        steps = current(context.entries, STEP)
        follow = follow_through(context.entries, context.guide)
        decided = follow.step_state()
        route = assessment_from(context.entries, context.guide)
        weighing = len(context.guide.meldcode) - 1  # step 4: Wegen, with the afwegingskader
        listing = self.query_one("#steps", OptionList)
        highlighted = listing.highlighted
        listing.clear_options()
        for step in context.guide.meldcode:
            entry = steps.get(str(step.number))
            state = entry.value if entry else "open"
            when = f" {entry.at.astimezone():%d-%m}" if entry and state != "open" else ""
            if step.number == weighing and entry is None and route.path:
                state = f"{'gedaan' if route.outcome else 'bezig'} (afwegingskader)"
            if step.number == len(context.guide.meldcode) and decided is not None:
                state, when = decided, ""  # step 5: the decision and what was done
            prompt = Content(visible(f"{step.number}. {step.titel} — {state}{when}"))
            listing.add_option(Option(prompt))
        listing.highlighted = 0 if highlighted is None else highlighted
        consults = sorted(current(context.entries, CONSULT).values(), key=lambda e: e.at)
        self.query_one("#consults", Static).update(
            Content("").join(Content(f"• {e.value}: {e.note}\n") for e in consults)
            if consults
            else Content("(nog geen)")
        )
        self._show_route(context)
        self._show_follow(follow)
        self.query_one("#question", AnswerBox).refresh_bindings()
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
        target = self._target(route)
        if target is None:
            done = "De route is klaar." if route.outcome else ""
            hint = " C = een antwoord corrigeren." if route.path else ""
            question.update(Content(done + hint).stylize("italic"))
            question.display = bool(route.path)
            return
        question.display = True
        if self.correcting is not None:
            was = next(("ja" if yes else "nee") for q, yes, _ in route.path if q is target)
            title = f"Correctie van vraag {target.number} (nu: {was}): {target.vraag}"
        else:
            title = f"Vraag {target.number}: {target.vraag}"
        text = [Content.styled(title, "bold")]
        if target.toelichting:
            text.append(Content.styled(target.toelichting, "italic"))
        if self.correcting is not None:
            keys = "J = ja · N = nee · Escape = niet corrigeren"
        else:
            keys = "J = ja · N = nee" + (" · C = corrigeren" if route.path else "")
        text.append(Content(keys + " (kies eerst dit vak met Tab)"))
        question.update(Content("\n").join(text))

    def _target(self, route: Assessment) -> AssessmentQuestion | None:
        """The question a J or N answers: the one being corrected, or the next one."""
        if self.correcting is not None:
            for question, _yes, _reason in route.path:
                if question.number == self.correcting:
                    return question
            self.correcting = None  # no longer on the route
        return route.question

    def _show_follow(self, follow: FollowThrough) -> None:
        lines = follow.lines()[1:] if follow.outcome else follow.lines()
        if not lines:
            lines = ["Nog niets vastgelegd."]
        hint = "Enter: advies, melding of 'nog niet gemeld' vastleggen."
        text = Content("\n").join([Content(visible(line)) for line in lines])
        self.query_one("#follow", FollowBox).update(Content.assemble(text, "\n", (hint, "italic")))

    def _draft(self) -> str:
        assert self.context is not None
        return draft_dossier(self.context.guide, self.context.entries, visit_date=self.visit_date)

    def status(self, context: SafetyContext) -> str:
        follow = follow_through(context.entries, context.guide)
        if follow.outcome == "melden":
            return follow.step_state() or ""  # gemeld op …, nog niet gemeld, …
        if follow.outcome:
            return follow.outcome
        steps = current(context.entries, STEP).values()
        started = any(e.value != "open" for e in steps) or follow.contacts
        return "bezig" if started or assessment_from(context.entries, context.guide).path else ""

    def _after_melden(self, index: int) -> bool:
        """Whether step ``index`` is the last one and the route said "melden": then the
        step is what was done with Veilig Thuis, recorded in its own dialog."""
        assert self.context is not None
        last = index == len(self.context.guide.meldcode) - 1
        return last and follow_through(self.context.entries, self.context.guide).outcome == (
            "melden"
        )

    @on(OptionList.OptionSelected, "#steps")
    def _step(self, event: OptionList.OptionSelected) -> None:
        """Enter records nothing on a step: it says which keys set it (step 5 after
        "melden" opens what was done with Veilig Thuis)."""
        if self._after_melden(event.option_index):
            self.record_contact()
            return
        self.query_one("#steps-hint", Static).update(
            f"Zet een stap met een letter: {STEP_KEYS}. Enter legt niets vast."
        )

    def set_step(self, state: str) -> None:
        """The highlighted step set to ``state``; the same state again writes nothing."""
        assert self.context is not None and state in STEP_STATES
        index = self.query_one("#steps", OptionList).highlighted
        if index is None or index >= len(self.context.guide.meldcode):
            return
        self.query_one("#steps-hint", Static).update("")
        if self._after_melden(index):
            self.record_contact()
            return
        number = str(self.context.guide.meldcode[index].number)
        entry = current(self.context.entries, STEP).get(number)
        if (entry.value if entry else "open") != state:
            self.record(STEP, number, state)

    def _consult(self, advice: Input) -> None:
        role = self.query_one("#consult-role", Input)
        if role.value.strip() and advice.value.strip():
            self.record(CONSULT, "", role.value.strip(), advice.value.strip())
            role.value = advice.value = ""
            self.screen.set_focus(role)

    def choose_correction(self) -> None:
        """C: choose an answered question of the afwegingskader to answer again."""
        assert self.context is not None
        route = assessment_from(self.context.entries, self.context.guide)
        if not route.path:
            return
        answers = [
            (str(q.number), one_line(f"{q.number}. {'ja' if yes else 'nee'} — {q.vraag}", 70))
            for q, yes, _reason in route.path
        ]

        def chosen(number: str | None) -> None:
            if not number or self.context is None:
                return
            self.correcting = int(number)
            self._show_route(self.context)
            self.query_one("#question", AnswerBox).refresh_bindings()
            self.screen.set_focus(self.query_one("#question", AnswerBox))

        self.asker().ask_choice(
            "Welk antwoord corrigeren?",
            "Het oude antwoord blijft in het spoor bewaard; de route wordt opnieuw gevolgd.",
            [*answers, ("", "Niets corrigeren")],
            chosen,
        )

    def record_contact(self) -> None:
        """Advice asked, a melding made, or not reported yet (with the reason)."""

        def recorded(contact: Contact | None) -> None:
            if contact is not None:
                self.record(VT_CONTACT, "", contact.kind, contact.note())
            if self.is_attached:
                self.screen.set_focus(self.query_one("#follow", FollowBox))

        self.asker().ask_contact(recorded)

    def waiting(self) -> AssessmentQuestion | None:
        """The question a J or N answers now (None: the route has ended)."""
        if self.context is None:
            return None
        return self._target(assessment_from(self.context.entries, self.context.guide))

    def answer(self, answer: str) -> None:
        if self.waiting() is None:
            return  # the route has ended: C corrects an answer
        self.answering = answer
        self.query_one("#answer-label", Label).update(f"Waarom {answer}?")
        self.query_one("#answer-field").display = True
        self.screen.set_focus(self.query_one("#answer-reason", Input))

    def _answer(self, field: Input) -> None:
        assert self.context is not None
        route = assessment_from(self.context.entries, self.context.guide)
        target = self._target(route)
        problem = answer_problem(field.value)
        self.query_one("#route-error", Static).update(problem or "")
        if problem or target is None or not self.answering:
            return
        answering = self.answering
        self.answering = ""
        self.correcting = None
        reason = field.value.strip()
        field.value = ""
        self.record(ASSESS, str(target.number), answering, reason)
        self.query_one("#answer-field").display = False
        self.screen.set_focus(self.query_one("#question", AnswerBox))

    def action_save_dossier(self) -> None:
        self.record(DOSSIER, "", "", self.query_one("#dossier", TextArea).text)
        self.notify("De tekst voor het dossier is bewaard.")

    def action_new_draft(self) -> None:
        self.query_one("#dossier", TextArea).load_text(self._draft())
