"""Read YAML content files (guide, network, practice cases) without surprises.

People edit these files by hand, so every value stays exactly as written: no YAML
type guessing. ``ja``, ``on``, ``10:30``, ``0201234567``, ``1234 AB``, ``2024-01-05``
and ``~`` all stay text. An empty value (``sleutel:`` with nothing after it) becomes
the empty string ``""``. The result is plain Python: ``dict`` / ``list`` / ``str``.

Every value and every mapping key keeps its position (1-based line and column),
addressed by its path of keys and list indexes, e.g. ``("onderwerpen", "stress",
"vragen", 2)``. :class:`Reader` uses these positions to check a document's shape and
collects *all* problems before raising one :class:`ContentError`.

Refused: control characters in any text or key (C0 but newline and tab, DEL, C1; written
as ``"\\e"`` or ``"\\x9b"``, they could steer the terminal the text is shown in), explicit
tags (``!!python/...``, ``!eigen``), anchors/aliases (``&``, ``*``), duplicate keys and
keys that are not text. These do not stop reading; they are
reported together with the problems the :class:`Reader` finds.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeAlias

import yaml

try:
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # PyYAML built without libyaml
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

from wijkgesprek import limits
from wijkgesprek.content.cache import collector_paused
from wijkgesprek.errors import ContentError, Problem
from wijkgesprek.text import CONTROL_HINT, control_character

Data: TypeAlias = "str | list[Data] | dict[str, Data]"
"""A value read from YAML: text, a list or a mapping with text keys."""
DataPath: TypeAlias = tuple[str | int, ...]
"""Keys and list indexes leading to a value; ``()`` is the whole document."""
Position: TypeAlias = tuple[int, int]
"""Line and column, both 1-based."""

_STR, _SEQ, _MAP = (f"tag:yaml.org,2002:{name}" for name in ("str", "seq", "map"))
_PLAIN_TAGS = frozenset((_STR, _SEQ, _MAP))
_KIND_TAGS = {yaml.ScalarNode: _STR, yaml.SequenceNode: _SEQ, yaml.MappingNode: _MAP}


class _TextLoader(_SafeLoader):
    """Composes nodes without guessing types: untagged values get the plain str/seq/map tag.

    Skipping PyYAML's regex-based resolver also makes composing a large file faster.
    """

    def resolve(self, kind: type[yaml.Node], value: object, implicit: object) -> str:
        return _KIND_TAGS[kind]

    def descend_resolver(self, current_node: object, current_index: object) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


_INDENT = "de inspringing klopt niet; sleutels in één blok springen even ver in"
# Gist of PyYAML / libyaml problem texts, in Dutch. First match wins.
_SYNTAX_HINTS = (
    ("cannot start any token", "dit teken mag hier niet staan; zet tekst tussen aanhalingstekens"),
    (
        "mapping values are not allowed",
        "onverwachte dubbele punt; zet tekst met ': ' tussen aanhalingstekens of controleer "
        "de inspringing",
    ),
    ("could not find expected ':'", "na een sleutel ontbreekt de dubbele punt ':'"),
    ("expected key", _INDENT),
    ("expected <block end>", _INDENT),
    ("'-' indicator", "de inspringing klopt niet; regels met '- ' springen even ver in"),
    ("']'", "een lijst tussen [ en ] is niet afgesloten"),
    ("'}'", "een blok tussen { en } is niet afgesloten"),
    ("end of stream", "het bestand houdt onverwacht op; ontbreekt een afsluitend aanhalingsteken?"),
    ("undefined alias", "ankers en verwijzingen (& en *) worden niet ondersteund"),
    ("another document", "het bestand bevat meer dan één document ('---'); gebruik er één"),
    ("nesting depth", "het bestand is te diep genest"),
)


_CONTROL_HINT = f"{CONTROL_HINT}; haal de \\-code weg"


@dataclass
class Document:
    """A parsed YAML file: its data, where everything stands, and problems found so far."""

    file: Path
    data: Data
    values: dict[DataPath, Position]
    """Where each value starts."""
    keys: dict[DataPath, Position]
    """Where the key of each mapping entry starts (paths of mapping entries only)."""
    problems: list[Problem]
    """Refused constructs (duplicate keys, tags, aliases); empty for a clean file."""

    def position(self, path: DataPath, *, at_key: bool = False) -> Position:
        """Position of the value at ``path``, or of its key when ``at_key`` and it has one."""
        if at_key and path in self.keys:
            return self.keys[path]
        return self.values.get(path, (1, 1))


def read_document(path: Path) -> Document:
    """Read and parse a UTF-8 YAML file; raise :class:`ContentError` if that is impossible."""
    return parse_document(_read_text(path), path)


def parse_document(text: str, file: Path) -> Document:
    """Parse YAML text; ``file`` is only used in problem messages."""
    builder = _Builder(file)
    try:
        with collector_paused():
            root = yaml.compose(text, Loader=_TextLoader)
            data = builder.convert(root, ()) if root is not None else None
    except yaml.MarkedYAMLError as error:
        raise ContentError([_syntax_problem(file, text, error)]) from None
    except yaml.reader.ReaderError as error:
        line, column = _line_column(text, error.position)
        message = "ongeldige YAML: het bestand bevat een teken dat niet is toegestaan"
        raise ContentError([Problem(file, line, column, message)]) from None
    except RecursionError:
        message = "ongeldige YAML: het bestand is te diep genest"
        raise ContentError([Problem(file, 1, 1, message)]) from None
    if data is None:
        raise ContentError([Problem(file, 1, 1, "het bestand is leeg; er staat niets in")])
    return Document(file, data, builder.values, builder.keys, builder.problems)


def _read_text(path: Path) -> str:
    def fail(message: str) -> ContentError:
        return ContentError([Problem(path, 1, 1, message)])

    try:
        raw = limits.read_limited(path, limits.MAX_DATA_FILE_BYTES)
    except limits.TooLarge as error:
        raise fail(
            f"het bestand is te groot: meer dan {limits.size_text(error.limit)}, de grens "
            "voor een leidraad, sociale kaart of casussen"
        ) from None
    except FileNotFoundError:
        raise fail("bestand niet gevonden; controleer de naam en de map") from None
    except IsADirectoryError:
        raise fail("dit is een map, geen bestand; geef het pad naar het YAML-bestand") from None
    except PermissionError:
        raise fail("bestand kan niet worden gelezen: geen toegang; controleer de rechten") from None
    except OSError as error:
        raise fail(f"bestand kan niet worden gelezen ({error.strerror})") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise fail(
            f"bestand is geen UTF-8-tekst (eerste fout op regel {line}); "
            "sla het in de editor op als UTF-8"
        ) from None


def _syntax_problem(file: Path, text: str, error: yaml.MarkedYAMLError) -> Problem:
    problem = error.problem or error.context or ""
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    if "tab character" in problem or _char_at(text, line, column) == "\t":
        gist = "een tab gevonden; gebruik spaties om in te springen"
    else:
        hints = (dutch for key, dutch in _SYNTAX_HINTS if key in problem)
        gist = next(hints, "de opbouw van het bestand klopt niet")
    started = error.context_mark
    if started is not None and started.line + 1 != line:
        gist += f" (begonnen op regel {started.line + 1})"
    return Problem(file, line, column, f"ongeldige YAML: {gist} ({problem})")


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.splitlines()
    if line <= len(lines) and column <= len(lines[line - 1]):
        return lines[line - 1][column - 1]
    return ""


def _line_column(text: str, offset: int) -> Position:
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


class _Builder:
    """Turns a composed node tree into plain data, recording positions and problems."""

    def __init__(self, file: Path) -> None:
        self.file = file
        self.values: dict[DataPath, Position] = {}
        self.keys: dict[DataPath, Position] = {}
        self.problems: list[Problem] = []
        self._seen: set[int] = set()

    def _problem(self, position: Position, message: str) -> None:
        self.problems.append(Problem(self.file, position[0], position[1], message))

    def _control(self, text: str, position: Position, label: str) -> None:
        """A control character (ESC, BEL, a C1 code) could steer the terminal it is shown
        in: never allowed in a text, whatever the key."""
        found = control_character(text)
        if found is not None:
            self._problem(position, f"{label} bevat een stuurteken ({found}); {_CONTROL_HINT}")

    def convert(self, node: yaml.Node, path: DataPath) -> Data:
        position = (node.start_mark.line + 1, node.start_mark.column + 1)
        self.values[path] = position
        if id(node) in self._seen:  # the composer hands out the same node for an alias
            self._problem(
                self.keys.get(path, position),
                "ankers en verwijzingen (& en *) worden niet ondersteund; schrijf de waarde voluit",
            )
            return ""
        self._seen.add(id(node))
        if node.tag not in _PLAIN_TAGS:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            self._problem(position, f"de tag '{tag}' is niet toegestaan; schrijf gewone tekst")
        if isinstance(node, yaml.ScalarNode):
            value: str = node.value
            self._control(value, position, _label(path) if path else "de waarde")
            return value
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, (*path, index)) for index, item in enumerate(node.value)]
        mapping: dict[str, Data] = {}
        for key_node, value_node in node.value:
            key_position = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if not isinstance(key_node, yaml.ScalarNode):
                self._problem(key_position, "een sleutel moet een tekst zijn, geen lijst of blok")
                continue
            key: str = key_node.value
            self._control(key, key_position, "de sleutel")
            key_path = (*path, key)
            if key in mapping:
                first = self.keys[key_path][0]
                self._problem(
                    key_position, f"sleutel '{key}' staat er twee keer (eerder op regel {first})"
                )
                continue
            self.keys[key_path] = key_position
            mapping[key] = self.convert(value_node, key_path)
        return mapping


def _label(path: DataPath) -> str:
    if not path:
        return "het bestand"
    if isinstance(path[-1], int):
        return f"item {path[-1] + 1} van '{path[-2]}'" if len(path) > 1 else f"item {path[-1] + 1}"
    return f"'{path[-1]}'"


def closest(word: str, options: Sequence[str]) -> str | None:
    """The option that looks most like ``word`` (a likely typo), or ``None``."""
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return close[0] if close else None


def did_you_mean(word: str, options: Sequence[str]) -> str:
    """``"; bedoelde je 'x'?"`` for the closest option, or ``""`` if none is close."""
    near = closest(word, options)
    return f"; bedoelde je '{near}'?" if near else ""


class Reader:
    """Checks the shape of a :class:`Document` and collects every problem.

    The methods never raise: on a problem they record it and return an empty value,
    so checking goes on. Call :meth:`finish` at the end to raise them all at once.
    """

    def __init__(self, document: Document) -> None:
        self.document = document
        self.problems: list[Problem] = list(document.problems)

    def error(self, path: DataPath, message: str, *, at_key: bool = False) -> None:
        """Record a problem at the value (or key) at ``path``."""
        line, column = self.document.position(path, at_key=at_key)
        self.problems.append(Problem(self.document.file, line, column, message))

    def get(self, path: DataPath) -> Data | None:
        """The value at ``path``, or ``None`` if it is not there."""
        value: Data | None = self.document.data
        for step in path:
            if isinstance(value, dict) and isinstance(step, str):
                value = value.get(step)
            elif isinstance(value, list) and isinstance(step, int) and step < len(value):
                value = value[step]
            else:
                return None
        return value

    def mapping(
        self,
        path: DataPath,
        where: str = "",
        required: Sequence[str] = (),
        optional: Sequence[str] | None = (),
    ) -> dict[str, Data]:
        """The mapping at ``path``, after reporting missing and unknown keys.

        ``where`` completes the messages, e.g. ``"bij onderwerp 'stress'"``.
        With ``optional=None`` any other key is allowed. An empty value gives ``{}``.
        """
        value = self.get(path)
        if value == "" or value is None:
            value = {}
        if not isinstance(value, dict):
            self.error(path, f"{_label(path)} moet een blok met regels 'sleutel: waarde' zijn")
            return {}
        where = f" {where}" if where else ""
        for name in required:
            if name not in value:
                self.error(path, f"verplichte sleutel '{name}' ontbreekt{where}", at_key=True)
        if optional is not None:
            allowed = [*required, *optional]
            for key in value:
                if key not in allowed:
                    self.error(
                        (*path, key),
                        f"onbekende sleutel '{key}'{where}{did_you_mean(key, allowed)}",
                        at_key=True,
                    )
        return value

    def text(self, path: DataPath, *, required: bool = True) -> str:
        """The text at ``path``, stripped; ``""`` if absent (report absence via :meth:`mapping`)."""
        value = self.get(path)
        if value is None:
            return ""
        if not isinstance(value, str):
            self.error(path, f"{_label(path)} moet een tekst zijn, geen lijst of blok")
            return ""
        if required and not value.strip():
            self.error(path, f"{_label(path)} mag niet leeg zijn", at_key=True)
        return value.strip()

    def texts(self, path: DataPath, *, required: bool = True) -> tuple[str, ...]:
        """The list of texts at ``path``; if ``required`` it must hold at least one."""
        value = self.get(path)
        if value is None:
            return ()
        if value == "" or value == []:
            if required:
                self.error(path, f"{_label(path)} moet minstens één tekst bevatten", at_key=True)
            return ()
        if not isinstance(value, list):
            message = "moet een lijst van teksten zijn (regels die beginnen met '- ')"
            self.error(path, f"{_label(path)} {message}")
            return ()
        return tuple(self.text((*path, index)) for index in range(len(value)))

    def finish(self) -> None:
        """Raise :class:`ContentError` with all problems, in file order, if there are any."""
        if self.problems:
            raise ContentError(sorted(self.problems, key=lambda p: (p.line, p.column)))
