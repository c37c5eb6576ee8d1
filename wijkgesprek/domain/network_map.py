"""The netwerkkaart (an ecomap) of a household as plain data, and what the app concludes
from it: who may be on it, how it changed between two visits, whether the informal
network is thin, which themes no one helps with, the veiligheidsnetwerk, and where each
person stands on the rings of the drawing. No Textual, no SQL.

The people on a map did not consent to being recorded: a person is a role ("oma",
"juf van groep 3") with at most a first name or initials, never a surname, an address
or a phone number (:func:`name_problem`, :func:`role_problem`).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from wijkgesprek.content.model import CLOSE, COSTS, GIVES, NetworkGuide

K = TypeVar("K", bound=Hashable)

THIN_BELOW = 2
"""A network is thin with fewer informal helpers than this (:func:`is_thin`)."""
MAX_NAME = 20
MAX_ROLE = 40
MAX_MEMBER = 30

_CONSENT = " Wie op de kaart staat, gaf daar zelf geen toestemming voor."
_FIRST_NAME = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_INITIALS = re.compile(r"(?:[^\W\d_]\.){1,5}")
_STREET = re.compile(r"(?:straat|laan|weg|plein|gracht|kade|singel|dreef|steeg)\b", re.IGNORECASE)
_ADDRESS = re.compile(
    r"(?:straat|laan|weg|plein|gracht|kade|singel|dreef|steeg|hof)\s*\d", re.IGNORECASE
)
_NUMBER = re.compile(r"\d(?:[\s-]?\d){3}")
"""Four digits or more, perhaps with a space or dash between: a phone number or postcode."""


@dataclass(frozen=True)
class Person:
    """Someone (or an organisation) around the household, on one visit's map."""

    number: int
    """The person's number in the household: the same person on every visit's map."""
    role: str
    name: str = ""
    """A first name or initials at most (may be empty)."""
    group: str = ""
    """A group id of the guide (familie, buurt, hulpverlening, …)."""
    informal: bool = False
    """The group was informal (the family's own circle) when this was recorded."""
    member: str = ""
    """The household member this person is close to (empty: the whole household)."""
    helps: tuple[str, ...] = ()
    """Kinds of help (ids of the guide's ``hulp``)."""
    closeness: str = CLOSE
    energy: str = ""
    """GIVES, COSTS or empty (not known)."""
    more: bool = False
    """Could or would like to do more: wie zou willen meedenken?"""
    safety: bool = False
    """Knows about the worries and can help keep the children safe (veiligheidsnetwerk)."""

    def replace(self, **changes: Any) -> Person:
        return dataclasses.replace(self, **changes)


# -- who may be on the map ---------------------------------------------------------------


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot be kept (Dutch), or None: a first name or initials at most."""
    name = name.strip()
    if not name:
        return None
    only = "Alleen een voornaam of initialen (zoals Ria of J.K.)"
    if any(char.isdigit() for char in name):
        return f"{only}: geen cijfers.{_CONSENT}"
    if "@" in name or _STREET.search(name):
        return f"{only}: geen adres of e-mailadres.{_CONSENT}"
    if len(name.split()) > 1:
        return f"{only}: geen achternaam (een dubbele voornaam als Anne-Marie).{_CONSENT}"
    if len(name) > MAX_NAME:
        return f"{only}: deze naam is te lang (hoogstens {MAX_NAME} tekens).{_CONSENT}"
    if not (_FIRST_NAME.fullmatch(name) or _INITIALS.fullmatch(name)):
        return f"{only}: alleen letters, '-' en punten.{_CONSENT}"
    return None


def _free_text_problem(text: str, where: str, limit: int) -> str | None:
    example = "schrijf wat iemand voor het gezin is (oma, buurvrouw, juf van groep 3)"
    if "@" in text:
        return f"Geen e-mailadres {where}: {example}."
    if _ADDRESS.search(text):
        return f"Geen adres {where}: {example}."
    if _NUMBER.search(text):
        return f"Geen telefoonnummer of postcode {where}: {example}."
    if len(text) > limit:
        return f"Te lang {where}: hoogstens {limit} tekens."
    return None


def role_problem(role: str) -> str | None:
    """Why ``role`` cannot be kept (Dutch), or None. A small number is fine ("groep 3")."""
    role = role.strip()
    if not role:
        return "Vul in wie het is, bijvoorbeeld oma, buurvrouw of juf van groep 3."
    return _free_text_problem(role, "in de rol", MAX_ROLE)


def member_problem(member: str) -> str | None:
    """Why the household member someone is close to cannot be kept, or None (empty: the
    whole household)."""
    member = member.strip()
    return _free_text_problem(member, "bij 'dichtbij wie'", MAX_MEMBER) if member else None


def label(person: Person, *, names: bool = True) -> str:
    """The role, with the first name when names are shown ("oma Ria")."""
    if names and person.name:
        return f"{person.role} {person.name}"
    return person.role


def next_number(people: Iterable[Person], *, used: int) -> int:
    """The number for someone new: never one the household used before (``used``: the
    highest number on any of its maps)."""
    return max([used, *(person.number for person in people)]) + 1


def import_numbers(
    ours: Mapping[K, Sequence[Person]], theirs: Mapping[K, Sequence[Person]]
) -> dict[int, int]:
    """How the numbers on the maps of a hand-over (``theirs``, by visit) become numbers of
    the household here (``ours``), so a number stays one person in the household. In a
    visit both have, a person the same but for the number, else one with the same number,
    is the same person; any other number is kept when the household does not use it,
    else it gets a new one."""
    mapping: dict[int, int] = {}
    shared = [key for key in theirs if key in ours]
    for same in (_equal, _same_number):
        for key in shared:
            for person in theirs[key]:
                if person.number in mapping:
                    continue
                taken = set(mapping.values())
                match = next(
                    (p for p in ours[key] if p.number not in taken and same(p, person)), None
                )
                if match is not None:
                    mapping[person.number] = match.number
    used = {person.number for people in ours.values() for person in people}
    numbers = sorted({person.number for people in theirs.values() for person in people})
    fresh = max([0, *used, *numbers])
    for number in numbers:
        if number in mapping:
            continue
        if number in used:
            fresh += 1
            mapping[number] = fresh
        else:
            mapping[number] = number
    return mapping


def _equal(mine: Person, theirs: Person) -> bool:
    return mine.replace(number=0) == theirs.replace(number=0)


def _same_number(mine: Person, theirs: Person) -> bool:
    return mine.number == theirs.number


# -- the thin informal network, and what the map feeds ----------------------------------------


def informal_helpers(people: Iterable[Person]) -> tuple[Person, ...]:
    """People from the family's own circle who help with something, without it costing
    energy."""
    return tuple(p for p in people if p.informal and p.helps and p.energy != COSTS)


def is_thin(people: Iterable[Person]) -> bool:
    """Fewer than THIN_BELOW informal helpers."""
    return len(informal_helpers(people)) < THIN_BELOW


def thin_reason(people: Iterable[Person]) -> str:
    """One Dutch sentence when the informal network is thin; ``""`` otherwise."""
    helpers = len(informal_helpers(people))
    if helpers >= THIN_BELOW:
        return ""
    who = "niemand" if helpers == 0 else "1 persoon"
    return f"Dun informeel netwerk: {who} uit de eigen kring helpt."


def uncovered_themes(
    themes: Sequence[str], people: Iterable[Person], guide: NetworkGuide
) -> tuple[str, ...]:
    """The themes whose kinds of help (the guide's ``hulp``) no one on the map gives; a
    theme no kind of help answers is left out (nothing can be said about it)."""
    given = {kind for person in people for kind in person.helps}
    found = []
    for theme in dict.fromkeys(themes):
        kinds = {kind.id for kind in guide.helps if theme in kind.themes}
        if kinds and not kinds & given:
            found.append(theme)
    return tuple(found)


def safety_network(people: Iterable[Person]) -> tuple[Person, ...]:
    """Who knows about the worries and can help keep the children safe (Signs of Safety)."""
    return tuple(person for person in people if person.safety)


def would_do_more(people: Iterable[Person]) -> tuple[Person, ...]:
    """Who could or would like to do more: wie zou willen meedenken?"""
    return tuple(person for person in people if person.more)


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def summary_line(
    people: Sequence[Person], guide: NetworkGuide, *, safety: bool = True, thin: bool = True
) -> str:
    """One line for the visit screen and the history: "3 mensen, 2 uit de eigen kring · …";
    the veiligheidsnetwerk only with ``safety`` (not while the family looks along), a thin
    network only with ``thin`` (where :func:`thin_reason` is not shown beside it)."""
    if not people:
        return "nog niemand op de kaart"
    informal = sum(1 for person in people if person.informal)
    parts = [f"{_count(len(people), 'persoon', 'mensen')}, {informal} uit de eigen kring"]
    if more := would_do_more(people):
        parts.append(f"{len(more)} zou meer willen doen")
    if safety and (safe := safety_network(people)):
        parts.append(f"veiligheidsnetwerk: {len(safe)}")
    if thin and is_thin(people):
        parts.append("dun informeel netwerk")
    return " · ".join(parts)


def _lower(text: str) -> str:
    """A name from the guide inside a sentence: "Praktische hulp" → "praktische hulp"."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" en {items[-1]}"


def helps_text(person: Person, guide: NetworkGuide) -> str:
    """ "praktische hulp en gezelschap"; ``""`` when the person helps with nothing."""
    return _and([_lower(guide.help_name(kind)) for kind in person.helps]) if person.helps else ""


def family_lines(people: Sequence[Person], guide: NetworkGuide) -> list[str]:
    """Who helps, in plain words for the family version ("Wie helpt mee?")."""
    lines = []
    for person in people:
        who = label(person)
        who = who[:1].upper() + who[1:]
        helps = helps_text(person, guide)
        if helps:
            line = f"{who} helpt met {helps}" + (", en wil graag meer doen" if person.more else "")
        else:
            line = (
                f"{who} wil graag meer doen"
                if person.more
                else f"{who} hoort bij de mensen om u heen"
            )
        lines.append(line + ".")
    return lines


# -- changes between two visits --------------------------------------------------------------


def _added(person: Person, guide: NetworkGuide, names: bool, safety: bool) -> str:
    line = f"+ {label(person, names=names)}"
    if person.group:
        line += f" ({_lower(guide.group_name(person.group))})"
    if person.helps:
        line += f" helpt met {helps_text(person, guide)}"
    if person.more:
        line += ", zou meer willen doen"
    if person.safety and safety:
        line += ", in het veiligheidsnetwerk"
    return line


def _changed(old: Person, new: Person, guide: NetworkGuide, names: bool, safety: bool) -> list[str]:
    parts = []
    if label(old, names=names) != label(new, names=names):
        parts.append(f"nu {label(new, names=names)}")
    if old.group != new.group:
        parts.append(f"nu bij {_lower(guide.group_name(new.group))}")
    if old.member != new.member:
        parts.append(f"nu vooral voor {new.member}" if new.member else "nu voor het hele gezin")
    if old.closeness != new.closeness:
        parts.append(f"nu {_lower(guide.closeness_text(new.closeness))}")
    if old.energy != new.energy:
        energy = {GIVES: "geeft nu energie", COSTS: "kost nu energie"}
        parts.append(energy.get(new.energy, "energie nu niet bekend"))
    gained = [k for k in new.helps if k not in old.helps]
    lost = [k for k in old.helps if k not in new.helps]
    if gained:
        parts.append("helpt nu ook met " + _and([_lower(guide.help_name(k)) for k in gained]))
    if lost:
        parts.append("helpt niet meer met " + _and([_lower(guide.help_name(k)) for k in lost]))
    if old.more != new.more:
        parts.append("zou meer willen doen" if new.more else "wil niet meer doen dan nu")
    if old.safety != new.safety and safety:
        parts.append(
            "nu in het veiligheidsnetwerk" if new.safety else "niet meer in het veiligheidsnetwerk"
        )
    return parts


def map_changes(
    before: Sequence[Person] | None,
    after: Sequence[Person] | None,
    guide: NetworkGuide,
    *,
    names: bool = True,
    safety: bool = True,
) -> list[str]:
    """How the map changed from one visit to the next, as Dutch lines: "+ buurvrouw (buurt)
    helpt met praktische hulp", "− vriendin", "· oma: nu verder weg". ``before`` None: the
    first map (everyone is new); ``after`` None: no map in the later visit (no news).
    Without ``names`` no first names, without ``safety`` nothing of the veiligheidsnetwerk
    (discreet mode)."""
    if after is None:
        return []
    old = {person.number: person for person in before or ()}
    new = {person.number: person for person in after}
    lines = [_added(p, guide, names, safety) for p in after if p.number not in old]
    lines += [f"− {label(p, names=names)}" for p in before or () if p.number not in new]
    for person in after:
        previous = old.get(person.number)
        if previous is not None and (parts := _changed(previous, person, guide, names, safety)):
            lines.append(f"· {label(previous, names=names)}: " + ", ".join(parts))
    return lines


# -- the drawing: rings around the household, closest inside ------------------------------------


@dataclass(frozen=True)
class Placement:
    person: Person
    ring: int
    """1: dichtbij (inner ring), 2: verder weg (outer ring)."""
    angle: float
    """Degrees, clockwise from the right with the top at -90 (screen coordinates)."""


def placements(people: Sequence[Person], guide: NetworkGuide) -> list[Placement]:
    """Where each person stands: close people on the inner ring, the others on the outer
    one, each ring evenly spread from the top, people of one group side by side (in the
    guide's order). The outer ring is turned half a step, so labels do not line up."""
    order = {group.id: index for index, group in enumerate(guide.groups)}
    placed = []
    for ring in (1, 2):
        members = sorted(
            (p for p in people if (p.closeness == CLOSE) == (ring == 1)),
            key=lambda p: (order.get(p.group, len(order)), p.number),
        )
        if not members:
            continue
        step = 360 / len(members)
        turn = 0.0 if ring == 1 else step / 2
        placed += [
            Placement(person, ring, round(-90 + turn + index * step, 3))
            for index, person in enumerate(members)
        ]
    return placed
