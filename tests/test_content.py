"""Tests for the YAML content loader (yamlsource) and the conversation guide (questions)."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from helpers import assert_refused_at

from wijkgesprek.content.questions import REQUIRED_TOPICS, guide_to_json, load_guide
from wijkgesprek.content.yamlsource import Reader, parse_document, read_document
from wijkgesprek.errors import ContentError

SHIPPED_GUIDE = Path(__file__).resolve().parent.parent / "data" / "questions.yaml"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "vragen.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


# --- the shipped guide -------------------------------------------------------------------


def test_shipped_guide_loads_with_six_topics_in_order() -> None:
    guide = load_guide(SHIPPED_GUIDE)
    assert tuple(topic.id for topic in guide.topics) == REQUIRED_TOPICS
    assert [topic.titel for topic in guide.topics] == [
        "Kennismaking en vraag",
        "Stress en zorgen",
        "Netwerk en omgeving",
        "Dromen en hoop",
        "Veiligheid",
        "Afspraken",
    ]
    for topic in guide.topics:
        assert 3 <= len(topic.vragen) <= 6, topic.id
        assert 3 <= len(topic.doorvragen) <= 6, topic.id
        assert topic.tip, topic.id
    assert len(guide.themes) >= 9
    assert {"geldzorgen", "schulden", "mantelzorg", "eenzaamheid"} <= {t.id for t in guide.themes}


def test_shipped_guide_asks_the_kindcheck() -> None:
    guide = load_guide(SHIPPED_GUIDE)
    veiligheid = " ".join(guide.topic("veiligheid").vragen)
    for fragment in ("kinderen jonger dan 18", "zwangerschap", "hoe oud", "merken de kinderen"):
        assert fragment in veiligheid
    assert "kindcheck" in guide.topic("veiligheid").tip


def test_shipped_guide_says_u_everywhere() -> None:
    import re

    guide = guide_to_json(load_guide(SHIPPED_GUIDE))
    texts: list[str] = []

    def collect(value: object) -> None:
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    collect(guide)
    informal = re.compile(r"\b(je|jij|jou|jouw|jezelf)\b", re.IGNORECASE)
    assert len(texts) > 100
    assert [text for text in texts if informal.search(text)] == []


def test_guide_to_json_is_json_and_keeps_order() -> None:
    data = guide_to_json(load_guide(SHIPPED_GUIDE))
    assert json.loads(json.dumps(data)) == data
    topics = data["onderwerpen"]
    assert isinstance(topics, list)
    assert [topic["id"] for topic in topics] == list(REQUIRED_TOPICS)


# --- values stay as written ----------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "ja",
        "nee",
        "on",
        "off",
        "yes",
        "No",
        "10:30",
        "0201234567",
        "020-1234567",
        "1234 AB",
        "1e3",
        "0o17",
        ".inf",
        "~",
        "null",
        "2024-01-05",
        "12:30:00",
    ],
)
def test_values_stay_as_written(raw: str) -> None:
    document = parse_document(f"waarde: {raw}\nlijst: [{raw}]\n", Path("x.yaml"))
    assert document.data == {"waarde": raw, "lijst": [raw]}
    assert document.problems == []


def test_empty_value_becomes_empty_text() -> None:
    assert parse_document("leeg:\n", Path("x.yaml")).data == {"leeg": ""}


def test_positions_of_keys_values_and_items() -> None:
    text = textwrap.dedent(
        """\
        # commentaar
        onderwerpen:
          stress:
            vragen:
              - Eerste vraag
              - Tweede vraag
        """
    )
    document = parse_document(text, Path("x.yaml"))
    path = ("onderwerpen", "stress", "vragen")
    assert document.keys[path] == (4, 5)
    assert document.values[(*path, 1)] == (6, 9)
    assert document.position(path, at_key=True) == (4, 5)


# --- a valid minimal guide, and variations ------------------------------------------------

MINIMAL = """\
versie: 1
onderwerpen:
  kennismaking: {titel: Kennismaking, vragen: [Wat brengt u hier?]}
  stress: {titel: Stress, vragen: [Wat geeft spanning?]}
  netwerk: {titel: Netwerk, vragen: [Wie helpt u?]}
  dromen: {titel: Dromen, vragen: [Waar hoopt u op?]}
  veiligheid: {titel: Veiligheid, vragen: [Wonen er kinderen bij u?]}
  afspraken: {titel: Afspraken, vragen: [Wat spreken we af?]}
  school: {titel: School, vragen: [ja], tip: nee}
thema's:
  geldzorgen: Moeite om rond te komen.
  psychische-klachten: {naam: Psychische klachten}
  wonen:
veiligheid:
  kindcheck: [Wonen er kinderen bij u?]
  signalen:
    kind: {titel: Kind, lijst: {verwondingen: Onverklaarbare verwondingen.}}
    ouder: {titel: Ouder, lijst: {verslaving: Verslavingsproblemen.}}
    gezin-en-omgeving: {titel: Gezin en omgeving, lijst: {armoede: Schulden en armoede.}}
  balans:
    draaglast-thema's: [geldzorgen]
    draaglast: {spanning: Is er spanning tussen de ouders?}
    draagkracht: {steun: Is er iemand die helpt?}
  schaalvraag: {rollen: [ouder, kind]}
  afwegingskader:
    - {vraag: Vermoeden, ja: volgende, nee: afsluiten}
    - {vraag: Onveilig, ja: melden, nee: volgende}
    - {vraag: Hulp mogelijk, ja: volgende, nee: melden}
    - {vraag: Werken zij mee, ja: volgende, nee: melden}
    - {vraag: Duurzaam veilig, ja: hulp, nee: melden}
  meldcode: [{titel: Kaart}, {titel: Overleg}, {titel: Gesprek}, {titel: Wegen}, {titel: Besluit}]
"""


def test_minimal_guide_allows_extra_topic_and_theme_forms(tmp_path: Path) -> None:
    guide = load_guide(write(tmp_path, MINIMAL))
    assert [t.id for t in guide.topics][-1] == "school"
    assert guide.topic("school").vragen == ("ja",)
    assert guide.topic("school").tip == "nee"
    assert guide.theme("geldzorgen") is not None
    assert [(t.id, t.naam, t.omschrijving) for t in guide.themes] == [
        ("geldzorgen", "Geldzorgen", "Moeite om rond te komen."),
        ("psychische-klachten", "Psychische klachten", ""),
        ("wonen", "Wonen", ""),
    ]


# --- broken files: one problem each, with file, line, column and the key named -------------

BAD_FILES = [
    pytest.param(
        """\
        versie: 1
        onderwerpen:
          stress:
            titel: Stress: en zorgen
        """,
        4, 18, ["ongeldige YAML", "dubbele punt"],
        id="syntax-error",
    ),
    pytest.param(
        "versie: 1\nonderwerpen:\n  stress:\n\ttitel: Stress\n",
        4, 1, ["ongeldige YAML", "tab"],
        id="tab-indentation",
    ),
    pytest.param(
        """\
        versie: 1
        onderwerpen:
          stress:
            titel: Stress
            vragen: [Wat geeft spanning?]
            titel: Zorgen
        """,
        6, 5, ["'titel'", "twee keer", "eerder op regel 4"],
        id="duplicate-key",
    ),
    pytest.param(
        """\
        versie: 1
        onderwerpen:
          stress: {titel: Stress, vragen: [Wat geeft spanning?]}
          netwerk: {titel: Netwerk, vragen: [Wie helpt u?]}
          stress: {titel: Zorgen, vragen: [Wat speelt er?]}
        """,
        5, 3, ["'stress'", "twee keer", "eerder op regel 3"],
        id="duplicate-topic-id",
    ),
    pytest.param(
        """\
        versie: 1
        onderwerpen:
          kennismaking: {titel: Kennismaking, vragen: [Wat brengt u hier?]}
          netwerk:
            vragen: [Wie helpt u?]
        """,
        4, 3, ["verplichte sleutel 'titel' ontbreekt bij onderwerp 'netwerk'"],
        id="missing-titel",
    ),
    pytest.param(
        """\
        versie: 1
        onderwerpen:
          stress:
            titel: Stress
            vragen: Wat geeft spanning?
        """,
        5, 13, ["'vragen' moet een lijst van teksten zijn"],
        id="vragen-not-a-list",
    ),
    pytest.param(
        """\
        versie: 1
        onderwerpen:
          stress:
            titel: Stress
            vragen: []
        """,
        5, 5, ["'vragen' moet minstens één tekst bevatten"],
        id="empty-vragen",
    ),
    pytest.param(
        """\
        versie: 1
        onderwerpen:
          stress:
            titel: Stress
            vragen:
              - Wat geeft spanning?
              -
        """,
        7, 8, ["item 2 van 'vragen' mag niet leeg zijn"],
        id="empty-question",
    ),
    pytest.param(
        """\
        versie: 1
        onderwerpen:
          stress:
            titel: Stress
            vragen: [Wat geeft spanning?]
            doorvrgen: [Sinds wanneer?]
        """,
        6, 5, ["onbekende sleutel 'doorvrgen'", "onderwerp 'stress'", "bedoelde je 'doorvragen'?"],
        id="misspelt-key",
    ),
    pytest.param(
        """\
        versie: 1
        onderwerpen: {}
        themas:
          geldzorgen: Moeite om rond te komen.
        """,
        3, 1, ["onbekende sleutel 'themas'", "bedoelde je 'thema's'?"],
        id="unknown-top-level-key",
    ),
    pytest.param(
        """\
        versie: 1
        onderwerpen:
          kennismaking: {titel: Kennismaking, vragen: [Wat brengt u hier?]}
          stress: {titel: Stress, vragen: [Wat geeft spanning?]}
          netwerk: {titel: Netwerk, vragen: [Wie helpt u?]}
          veiligheid: {titel: Veiligheid, vragen: [Wonen er kinderen bij u?]}
          afspraken: {titel: Afspraken, vragen: [Wat spreken we af?]}
        thema's: {}
        """,
        2, 1, ["verplicht onderwerp 'dromen' ontbreekt"],
        id="missing-required-topic",
    ),
    pytest.param(
        """\
        versie: 1
        onderwerpen:
        thema's: {}
        """,
        2, 1, ["verplichte onderwerpen 'kennismaking', 'stress', 'netwerk', 'dromen', "],
        id="no-topics",
    ),
    pytest.param(
        """\
        versie: 1
        onderwerpen:
          kennismaking: {titel: Kennismaking, vragen: [Wat brengt u hier?]}
          veilgheid: {titel: Veiligheid, vragen: [Wonen er kinderen bij u?]}
        """,
        4, 3, ["verplicht onderwerp 'veiligheid' ontbreekt", "'veilgheid' een tikfout"],
        id="misspelt-required-topic",
    ),
    pytest.param(
        """\
        versie: 1
        thema's:
          geldzorgen: Moeite om rond te komen.
          geld zorgen: Dubbel ingevoerd.
        """,
        4, 3, ["thema-id 'geld zorgen'", "kleine letters"],
        id="theme-id-with-space",
    ),
    pytest.param(
        """\
        versie: 1
        thema's:
          wonen:
            naam: Wonen
            omschrijvng: Een te kleine woning.
        """,
        5, 5, ["onbekende sleutel 'omschrijvng' bij thema 'wonen'", "'omschrijving'"],
        id="theme-misspelt-key",
    ),
    pytest.param(
        """\
        # Onze leidraad
        versie: 2
        """,
        2, 9, ["onbekende versie '2'", "versie: 1"],
        id="wrong-versie",
    ),
    pytest.param(
        """\
        versie: 1
        onderwerpen:
          stress:
            titel: Stress
            vragen: [Wat geeft spanning?]
            tip: !!python/object/apply:os.system [echo hallo]
        """,
        6, 10, ["de tag '!!python/object/apply:os.system' is niet toegestaan"],
        id="python-tag",
    ),
    pytest.param(
        """\
        versie: 1
        onderwerpen:
          stress: &basis {titel: Stress, vragen: [Wat geeft spanning?]}
          netwerk: *basis
        """,
        4, 3, ["ankers en verwijzingen"],
        id="alias",
    ),
    pytest.param(
        """\
        versie: 1
        onderwerpen:
          stress:
            titel: "Stress en zorgen
            vragen: [Wat geeft spanning?]
        """,
        6, 1, ["ongeldige YAML", "aanhalingsteken", "begonnen op regel 4"],
        id="unclosed-quote",
    ),
    pytest.param(
        "- versie: 1\n",
        1, 1, ["het bestand moet een blok met regels 'sleutel: waarde' zijn"],
        id="top-level-list",
    ),
    pytest.param(None, 1, 1, ["bestand niet gevonden"], id="missing-file"),
    pytest.param(
        "versie: 1\nthema's:\n  geldzorgen: \xe9\xe9n rekening te veel\n".encode("latin-1"),
        1, 1, ["geen UTF-8", "regel 3"],
        id="not-utf8",
    ),
    pytest.param("", 1, 1, ["het bestand is leeg"], id="empty-file"),
    pytest.param("# alleen commentaar\n", 1, 1, ["het bestand is leeg"], id="only-comments"),
]  # fmt: skip


@pytest.mark.parametrize(("content", "line", "column", "fragments"), BAD_FILES)
def test_bad_file_reports_file_line_column_and_key(
    tmp_path: Path, content: str | bytes | None, line: int, column: int, fragments: list[str]
) -> None:
    path = tmp_path / "vragen.yaml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        write(tmp_path, content)
    assert_refused_at(lambda: load_guide(path), path, line, column, fragments)


def test_all_problems_of_a_file_are_reported_in_file_order(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        versie: 3
        onderwerpen:
          kennismaking:
            titel:
            vragen: [Wat brengt u hier?]
          stress:
            titel: Stress
            vragen: Wat geeft spanning?
            tip: Kijk breed.
            tip: Kijk nog breder.
          netwerk: {titel: Netwerk, vragen: [Wie helpt u?], doorvrgen: [Wie nog meer?]}
        thema's:
          Geldzorgen: Moeite om rond te komen.
        extra: ja
        """,
    )
    with pytest.raises(ContentError) as caught:
        load_guide(path)
    found = [(p.line, p.message.split(";")[0]) for p in caught.value.problems]
    assert found == [
        (1, "verplichte sleutel 'veiligheid' ontbreekt bovenaan het bestand"),
        (1, "onbekende versie '3'"),
        (2, "verplichte onderwerpen 'dromen', 'veiligheid', 'afspraken' ontbreken"),
        (4, "'titel' mag niet leeg zijn"),
        (8, "'vragen' moet een lijst van teksten zijn (regels die beginnen met '- ')"),
        (10, "sleutel 'tip' staat er twee keer (eerder op regel 9)"),
        (11, "onbekende sleutel 'doorvrgen' bij onderwerp 'netwerk'"),
        (13, "thema-id 'Geldzorgen' mag alleen kleine letters, cijfers en '-' bevatten"),
        (14, "onbekende sleutel 'extra' bovenaan het bestand"),
    ]


def test_reader_collects_problems_for_other_files(tmp_path: Path) -> None:
    """The same Reader serves other content files, e.g. the network file."""
    path = write(
        tmp_path,
        """\
        activiteiten:
          - naam: Koffieochtend jonge moeders
            tijd: 10:30
          - nam: Taalcafé
        """,
    )
    reader = Reader(read_document(path))
    items = reader.get(("activiteiten",))
    assert isinstance(items, list)
    for index in range(len(items)):
        reader.mapping(("activiteiten", index), f"bij activiteit {index + 1}", ["naam"], ["tijd"])
    assert reader.text(("activiteiten", 0, "tijd")) == "10:30"
    with pytest.raises(ContentError) as caught:
        reader.finish()
    assert [str(p).removeprefix(f"{path}:") for p in caught.value.problems] == [
        "4:5: verplichte sleutel 'naam' ontbreekt bij activiteit 2",
        "4:5: onbekende sleutel 'nam' bij activiteit 2; bedoelde je 'naam'?",
    ]


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        pytest.param(None, "bestand niet gevonden", id="missing"),
        pytest.param(b"\xff\xfe\x00a", "geen UTF-8", id="not-utf8"),
    ],
)
def test_read_document_fails_at_line_one(
    tmp_path: Path, content: bytes | None, fragment: str
) -> None:
    path = tmp_path / "netwerk.yaml"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ContentError) as caught:
        read_document(path)
    assert str(caught.value).startswith(f"{path}:1:1: ")
    assert fragment in str(caught.value)


def test_directory_instead_of_file(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="dit is een map"):
        read_document(tmp_path)


def test_large_file_keeps_every_position() -> None:
    """A 10,000-entry file is read whole (its speed is measured in bench/, not here)."""
    entries = "".join(
        f"  - naam: Activiteit {i}\n    tijd: 10:30\n    plek: Buurthuis {i}\n"
        f"    doelgroep: [ouders, jongeren]\n"
        for i in range(10_000)
    )
    document = parse_document(f"activiteiten:\n{entries}", Path("netwerk.yaml"))
    assert len(document.values) == 2 + 10_000 * 7  # root, list, and per entry 7 values
    assert document.values[("activiteiten", 9_999, "tijd")] == (3 + 4 * 9_999, 11)
    assert document.data["activiteiten"][9_999]["tijd"] == "10:30"  # type: ignore[index]
