"""Load the conversation guide (``questions.yaml``) into :class:`Guide`.

Format (all values are text, see :mod:`wijkgesprek.content.yamlsource`)::

    versie: 1
    onderwerpen:            # topic id -> topic, in the order of the conversation
      kennismaking:
        titel: Kennismaking en vraag
        vragen:             # required, at least one
          - Wat brengt ons vandaag bij elkaar?
        doorvragen:         # optional
          - Wie heeft u hier al over gesproken?
        tip: Vraag je af wie er al gehoord is.   # optional
    thema's:                # theme id -> description, or a block with naam/omschrijving
      geldzorgen: Moeite om rond te komen.
      psychische-klachten:
        naam: Psychische klachten
        omschrijving: Somberheid, angst, spanning.
    veiligheid:             # the safety check, see :mod:`wijkgesprek.content.safety`
      kindcheck: [...]
      signalen: {...}       # exactly kind, ouder, gezin-en-omgeving
      balans: {...}         # draaglast-thema's, draaglast, draagkracht
      schaalvraag: {rollen: [...]}
      afwegingskader: [...] # five questions, each with ja/nee -> an outcome
      meldcode: [...]       # five steps
    netwerkkaart:           # optional, see :mod:`wijkgesprek.content.network_map`
      groepen: {...}        # familie, vrienden, ...: naam and informeel (ja/nee)
      hulp: {...}           # praktisch, emotioneel, ...: naam and thema's

The six topics in :data:`REQUIRED_TOPICS` must be present; a team may add its own.
Topics keep the order of the file.
"""

from __future__ import annotations

import re
from pathlib import Path

from wijkgesprek.content.model import REQUIRED_TOPICS, Guide, Theme, Topic
from wijkgesprek.content.network_map import network_guide_to_json, read_network_guide
from wijkgesprek.content.safety import read_safety, safety_to_json
from wijkgesprek.content.yamlsource import Reader, closest, read_document

GUIDE_VERSION = "1"
_ID = re.compile(r"[a-z0-9-]+")
_TOPICS = ("onderwerpen",)
_THEMES = ("thema's",)
_ROOT_KEYS = ("versie", "onderwerpen", "thema's", "veiligheid")
_OPTIONAL_ROOT_KEYS = ("netwerkkaart",)


def load_guide(path: Path) -> Guide:
    """Read and check the guide; raise ``ContentError`` listing every problem found."""
    reader = Reader(read_document(path))
    root = reader.mapping((), "bovenaan het bestand", _ROOT_KEYS, _OPTIONAL_ROOT_KEYS)
    if "versie" in root:
        version = reader.text(("versie",))
        if version and version != GUIDE_VERSION:
            reader.error(
                ("versie",),
                f"onbekende versie '{version}'; deze versie van wijkgesprek leest alleen "
                f"'versie: {GUIDE_VERSION}'",
            )
    topics = _read_topics(reader)
    themes = _read_themes(reader)
    theme_ids = [theme.id for theme in themes]
    safety = read_safety(reader, theme_ids)
    network = read_network_guide(reader, theme_ids)
    reader.finish()
    return Guide(source=path, topics=topics, themes=themes, safety=safety, network=network)


def _check_id(reader: Reader, section: str, item_id: str, what: str) -> None:
    if not _ID.fullmatch(item_id):
        reader.error(
            (section, item_id),
            f"{what} '{item_id}' mag alleen kleine letters, cijfers en '-' bevatten",
            at_key=True,
        )


def _read_topics(reader: Reader) -> tuple[Topic, ...]:
    entries = reader.mapping(_TOPICS, optional=None)
    topics = []
    for topic_id in entries:
        path = (*_TOPICS, topic_id)
        _check_id(reader, _TOPICS[0], topic_id, "onderwerp-id")
        reader.mapping(
            path, f"bij onderwerp '{topic_id}'", ("titel", "vragen"), ("doorvragen", "tip")
        )
        topics.append(
            Topic(
                id=topic_id,
                titel=reader.text((*path, "titel")),
                vragen=reader.texts((*path, "vragen")),
                doorvragen=reader.texts((*path, "doorvragen"), required=False),
                tip=reader.text((*path, "tip"), required=False),
            )
        )
    if reader.get(_TOPICS) is not None:
        _report_missing_topics(reader, list(entries))
    return tuple(topics)


def _report_missing_topics(reader: Reader, present: list[str]) -> None:
    """Report required topics that are absent; a near miss gets its own typo hint."""
    unknown = [topic_id for topic_id in present if topic_id not in REQUIRED_TOPICS]
    missing = []
    for topic_id in REQUIRED_TOPICS:
        if topic_id in present:
            continue
        near = closest(topic_id, unknown)
        if near is None:
            missing.append(topic_id)
            continue
        unknown.remove(near)
        reader.error(
            (*_TOPICS, near),
            f"verplicht onderwerp '{topic_id}' ontbreekt; is '{near}' een tikfout?",
            at_key=True,
        )
    if missing:
        names = ", ".join(f"'{topic_id}'" for topic_id in missing)
        message = (
            f"verplicht onderwerp {names} ontbreekt"
            if len(missing) == 1
            else f"verplichte onderwerpen {names} ontbreken"
        )
        reader.error(_TOPICS, message, at_key=True)


def _read_themes(reader: Reader) -> tuple[Theme, ...]:
    themes = []
    for theme_id, value in reader.mapping(_THEMES, optional=None).items():
        path = (*_THEMES, theme_id)
        _check_id(reader, _THEMES[0], theme_id, "thema-id")
        naam = theme_id[:1].upper() + theme_id[1:]
        if isinstance(value, dict):
            reader.mapping(path, f"bij thema '{theme_id}'", optional=("naam", "omschrijving"))
            naam = reader.text((*path, "naam")) or naam
            omschrijving = reader.text((*path, "omschrijving"), required=False)
        else:
            omschrijving = reader.text(path, required=False)
        themes.append(Theme(id=theme_id, naam=naam, omschrijving=omschrijving))
    return tuple(themes)


def guide_to_json(guide: Guide) -> dict[str, object]:
    """What was read, as JSON-ready data (for ``wijkgesprek controleer --json``)."""
    return {
        "bestand": str(guide.source),
        "versie": GUIDE_VERSION,
        "onderwerpen": [
            {
                "id": topic.id,
                "titel": topic.titel,
                "vragen": list(topic.vragen),
                "doorvragen": list(topic.doorvragen),
                "tip": topic.tip,
            }
            for topic in guide.topics
        ],
        "thema's": [
            {"id": theme.id, "naam": theme.naam, "omschrijving": theme.omschrijving}
            for theme in guide.themes
        ],
        "veiligheid": safety_to_json(guide.safety),
        "netwerkkaart": network_guide_to_json(guide.network),
    }
