"""Load the practice word list (``woorden.yaml``) into :class:`Words`.

One file, shared by every case file (a trainer's own cases reuse it, no copying)::

    versie: 1
    vraagvormen:            # how a question is read (see domain.asking)
      open: [wat, hoe, …]
      open-zinnen: [meer over, …]
      aanloop: [en, maar, …]
      gesloten: [heeft, bent, …]
      voornaamwoorden: [u, je, …]
      sturend: [toch, …]
      waarom: [waarom]
      schaal: [schaal, cijfer, …]
      schaal-reden: [en geen, …]
      dromen: [droom, hoop, …]
    woorden:                # counted in the trainee's questions and notes
      moeten: [moet, moeten, …]
      labels: [adhd, …]
    bewaakt-beurten: 3      # answers a person stays guarded after a label or a "moet"
    reacties:               # the family's shared lines, for adults and for children
      volwassene: {gesloten-ja: [...], gesloten: [...], label: [...], …}
      kind: {…}

Every problem is reported with ``file:line:column``, all at once.
"""

from __future__ import annotations

import re
from pathlib import Path

from wijkgesprek import limits
from wijkgesprek.content.model import REACTIONS, QuestionWords, Reactions, Words
from wijkgesprek.content.yamlsource import DataPath, Reader, read_document
from wijkgesprek.text import fold

WORDS_VERSION = "1"
_ROOT_KEYS = ("versie", "vraagvormen", "woorden", "bewaakt-beurten", "reacties")
_FORMS = (
    "open",
    "open-zinnen",
    "aanloop",
    "gesloten",
    "voornaamwoorden",
    "sturend",
    "waarom",
    "schaal",
    "schaal-reden",
    "dromen",
)
_AGES = ("volwassene", "kind")
_MAX_GUARDED = 10


def load_words(path: Path) -> Words:
    """Read and check the word list; raise ``ContentError`` listing every problem."""
    reader = Reader(read_document(path))
    reader.mapping((), "bovenaan de woordenlijst", _ROOT_KEYS)
    version = reader.text(("versie",))
    if version and version != WORDS_VERSION:
        reader.error(
            ("versie",),
            f"onbekende versie '{version}'; deze versie van wijkgesprek leest alleen "
            f"'versie: {WORDS_VERSION}'",
        )
    reader.mapping(("vraagvormen",), "bij 'vraagvormen'", _FORMS)
    forms = {name: _unique(reader, ("vraagvormen", name)) for name in _FORMS}
    reader.mapping(("woorden",), "bij 'woorden'", ("moeten", "labels"))
    words = Words(
        moeten=_unique(reader, ("woorden", "moeten")),
        labels=_unique(reader, ("woorden", "labels")),
        vragen=QuestionWords(
            open=forms["open"],
            open_zinnen=forms["open-zinnen"],
            aanloop=forms["aanloop"],
            gesloten=forms["gesloten"],
            voornaamwoorden=forms["voornaamwoorden"],
            sturend=forms["sturend"],
            waarom=forms["waarom"],
            schaal=forms["schaal"],
            schaal_reden=forms["schaal-reden"],
            dromen=forms["dromen"],
        ),
        bewaakt_beurten=_guarded(reader),
        volwassene=_reactions(reader, "volwassene"),
        kind=_reactions(reader, "kind"),
        source=path,
    )
    reader.finish()
    return words


def is_words_file(path: Path) -> bool:
    """Whether ``path`` looks like a word list (a top-level ``vraagvormen:``), unparsed."""
    try:
        raw = limits.read_limited(path, limits.MAX_DATA_FILE_BYTES)
    except (OSError, limits.TooLarge):
        return False  # the reader tells why
    text = raw.decode("utf-8-sig", errors="replace")
    return re.search(r"^[\"']?vraagvormen[\"']?\s*:", text, re.MULTILINE) is not None


def _unique(reader: Reader, path: DataPath) -> tuple[str, ...]:
    """Words at ``path`` (folded: lower case, no accents); one written twice is reported."""
    values = reader.texts(path)
    seen: set[str] = set()
    words = []
    for index, value in enumerate(values):
        word = " ".join(fold(value).split())
        if word in seen:
            reader.error((*path, index), f"'{value}' staat twee keer in '{path[-1]}'")
        seen.add(word)
        words.append(word)
    return tuple(words)


def _guarded(reader: Reader) -> int:
    written = reader.text(("bewaakt-beurten",))
    if not written:
        return 3
    if not written.isdigit() or not 1 <= int(written) <= _MAX_GUARDED:
        reader.error(
            ("bewaakt-beurten",),
            f"'bewaakt-beurten' is een heel getal van 1 tot en met {_MAX_GUARDED}, "
            f"niet '{written}'",
        )
        return 3
    return int(written)


def _reactions(reader: Reader, age: str) -> Reactions:
    path: DataPath = ("reacties", age)
    reader.mapping(("reacties",), "bij 'reacties'", _AGES)
    reader.mapping(path, f"bij 'reacties' van '{age}'", REACTIONS)
    found = []
    for kind in REACTIONS:
        lines = reader.texts((*path, kind))
        if kind == "cijfer":
            for index, line in enumerate(lines):
                if line and "{cijfer}" not in line:
                    reader.error(
                        (*path, kind, index),
                        "een regel bij 'cijfer' noemt het cijfer met {cijfer}, zoals "
                        "'Ik zou zeggen: een {cijfer}.'",
                    )
        found.append((kind, lines))
    return Reactions(tuple(found))


def words_to_json(words: Words) -> dict[str, object]:
    """What was read, as JSON-ready data (for ``wijkgesprek controleer --json``)."""
    forms = words.vragen
    return {
        "bestand": str(words.source),
        "versie": WORDS_VERSION,
        "vraagvormen": {
            "open": list(forms.open),
            "open-zinnen": list(forms.open_zinnen),
            "aanloop": list(forms.aanloop),
            "gesloten": list(forms.gesloten),
            "voornaamwoorden": list(forms.voornaamwoorden),
            "sturend": list(forms.sturend),
            "waarom": list(forms.waarom),
            "schaal": list(forms.schaal),
            "schaal-reden": list(forms.schaal_reden),
            "dromen": list(forms.dromen),
        },
        "woorden": {"moeten": list(words.moeten), "labels": list(words.labels)},
        "bewaakt-beurten": words.bewaakt_beurten,
        "reacties": {
            age: {kind: list(reactions.of(kind)) for kind in REACTIONS}
            for age, reactions in (("volwassene", words.volwassene), ("kind", words.kind))
        },
    }
