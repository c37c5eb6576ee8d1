"""A visit's netwerkkaart in a hand-over (schema 3), read and checked like the rest:
every problem with its path, never the value (a name is personal data).

``netwerkkaart`` is null (no map) or a list of people::

    {"nummer": 1, "rol": "oma", "naam": "Ria", "groep": "familie", "informeel": true,
     "dichtbij_wie": "moeder", "helpt_met": ["praktisch"], "afstand": "dichtbij",
     "energie": "geeft", "meer_doen": false, "veiligheidsnetwerk": true}

The rules of the app hold for a file too: a first name or initials at most, no phone
number, address or e-mail in a role; ids (group, kinds of help) are ids, never free text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from wijkgesprek import limits
from wijkgesprek.content.model import CLOSENESS_TEXTS, ENERGY_TEXTS
from wijkgesprek.domain.network_map import (
    Person,
    member_problem,
    name_problem,
    role_problem,
)
from wijkgesprek.exchange.jsonread import Reader, path_to

PERSON_KEYS = (
    "nummer",
    "rol",
    "naam",
    "groep",
    "informeel",
    "dichtbij_wie",
    "helpt_met",
    "afstand",
    "energie",
    "meer_doen",
    "veiligheidsnetwerk",
)
_ID = re.compile(r"[a-z0-9-]{0,40}")
_ID_HINT = "een id van de gespreksleidraad (kleine letters, cijfers en '-'), geen vrije tekst"


def read_network(reader: Reader, data: Mapping[str, Any], path: str) -> tuple[Person, ...] | None:
    """The ``netwerkkaart`` of a visit (``data``): None for null, else the people."""
    where = path_to(path, "netwerkkaart")
    if data["netwerkkaart"] is None:
        return None
    people: list[Person] = []
    numbers: dict[int, int] = {}
    items = reader.items(data, "netwerkkaart", path)
    if len(items) > limits.MAX_PEOPLE:  # never read: a hostile file stops here
        reader.problem(
            where, f"te veel mensen: een kaart heeft hoogstens {limits.MAX_PEOPLE} mensen"
        )
        return ()
    for n, item in enumerate(items, 1):
        person = _person(reader, item, path_to(where, n))
        if person is None:
            continue
        if person.number in numbers:
            reader.problem(
                path_to(path_to(where, n), "nummer"),
                f"hetzelfde nummer als {where}[{numbers[person.number]}]",
            )
        numbers.setdefault(person.number, n)
        people.append(person)
    return tuple(sorted(people, key=lambda p: p.number))


def _flag(reader: Reader, data: Mapping[str, Any], key: str, path: str) -> bool:
    return bool(reader.typed(data[key], path_to(path, key), bool))


def _id(reader: Reader, value: object, path: str) -> str:
    text = reader.typed(value, path, str)
    if text is None:
        return ""
    if not _ID.fullmatch(text):
        reader.problem(path, _ID_HINT)
        return ""
    return text


def _person(reader: Reader, value: object, path: str) -> Person | None:
    data = reader.fields(value, path, PERSON_KEYS)
    if data is None:
        return None
    number = reader.typed(data["nummer"], path_to(path, "nummer"), int)
    if number is not None and number < 1:
        reader.problem(path_to(path, "nummer"), "een heel getal vanaf 1")
    for key, check in (
        ("rol", role_problem),
        ("naam", name_problem),
        ("dichtbij_wie", member_problem),
    ):
        text = reader.text(data, key, path)
        problem = check(text) if isinstance(data[key], str) else None
        if problem:  # the rule's sentence, never the value
            reader.problem(path_to(path, key), problem.rstrip("."))
    helps = [
        _id(reader, item, path_to(path_to(path, "helpt_met"), n))
        for n, item in enumerate(reader.items(data, "helpt_met", path), 1)
    ]
    return Person(
        number=number or 1,
        role=reader.text(data, "rol", path).strip(),
        name=reader.text(data, "naam", path).strip(),
        group=_id(reader, data["groep"], path_to(path, "groep")),
        informal=_flag(reader, data, "informeel", path),
        member=reader.text(data, "dichtbij_wie", path).strip(),
        helps=tuple(dict.fromkeys(kind for kind in helps if kind)),
        closeness=reader.choice(data, "afstand", path, tuple(CLOSENESS_TEXTS)),
        energy=reader.choice(data, "energie", path, ("", *ENERGY_TEXTS)),
        more=_flag(reader, data, "meer_doen", path),
        safety=_flag(reader, data, "veiligheidsnetwerk", path),
    )
