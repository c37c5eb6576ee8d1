"""Read the netwerkkaart section of the conversation guide into :class:`NetworkGuide`.

Format (all values are text, see :mod:`wijkgesprek.content.yamlsource`)::

    netwerkkaart:               # optional: without it the app's own words are used
      groepen:                  # group id -> naam and informeel (ja or nee), at least one
        familie:                #   with 'informeel: ja' (the family's own circle)
          naam: Familie
          informeel: ja
      hulp:                     # kind-of-help id -> naam and the themes it answers
        praktisch:
          naam: Praktische hulp
          thema's: [kinderopvang, wonen]      # theme ids of thema's (may be [])
      afstand:                  # optional; exactly dichtbij and verder-weg, with their text
        dichtbij: Dichtbij
        verder-weg: Verder weg
      energie:                  # optional; exactly geeft and kost, with their text
        geeft: Geeft energie
        kost: Kost energie
      rollen:                   # optional: roles suggested while typing -> their group
        oma: familie

Ids are lower case, digits and '-'. The ids of ``afstand`` and ``energie`` are fixed (the
drawing and the rules hang on them); a team may change their text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace

from wijkgesprek.content.model import (
    CLOSENESS_TEXTS,
    DEFAULT_HELPS,
    ENERGY_TEXTS,
    HelpKind,
    NetworkGroup,
    NetworkGuide,
)
from wijkgesprek.content.yamlsource import DataPath, Reader, did_you_mean

SECTION: DataPath = ("netwerkkaart",)
_KEYS = ("groepen", "hulp")
_OPTIONAL = ("afstand", "energie", "rollen")
_ID = re.compile(r"[a-z0-9-]+")
_YES_NO = {"ja": True, "nee": False}
_THEMES = "thema's"


def read_network_guide(reader: Reader, theme_ids: Sequence[str]) -> NetworkGuide:
    """Read ``netwerkkaart``; report every problem to ``reader``. Absent: the defaults."""
    if reader.get(SECTION) is None:  # the app's words, with the themes this guide has
        helps = tuple(
            replace(kind, themes=tuple(t for t in kind.themes if t in theme_ids))
            for kind in DEFAULT_HELPS
        )
        return NetworkGuide(helps=helps)
    reader.mapping(SECTION, "bij 'netwerkkaart'", _KEYS, _OPTIONAL)
    groups = _read_groups(reader)
    return NetworkGuide(
        groups=groups,
        helps=_read_helps(reader, theme_ids),
        closeness=_fixed(reader, "afstand", CLOSENESS_TEXTS),
        energy=_fixed(reader, "energie", ENERGY_TEXTS),
        roles=_read_roles(reader, [group.id for group in groups]),
    )


def _ids(reader: Reader, path: DataPath, what: str) -> list[str]:
    """The ids of the mapping at ``path`` (at least one), each checked."""
    entries = reader.mapping(path, optional=None)
    if reader.get(path) in ("", {}):
        reader.error(path, f"'{path[-1]}' moet minstens één {what} bevatten", at_key=True)
    for item_id in entries:
        if not _ID.fullmatch(item_id):
            message = f"{what}-id '{item_id}' mag alleen kleine letters, cijfers en '-' bevatten"
            reader.error((*path, item_id), message, at_key=True)
    return list(entries)


def _read_groups(reader: Reader) -> tuple[NetworkGroup, ...]:
    path = (*SECTION, "groepen")
    groups = []
    for group_id in _ids(reader, path, "groep"):
        item = (*path, group_id)
        reader.mapping(item, f"bij groep '{group_id}'", ("naam", "informeel"))
        written = reader.text((*item, "informeel"))
        if written and written.casefold() not in _YES_NO:
            reader.error((*item, "informeel"), f"'informeel' is ja of nee, niet '{written}'")
        groups.append(
            NetworkGroup(
                id=group_id,
                naam=reader.text((*item, "naam")),
                informal=_YES_NO.get(written.casefold(), False),
            )
        )
    if groups and reader.get(path) and not any(group.informal for group in groups):
        reader.error(
            path,
            "minstens één groep heeft 'informeel: ja' (familie, vrienden, buren): daarmee "
            "ziet de app een dun informeel netwerk",
            at_key=True,
        )
    return tuple(groups)


def _read_helps(reader: Reader, theme_ids: Sequence[str]) -> tuple[HelpKind, ...]:
    path = (*SECTION, "hulp")
    helps = []
    for help_id in _ids(reader, path, "soort hulp"):
        item = (*path, help_id)
        reader.mapping(item, f"bij hulp '{help_id}'", ("naam",), (_THEMES,))
        themes = reader.texts((*item, _THEMES), required=False)
        for index, theme in enumerate(themes):
            if theme and theme not in theme_ids:
                reader.error(
                    (*item, _THEMES, index),
                    f"onbekend thema '{theme}' bij hulp '{help_id}'; gebruik een thema uit "
                    f'"thema\'s"{did_you_mean(theme, theme_ids)}',
                )
        helps.append(HelpKind(id=help_id, naam=reader.text((*item, "naam")), themes=themes))
    return tuple(helps)


def _fixed(reader: Reader, key: str, texts: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    """A mapping with exactly the fixed ids of ``texts``, each with its text."""
    path = (*SECTION, key)
    if reader.get(path) is None:
        return tuple(texts.items())
    present = reader.mapping(path, optional=None)
    known = list(texts)
    names = " en ".join(f"'{k}'" for k in known)
    for item in present:
        if item not in known:
            reader.error(
                (*path, item),
                f"onbekende sleutel '{item}' bij '{key}'; de sleutels zijn {names}"
                + did_you_mean(item, known),
                at_key=True,
            )
    for item in known:
        if item not in present:
            reader.error(path, f"'{item}' ontbreekt bij '{key}'", at_key=True)
    return tuple((item, reader.text((*path, item))) for item in known if item in present)


def _read_roles(reader: Reader, group_ids: Sequence[str]) -> tuple[tuple[str, str], ...]:
    path = (*SECTION, "rollen")
    if reader.get(path) is None:
        return ()
    roles = []
    for role in reader.mapping(path, optional=None):
        group = reader.text((*path, role))
        if group and group not in group_ids:
            reader.error(
                (*path, role),
                f"onbekende groep '{group}' bij rol '{role}'; kies een groep uit 'groepen'"
                + did_you_mean(group, group_ids),
            )
        roles.append((role, group))
    return tuple(roles)


def network_guide_to_json(guide: NetworkGuide) -> dict[str, object]:
    """The section as JSON-ready data, with the Dutch keys of the file."""
    return {
        "groepen": [{"id": g.id, "naam": g.naam, "informeel": g.informal} for g in guide.groups],
        "hulp": [{"id": h.id, "naam": h.naam, _THEMES: list(h.themes)} for h in guide.helps],
        "afstand": dict(guide.closeness),
        "energie": dict(guide.energy),
        "rollen": dict(guide.roles),
    }
