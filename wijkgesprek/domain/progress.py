"""Progress over practice attempts (pure): one line per attempt, and a trainer's overview.

:func:`score` condenses a reflection into one row, so attempts at the same case can be
compared; :func:`group_markdown` puts the attempts of a group of trainees side by side
for a trainer, with counts only: never a note, a question or an answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from wijkgesprek.content.model import PracticeCase
from wijkgesprek.domain.asking import OPEN
from wijkgesprek.domain.reflection import Reflection
from wijkgesprek.domain.reflection_text import escape_markdown


@dataclass(frozen=True)
class Score:
    """One attempt in a line, to see progress over attempts."""

    number: int
    """1 for the first attempt at the case."""
    started_at: datetime
    ended: bool
    topics: int
    """Topics of the case's good conversation that were touched."""
    topics_total: int
    facts: int
    facts_total: int
    kindcheck: bool
    voices: int
    voices_total: int
    moeten: int
    labels: int
    open: int = 0
    """Open questions asked."""
    asked: int = 0
    """Questions asked."""


def score(
    case: PracticeCase, reflection: Reflection, *, number: int, started_at: datetime, ended: bool
) -> Score:
    good = case.goed_gesprek
    touched = set(reflection.touched)
    return Score(
        number=number,
        started_at=started_at,
        ended=ended,
        topics=sum(1 for topic in good if topic in touched),
        topics_total=len(good),
        facts=len(reflection.facts_found),
        facts_total=len(case.verborgen),
        kindcheck=reflection.kindcheck_done,
        voices=len(reflection.voices_heard),
        voices_total=len(case.stemmen),
        moeten=reflection.moeten_total,
        labels=reflection.labels_total,
        open=reflection.forms.get(OPEN, 0),
        asked=reflection.asked,
    )


PROGRESS_HEADER = (
    "Nr",
    "Datum",
    "Onderwerpen",
    "Feiten",
    "Open",
    "Kindcheck",
    "Stemmen",
    "Moeten",
    "Labels",
)


def progress_row(item: Score) -> tuple[str, ...]:
    """A score as the cells of a progress table (Dutch), matching :data:`PROGRESS_HEADER`."""
    return (
        f"{item.number}" + ("" if item.ended else " (open)"),
        f"{item.started_at.astimezone():%d-%m-%Y}",  # the day where the user is
        f"{item.topics}/{item.topics_total}",
        f"{item.facts}/{item.facts_total}",
        f"{item.open}/{item.asked}",
        "ja" if item.kindcheck else "nee",
        f"{item.voices}/{item.voices_total}",
        str(item.moeten),
        str(item.labels),
    )


def progress_markdown(scores: Sequence[Score]) -> str:
    """The attempts as a Markdown list, one line each ("" without attempts): a list, not a
    table, so it fits a narrow screen."""
    lines = []
    for item in scores:
        number, day, topics, facts, asked, kindcheck, voices, moeten, labels = progress_row(item)
        lines.append(
            f"- Poging {number}, {day}: onderwerpen {topics}, feiten {facts}, open vragen "
            f"{asked}, kindcheck {kindcheck}, stemmen {voices}, 'moeten' {moeten}, "
            f"labels {labels}"
        )
    return "\n".join(lines) + "\n" if lines else ""


@dataclass(frozen=True)
class TraineeAttempts:
    """What one trainee's practice database holds, as scores per case."""

    trainee: str
    """How the trainee is named in the overview (the file's name, never a note)."""
    scores: tuple[tuple[PracticeCase, tuple[Score, ...]], ...]


def group_markdown(group: Sequence[TraineeAttempts], *, title: str = "") -> str:
    """A trainer's overview of a group's attempts, per case then per trainee (Markdown).
    Only counts: the trainees' notes, questions and the family's answers stay out."""
    lines = [f"# Oefenoverzicht{': ' + escape_markdown(title) if title else ''}", ""]
    lines.append(
        "Per casus de pogingen van elke deelnemer: onderwerpen van een goed gesprek, "
        "gevonden verborgen feiten, open vragen van het totaal, kindcheck, gehoorde "
        "stemmen, en hoe vaak 'moeten' en een label werden gebruikt. Aantekeningen staan "
        "er niet in."
    )
    cases: list[PracticeCase] = []
    for trainee in group:
        for case, _ in trainee.scores:
            if case.id not in [known.id for known in cases]:
                cases.append(case)
    if not cases:
        return "\n".join([*lines, "", "Nog geen pogingen."]) + "\n"
    header = ("Deelnemer", *PROGRESS_HEADER)
    for case in cases:
        heading = f"{case.huishouden.code} {case.titel}"
        lines += ["", f"## {escape_markdown(heading)}", ""]
        rows = [
            (escape_markdown(trainee.trainee), *progress_row(item))
            for trainee in group
            for known, scores in trainee.scores
            if known.id == case.id
            for item in scores
        ]
        if not rows:
            lines.append("Geen pogingen.")
            continue
        lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"
