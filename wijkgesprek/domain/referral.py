"""Referrals (verwijzingen): states, the moves between them, and how a state is told."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from wijkgesprek.text import by

DISCUSSED = "besproken"
REGISTERED = "aangemeld"
WAITING = "wachtlijst"
"""Registered, and waiting for a place; the event's reason may hold the expected start."""
STARTED = "gestart"
FAILED = "niet gelukt"
STATES = (DISCUSSED, REGISTERED, WAITING, STARTED, FAILED)
FINAL = (STARTED, FAILED)

_NEXT = {
    DISCUSSED: (REGISTERED, FAILED),
    REGISTERED: (WAITING, STARTED, FAILED),
    WAITING: (STARTED, FAILED),
    STARTED: (),
    FAILED: (),
}

_EXPECTED = re.compile(r"verwacht vanaf (\d{2})-(\d{2})-(\d{4})")


@dataclass(frozen=True)
class ReferralStep:
    """One state a referral went through: in which visit, when, and why."""

    state: str
    reason: str
    at: datetime
    visit_id: int
    author: str = field(default="", compare=False)
    """Who took the step (a team database's login role; empty on the laptop)."""


@dataclass(frozen=True)
class ReferralData:
    id: int
    naam: str
    soort: str
    wijk: str
    contact: str
    state: str
    reason: str
    visit_id: int
    """The visit in which the referral was made."""
    updated_at: datetime
    steps: tuple[ReferralStep, ...] = ()
    """Every state it went through, oldest first; the last one is ``state``."""

    @property
    def is_open(self) -> bool:
        return self.state not in FINAL

    @property
    def since(self) -> datetime:
        """When the referral got its current state."""
        return self.steps[-1].at if self.steps else self.updated_at

    @property
    def current(self) -> ReferralStep:
        """The current state as a step."""
        visit = self.steps[-1].visit_id if self.steps else self.visit_id
        return ReferralStep(self.state, self.reason, self.since, visit)

    def moved(self, step: ReferralStep) -> ReferralData:
        """The referral after ``step`` (as the store records it)."""
        return replace(
            self,
            state=step.state,
            reason=step.reason,
            updated_at=step.at,
            steps=(*self.steps, step),
        )


def next_states(state: str) -> tuple[str, ...]:
    """Where a referral in ``state`` can go: besproken → aangemeld → (wachtlijst →)
    gestart / niet gelukt."""
    return _NEXT.get(state, ())


def expected_reason(day: date) -> str:
    """The reason of a waiting-list step with the date from which help is expected."""
    return f"verwacht vanaf {day:%d-%m-%Y}"


def expected_from(reason: str) -> date | None:
    """The date in a waiting-list reason ("verwacht vanaf 01-05-2026"); None otherwise."""
    match = _EXPECTED.fullmatch(reason.strip())
    if match is None:
        return None
    day, month, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def expected_problem(day: date | None, today: date) -> str | None:
    """A Dutch sentence when a typed expected start (already read as a date, None when it
    was not one) cannot be used, else None."""
    if day is None:
        return "Schrijf een bestaande datum, zoals 1-5-2026, of laat het veld leeg."
    if day < today:
        return "Die datum is al voorbij. Schrijf vanaf wanneer de hulp verwacht wordt."
    return None


def fits_waiting_list(reason: str) -> bool:
    """A waiting-list reason is empty or the expected start ("verwacht vanaf 01-05-2026")."""
    return not reason.strip() or expected_from(reason) is not None


def transition_problem(current: str, new: str, reason: str) -> str | None:
    """A Dutch sentence when the move is not allowed, else None."""
    if new not in STATES:
        return f"Onbekende status '{new}'. Kies uit: {', '.join(STATES)}."
    if new not in next_states(current):
        allowed = " of ".join(next_states(current)) or "niets meer (de verwijzing is afgerond)"
        return f"Van '{current}' kan een verwijzing naar: {allowed}."
    if new == FAILED and not reason.strip():
        return "Schrijf kort op waarom het niet gelukt is."
    if new == WAITING and not fits_waiting_list(reason):
        return (
            "Bij de wachtlijst is de reden leeg of 'verwacht vanaf DD-MM-JJJJ' "
            "(een bestaande datum)."
        )
    return None


def _day(value: datetime | date) -> str:
    return (value.astimezone() if isinstance(value, datetime) else value).strftime("%d-%m-%Y")


def step_text(step: ReferralStep, *, besides: str | None = None) -> str:
    """A state with its date, e.g. "op de wachtlijst sinds 09-03-2026, verwacht vanaf
    01-05-2026" or "niet gelukt op 09-03-2026, reden: …" (the reason as typed). With
    ``besides`` (the author named above it, perhaps none), who took the step when it was
    someone else: "aangemeld op 02-03-2026 (door bob)"."""
    reason = step.reason.strip()
    who = "" if besides is None else by(step.author, besides=besides)
    if step.state == WAITING:
        text = f"op de wachtlijst sinds {_day(step.at)}"
        expected = expected_from(reason)
        if expected is not None:
            return f"{text}, verwacht vanaf {_day(expected)}{who}"
        return (f"{text}, {reason}" if reason else text) + who
    text = f"{step.state} op {_day(step.at)}"
    return (f"{text}, reden: {reason}" if reason else text) + who


def steps_text(steps: Iterable[ReferralStep], *, besides: str | None = None) -> str:
    """Several steps in order, e.g. "besproken op 02-03-2026 → aangemeld op 02-03-2026"
    (``besides``: see :func:`step_text`)."""
    return " → ".join(step_text(step, besides=besides) for step in steps)


def state_text(referral: ReferralData) -> str:
    """The current state with its date."""
    return step_text(referral.current)
