"""The safety check as plain data and rules: kindcheck, signals, balance, scaling,
the Meldcode steps and the afwegingskader (no Textual, no SQL).

Everything is recorded as an append-only trail of :class:`SafetyEntry`; a change is a
new entry that points to the one it corrects. The current state is derived from the
trail with :func:`current`. The professional decides; these functions only make sure
the questions were asked, keep the reasons, and say what the framework says is next.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from wijkgesprek.text import quoted, sentence

if TYPE_CHECKING:
    from wijkgesprek.content.model import AssessmentQuestion, SafetyGuide
    from wijkgesprek.domain.household import Children

# Kinds of trail entries.
KINDCHECK = "kindcheck"  # key "", value one of KINDCHECK_OUTCOMES, note: reason
SIGNAL = "signaal"  # key "group/signal", value "aan" or "uit", note: in the family's words
BALANCE = "balans"  # key question id, value "ja", "nee" or "onbekend"
SCALE = "schaal"  # key role, value "0".."10", note: in the person's own words
COLUMN = "kolom"  # key one of COLUMNS, note: the text
STEP = "stap"  # key "1".."5", value one of STEP_STATES, note
CONSULT = "overleg"  # key a running number, value: with whom (role), note: the advice
ASSESS = "afweging"  # key "1".."5", value "ja" or "nee", note: the reason
DOSSIER = "dossier"  # key "", note: the paragraph as edited by the professional
VT_CONTACT = "veilig-thuis"  # key a running number, value what was done, note JSON (meldcode.py)
WHEN = "wanneer"
"""Kindcheck key: when an "aandachtspunt" is looked at again (recorded with the outcome)."""

KINDCHECK_OUTCOMES: Mapping[str, str] = {
    "geen-zorgen": "geen zorgen",
    "aandachtspunt": "aandachtspunt",
    "zorgen": "zorgen → meldcode",
    "niet-gedaan": "niet gedaan",
}
COLUMNS: Mapping[str, str] = {
    "zorgen": "Waar maken we ons zorgen over?",
    "goed": "Wat gaat goed?",
    "gebeuren": "Wat moet er gebeuren?",
}
STEP_STATES = ("open", "bezig", "gedaan")
OUTCOME_TEXT: Mapping[str, str] = {
    "afsluiten": "Afsluiten: er is geen vermoeden (meer); leg vast waarom.",
    "melden": "Melden bij Veilig Thuis (0800-2000).",
    "hulp": "Hulp voortzetten, met afspraken over het volgen van de veiligheid.",
}


@dataclass(frozen=True)
class SafetyEntry:
    id: int
    visit_id: int
    kind: str
    key: str
    value: str
    note: str
    at: datetime
    corrects: int | None = None
    author: str = field(default="", compare=False)
    """Who recorded it (a team database's login role; empty on the laptop)."""


def current(entries: Iterable[SafetyEntry], kind: str) -> dict[str, SafetyEntry]:
    """The latest entry per key of one kind (the trail itself is never shortened)."""
    latest: dict[str, SafetyEntry] = {}
    for entry in sorted(entries, key=lambda e: (e.at, e.id)):
        if entry.kind == kind:
            latest[entry.key] = entry
    return latest


# -- kindcheck ------------------------------------------------------------------------


def kindcheck_required(children: Children) -> bool:
    """Children, a pregnancy or children cared for elsewhere: the check needs an outcome."""
    return children.any


def needs_reason(outcome: str) -> bool:
    """Only "niet gedaan" and "aandachtspunt" ask for words; the others are the choice."""
    return outcome in ("niet-gedaan", "aandachtspunt")


def kindcheck_problem(outcome: str, reason: str, when: str = "") -> str | None:
    if outcome not in KINDCHECK_OUTCOMES:
        return "Kies een uitkomst: geen zorgen, aandachtspunt, zorgen → meldcode, of niet gedaan."
    if outcome == "niet-gedaan" and not reason.strip():
        return "Schrijf op waarom de kindcheck niet gedaan is."
    if outcome == "aandachtspunt" and not reason.strip():
        return "Schrijf op waar u op let bij dit aandachtspunt."
    if outcome == "aandachtspunt" and not when.strip():
        return "Schrijf op wanneer u er weer naar kijkt (bijv. volgend bezoek, of 15-01)."
    return None


def kindcheck_outcome(entries: Iterable[SafetyEntry]) -> SafetyEntry | None:
    return current(entries, KINDCHECK).get("")


def kindcheck_when(entries: Sequence[SafetyEntry]) -> str:
    """When the current "aandachtspunt" is looked at again ("" for other outcomes)."""
    outcome = kindcheck_outcome(entries)
    if outcome is None or outcome.value != "aandachtspunt":
        return ""
    when = current(entries, KINDCHECK).get(WHEN)
    return when.value if when is not None and when.at >= outcome.at else ""


def kindcheck_text(entries: Sequence[SafetyEntry]) -> str:
    """The outcome in a few words, with what to watch and when for an aandachtspunt."""
    outcome = kindcheck_outcome(entries)
    if outcome is None:
        return "niet vastgelegd"
    label = KINDCHECK_OUTCOMES.get(outcome.value, outcome.value)
    if outcome.value == "aandachtspunt":
        when = kindcheck_when(entries)
        return f"{label}: {outcome.note}" + (f" (kijken: {when})" if when else "")
    return label + (f" ({outcome.note})" if outcome.note else "")


# -- concerns, ending a visit, follow-up ---------------------------------------------------


def has_concerns(entries: Sequence[SafetyEntry]) -> bool:
    """Worries were recorded: kindcheck "zorgen", a ticked signal, a Meldcode route, or a
    contact with Veilig Thuis."""
    check = kindcheck_outcome(entries)
    if check is not None and check.value == "zorgen":
        return True
    if any(e.value == "aan" for e in current(entries, SIGNAL).values()):
        return True
    steps = current(entries, STEP).values()
    if current(entries, VT_CONTACT):
        return True
    return bool(current(entries, ASSESS)) or any(e.value != "open" for e in steps)


def end_problems(
    *,
    children: Children,
    entries: Sequence[SafetyEntry],
    next_contact: date | None,
    guide: SafetyGuide,
) -> list[str]:
    """Why a visit cannot be ended yet (empty: it can)."""
    from wijkgesprek.domain.meldcode import close_problem

    problems = []
    if kindcheck_required(children) and kindcheck_outcome(entries) is None:
        problems.append(
            "Er zijn kinderen (of een zwangerschap): leg de uitkomst van de kindcheck vast "
            "(F10), of waarom die niet gedaan is."
        )
    if has_concerns(entries) and next_contact is None:
        problems.append(
            "Er zijn zorgen over de veiligheid: spreek een volgend contact af (F4), zodat "
            "het gezin niet uit beeld raakt."
        )
    report = close_problem(entries, guide)
    if report is not None:
        problems.append(report)
    return problems


# -- the afwegingskader --------------------------------------------------------------------


@dataclass(frozen=True)
class Assessment:
    path: tuple[tuple[AssessmentQuestion, bool, str], ...]
    """The questions answered along the route: (question, yes, reason)."""
    question: AssessmentQuestion | None
    """The next question to answer; None when the route has ended."""
    outcome: str | None
    """``afsluiten``, ``melden`` or ``hulp`` once decided."""


def assess(
    questions: Sequence[AssessmentQuestion], answers: Mapping[int, tuple[bool, str]]
) -> Assessment:
    """Follow the afwegingskader in order, as its data prescribes.

    ``answers`` maps a question number to (yes, reason). Answers off the route (for
    example after a corrected earlier answer) are ignored.
    """
    path: list[tuple[AssessmentQuestion, bool, str]] = []
    for question in questions:
        if question.number not in answers:
            return Assessment(tuple(path), question, None)
        yes, reason = answers[question.number]
        path.append((question, yes, reason))
        outcome = question.ja if yes else question.nee
        if outcome != "volgende":
            return Assessment(tuple(path), None, outcome)
    return Assessment(tuple(path), None, None)


def assessment_from(entries: Sequence[SafetyEntry], guide: SafetyGuide) -> Assessment:
    answers = {
        int(key): (entry.value == "ja", entry.note)
        for key, entry in current(entries, ASSESS).items()
        if key.isdigit()
    }
    return assess(guide.assessment, answers)


def answer_problem(reason: str) -> str | None:
    if not reason.strip():
        return "Elke keuze in het afwegingskader heeft een reden nodig. Schrijf kort waarom."
    return None


# -- balance and scaling ---------------------------------------------------------------------


@dataclass(frozen=True)
class Balance:
    load: tuple[str, ...]
    capacity: tuple[str, ...]


def balance(
    guide: SafetyGuide,
    *,
    tagged: Sequence[str],
    theme_names: Mapping[str, str],
    entries: Sequence[SafetyEntry],
) -> Balance:
    """What weighs (draaglast) and what carries (draagkracht), to look at together."""
    answers = {key: e.value for key, e in current(entries, BALANCE).items()}
    load = [theme_names.get(t, t) for t in guide.load_themes if t in tagged]
    load += [q.vraag for q in guide.balance if q.side == "draaglast" and answers.get(q.id) == "ja"]
    capacity = [
        q.vraag for q in guide.balance if q.side == "draagkracht" and answers.get(q.id) == "ja"
    ]
    return Balance(tuple(load), tuple(capacity))


def scale_problem(text: str) -> str | None:
    if not text.strip().isdigit() or not 0 <= int(text) <= 10:
        return "Een schaalcijfer is een heel getal van 0 tot en met 10."
    return None


# -- the dossier paragraph -------------------------------------------------------------------


def draft_dossier(guide: SafetyGuide, entries: Sequence[SafetyEntry], *, visit_date: date) -> str:
    """A factual paragraph from the trail, for the professional to edit."""
    day = visit_date.strftime("%d-%m-%Y")
    sentences = [f"Huisbezoek van {day}."]
    if kindcheck_outcome(entries) is not None:
        sentences.append(sentence(f"Kindcheck: {kindcheck_text(entries)}"))
    texts = {f"{g.id}/{s.id}": s.tekst for g in guide.signal_groups for s in g.signals}
    ticked = [e for e in current(entries, SIGNAL).values() if e.value == "aan"]
    if ticked:
        described = [
            texts.get(e.key, e.key) + (f" (in eigen woorden: {quoted(e.note)})" if e.note else "")
            for e in ticked
        ]
        sentences.append("Gesignaleerd: " + "; ".join(described) + ".")
    scores = current(entries, SCALE)
    if scores:
        sentences.append(
            "Schaalvraag (0 = de kinderen kunnen niet thuis blijven, 10 = veilig genoeg): "
            + ", ".join(f"{role} {e.value}" for role, e in scores.items())
            + "."
        )
    steps = {int(k): e for k, e in current(entries, STEP).items() if k.isdigit()}
    for step in guide.meldcode:
        entry = steps.get(step.number)
        if entry is not None and entry.value != "open":
            when = entry.at.astimezone().strftime("%d-%m-%Y")
            sentences.append(
                f"Meldcode stap {step.number} ({step.titel}): {entry.value} op {when}."
            )
    for entry in sorted(current(entries, CONSULT).values(), key=lambda e: e.at):
        sentences.append(sentence(f"Overleg met {entry.value}: {entry.note}"))
    route = assessment_from(entries, guide)
    for question, yes, reason in route.path:
        answer = "ja" if yes else "nee"
        sentences.append(
            sentence(f"Afwegingskader vraag {question.number}: {answer}, omdat {reason}")
        )
    if route.outcome:
        sentences.append("Besluit: " + OUTCOME_TEXT[route.outcome])
    from wijkgesprek.domain.meldcode import contacts

    sentences += [contact.text() for contact in contacts(entries)]
    return " ".join(sentences)
