"""Referrals (verwijzingen): states, the moves between them, and how a state is told."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

DISCUSSED = "besproken"
REGISTERED = "aangemeld"
STARTED = "gestart"
FAILED = "niet gelukt"
STATES = (DISCUSSED, REGISTERED, STARTED, FAILED)
FINAL = (STARTED, FAILED)

_NEXT = {
    DISCUSSED: (REGISTERED, FAILED),
    REGISTERED: (STARTED, FAILED),
    STARTED: (),
    FAILED: (),
}


@dataclass(frozen=True)
class ReferralStep:
    """One state a referral went through: in which visit, when, and why."""

    state: str
    reason: str
    at: datetime
    visit_id: int


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


def next_states(state: str) -> tuple[str, ...]:
    """Where a referral in ``state`` can go: besproken → aangemeld → gestart / niet gelukt."""
    return _NEXT.get(state, ())


def transition_problem(current: str, new: str, reason: str) -> str | None:
    """A Dutch sentence when the move is not allowed, else None."""
    if new not in STATES:
        return f"Onbekende status '{new}'. Kies uit: {', '.join(STATES)}."
    if new not in next_states(current):
        allowed = " of ".join(next_states(current)) or "niets meer (de verwijzing is afgerond)"
        return f"Van '{current}' kan een verwijzing naar: {allowed}."
    if new == FAILED and not reason.strip():
        return "Schrijf kort op waarom het niet gelukt is."
    return None


def _day(value: datetime) -> str:
    return value.astimezone().strftime("%d-%m-%Y")


def step_text(step: ReferralStep) -> str:
    """A state with its date, e.g. "niet gelukt op 09-03-2026, reden: …" (the reason as
    typed)."""
    reason = step.reason.strip()
    text = f"{step.state} op {_day(step.at)}"
    return f"{text}, reden: {reason}" if reason else text


def steps_text(steps: Iterable[ReferralStep]) -> str:
    """Several steps in order, e.g. "besproken op 02-03-2026 → aangemeld op 02-03-2026"."""
    return " → ".join(step_text(step) for step in steps)


def state_text(referral: ReferralData) -> str:
    """The current state with its date."""
    return step_text(referral.current)
