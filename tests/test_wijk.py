"""Wijk names: one wijk however it is typed (case, spaces), completed by Tab, and
counted once in the trends."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from wijkgesprek.domain.household import Children
from wijkgesprek.domain.wijk import (
    complete_wijk,
    known_spelling,
    known_wijken,
    not_known,
    shared_spellings,
    wijk_key,
)
from wijkgesprek.store import repo
from wijkgesprek.store.engine import Store
from wijkgesprek.store.trends import visit_rows

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
KNOWN = ["Noord", "Rivierkwartier"]


# -- plain functions -----------------------------------------------------------------------


def test_wijk_names_compare_without_case_and_extra_spaces() -> None:
    assert wijk_key("  noord ") == wijk_key("NOORD") == wijk_key("Noord")
    assert wijk_key("Noord  Oost") == wijk_key("noord oost")
    assert known_spelling("noord ", KNOWN) == "Noord"
    assert known_spelling("No", KNOWN) is None


@pytest.mark.parametrize(
    ("typed", "completed"),
    [
        ("No", "Noord"),
        ("no", "Noord"),
        ("NOORD", "Noord"),
        ("riv", "Rivierkwartier"),
        ("", None),  # nothing typed: nothing to complete
        ("x", None),  # no known wijk starts so
        ("Noordwest", None),  # longer than any known wijk
    ],
)
def test_tab_completes_a_unique_prefix_of_a_known_wijk(typed: str, completed: str | None) -> None:
    assert complete_wijk(typed, KNOWN) == completed


def test_an_ambiguous_prefix_is_not_completed() -> None:
    assert complete_wijk("Noord", ["Noord", "Noord-Oost"]) == "Noord"  # exact wins
    assert complete_wijk("No", ["Noord", "Noord-Oost"]) is None


def test_known_wijken_come_once_with_the_spelling_of_the_kaart() -> None:
    assert known_wijken(["Noord", "Rivierkwartier"], ["noord", "Oost", "OOST"]) == [
        "Noord",
        "Oost",
        "Rivierkwartier",
    ]


@pytest.mark.parametrize(
    ("typed", "hint"),
    [
        ("No", "Bedoelt u Noord?"),
        ("Nord", "Bedoelt u Noord?"),
        ("Riverkwartir", "Bedoelt u Rivierkwartier?"),
        ("Zuid", ""),
    ],
)
def test_an_unknown_wijk_is_named_with_the_closest_known_one(typed: str, hint: str) -> None:
    message = not_known(typed, KNOWN)
    assert message.startswith(f"'{typed}' is geen bekende wijk.")
    assert hint in message
    if not hint:
        assert "Bedoelt u" not in message


def test_trends_use_one_spelling_per_wijk() -> None:
    spelled = shared_spellings(["noord", "Noord", "NOORD", "Oost"])
    assert spelled == {"noord": "Noord", "Noord": "Noord", "NOORD": "Noord", "Oost": "Oost"}


# -- the trends ---------------------------------------------------------------------------


def test_trends_count_an_old_lower_case_wijk_under_the_known_one(store: Store) -> None:
    for code, wijk in [("GZ-1", "Noord"), ("GZ-2", "noord"), ("GZ-3", "NOORD "), ("GZ-4", "Oost")]:
        store.run(repo.start_visit, code=code, wijk=wijk, children=Children(), now=NOW)
    rows = store.run(visit_rows, first="2026-03", last="2026-03")
    assert sorted(row[0] for row in rows) == ["Noord", "Noord", "Noord", "Oost"]
