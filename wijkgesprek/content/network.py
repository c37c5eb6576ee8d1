"""Load the network files (sociale kaart) into one :class:`Network`.

Format (all values are text, see :mod:`wijkgesprek.content.yamlsource`)::

    versie: 1
    aanbod:
      - naam: Taalcafé De Brug
        soort: activiteit               # activiteit, dienst of regeling
        thema's: [taal, eenzaamheid]    # theme ids of the guide, at least one
        wijk: Noord                     # a wijk name, or "alle" for every wijk
        doelgroep:                      # leeftijd and/or groep
          leeftijd: 18+                 # "0-4", "4-12", "18+" or "3" (years)
          groep: anderstalige ouders
        kosten: gratis                  # "gratis", an amount, or "via regeling"
        contact:                        # at least one of the three
          telefoon: 06-12345678
          e-mail: info@voorbeeld.nl
          website: www.voorbeeld.nl
        wanneer: dinsdag 10:30-12:00    # optional, free text
        informeel: ja                   # optional: neighbours, volunteers (default nee)
        beschrijving: Samen Nederlands oefenen bij een kop koffie.
        laatst_gecontroleerd: 2026-03-01

Decisions:

* ``laatst_gecontroleerd`` is written ``JJJJ-MM-DD`` only: one unambiguous form that sorts
  well. A Dutch date such as ``01-03-2026`` is an error with a "bedoelde je '2026-03-01'?" hint.
* ``soort`` and ``wijk: alle`` are read case-insensitively; everything else stays as written.
* Several files: the file named later wins for an entry with the same naam and wijk
  (case-insensitive); each such override is returned as an :class:`Override` and a warning.
  The same file named twice is read once.
* Warnings (never errors): entries checked more than :data:`STALE_AFTER_DAYS` days ago or
  dated in the future, overrides, a wijk spelt in two ways (the first spelling is used) and
  a wijk named by one entry that looks like a wijk named by several (a likely typo).
* ``leeftijd`` accepts ``0-4``, ``4 - 12``, ``4–12``, ``18+``, ``3`` and a trailing ``jaar``;
  ``--json`` prints it in the usual form (:func:`format_ages`).
* With a ``cache_dir`` the checked entries of each file are pickled there, keyed on the
  file's bytes, its path, the theme ids and the shape of :class:`Entry`. One cache file per
  source path, replaced atomically, private (0600). Anything odd about it: read the file again.
"""

from __future__ import annotations

import contextlib
import re
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date
from pathlib import Path

from wijkgesprek import limits
from wijkgesprek.content.cache import cached, collector_paused
from wijkgesprek.content.model import ALL_WIJKEN, KINDS, Contact, Entry, Network, Override
from wijkgesprek.content.yamlsource import (
    Data,
    DataPath,
    Document,
    Position,
    Reader,
    closest,
    did_you_mean,
    read_document,
)
from wijkgesprek.errors import ContentError, Problem

NETWORK_VERSION = "1"
STALE_AFTER_DAYS = 365
MAX_AGE = 120
"""``18+`` means 18 up to and including this age."""

_AANBOD: DataPath = ("aanbod",)
_REQUIRED = (
    "naam", "soort", "thema's", "wijk", "doelgroep", "kosten", "contact", "beschrijving",
    "laatst_gecontroleerd",
)  # fmt: skip
_OPTIONAL = ("wanneer", "informeel")
_YES_NO = {"ja": True, "nee": False}
_AGES = re.compile(r"(\d{1,3})\s*(?:[-–]\s*(\d{1,3})|(\+))?(?:\s*jaar)?")
_AGES_IN_WORDS = re.compile(r"(\d{1,3})\s*(?:tot en met|tot|t/m)\s*(\d{1,3})(?:\s*jaar)?")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DUTCH_DATE = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_CACHE_SHAPE = ",".join(f.name for f in fields(Entry))
_Warn = Callable[[int, Position, str], None]


@dataclass(frozen=True)
class _FileResult:
    """The checked entries of one file: what the cache holds."""

    entries: tuple[Entry, ...]
    starts: tuple[Position, ...]
    """Where each entry starts."""
    checked_at: tuple[Position, ...]
    """Where each entry's ``laatst_gecontroleerd`` value stands (for warnings)."""


def load_network(
    paths: Sequence[Path],
    *,
    themes: Collection[str],
    today: date,
    cache_dir: Path | None = None,
) -> tuple[Network, list[Problem]]:
    """Read, check and merge network files; later files win.

    Raise :class:`ContentError` with the problems of all files if any file has errors.
    Otherwise return the network and the warnings (``Problem.warning`` is true).
    """
    theme_ids = tuple(sorted(set(themes)))
    sources = tuple(dict.fromkeys(paths))
    results: list[_FileResult] = []
    problems: list[Problem] = []
    for path in sources:
        try:
            results.append(_load_file(path, theme_ids, cache_dir))
        except ContentError as error:
            problems.extend(error.problems)
    if problems:
        raise ContentError(problems)
    return _merge(sources, results, today)


def is_network_file(path: Path) -> bool:
    """Whether ``path`` looks like a network file (a top-level ``aanbod:``), without parsing.

    A guide has ``onderwerpen:`` instead. An unreadable file gives False.
    """
    try:
        raw = limits.read_limited(path, limits.MAX_DATA_FILE_BYTES)
    except (OSError, limits.TooLarge):
        return False  # the reader tells why
    text = raw.decode("utf-8-sig", errors="replace")
    return re.search(r"^[\"']?aanbod[\"']?\s*:", text, re.MULTILINE) is not None


def is_network_document(document: Document) -> bool:
    """Whether a parsed document is a network file (its top level has ``aanbod``)."""
    return isinstance(document.data, dict) and "aanbod" in document.data


def network_to_json(network: Network) -> list[dict[str, object]]:
    """The merged entries as JSON-ready data (for ``wijkgesprek controleer --json``)."""
    return [_entry_to_json(entry) for entry in network.entries]


def _entry_to_json(entry: Entry) -> dict[str, object]:
    doelgroep: dict[str, str] = {}
    if entry.ages is not None:
        doelgroep["leeftijd"] = format_ages(entry.ages)
    if entry.group:
        doelgroep["groep"] = entry.group
    written = (entry.contact.telefoon, entry.contact.email, entry.contact.website)
    contact = dict(zip(("telefoon", "e-mail", "website"), written, strict=True))
    data: dict[str, object] = {
        "naam": entry.naam,
        "soort": entry.soort,
        "thema's": list(entry.themes),
        "wijk": entry.wijk,
        "doelgroep": doelgroep,
        "kosten": entry.kosten,
        "contact": {key: value for key, value in contact.items() if value},
    }
    if entry.wanneer:
        data["wanneer"] = entry.wanneer
    if entry.informal:
        data["informeel"] = True
    data["beschrijving"] = entry.beschrijving
    data["laatst_gecontroleerd"] = entry.laatst_gecontroleerd.isoformat()
    data["bestand"] = str(entry.source)
    data["regel"] = entry.line
    return data


def format_ages(ages: tuple[int, int]) -> str:
    """``(0, 4)`` → ``0-4``, ``(18, 120)`` → ``18+``, ``(3, 3)`` → ``3``."""
    low, high = ages
    if high == low:
        return str(low)
    return f"{low}+" if high == MAX_AGE else f"{low}-{high}"


# -- reading one file -------------------------------------------------------------------


def _load_file(path: Path, theme_ids: tuple[str, ...], cache_dir: Path | None) -> _FileResult:
    return cached(
        path,
        kind="netwerk",
        build=lambda: _parse_and_check(path, theme_ids),
        cache_dir=cache_dir,
        expect=_FileResult,
        extra=f"{_CACHE_SHAPE}\0{'|'.join(theme_ids)}",
    )


def _parse_and_check(path: Path, theme_ids: tuple[str, ...]) -> _FileResult:
    """Parse and check one file, raising ``ContentError``.

    The garbage collector stays paused until the document is gone: otherwise its first
    run afterwards walks every node of a large file once more.
    """
    with collector_paused():
        document = read_document(path)
        result = _check(document, theme_ids)
        del document
    return result


def _check(document: Document, theme_ids: tuple[str, ...]) -> _FileResult:
    reader = Reader(document)
    root = reader.mapping((), "bovenaan het bestand", required=("versie", "aanbod"))
    if "versie" in root:
        version = reader.text(("versie",))
        if version and version != NETWORK_VERSION:
            reader.error(
                ("versie",),
                f"onbekende versie '{version}'; deze versie van wijkgesprek leest alleen "
                f"'versie: {NETWORK_VERSION}'",
            )
    items = root.get("aanbod")
    entries: list[Entry] = []
    starts: list[Position] = []
    checked_at: list[Position] = []
    if isinstance(items, list) and items:
        first_line: dict[tuple[str, str], int] = {}
        checker = _EntryChecker(reader, theme_ids)
        for index, item in enumerate(items):
            path = (*_AANBOD, index)
            entry = checker.entry(item, path)
            if entry is None:
                continue
            key = entry.key
            if key in first_line and entry.naam and entry.wijk:
                reader.error(
                    path,
                    f"'{entry.naam}' ({_wijk_label(entry.wijk)}) staat er twee keer in "
                    f"(eerder op regel {first_line[key]}); voeg ze samen of geef "
                    "een andere naam",
                )
                continue
            first_line[key] = entry.line
            entries.append(entry)
            starts.append(document.position(path))
            checked_at.append(document.position((*path, "laatst_gecontroleerd")))
    elif "aanbod" in root:
        if items in ("", []):
            message = "'aanbod' is leeg; zet er minstens één item onder, beginnend met '- '"
        else:
            message = "'aanbod' moet een lijst zijn: elk item begint met '- naam: …'"
        reader.error(_AANBOD, message, at_key=items in ("", []))
    reader.finish()
    return _FileResult(tuple(entries), tuple(starts), tuple(checked_at))


class _Shape:
    """The keys of a block: required ones and optional ones."""

    def __init__(self, required: tuple[str, ...], optional: tuple[str, ...]) -> None:
        self.required = required
        self.optional = optional
        self.required_set = frozenset(required)
        self.allowed_set = frozenset((*required, *optional))


_ENTRY_SHAPE = _Shape(_REQUIRED, _OPTIONAL)
_DOELGROEP_SHAPE = _Shape((), ("leeftijd", "groep"))
_CONTACT_SHAPE = _Shape((), ("telefoon", "e-mail", "website"))


class _EntryChecker:
    """Checks the entries of one file.

    Well-formed values take a fast path; anything else goes through :class:`Reader`,
    which words the problem. That keeps a 10,000-entry file quick to check.
    """

    def __init__(self, reader: Reader, theme_ids: tuple[str, ...]) -> None:
        self.reader = reader
        self.theme_ids = theme_ids
        self.theme_set = frozenset(theme_ids)
        self.known_ages: dict[str, tuple[int, int]] = {}
        self.known_dates: dict[str, date] = {}

    def keys(self, block: dict[str, Data], path: DataPath, where: str, shape: _Shape) -> None:
        """Report missing and unknown keys of ``block`` (a mapping)."""
        present = block.keys()
        if not (shape.required_set <= present <= shape.allowed_set):
            self.reader.mapping(path, where, shape.required, shape.optional)

    def text(self, block: dict[str, Data], path: DataPath, key: str, required: bool = True) -> str:
        """The text at ``block[key]``, stripped; ``""`` if absent (reported by :meth:`keys`)."""
        value = block.get(key)
        if value.__class__ is str:
            stripped = value.strip()
            if stripped or not required:
                return stripped
        elif value is None:
            return ""
        return self.reader.text((*path, key), required=required)

    def entry(self, value: Data, path: DataPath) -> Entry | None:
        reader = self.reader
        if not isinstance(value, dict):
            self._not_an_entry(value, path)
            return None
        naam = self.text(value, path, "naam")
        where = f"bij '{naam}'" if naam else f"bij {_item_label(path)}"
        self.keys(value, path, where, _ENTRY_SHAPE)
        soort = self.text(value, path, "soort").casefold()
        if soort and soort not in KINDS:
            reader.error(
                (*path, "soort"),
                f"onbekende soort '{self.text(value, path, 'soort')}'; kies "
                f"{', '.join(KINDS[:-1])} of {KINDS[-1]}" + did_you_mean(soort, KINDS),
            )
        wijk = self.text(value, path, "wijk")
        if wijk.casefold() == ALL_WIJKEN:
            wijk = ALL_WIJKEN
        ages, group = self.doelgroep(value.get("doelgroep"), (*path, "doelgroep"), where)
        informal = self.text(value, path, "informeel", required=False)
        if informal and informal.casefold() not in _YES_NO:
            reader.error((*path, "informeel"), f"'informeel' is ja of nee, niet '{informal}'")
        return Entry(
            naam=naam,
            soort=soort,
            themes=self.themes(value.get("thema's"), (*path, "thema's")),
            wijk=wijk,
            kosten=self.text(value, path, "kosten"),
            contact=self.contact(value.get("contact"), (*path, "contact"), where),
            laatst_gecontroleerd=self.checked_date(value, path, "laatst_gecontroleerd"),
            ages=ages,
            group=group,
            wanneer=self.text(value, path, "wanneer", required=False),
            beschrijving=self.text(value, path, "beschrijving"),
            informal=_YES_NO.get(informal.casefold(), False),
            source=reader.document.file,
            line=reader.document.position(path)[0],
        )

    def _not_an_entry(self, value: Data, path: DataPath) -> None:
        label = _item_label(path)
        if value == "":
            self.reader.error(path, f"{label} is leeg; vul het aan of haal het streepje weg")
        else:
            self.reader.error(path, f"{label} moet een blok met regels 'sleutel: waarde' zijn")

    def themes(self, value: Data | None, path: DataPath) -> tuple[str, ...]:
        if (
            isinstance(value, list)
            and value
            and all(isinstance(theme, str) and theme.strip() in self.theme_set for theme in value)
        ):
            found = tuple(theme.strip() for theme in value if isinstance(theme, str))
        else:
            found = self.reader.texts(path)
            for index, theme in enumerate(found):
                if theme and theme not in self.theme_set:
                    options = ", ".join(self.theme_ids)
                    hint = did_you_mean(theme, self.theme_ids) or f"; kies uit: {options}"
                    self.reader.error(
                        (*path, index), f"onbekend thema '{theme}' in 'thema's'{hint}"
                    )
        return tuple(dict.fromkeys(found))

    def doelgroep(
        self, value: Data | None, path: DataPath, where: str
    ) -> tuple[tuple[int, int] | None, str]:
        reader = self.reader
        if value is None:
            return None, ""
        if isinstance(value, str) and value.strip():
            reader.error(
                path,
                "'doelgroep' moet een blok zijn met 'leeftijd' en/of 'groep', "
                "bijvoorbeeld 'groep: ouders van jonge kinderen' op de regel eronder",
            )
            return None, ""
        if value in ("", {}):
            message = f"'doelgroep' is leeg {where}; vul 'leeftijd' en/of 'groep' in"
            reader.error(path, message, at_key=True)
            return None, ""
        if not isinstance(value, dict):
            reader.mapping(path, where)  # reports a list
            return None, ""
        self.keys(value, path, where, _DOELGROEP_SHAPE)
        group = self.text(value, path, "groep")
        written = self.text(value, path, "leeftijd")
        if not written:
            return None, group
        known = self.known_ages.get(written)
        if known is not None:
            return known, group
        match = _AGES.fullmatch(written)
        if match:
            low = int(match[1])
            high = MAX_AGE if match[3] else int(match[2] or low)
            if low <= high <= MAX_AGE:
                self.known_ages[written] = (low, high)
                return (low, high), group
        in_words = _AGES_IN_WORDS.fullmatch(written)
        hint = f"; bedoelde je '{in_words[1]}-{in_words[2]}'?" if in_words else ""
        reader.error(
            (*path, "leeftijd"),
            f"'leeftijd' '{written}' klopt niet; schrijf jaren als '4-12', '18+' of '3' "
            f"(van jong naar oud, hoogstens {MAX_AGE}){hint}",
        )
        return None, group

    def contact(self, value: Data | None, path: DataPath, where: str) -> Contact:
        reader = self.reader
        if value is None:
            return Contact()
        if value in ("", {}):
            reader.error(
                path,
                f"'contact' is leeg {where}; vul minstens 'telefoon', 'e-mail' of 'website' in",
                at_key=True,
            )
            return Contact()
        if not isinstance(value, dict):
            reader.mapping(path, where)  # reports text or a list
            return Contact()
        self.keys(value, path, where, _CONTACT_SHAPE)
        telefoon = self.text(value, path, "telefoon")
        email = self.text(value, path, "e-mail")
        website = self.text(value, path, "website")
        if telefoon and not any(char.isdigit() for char in telefoon):
            message = f"'telefoon' '{telefoon}' bevat geen telefoonnummer"
            reader.error((*path, "telefoon"), message)
        if email and not _EMAIL.fullmatch(email):
            reader.error(
                (*path, "e-mail"),
                f"'e-mail' '{email}' is geen e-mailadres; schrijf bijvoorbeeld info@voorbeeld.nl",
            )
        if website and (" " in website or "." not in website):
            reader.error(
                (*path, "website"),
                f"'website' '{website}' is geen webadres; schrijf bijvoorbeeld www.voorbeeld.nl",
            )
        return Contact(telefoon=telefoon, email=email, website=website)

    def checked_date(self, block: dict[str, Data], path: DataPath, key: str) -> date:
        written = self.text(block, path, key)
        known = self.known_dates.get(written)
        if known is not None:
            return known
        if not written:
            return date.min
        path = (*path, key)
        if _ISO_DATE.fullmatch(written):
            with contextlib.suppress(ValueError):
                known = self.known_dates[written] = date.fromisoformat(written)
                return known
            self.reader.error(path, f"'{key}' '{written}' is geen bestaande datum")
            return date.min
        hint = ""
        dutch = _DUTCH_DATE.fullmatch(written)
        if dutch:
            with contextlib.suppress(ValueError):
                hint = f"; bedoelde je '{date(int(dutch[3]), int(dutch[2]), int(dutch[1]))}'?"
        self.reader.error(
            path,
            f"'{key}' '{written}' is geen datum in de vorm JJJJ-MM-DD, "
            f"bijvoorbeeld 2026-03-01{hint}",
        )
        return date.min


# -- merging files ----------------------------------------------------------------------


def _merge(
    sources: tuple[Path, ...], results: list[_FileResult], today: date
) -> tuple[Network, list[Problem]]:
    warnings: list[tuple[int, Problem]] = []

    def warn(file_index: int, position: Position, message: str) -> None:
        problem = Problem(sources[file_index], position[0], position[1], message, warning=True)
        warnings.append((file_index, problem))

    overrides: list[Override] = []
    if len(results) == 1:  # within one file every key is unique already
        picked = [(0, index) for index in range(len(results[0].entries))]
    else:
        chosen: dict[tuple[str, str], tuple[int, int]] = {}
        for file_index, result in enumerate(results):
            for index, entry in enumerate(result.entries):
                key = entry.key
                earlier = chosen.get(key)
                chosen[key] = (file_index, index)
                if earlier is None:
                    continue
                loser = results[earlier[0]].entries[earlier[1]]
                overrides.append(
                    Override(
                        entry.naam, entry.wijk, entry.source, entry.line, loser.source, loser.line
                    )
                )
                warn(
                    file_index,
                    result.starts[index],
                    f"'{entry.naam}' ({_wijk_label(entry.wijk)}) uit {entry.source}:"
                    f"{entry.line} gaat voor {loser.source}:{loser.line}: het later genoemde "
                    "bestand wint",
                )
        picked = list(chosen.values())
    entries = [results[file_index].entries[index] for file_index, index in picked]
    _check_wijken(entries, picked, results, warn)
    oldest_fresh = date.fromordinal(max(today.toordinal() - STALE_AFTER_DAYS, 1))
    for number, entry in enumerate(entries):
        checked = entry.laatst_gecontroleerd
        if oldest_fresh <= checked <= today:
            continue
        file_index, index = picked[number]
        if checked < oldest_fresh:
            message = (
                f"'{entry.naam}' is voor het laatst gecontroleerd op {checked.isoformat()}, "
                "meer dan een jaar geleden; klopt het nog?"
            )
        else:
            message = (
                f"'laatst_gecontroleerd' {checked.isoformat()} van '{entry.naam}' ligt in de "
                "toekomst; is dit een tikfout?"
            )
        warn(file_index, results[file_index].checked_at[index], message)
    warnings.sort(key=lambda item: (item[0], item[1].line, item[1].column))
    network = Network(entries=tuple(entries), sources=sources, overrides=tuple(overrides))
    return network, [problem for _, problem in warnings]


def _check_wijken(
    entries: list[Entry],
    picked: list[tuple[int, int]],
    results: list[_FileResult],
    warn: _Warn,
) -> None:
    """Warn about wijk names that look like a slip of the pen.

    A wijk spelt in two ways (``noord``, ``Noord``) gets its first spelling. A wijk named by
    one entry only that looks like a wijk named by several (``Rivierkwartir``) is reported.
    """
    counts = Counter(entry.wijk for entry in entries)
    spelt: dict[str, str] = {}
    for wijk in counts:
        spelt.setdefault(wijk.casefold(), wijk)
    common = [wijk for wijk, count in counts.items() if count > 1 and wijk != ALL_WIJKEN]
    lonely = {
        wijk: near
        for wijk, count in counts.items()
        if count == 1 and spelt[wijk.casefold()] == wijk
        for near in [closest(wijk, [other for other in common if other != wijk])]
        if near
    }
    if len(spelt) == len(counts) and not lonely:
        return  # the usual case
    first: dict[str, Entry] = {}
    for number, entry in enumerate(entries):
        chosen = first.setdefault(entry.wijk.casefold(), entry)
        file_index, index = picked[number]
        position = results[file_index].starts[index]
        if entry.wijk in lonely:
            warn(
                file_index,
                position,
                f"wijk '{entry.wijk}' komt maar één keer voor; bedoelde je '{lonely[entry.wijk]}'?",
            )
        if chosen.wijk != entry.wijk:
            warn(
                file_index,
                position,
                f"wijk '{entry.wijk}' staat in {chosen.source}:{chosen.line} als "
                f"'{chosen.wijk}'; wijkgesprek gebruikt '{chosen.wijk}'",
            )
            entries[number] = replace(entry, wijk=chosen.wijk)


def _item_label(path: DataPath) -> str:
    return f"item {path[-1] + 1 if isinstance(path[-1], int) else path[-1]} van 'aanbod'"


def _wijk_label(wijk: str) -> str:
    return "alle wijken" if wijk == ALL_WIJKEN else wijk
