"""Ranking of network entries, reasons, gaps and filtering (pure domain functions)."""

from __future__ import annotations

from datetime import date

import pytest

from wijkgesprek.content.model import ALL_WIJKEN, Contact, Entry, Network
from wijkgesprek.domain.household import parse_children
from wijkgesprek.domain.suggest import ages_of, gaps, matches_filter, suggest

TODAY = date(2026, 11, 25)
RECENT = date(2026, 6, 1)


def entry(naam: str, themes: tuple[str, ...], wijk: str = "Noord", **extra: object) -> Entry:
    fields: dict[str, object] = {
        "naam": naam,
        "soort": "activiteit",
        "themes": themes,
        "wijk": wijk,
        "kosten": "€ 2 per keer",
        "contact": Contact(telefoon="06-12345678"),
        "laatst_gecontroleerd": RECENT,
        "beschrijving": f"Beschrijving van {naam}.",
    }
    fields.update(extra)
    return Entry(**fields)  # type: ignore[arg-type]


NETWORK = Network(
    entries=(
        entry("Schuldhulp Noord", ("schulden", "geldzorgen"), kosten="gratis"),
        entry("Geldcafé", ("geldzorgen",)),
        entry(
            "Bijzondere bijstand",
            ("geldzorgen",),
            ALL_WIJKEN,
            kosten="via regeling",
            soort="regeling",
        ),
        entry("Budgetcursus Zuid", ("geldzorgen",), "Zuid"),
        entry("Peuterspeelgroep", ("opvoeding",), ages=(2, 4)),
        entry("Tienerclub", ("opvoeding",), ages=(12, 16)),
        entry(
            "Wandelgroep",
            ("eenzaamheid",),
            ALL_WIJKEN,
            ages=(18, 120),
            laatst_gecontroleerd=date(2025, 1, 10),
        ),
    )
)
NAMES = {"geldzorgen": "Geldzorgen", "schulden": "Schulden", "opvoeding": "Opvoeding"}


def names(found: list[object]) -> list[str]:
    return [s.entry.naam for s in found]  # type: ignore[attr-defined]


def test_more_matching_themes_rank_first_then_own_wijk_then_free() -> None:
    found = suggest(
        NETWORK,
        themes=["geldzorgen", "schulden"],
        wijk="noord",
        ages=None,
        today=TODAY,
        theme_names=NAMES,
    )
    assert names(found) == ["Schuldhulp Noord", "Geldcafé", "Bijzondere bijstand"]
    assert found[0].reason == "thema's Geldzorgen, Schulden · in uw wijk · gratis"
    assert found[1].reason == "thema Geldzorgen · in uw wijk"
    assert found[2].reason == "thema Geldzorgen · hele gemeente · via regeling"


def test_other_wijken_are_left_out() -> None:
    found = suggest(NETWORK, themes=["geldzorgen"], wijk="Zuid", ages=None, today=TODAY)
    assert names(found) == ["Budgetcursus Zuid", "Bijzondere bijstand"]


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        ("2024", ["Peuterspeelgroep"]),  # 2 in 2026
        ("2022", ["Peuterspeelgroep"]),  # 4: the kaart's 2-4 holds 4
        ("2021", []),  # 5
        ("2012", ["Tienerclub"]),  # 14
        ("2024,2012", ["Peuterspeelgroep", "Tienerclub"]),
        ("0-4", ["Peuterspeelgroep"]),  # old groups as they were recorded
        ("12-18", ["Tienerclub"]),
        ("zwanger", []),
        ("", []),
    ],
)
def test_children_ages_decide_what_fits(stored: str, expected: list[str]) -> None:
    ages = ages_of(parse_children(stored), TODAY)
    found = suggest(NETWORK, themes=["opvoeding"], wijk="Noord", ages=ages, today=TODAY)
    assert names(found) == expected
    for suggestion in found:
        assert "voor " in suggestion.reason


def test_stale_entries_are_marked_and_rank_lower() -> None:
    (walk,) = suggest(NETWORK, themes=["eenzaamheid"], wijk="Noord", ages=(), today=TODAY)
    assert walk.stale
    assert walk.reason.endswith("niet recent gecontroleerd")
    (fresh,) = suggest(
        NETWORK, themes=["eenzaamheid"], wijk="Noord", ages=(), today=date(2025, 6, 1)
    )
    assert not fresh.stale and fresh.score > walk.score


def test_without_themes_everything_in_the_wijk_is_listed_own_wijk_first() -> None:
    found = suggest(NETWORK, themes=[], wijk="Noord", ages=None, today=TODAY)
    assert names(found) == [
        "Schuldhulp Noord",  # free
        "Geldcafé",
        "Peuterspeelgroep",
        "Tienerclub",
        "Bijzondere bijstand",
        "Wandelgroep",
    ]


def test_a_wijk_in_other_case_gets_the_same_offers() -> None:
    """An old household stored as 'noord' still gets Noord's offers and gaps."""
    for wijk in ("noord", " NOORD "):
        found = suggest(NETWORK, themes=["geldzorgen"], wijk=wijk, ages=None, today=TODAY)
        noord = suggest(NETWORK, themes=["geldzorgen"], wijk="Noord", ages=None, today=TODAY)
        assert names(found) == names(noord) and "Schuldhulp Noord" in names(found)
        assert gaps(NETWORK, themes=["geldzorgen"], wijk=wijk, ages=None) == ()


def test_gaps_are_themes_nothing_fits() -> None:
    assert gaps(
        NETWORK, themes=["geldzorgen", "wonen", "opvoeding"], wijk="Zuid", ages=((2, 2),)
    ) == ("wonen", "opvoeding")
    assert gaps(NETWORK, themes=["opvoeding"], wijk="Noord", ages=((2, 2),)) == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("cafe", ["Geldcafé"]),
        ("GELDCAF", ["Geldcafé"]),
        ("geld", ["Schuldhulp Noord", "Geldcafé", "Bijzondere bijstand"]),
        ("schuld noord", ["Schuldhulp Noord"]),
        ("regeling", ["Bijzondere bijstand"]),
        ("zwemmen", []),
        ("ijst", ["Bijzondere bijstand"]),  # part of a name
        ("schrijving", []),  # not the start of a word in the description
    ],
)
def test_filter_by_typing_ignores_case_and_accents(text: str, expected: list[str]) -> None:
    found = suggest(NETWORK, themes=["geldzorgen"], wijk="Noord", ages=None, today=TODAY)
    assert [s.entry.naam for s in found if matches_filter(s, text)] == expected
