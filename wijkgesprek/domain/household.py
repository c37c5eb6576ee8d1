"""Household facts the app asks for: a code (never a name), a wijk, age groups."""

from __future__ import annotations

import re

AGE_GROUPS: tuple[tuple[str, str], ...] = (
    ("0-4", "0–4 jaar"),
    ("4-12", "4–12 jaar"),
    ("12-18", "12–18 jaar"),
    ("18+", "18+ (thuiswonend)"),
    ("zwanger", "zwanger"),
    ("elders", "kinderen elders (zorgt mee)"),
)
"""Stored id and Dutch label of each age group of the children."""

_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{1,19}$")


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
            "Gebruik een gezinscode van letters, cijfers en streepjes met minstens één cijfer "
            "(bijvoorbeeld GZ-001), nooit een naam."
        )
    return None


def wijk_problem(wijk: str) -> str | None:
    wijk = wijk.strip()
    if not wijk:
        return "Vul de wijk in."
    if len(wijk) > 40:
        return "De naam van de wijk is te lang (hoogstens 40 tekens)."
    return None


def parse_age_groups(stored: str) -> tuple[str, ...]:
    return tuple(part for part in stored.split(",") if part)


def format_age_groups(groups: tuple[str, ...] | list[str]) -> str:
    known = [group for group, _ in AGE_GROUPS]
    return ",".join(sorted(set(groups), key=known.index))


def describe_children(groups: tuple[str, ...]) -> str:
    """Dutch text for the age groups, e.g. '0–4 jaar, zwanger' or 'geen kinderen'."""
    if not groups:
        return "geen kinderen"
    labels = dict(AGE_GROUPS)
    return ", ".join(labels.get(group, group) for group in groups)
