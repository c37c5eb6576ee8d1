"""Tests for the network files (sociale kaart): format, problems, merging, warnings, cache."""

from __future__ import annotations

import json
import os
import re
import stat
import textwrap
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

import pytest
from helpers import assert_refused_at

from wijkgesprek.content import network
from wijkgesprek.content.model import ALL_WIJKEN, KINDS, Entry, Guide, Network
from wijkgesprek.content.network import (
    format_ages,
    is_network_document,
    is_network_file,
    load_network,
    network_to_json,
)
from wijkgesprek.content.yamlsource import read_document
from wijkgesprek.errors import ContentError, Problem

DATA = Path(__file__).resolve().parent.parent / "data"
SHIPPED_NETWORK = DATA / "network.yaml"
TODAY = date(2026, 11, 25)

GOOD = """\
versie: 1
aanbod:
  - naam: Taalcafé
    soort: activiteit
    thema's: [taal, eenzaamheid]
    wijk: Noord
    doelgroep:
      leeftijd: 18+
      groep: nee
    kosten: gratis
    contact:
      telefoon: 0201234567
    wanneer: 10:30
    beschrijving: Oefenen in het buurthuis, Kadeplein 1, 1234 AB.
    laatst_gecontroleerd: 2026-03-01
"""
"""One valid entry; line 3 starts it, line 15 holds laatst_gecontroleerd."""
GOOD_ENTRY = GOOD.split("aanbod:\n", 1)[1]

SECOND = """\
  - naam: Schuldhulp
    soort: dienst
    thema's:
      - schulden
      - geldzorgen
    wijk: alle
    doelgroep:
      leeftijd: 0-4
    kosten: via regeling
    contact:
      telefoon: 020-1234567
      e-mail: info@voorbeeld.nl
      website: www.voorbeeld.nl
    beschrijving: Hulp bij rekeningen.
    laatst_gecontroleerd: 2026-06-30
"""


WALK = """\
  - naam: Wandelgroep
    soort: activiteit
    thema's: [eenzaamheid]
    wijk: Noord
    doelgroep: {leeftijd: 18+}
    kosten: gratis
    contact: {telefoon: 06-12345678}
    beschrijving: Samen wandelen.
    laatst_gecontroleerd: 2026-10-01
"""
HEADER = "versie: 1\naanbod:\n"


def write(folder: Path, text: str, name: str = "netwerk.yaml") -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def themes_of(guide: Guide) -> list[str]:
    return [theme.id for theme in guide.themes]


def load(
    paths: Sequence[Path], guide: Guide, today: date = TODAY, cache_dir: Path | None = None
) -> tuple[Network, list[Problem]]:
    return load_network(paths, themes=themes_of(guide), today=today, cache_dir=cache_dir)


def only_entry(path: Path, guide: Guide, cache_dir: Path | None = None) -> Entry:
    merged, _ = load([path], guide, cache_dir=cache_dir)
    (entry,) = merged.entries
    return entry


def changed(old: str, new: str, text: str = GOOD) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


# --- the shipped example -------------------------------------------------------------------


def test_shipped_network_loads_two_wijken_and_all_kinds(guide: Guide) -> None:
    shipped, _ = load([SHIPPED_NETWORK], guide)
    assert len(shipped.entries) >= 44
    assert shipped.wijken() == ("Noord", "Rivierkwartier")
    assert {entry.soort for entry in shipped.entries} == set(KINDS)
    assert any(entry.wijk == ALL_WIJKEN for entry in shipped.entries)
    assert shipped.sources == (SHIPPED_NETWORK,)
    names = " ".join(entry.naam for entry in shipped.entries).casefold()
    for kind in (
        "jonge moeders", "wandelgroep", "sportkans", "gastouder", "schuldhulp",
        "bijzondere bijstand", "meedoenregeling", "mantelzorgsteunpunt", "taalcafé",
        "opvoedspreekuur", "buurtsportcoach", "huiswerk", "maatjes", "voedsel", "energiefixer",
    ):  # fmt: skip
        assert kind in names, kind


def test_shipped_network_covers_every_theme_with_one_deliberate_gap(guide: Guide) -> None:
    shipped, _ = load([SHIPPED_NETWORK], guide)
    themes = set(themes_of(guide))
    everywhere = {t for e in shipped.entries if e.wijk == ALL_WIJKEN for t in e.themes}
    covered = {
        wijk: everywhere | {t for e in shipped.entries if e.wijk == wijk for t in e.themes}
        for wijk in shipped.wijken()
    }
    assert {t for e in shipped.entries for t in e.themes} == themes
    assert themes - covered["Noord"] == set()
    assert themes - covered["Rivierkwartier"] == {"eenzaamheid"}  # see the file's top comment


def test_shipped_network_warns_about_two_stale_entries(guide: Guide) -> None:
    _, warnings = load([SHIPPED_NETWORK], guide)
    assert all(problem.warning for problem in warnings)
    assert [re.findall(r"'([^']+)'", p.message)[0] for p in warnings] == [
        "Budgetcursus Rond Komen",
        "Wandelgroep De Noorderstappers",
    ]
    assert all("meer dan een jaar geleden" in p.message for p in warnings)


def test_shipped_network_uses_placeholder_contact_data_only(guide: Guide) -> None:
    shipped, _ = load([SHIPPED_NETWORK], guide)
    for entry in shipped.entries:
        contact = entry.contact
        assert contact.telefoon or contact.email or contact.website, entry.naam
        if contact.telefoon:
            assert re.fullmatch(r"06-?123456\d\d|0800-12345\d\d|0800-2000", contact.telefoon)
        if contact.email:
            assert contact.email.endswith(("@voorbeeld.nl", ".example.org")), contact.email
        if contact.website:
            assert "voorbeeld" in contact.website or "example.org" in contact.website


def test_network_to_json_keeps_dutch_keys_and_values(guide: Guide) -> None:
    shipped, _ = load([SHIPPED_NETWORK], guide)
    data = network_to_json(shipped)
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert len(data) == len(shipped.entries)
    first = data[0]
    assert list(first) == [
        "naam", "soort", "thema's", "wijk", "doelgroep", "kosten", "contact", "wanneer",
        "beschrijving", "laatst_gecontroleerd", "bestand", "regel",
    ]  # fmt: skip
    assert first["bestand"] == str(SHIPPED_NETWORK)
    line = first["regel"]
    assert isinstance(line, int)
    assert SHIPPED_NETWORK.read_text(encoding="utf-8").splitlines()[line - 1] == (
        f"  - naam: {first['naam']}"
    )


def test_network_file_is_told_apart_from_a_guide(tmp_path: Path) -> None:
    assert is_network_file(SHIPPED_NETWORK)
    assert not is_network_file(DATA / "questions.yaml")
    assert not is_network_file(tmp_path / "bestaat-niet.yaml")
    assert is_network_document(read_document(SHIPPED_NETWORK))
    assert not is_network_document(read_document(DATA / "questions.yaml"))


# --- values stay as written ------------------------------------------------------------------


def test_values_come_back_as_written(tmp_path: Path, guide: Guide) -> None:
    path = write(tmp_path, GOOD + SECOND)
    read, warnings = load([path], guide)
    assert warnings == []
    taalcafe, schuldhulp = read.entries
    assert taalcafe.contact.telefoon == "0201234567"
    assert schuldhulp.contact.telefoon == "020-1234567"
    assert taalcafe.wanneer == "10:30"
    assert taalcafe.group == "nee"
    assert taalcafe.beschrijving.endswith("Kadeplein 1, 1234 AB.")
    assert taalcafe.laatst_gecontroleerd == date(2026, 3, 1)
    assert (taalcafe.ages, schuldhulp.ages) == ((18, 120), (0, 4))
    assert schuldhulp.wijk == ALL_WIJKEN and schuldhulp.kosten == "via regeling"
    assert schuldhulp.themes == ("schulden", "geldzorgen")
    assert (taalcafe.source, taalcafe.line, schuldhulp.line) == (path, 3, 16)
    as_json = network_to_json(read)
    assert as_json[0]["contact"] == {"telefoon": "0201234567"}
    assert as_json[0]["wanneer"] == "10:30"
    assert as_json[0]["doelgroep"] == {"leeftijd": "18+", "groep": "nee"}
    assert as_json[1]["contact"] == {
        "telefoon": "020-1234567",
        "e-mail": "info@voorbeeld.nl",
        "website": "www.voorbeeld.nl",
    }
    assert "wanneer" not in as_json[1]


@pytest.mark.parametrize(
    ("written", "ages"),
    [("0-4", (0, 4)), ("4 - 12", (4, 12)), ("4–12", (4, 12)), ("18+", (18, 120)), ("3", (3, 3)),
     ("0-4 jaar", (0, 4)), ("12-120", (12, 120))],
)  # fmt: skip
def test_leeftijd_forms(tmp_path: Path, guide: Guide, written: str, ages: tuple[int, int]) -> None:
    path = write(tmp_path, changed("leeftijd: 18+", f"leeftijd: {written}"))
    entry = only_entry(path, guide)
    assert entry.ages == ages


@pytest.mark.parametrize("written", ["0-4", "4-12", "18+", "3"])
def test_format_ages_gives_the_usual_form_back(tmp_path: Path, guide: Guide, written: str) -> None:
    path = write(tmp_path, changed("leeftijd: 18+", f"leeftijd: {written}"))
    entry = only_entry(path, guide)
    assert entry.ages is not None and format_ages(entry.ages) == written


def test_soort_and_alle_are_read_case_insensitively(tmp_path: Path, guide: Guide) -> None:
    text = changed("soort: activiteit", "soort: Activiteit")
    path = write(tmp_path, changed("wijk: Noord", "wijk: Alle", text))
    entry = only_entry(path, guide)
    assert (entry.soort, entry.wijk) == ("activiteit", ALL_WIJKEN)


# --- broken files: file, line, column and the key in the message -----------------------------

BAD_FILES = [
    pytest.param(
        changed("[taal, eenzaamheid]", "[taal, eenzaamhied]"),
        5, 21, ["onbekend thema 'eenzaamhied'", "bedoelde je 'eenzaamheid'?"],
        id="unknown-theme-with-hint",
    ),
    pytest.param(
        changed("[taal, eenzaamheid]", "[taal, sport]"),
        5, 21, ["onbekend thema 'sport'", "kies uit: buurt, eenzaamheid"],
        id="unknown-theme-lists-themes",
    ),
    pytest.param(
        changed("      telefoon: 0201234567", "      telefon: 0201234567"),
        12, 7, ["onbekende sleutel 'telefon' bij 'Taalcafé'", "bedoelde je 'telefoon'?"],
        id="misspelt-telefoon",
    ),
    pytest.param(
        changed("    beschrijving:", "    omschrijving:"),
        14, 5, ["onbekende sleutel 'omschrijving'", "bedoelde je 'beschrijving'?"],
        id="misspelt-beschrijving",
    ),
    pytest.param(
        changed("soort: activiteit", "soort: activitiet"),
        4, 12, ["onbekende soort 'activitiet'", "bedoelde je 'activiteit'?"],
        id="soort-typo",
    ),
    pytest.param(
        changed("  - naam: Taalcafé\n    soort:", "  - soort:"),
        3, 5, ["verplichte sleutel 'naam' ontbreekt bij item 1 van 'aanbod'"],
        id="missing-naam",
    ),
    pytest.param(
        changed("    beschrijving: Oefenen in het buurthuis, Kadeplein 1, 1234 AB.\n", ""),
        3, 5, ["verplichte sleutel 'beschrijving' ontbreekt bij 'Taalcafé'"],
        id="missing-beschrijving",
    ),
    pytest.param(
        changed("beschrijving: Oefenen in het buurthuis, Kadeplein 1, 1234 AB.", "beschrijving:"),
        14, 5, ["'beschrijving' mag niet leeg zijn"],
        id="empty-beschrijving",
    ),
    pytest.param(
        changed("    contact:\n      telefoon: 0201234567\n", "    contact:\n"),
        11, 5, ["'contact' is leeg bij 'Taalcafé'", "'telefoon', 'e-mail' of 'website'"],
        id="contact-without-fields",
    ),
    pytest.param(
        changed("      telefoon: 0201234567", "      e-mail: info.voorbeeld.nl"),
        12, 15, ["'e-mail' 'info.voorbeeld.nl' is geen e-mailadres"],
        id="bad-e-mail",
    ),
    pytest.param(
        changed("      telefoon: 0201234567", "      telefoon: zie website"),
        12, 17, ["'telefoon' 'zie website' bevat geen telefoonnummer"],
        id="telefoon-without-digits",
    ),
    pytest.param(
        changed("    doelgroep:\n      leeftijd: 18+\n      groep: nee\n", "    doelgroep:\n"),
        7, 5, ["'doelgroep' is leeg bij 'Taalcafé'", "'leeftijd' en/of 'groep'"],
        id="empty-doelgroep",
    ),
    pytest.param(
        changed("doelgroep:\n      leeftijd: 18+\n      groep: nee\n", "doelgroep: ouders\n"),
        7, 16, ["'doelgroep' moet een blok zijn met 'leeftijd' en/of 'groep'"],
        id="doelgroep-as-text",
    ),
    pytest.param(
        changed("leeftijd: 18+", "leeftijd: 4 tot 12"),
        8, 17, ["'leeftijd' '4 tot 12' klopt niet", "bedoelde je '4-12'?"],
        id="leeftijd-in-words",
    ),
    pytest.param(
        changed("leeftijd: 18+", "leeftijd: 12-4"),
        8, 17, ["'leeftijd' '12-4' klopt niet", "van jong naar oud"],
        id="leeftijd-reversed",
    ),
    pytest.param(
        changed("2026-03-01", "2026-02-30"),
        15, 27, ["'laatst_gecontroleerd' '2026-02-30' is geen bestaande datum"],
        id="date-does-not-exist",
    ),
    pytest.param(
        changed("2026-03-01", "01-03-2026"),
        15, 27, ["'laatst_gecontroleerd' '01-03-2026'", "JJJJ-MM-DD", "bedoelde je '2026-03-01'?"],
        id="date-dutch-order",
    ),
    pytest.param(
        changed("2026-03-01", "maart"),
        15, 27, ["'laatst_gecontroleerd' 'maart' is geen datum"],
        id="date-in-words",
    ),
    pytest.param(
        changed("    kosten: gratis\n", "    kosten: gratis\n    kosten: € 5\n"),
        11, 5, ["sleutel 'kosten' staat er twee keer (eerder op regel 10)"],
        id="duplicate-key",
    ),
    pytest.param(
        GOOD + changed("naam: Taalcafé", "naam: TAALCAFÉ", changed("Noord", "noord", GOOD_ENTRY)),
        16, 5, ["'TAALCAFÉ' (noord) staat er twee keer in (eerder op regel 3)"],
        id="duplicate-entry-case-insensitive",
    ),
    pytest.param(
        changed("[taal, eenzaamheid]", "[]"),
        5, 5, ["'thema's' moet minstens één tekst bevatten"],
        id="no-themes",
    ),
    pytest.param(
        changed("[taal, eenzaamheid]", "taal"),
        5, 14, ["'thema's' moet een lijst van teksten zijn"],
        id="themes-not-a-list",
    ),
    pytest.param(
        "versie: 1\naanbod: Taalcafé\n",
        2, 9, ["'aanbod' moet een lijst zijn"],
        id="aanbod-not-a-list",
    ),
    pytest.param("versie: 1\naanbod:\n", 2, 1, ["'aanbod' is leeg"], id="aanbod-empty"),
    pytest.param(
        "versie: 1\naanbod:\n  - Taalcafé\n",
        3, 5, ["item 1 van 'aanbod' moet een blok"],
        id="item-not-a-block",
    ),
    pytest.param(
        changed("versie: 1", "versie: 2"), 1, 9, ["onbekende versie '2'", "versie: 1"],
        id="wrong-versie",
    ),
    pytest.param(
        changed("aanbod:", "aanbood:"),
        2, 1, ["onbekende sleutel 'aanbood'", "bedoelde je 'aanbod'?"],
        id="misspelt-aanbod",
    ),
    pytest.param(
        changed("    soort: activiteit", "\tsoort: activiteit"),
        4, 1, ["ongeldige YAML", "tab"],
        id="tab-indentation",
    ),
    pytest.param(None, 1, 1, ["bestand niet gevonden"], id="missing-file"),
]  # fmt: skip


@pytest.mark.parametrize(("content", "line", "column", "fragments"), BAD_FILES)
def test_bad_file_reports_file_line_column_and_key(
    tmp_path: Path,
    guide: Guide,
    content: str | None,
    line: int,
    column: int,
    fragments: list[str],
) -> None:
    path = tmp_path / "netwerk.yaml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    assert_refused_at(lambda: load([path], guide), path, line, column, fragments)


def test_all_problems_of_all_files_are_reported_at_once(tmp_path: Path, guide: Guide) -> None:
    first = write(
        tmp_path,
        changed(
            "[taal, eenzaamheid]",
            "[taal, eenzaam]",
            changed("2026-03-01", "2026-13-01", changed("soort: activiteit", "soort: cursus")),
        )
        + changed("    beschrijving: Hulp bij rekeningen.\n", "", SECOND),
        "a.yaml",
    )
    second = write(tmp_path, changed("leeftijd: 18+", "leeftijd: volwassen"), "b.yaml")
    with pytest.raises(ContentError) as caught:
        load([first, second], guide)
    found = [(p.file.name, p.line, p.message.split(";")[0]) for p in caught.value.problems]
    assert found == [
        ("a.yaml", 4, "onbekende soort 'cursus'"),
        ("a.yaml", 5, "onbekend thema 'eenzaam' in 'thema's'"),
        ("a.yaml", 15, "'laatst_gecontroleerd' '2026-13-01' is geen bestaande datum"),
        ("a.yaml", 16, "verplichte sleutel 'beschrijving' ontbreekt bij 'Schuldhulp'"),
        ("b.yaml", 8, "'leeftijd' 'volwassen' klopt niet"),
    ]
    assert len(str(caught.value).splitlines()) == 5


# --- several files ----------------------------------------------------------------------------


def test_later_file_wins_and_the_override_is_reported(tmp_path: Path, guide: Guide) -> None:
    regional = write(tmp_path, GOOD + SECOND, "regio.yaml")
    later = changed("Oefenen in het buurthuis", "Nu in de bibliotheek", GOOD_ENTRY)
    wijk_file = write(tmp_path, HEADER + WALK + later, "wijk.yaml")
    merged, warnings = load([regional, wijk_file], guide)
    assert [(e.naam, e.source.name) for e in merged.entries] == [
        ("Taalcafé", "wijk.yaml"),  # keeps its place, content of the later file
        ("Schuldhulp", "regio.yaml"),
        ("Wandelgroep", "wijk.yaml"),
    ]
    assert merged.entries[0].beschrijving.startswith("Nu in de bibliotheek")
    assert merged.sources == (regional, wijk_file)
    (override,) = merged.overrides
    assert (override.winner, override.winner_line, override.loser, override.loser_line) == (
        wijk_file,
        12,
        regional,
        3,
    )
    (warning,) = warnings
    assert warning.warning and (warning.file, warning.line, warning.column) == (wijk_file, 12, 5)
    assert warning.message == (
        f"'Taalcafé' (Noord) uit {wijk_file}:12 gaat voor {regional}:3: "
        "het later genoemde bestand wint"
    )
    assert str(warning).startswith(f"{wijk_file}:12:5: waarschuwing: ")

    reversed_order, _ = load([wijk_file, regional], guide)
    assert [e.naam for e in reversed_order.entries] == ["Wandelgroep", "Taalcafé", "Schuldhulp"]
    assert reversed_order.entries[1].source == regional
    assert reversed_order.overrides[0].winner == regional


def test_same_name_in_another_wijk_is_another_entry(tmp_path: Path, guide: Guide) -> None:
    first = write(tmp_path, GOOD, "a.yaml")
    second = write(tmp_path, changed("wijk: Noord", "wijk: alle"), "b.yaml")
    merged, warnings = load([first, second], guide)
    assert [e.wijk for e in merged.entries] == ["Noord", ALL_WIJKEN]
    assert merged.overrides == () and warnings == []


def test_same_file_twice_is_read_once(tmp_path: Path, guide: Guide) -> None:
    path = write(tmp_path, GOOD)
    merged, warnings = load([path, path], guide)
    assert len(merged.entries) == 1 and merged.sources == (path,)
    assert warnings == []


def test_a_wijk_spelt_two_ways_gets_the_first_spelling(tmp_path: Path, guide: Guide) -> None:
    path = write(tmp_path, GOOD + changed("wijk: alle", "wijk: NOORD", SECOND))
    merged, warnings = load([path], guide)
    assert merged.wijken() == ("Noord",)
    (warning,) = warnings
    assert (warning.line, warning.column) == (16, 5)
    assert "wijk 'NOORD'" in warning.message and "gebruikt 'Noord'" in warning.message


def test_a_wijk_named_once_like_a_common_wijk_is_a_warning(tmp_path: Path, guide: Guide) -> None:
    typo = changed("naam: Taalcafé", "naam: Koffie", changed("Noord", "Nord", GOOD_ENTRY))
    path = write(tmp_path, GOOD + WALK + typo)
    merged, warnings = load([path], guide)
    assert merged.wijken() == ("Noord", "Nord")
    (warning,) = warnings
    assert (warning.line, warning.column) == (25, 5)
    assert warning.message == "wijk 'Nord' komt maar één keer voor; bedoelde je 'Noord'?"


def test_two_different_wijken_are_not_a_slip(tmp_path: Path, guide: Guide) -> None:
    other = changed("Noord", "Zuid", GOOD_ENTRY)
    _, warnings = load([write(tmp_path, GOOD + WALK + other)], guide)
    assert warnings == []


# --- stale and future dates -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("checked", "today", "fragment"),
    [
        ("2025-11-24", TODAY, "meer dan een jaar geleden"),  # 366 days
        ("2025-11-25", TODAY, None),  # exactly 365 days: still fine
        ("2026-11-25", TODAY, None),
        ("2026-11-26", TODAY, "ligt in de toekomst"),
        ("2024-02-29", date(2025, 3, 1), "meer dan een jaar geleden"),
    ],
)
def test_dates_far_back_or_ahead_are_warnings(
    tmp_path: Path, guide: Guide, checked: str, today: date, fragment: str | None
) -> None:
    path = write(tmp_path, changed("2026-03-01", checked))
    merged, warnings = load([path], guide, today=today)
    assert len(merged.entries) == 1
    if fragment is None:
        assert warnings == []
        return
    (warning,) = warnings
    assert warning.warning and fragment in warning.message and "Taalcafé" in warning.message
    assert (warning.file, warning.line, warning.column) == (path, 15, 27)


# --- the cache --------------------------------------------------------------------------------


def cache_files(cache: Path) -> list[Path]:
    return sorted(cache.glob("*.pickle"))


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Records every file the network loader parses."""
    calls: list[Path] = []
    original = read_document

    def counting(file: Path) -> object:
        calls.append(file)
        return original(file)

    monkeypatch.setattr(network, "read_document", counting)
    return calls


def test_second_load_comes_from_the_cache(
    tmp_path: Path, guide: Guide, monkeypatch: pytest.MonkeyPatch, parses: list[Path]
) -> None:
    path = write(tmp_path, GOOD + SECOND)
    cache = tmp_path / "cache"
    first, _ = load([path], guide, cache_dir=cache)
    assert parses == [path]

    def fail(*args: object) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(network, "read_document", fail)
    second, _ = load([path], guide, cache_dir=cache)
    assert second == first
    (cached,) = cache_files(cache)
    assert stat.S_IMODE(cached.stat().st_mode) == 0o600
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700


def test_warnings_are_recomputed_on_a_cache_hit(
    tmp_path: Path, guide: Guide, parses: list[Path]
) -> None:
    path = write(tmp_path, GOOD)
    cache = tmp_path / "cache"
    _, fresh = load([path], guide, today=date(2026, 4, 1), cache_dir=cache)
    _, stale = load([path], guide, today=date(2027, 4, 1), cache_dir=cache)
    assert parses == [path]
    assert fresh == []
    assert len(stale) == 1 and "meer dan een jaar geleden" in stale[0].message


def test_a_changed_file_is_read_again_and_replaces_its_cache(
    tmp_path: Path, guide: Guide, parses: list[Path]
) -> None:
    path = write(tmp_path, GOOD)
    cache = tmp_path / "cache"
    load([path], guide, cache_dir=cache)
    write(tmp_path, changed("Oefenen", "Praten"))
    entry = only_entry(path, guide, cache)
    assert entry.beschrijving.startswith("Praten")
    assert parses == [path, path]
    assert len(cache_files(cache)) == 1
    load([path], guide, cache_dir=cache)
    assert len(parses) == 2


def test_other_themes_do_not_use_the_cache(
    tmp_path: Path, guide: Guide, parses: list[Path]
) -> None:
    path = write(tmp_path, GOOD)
    cache = tmp_path / "cache"
    load([path], guide, cache_dir=cache)
    with pytest.raises(ContentError, match="onbekend thema 'eenzaamheid'"):
        load_network([path], themes=["taal"], today=TODAY, cache_dir=cache)
    assert parses == [path, path]


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda f: f.write_bytes(b"geen pickle"), id="garbage"),
        pytest.param(lambda f: f.write_bytes(f.read_bytes()[:40]), id="truncated"),
        pytest.param(lambda f: f.write_bytes(b""), id="empty"),
        pytest.param(lambda f: f.chmod(0o644), id="readable-by-others"),
    ],
)
def test_a_damaged_or_foreign_cache_file_is_ignored(
    tmp_path: Path, guide: Guide, parses: list[Path], damage: Callable[[Path], object]
) -> None:
    path = write(tmp_path, GOOD)
    cache = tmp_path / "cache"
    first, _ = load([path], guide, cache_dir=cache)
    (cached,) = cache_files(cache)
    damage(cached)
    second, _ = load([path], guide, cache_dir=cache)
    assert second == first
    assert parses == [path, path]
    assert stat.S_IMODE(cached.stat().st_mode) == 0o600  # written anew
    load([path], guide, cache_dir=cache)
    assert len(parses) == 2


def test_a_file_with_errors_is_not_cached(tmp_path: Path, guide: Guide, parses: list[Path]) -> None:
    path = write(tmp_path, changed("2026-03-01", "2026-02-30"))
    cache = tmp_path / "cache"
    for _ in range(2):
        with pytest.raises(ContentError):
            load([path], guide, cache_dir=cache)
    assert parses == [path, path]
    assert cache_files(cache) == []


def test_an_unusable_cache_folder_is_no_problem(tmp_path: Path, guide: Guide) -> None:
    path = write(tmp_path, GOOD)
    blocked = tmp_path / "geen-map"
    blocked.write_text("dit is een bestand", encoding="utf-8")
    merged, _ = load([path], guide, cache_dir=blocked)
    assert len(merged.entries) == 1


def test_cache_errors_of_unreadable_files_stay_dutch(tmp_path: Path, guide: Guide) -> None:
    missing = tmp_path / "weg.yaml"
    latin = tmp_path / "latin.yaml"
    latin.write_bytes(GOOD.replace("Taalcafé", "Caf\xe9").encode("latin-1"))
    with pytest.raises(ContentError) as caught:
        load([missing, latin], guide, cache_dir=tmp_path / "cache")
    messages = [p.message for p in caught.value.problems]
    assert "bestand niet gevonden" in messages[0]
    assert "geen UTF-8" in messages[1]


def test_cache_keeps_one_file_per_source(tmp_path: Path, guide: Guide) -> None:
    cache = tmp_path / "cache"
    first = write(tmp_path, GOOD, "a.yaml")
    second = write(tmp_path, HEADER + SECOND, "b.yaml")
    for version in range(3):
        write(tmp_path, changed("Oefenen", f"Oefenen {version}"), "a.yaml")
        load([first, second], guide, cache_dir=cache)
    assert len(cache_files(cache)) == 2
    assert not [name for name in os.listdir(cache) if name.endswith(".tmp")]
