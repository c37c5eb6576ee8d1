"""Reading JSON that a person may have edited: every problem with its path, in Dutch.

``load_json`` turns syntax errors into a :class:`Problem` with line and column (and
refuses duplicate fields, NaN and Infinity); :class:`Reader` then walks the data and
collects *all* problems as ``path: message``, where the path looks like
``bezoeken[2].notities.stress`` (list positions count from 1). Messages name fields and
types, never values, so no note text ends up in an error message.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from wijkgesprek import limits
from wijkgesprek.domain.dates import OUTSIDE, sensible_year
from wijkgesprek.errors import ContentError, Problem
from wijkgesprek.text import CONTROL_HINT, control_character

MAX_PROBLEMS = 25

T = TypeVar("T")

TYPE_NAMES = {
    dict: "een object met velden ({…})",
    list: "een lijst ([…])",
    str: "tekst",
    int: "een heel getal",
    float: "een getal",
    bool: "ja/nee (true/false)",
    type(None): "leeg (null)",
}

_JSON_MESSAGES = (
    ("Expecting value", "hier verwachtte ik een waarde"),
    ("Expecting property name", "hier verwachtte ik een veldnaam tussen dubbele aanhalingstekens"),
    ("Expecting ',' delimiter", "hier ontbreekt een komma of een sluithaakje"),
    ("Expecting ':' delimiter", "hier ontbreekt een dubbele punt"),
    ("Unterminated string", "een tekst zonder sluitend aanhalingsteken"),
    ("Invalid control character", "een stuurteken midden in een tekst"),
    ("Invalid \\escape", "een ongeldige \\-code in een tekst"),
    ("Invalid \\uXXXX escape", "een ongeldige \\u-code in een tekst"),
    ("Extra data", "na het einde staat nog meer"),
)


def path_to(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    shown = key if len(key) <= 30 else key[:29] + "…"
    shown = "".join(ch if ch.isprintable() else "?" for ch in shown)
    return f"{path}.{shown}" if path else shown


class Reader:
    """Walks the parsed JSON, collecting every problem with its path."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.found: list[tuple[str, str]] = []
        """(path, message) of each problem, to find its place in the file."""
        self.warnings: list[tuple[str, str]] = []
        """(path, message): what was read differently from what the file says."""

    def problem(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}" if path else message)
        self.found.append((path, message))

    def warning(self, path: str, message: str) -> None:
        self.warnings.append((path, message))

    def wrong_type(self, path: str, wanted: type, value: object) -> None:
        found = TYPE_NAMES.get(type(value), "iets anders")
        self.problem(path, f"moet {TYPE_NAMES[wanted]} zijn, niet {found}")

    def fields(self, value: object, path: str, keys: Sequence[str]) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.wrong_type(path, dict, value)
            return None
        for key in value:
            if key not in keys:
                self.problem(path_to(path, key), "onbekend veld")
        missing = [key for key in keys if key not in value]
        for key in missing:
            self.problem(path_to(path, key), "ontbreekt")
        return None if missing else value

    def typed(self, value: object, path: str, wanted: type[T]) -> T | None:
        # bool is an int in Python; JSON true is not a number.
        if not isinstance(value, wanted) or (wanted is int and isinstance(value, bool)):
            self.wrong_type(path, wanted, value)
            return None
        return value

    def text(self, data: Mapping[str, Any], key: str, path: str) -> str:
        return self.typed(data[key], path_to(path, key), str) or ""

    def choice(self, data: Mapping[str, Any], key: str, path: str, allowed: Sequence[str]) -> str:
        value = self.typed(data[key], path_to(path, key), str)
        if value is not None and value not in allowed:
            self.problem(path_to(path, key), "onbekende waarde; kies uit " + ", ".join(allowed))
            return allowed[0]
        return value or allowed[0]

    def items(self, data: Mapping[str, Any], key: str, path: str) -> list[Any]:
        """The list under ``key``; empty (and a problem) above ``limits.MAX_LIST_ITEMS``,
        so a hostile file stops before one item is read."""
        where = path_to(path, key)
        items = self.typed(data[key], where, list) or []
        if len(items) > limits.MAX_LIST_ITEMS:
            self.problem(
                where,
                f"te veel: {limits.count_text(len(items))}, hoogstens "
                f"{limits.count_text(limits.MAX_LIST_ITEMS)} per lijst in een overdracht",
            )
            return []
        return items

    def texts(self, data: Mapping[str, Any], key: str, path: str) -> tuple[str, ...]:
        where = path_to(path, key)
        values = [
            self.typed(v, path_to(where, n), str)
            for n, v in enumerate(self.items(data, key, path), 1)
        ]
        return tuple(v for v in values if v is not None)

    def moment(
        self, data: Mapping[str, Any], key: str, path: str, *, empty: bool = False
    ) -> datetime | None:
        where = path_to(path, key)
        value = data[key]
        if value is None and empty:
            return None
        text = self.typed(value, where, str)
        if text is None:
            return None
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            self.problem(where, "geen geldige datum en tijd (zoals 2026-03-02T09:30:00+01:00)")
            return None
        if parsed.tzinfo is None:
            self.problem(where, "de tijdzone ontbreekt (zoals +01:00 achter de tijd)")
            return None
        if not sensible_year(parsed.year):
            self.problem(where, f"de datum {OUTSIDE}")
            return None
        return parsed

    def day(self, data: Mapping[str, Any], key: str, path: str) -> date | None:
        where = path_to(path, key)
        if data[key] is None:
            return None
        text = self.typed(data[key], where, str)
        try:
            day = date.fromisoformat(text) if text is not None else None
        except ValueError:
            self.problem(where, "geen geldige datum (zoals 2026-03-16) en ook niet leeg (null)")
            return None
        if day is not None and not sensible_year(day.year):
            self.problem(where, f"de datum {OUTSIDE}")
            return None
        return day


def _json_problem(source: Path, error: json.JSONDecodeError) -> Problem:
    reason = next((nl for en, nl in _JSON_MESSAGES if error.msg.startswith(en)), "onleesbaar")
    return Problem(
        source,
        error.lineno,
        error.colno,
        f"geen geldig JSON-bestand: {reason}. Is het bestand afgebroken of met de hand aangepast?",
    )


def load_json(text: str, source: Path) -> object:
    duplicates: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in items:
            if key in result:
                duplicates.append(key)
            result[key] = value
        return result

    def constant(name: str) -> float:
        raise ValueError(name)

    try:
        data = json.loads(text, object_pairs_hook=pairs, parse_constant=constant)
    except json.JSONDecodeError as error:
        raise ContentError([_json_problem(source, error)]) from None
    except ValueError:
        raise ContentError(
            [Problem(source, 1, 1, "geen geldig JSON-bestand: NaN of Infinity is geen getal.")]
        ) from None
    except RecursionError:
        raise ContentError([Problem(source, 1, 1, "het bestand is te diep genest.")]) from None
    if duplicates:
        names = ", ".join(sorted({path_to("", key) for key in duplicates}))
        raise ContentError([Problem(source, 1, 1, f"velden staan er dubbel in: {names}")])
    return data


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)


def _texts(value: object, path: str) -> Iterator[tuple[str, str, bool]]:
    """Every field name and text in ``value`` as (path, text, is a field name), in the
    order they stand in the file."""
    if isinstance(value, str):
        yield path, value, False
    elif isinstance(value, list):
        for number, item in enumerate(value, 1):
            yield from _texts(item, path_to(path, number))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield path_to(path, key), key, True
            yield from _texts(item, path_to(path, key))


def control_problems(text: str, data: object, source: Path) -> list[Problem]:
    """A problem, at its place in the file, for every text or field name in ``data`` (read
    from ``text``) that holds a control character: such text could steer a terminal.

    In valid JSON the quoted strings of ``text`` are exactly the field names and texts of
    ``data`` in the same order, so the n-th string found in the text is the n-th one here."""
    found = [
        (index, path, what, is_key)
        for index, (path, value, is_key) in enumerate(_texts(data, ""))
        if (what := control_character(value)) is not None
    ]
    if not found:
        return []
    offsets: list[int] = []
    for match in _STRING.finditer(text):
        offsets.append(match.start())
        if len(offsets) > found[-1][0]:
            break
    problems = []
    for index, path, what, is_key in found:
        offset = offsets[index] if index < len(offsets) else 0
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        subject = "de veldnaam bevat" if is_key else "bevat"
        message = f"{path}: {subject} een stuurteken ({what}); {CONTROL_HINT}"
        problems.append(Problem(source, line, column, message))
    return problems


_SPACE = re.compile(r"[ \t\r\n]*")
_SCALAR = re.compile(r"-?[0-9][0-9.eE+-]*|true|false|null")


def value_offsets(text: str) -> dict[str, int]:
    """The offset in ``text`` (valid JSON, duplicate fields refused) of every value, by
    its path as :class:`Reader` writes it (``bezoeken[2].themas.stress[1]``)."""
    offsets: dict[str, int] = {}

    def skip(at: int) -> int:
        space = _SPACE.match(text, at)
        return space.end() if space else at

    def value(at: int, path: str) -> int:
        at = skip(at)
        offsets.setdefault(path, at)
        opening = text[at]
        if opening not in "{[":
            found = (_STRING if opening == '"' else _SCALAR).match(text, at)
            if found is None:
                raise ValueError(at)
            return found.end()
        closing, number = ("}" if opening == "{" else "]"), 0
        at = skip(at + 1)
        while text[at] != closing:
            number += 1
            if opening == "{":
                key = _STRING.match(text, at)
                if key is None:
                    raise ValueError(at)
                at = value(skip(key.end()) + 1, path_to(path, json.loads(key.group())))
            else:
                at = value(at, path_to(path, number))
            at = skip(at)
            if text[at] == ",":
                at = skip(at + 1)
        return at + 1

    with contextlib.suppress(ValueError, IndexError, RecursionError):  # a help, never a must
        value(0, "")
    return offsets


def line_and_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def placed(
    source: Path, text: str, items: Sequence[tuple[str, str]], *, warning: bool = False
) -> list[Problem]:
    """A problem for each (path, message), at the value the path names in ``text`` (or
    the nearest enclosing one that is there: a missing field at its object)."""
    if not items:
        return []
    offsets = value_offsets(text)
    problems = []
    for path, message in items:
        where = path
        while where not in offsets and where:
            cut = max(where.rfind("."), where.rfind("["))
            where = where[:cut] if cut > 0 else ""
        line, column = line_and_column(text, offsets.get(where, 0))
        message = f"{path}: {message}" if path else message
        problems.append(Problem(source, line, column, message, warning=warning))
    return problems


def describe(value: object) -> str:
    """The Dutch name of a JSON value's type, e.g. 'een lijst ([…])'."""
    return TYPE_NAMES.get(type(value), "iets anders")


def problems_error(
    source: Path, messages: Sequence[str], placed: Sequence[Problem] = ()
) -> ContentError:
    """One ContentError with the problems ``placed`` in the file and every message (at
    most MAX_PROBLEMS in all, then a count)."""
    every = [*placed, *(Problem(source, 1, 1, message) for message in messages)]
    shown = every[:MAX_PROBLEMS]
    if len(every) > MAX_PROBLEMS:
        shown.append(Problem(source, 1, 1, f"… en nog {len(every) - MAX_PROBLEMS} problemen"))
    return ContentError(shown)
