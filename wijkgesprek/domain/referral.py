"""Referrals (verwijzingen): states and the moves between them."""

from __future__ import annotations

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

    @property
    def is_open(self) -> bool:
        return self.state not in FINAL


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
