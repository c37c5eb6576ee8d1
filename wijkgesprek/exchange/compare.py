"""Comparing a household's hand-over data here with the same household in a file.

Pure functions (no SQL). Only what importing the file would *change* is a difference:
something that exists here but not in the file (a later addition, a newer safety entry,
a step in a referral's history) is kept on import and so is no difference. A difference
shows short excerpts, never whole notes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from wijkgesprek.domain.network_map import Person
from wijkgesprek.exchange.handover import (
    Handover,
    HandoverReferral,
    HandoverSafety,
    HandoverVisit,
)
from wijkgesprek.text import visible

EXCERPT = 60


@dataclass(frozen=True)
class Difference:
    path: str
    """Where in the file, e.g. ``bezoeken[2].notities.stress``."""
    ours: str
    """A short excerpt of what is here ("—" for nothing)."""
    theirs: str


def when(value: datetime | date | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return value.astimezone().strftime("%d-%m-%Y %H:%M")
    return value.strftime("%d-%m-%Y")


def _quote(text: str) -> str:
    return f"\u201c{text}\u201d" if text else "—"


def excerpts(ours: str, theirs: str, width: int = EXCERPT) -> tuple[str, str]:
    """Both texts shortened to ``width`` characters around where they first differ."""
    start = 0
    while start < min(len(ours), len(theirs)) and ours[start] == theirs[start]:
        start += 1
    start = max(0, start - width // 3)
    space = ours.rfind(" ", max(0, start - 15), start)
    if start and space >= 0:
        start = space + 1  # begin the excerpt at a word

    def cut(text: str) -> str:
        if not text:
            return "—"
        part = text[start : start + width]
        part = ("…" if start else "") + part + ("…" if start + width < len(text) else "")
        return _quote(visible(part.replace("\n", " ⏎ ")))

    return cut(ours), cut(theirs)


def visit_differences(path: str, ours: HandoverVisit, theirs: HandoverVisit) -> list[Difference]:
    found: list[Difference] = []
    if theirs.ended_at is not None and theirs.ended_at != ours.ended_at:
        found.append(Difference(f"{path}.afgerond", when(ours.ended_at), when(theirs.ended_at)))
    if theirs.next_contact != ours.next_contact:
        found.append(
            Difference(
                f"{path}.volgend_contact", when(ours.next_contact), when(theirs.next_contact)
            )
        )
    for topic in sorted(set(ours.notes) | set(theirs.notes)):
        mine, yours = ours.notes.get(topic, ""), theirs.notes.get(topic, "")
        if mine != yours:
            found.append(Difference(f"{path}.notities.{topic}", *excerpts(mine, yours)))
    for topic in sorted(set(ours.themes) | set(theirs.themes)):
        mine_t, yours_t = ours.themes.get(topic, ()), theirs.themes.get(topic, ())
        if mine_t != yours_t:
            found.append(
                Difference(
                    f"{path}.themas.{topic}", ", ".join(mine_t) or "—", ", ".join(yours_t) or "—"
                )
            )
    left = list(ours.agreements)
    for n, agreement in enumerate(theirs.agreements, 1):
        same = [
            a
            for a in left
            if (a.wat, a.wie, a.wanneer) == (agreement.wat, agreement.wie, agreement.wanneer)
        ]
        exact = next((a for a in same if a.status == agreement.status), None)
        if exact is not None:
            left.remove(exact)
        elif same:
            left.remove(same[0])
            found.append(
                Difference(f"{path}.afspraken[{n}].status", same[0].status, agreement.status)
            )
        else:
            found.append(Difference(f"{path}.afspraken[{n}]", "—", excerpts("", agreement.wat)[1]))
    for n, addition in enumerate(theirs.additions, 1):
        if addition not in ours.additions:
            found.append(
                Difference(f"{path}.aanvullingen[{n}]", "—", excerpts("", addition.text)[1])
            )
    for n, entry in enumerate(theirs.safety, 1):
        if entry not in ours.safety:
            found.append(Difference(f"{path}.veiligheid[{n}]", "—", _entry(entry)))
    for theme in theirs.gaps:
        if theme not in ours.gaps:
            found.append(Difference(f"{path}.geen_aanbod", "—", theme))
    if theirs.network is not None and theirs.network != ours.network:
        found.append(
            Difference(
                f"{path}.netwerkkaart", network_text(ours.network), network_text(theirs.network)
            )
        )
    return found


def network_text(people: Sequence[Person] | None) -> str:
    """A map in short: "oma, buurvrouw (2)"; "—" for none."""
    if people is None:
        return "—"
    roles = ", ".join(person.role for person in people)
    return visible(f"{excerpts('', roles)[1]} ({len(people)})") if people else "leeg"


def _entry(entry: HandoverSafety) -> str:
    key = f" {entry.key}" if entry.key else ""
    value = f": {entry.value}" if entry.value else ""
    return visible(f"{entry.kind}{key}{value} ({when(entry.at)})")


def referral_key(referral: HandoverReferral, handover: Handover) -> tuple[str, str, datetime]:
    started = handover.visits[referral.visit - 1].started_at
    return (referral.naam.casefold(), referral.wijk.casefold(), started)


def referral_steps(
    referral: HandoverReferral, handover: Handover
) -> list[tuple[str, str, datetime, datetime]]:
    return [
        (st.state, st.reason, st.at, handover.visits[st.visit - 1].started_at)
        for st in referral.steps
    ]


def referral_differences(
    path: str, ours: HandoverReferral, theirs: HandoverReferral, mine: Handover, yours: Handover
) -> list[Difference]:
    found = [
        Difference(f"{path}.{name}", visible(a) or "—", visible(b) or "—")
        for name, a, b in (
            ("status", ours.state, theirs.state),
            ("reden", ours.reason, theirs.reason),
            ("contact", ours.contact, theirs.contact),
            ("soort", ours.soort, theirs.soort),
            ("themas", ", ".join(ours.themes), ", ".join(theirs.themes)),
        )
        if a != b
    ]
    known = referral_steps(ours, mine)
    for n, step in enumerate(referral_steps(theirs, yours), 1):
        if step not in known:
            found.append(
                Difference(f"{path}.geschiedenis[{n}]", "—", f"{step[0]} ({when(step[2])})")
            )
    return found
