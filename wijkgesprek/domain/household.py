"""Household facts the app asks for: a code (never a name), a wijk, the children.

Children are asked as ages in whole years ("2 en 5", as a parent says it) and stored as
birth years (the year of recording minus the age): never a date of birth, never a name.
Their age then moves on with time. Databases from before schema version 8 hold the
old, overlapping age groups (``0-4``, ``4-12``, …); those are shown as they were
recorded, with the date, until a professional updates them (never turned into ages).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime

AGE_GROUPS: tuple[tuple[int, int | None, str], ...] = (
    (0, 3, "0–3"),
    (4, 11, "4–11"),
    (12, 17, "12–17"),
    (18, None, "18+"),
)
"""(from, to inclusive or None, label): every age is in exactly one group."""

LEGACY_AGE_GROUPS: dict[str, str] = {
    "0-4": "0–4 jaar",
    "4-12": "4–12 jaar",
    "12-18": "12–18 jaar",
    "18+": "18+ (thuiswonend)",
}
"""The overlapping groups stored before schema version 8: read, shown, never written."""

PREGNANT = "zwanger"
ELSEWHERE = "elders"
FLAGS: dict[str, str] = {PREGNANT: "zwanger", ELSEWHERE: "kinderen elders (zorgt mee)"}
"""Stored id and Dutch label of what is not an age: a pregnancy, children cared for
elsewhere (they count for the kindcheck)."""

MAX_AGE = 99

_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{1,19}$")
_YEAR = re.compile(r"^\d{4}$")


def normalise_code(code: str) -> str:
    return code.strip().upper()


def code_problem(code: str) -> str | None:
    """A Dutch sentence saying what is wrong with a household code, or None.

    A code has 2–20 letters, digits or hyphens and at least one digit, so that a
    family name cannot be used by accident.
    """
    code = normalise_code(code)
    if not code:
        return "Vul een gezinscode in, bijvoorbeeld GZ-001."
    if not _CODE.match(code) or not any(char.isdigit() for char in code):
        return (
            "Gebruik een gezinscode van 2 tot 20 letters, cijfers en streepjes, met minstens "
            "één cijfer (bijvoorbeeld GZ-001), nooit een naam."
        )
    return None


def wijk_problem(wijk: str) -> str | None:
    wijk = wijk.strip()
    if not wijk:
        return "Vul de wijk in."
    if len(wijk) > 40:
        return "De naam van de wijk is te lang (hoogstens 40 tekens)."
    return None


# -- the children -----------------------------------------------------------------------


@dataclass(frozen=True)
class Children:
    """A household's children as stored: no names, no dates of birth."""

    birth_years: tuple[int, ...] = ()
    """Youngest first; twins are two equal years."""
    pregnant: bool = False
    elsewhere: bool = False
    legacy: tuple[str, ...] = ()
    """Old age group ids (``LEGACY_AGE_GROUPS``) as recorded before schema version 8."""
    recorded: datetime | None = field(default=None, compare=False)
    """When the children were last recorded (None: not known)."""

    @property
    def any(self) -> bool:
        """Children, a pregnancy or children cared for elsewhere."""
        return bool(self.birth_years or self.pregnant or self.elsewhere or self.legacy)


def parse_children(stored: str, *, recorded: datetime | None = None) -> Children:
    """The stored text (``household.children``) as :class:`Children`."""
    tokens = [token for token in stored.split(",") if token]
    return Children(
        birth_years=tuple(sorted((int(t) for t in tokens if _YEAR.match(t)), reverse=True)),
        pregnant=PREGNANT in tokens,
        elsewhere=ELSEWHERE in tokens,
        legacy=tuple(t for t in tokens if not _YEAR.match(t) and t not in FLAGS),
        recorded=recorded,
    )


def format_children(children: Children) -> str:
    """The text stored in ``household.children``: birth years, old groups, then flags."""
    years = sorted(children.birth_years, reverse=True)
    return ",".join([*map(str, years), *children.legacy, *_flags(children)])


def _flags(children: Children) -> list[str]:
    return [
        flag for flag, on in ((PREGNANT, children.pregnant), (ELSEWHERE, children.elsewhere)) if on
    ]


def from_ages(
    ages: Iterable[int], *, year: int, pregnant: bool = False, elsewhere: bool = False
) -> Children:
    """Children from their ages in whole years, told in ``year``."""
    return Children(
        birth_years=tuple(sorted((year - age for age in ages), reverse=True)),
        pregnant=pregnant,
        elsewhere=elsewhere,
    )


def parse_ages(text: str) -> tuple[int, ...]:
    """Ages as a parent says them ("2 en 5", "5, 2", "3 jaar"), youngest first.

    Raises ValueError with a Dutch sentence for anything else. "2,5" is refused: in
    Dutch it is two and a half, not two children."""
    folded = text.casefold()
    if re.search(r"\d\s*[.,]\d", folded):
        raise ValueError(
            "Schrijf leeftijden in hele jaren, gescheiden door 'en' of een komma met een "
            "spatie (bijvoorbeeld 2 en 5)."
        )
    ages = []
    for word in re.split(r"[\s,;&+]+", folded):
        if word in ("", "en", "jaar", "jr"):
            continue
        if not word.isdigit() or not word.isascii():
            raise ValueError(
                "Schrijf de leeftijden in hele jaren, bijvoorbeeld 2 en 5 (een baby: 0)."
            )
        if int(word) > MAX_AGE:
            raise ValueError(f"Een leeftijd is een heel getal van 0 tot en met {MAX_AGE}.")
        ages.append(int(word))
    return tuple(sorted(ages))


def read_children(
    ages: str,
    *,
    pregnant: bool,
    elsewhere: bool,
    no_children: bool,
    today: date,
    known: Children | None = None,
) -> Children:
    """What a dialog asked (ages typed, three choices) as :class:`Children`; ValueError
    with a Dutch sentence when it does not add up. When it is what ``known`` says today,
    ``known`` itself is returned (its birth years are not moved by retyping the ages)."""
    told = parse_ages(ages)
    if no_children and (told or pregnant or elsewhere):
        raise ValueError("Vul leeftijden in óf kies 'geen kinderen', niet allebei.")
    if not (told or pregnant or elsewhere or no_children):
        raise ValueError(
            "Vul de leeftijden van de kinderen in (bijvoorbeeld 2 en 5), of kies 'geen kinderen'."
        )
    if known is not None and not known.legacy and told == current_ages(known, today):
        return replace(known, pregnant=pregnant, elsewhere=elsewhere)
    return from_ages(told, year=today.year, pregnant=pregnant, elsewhere=elsewhere)


def current_ages(children: Children, today: date) -> tuple[int, ...]:
    """The children's ages today, youngest first: a year older each time a year has passed
    since they were recorded (without that date: each new calendar year)."""
    recorded = children.recorded.astimezone().date() if children.recorded else None
    before = recorded is not None and (today.month, today.day) < (recorded.month, recorded.day)
    return tuple(max(0, today.year - year - before) for year in children.birth_years)


def age_group(age: int) -> str:
    """The label of the one group ``age`` belongs to, e.g. "4–11"."""
    return next(
        label for low, high, label in AGE_GROUPS if low <= age and (high is None or age <= high)
    )


def _and(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " en " + parts[-1]


def children_short(children: Children, today: date) -> str:
    """The children in a few characters, for the home list: '2,5,9,14 +zw'."""
    if not children.any:
        return "geen"
    parts = [",".join(str(age) for age in current_ages(children, today))]
    parts += [",".join(group.replace("-", "–") for group in children.legacy)]
    parts += [f"+{flag[:2]}" for flag in _flags(children)]
    return " ".join(part for part in parts if part)


def describe_children(children: Children, today: date | None = None, *, groups: bool = True) -> str:
    """Dutch text, e.g. '2 en 5 jaar (0–3, 4–11), zwanger' or 'geen kinderen'; old age
    groups as recorded: '0–4 jaar, 4–12 jaar (vastgelegd op 04-03-2025)'."""
    if not children.any:
        return "geen kinderen"
    parts = []
    ages = current_ages(children, today or date.today())
    if ages:
        text = _and([str(age) for age in ages]) + " jaar"
        if groups:
            text += " (" + ", ".join(dict.fromkeys(age_group(age) for age in ages)) + ")"
        parts.append(text)
    parts += [LEGACY_AGE_GROUPS.get(group, group) for group in children.legacy]
    parts += [FLAGS[flag] for flag in _flags(children)]
    text = ", ".join(parts)
    if children.legacy and children.recorded is not None:
        text += f" (vastgelegd op {children.recorded.astimezone():%d-%m-%Y})"
    return text


# -- changes to a household -------------------------------------------------------------

WIJK = "wijk"
CHILDREN = "kinderen"


@dataclass(frozen=True)
class HouseholdChange:
    """A deliberate change of a household's wijk or children: old and new as stored."""

    at: datetime
    kind: str
    """``WIJK`` or ``CHILDREN``."""
    old: str
    new: str
    author: str = ""
    """Who made it (on a team database: the login role, set by the server)."""


def describe_change(change: HouseholdChange) -> str:
    """Dutch, one line: '02-03-2026 10:30 · wijk: Noord → Rivierkwartier'; children with
    their ages at the time of the change."""
    when = change.at.astimezone()
    old, new = change.old, change.new
    if change.kind == CHILDREN:
        day = when.date()
        old = describe_children(parse_children(old), day, groups=False)
        new = describe_children(parse_children(new, recorded=change.at), day, groups=False)
    by = f" ({change.author})" if change.author else ""
    return f"{when:%d-%m-%Y %H:%M} · {change.kind}: {old} → {new}{by}"
