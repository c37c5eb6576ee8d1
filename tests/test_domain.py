"""Unit tests for the plain domain rules: visits (touched topics, summary, dates) and households."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from wijkgesprek.domain.household import (
    Children,
    code_problem,
    describe_children,
    format_children,
    normalise_code,
    parse_children,
    wijk_problem,
)
from wijkgesprek.domain.visit import (
    AGREEMENTS_TOPIC,
    AgreementData,
    TopicNote,
    VisitRecord,
    format_date,
    is_touched,
    parse_date,
    summarise,
    tagged_themes,
)

GUIDE_ORDER = ("kennismaking", "stress", "netwerk", "dromen", "veiligheid", AGREEMENTS_TOPIC)
AGREEMENT = AgreementData(
    id=1, wat="Formulier bijzondere bijstand invullen", wie="moeder", wanneer="vrijdag"
)


def record(**changes: object) -> VisitRecord:
    base: dict[str, object] = {
        "id": 1,
        "household_code": "GZ-001",
        "wijk": "Noord",
        "children": Children(birth_years=(2024,)),
        "started_at": datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
    }
    return VisitRecord(**{**base, **changes})  # type: ignore[arg-type]


# --- is_touched ----------------------------------------------------------------------------


def test_an_empty_visit_touches_nothing() -> None:
    empty = record()
    assert not any(is_touched(topic, empty) for topic in GUIDE_ORDER)
    assert empty.is_open


@pytest.mark.parametrize(
    ("note", "touched"),
    [
        (TopicNote("Vader werkt in ploegendienst."), True),
        (TopicNote("", ("geldzorgen",)), True),
        (TopicNote("   \n\t "), False),
        (TopicNote(""), False),
    ],
)
def test_a_note_touches_its_topic_by_text_or_theme(note: TopicNote, touched: bool) -> None:
    visit = record(notes={"stress": note})
    assert is_touched("stress", visit) is touched
    assert not is_touched("netwerk", visit)


def test_agreements_topic_is_touched_by_an_agreement_or_a_next_contact() -> None:
    assert is_touched(AGREEMENTS_TOPIC, record(agreements=(AGREEMENT,)))
    assert is_touched(AGREEMENTS_TOPIC, record(next_contact=date(2026, 3, 16)))
    # Agreements and a next contact only count for the agreements topic.
    other = record(agreements=(AGREEMENT,), next_contact=date(2026, 3, 16))
    assert not is_touched("stress", other)
    assert not is_touched(AGREEMENTS_TOPIC, record())


# --- tagged_themes and summarise -----------------------------------------------------------


def test_tagged_themes_in_first_tagged_order_without_duplicates() -> None:
    visit = record(
        notes={
            "kennismaking": TopicNote("", ("schulden", "geldzorgen")),
            "stress": TopicNote("x", ("eenzaamheid", "schulden")),
            "netwerk": TopicNote("y"),
            "dromen": TopicNote("", ("mantelzorg", "geldzorgen")),
        }
    )
    assert tagged_themes(visit) == ("schulden", "geldzorgen", "eenzaamheid", "mantelzorg")
    assert tagged_themes(record()) == ()


def test_summarise_lists_touched_and_untouched_in_guide_order() -> None:
    # Notes inserted in a different order than the guide: the summary follows the guide.
    visit = record(
        notes={
            "veiligheid": TopicNote("Kinderen slapen goed, geen zorgen genoemd."),
            "kennismaking": TopicNote("Vraag over de huur.", ("geldzorgen",)),
            "dromen": TopicNote("  "),
        },
        agreements=(AGREEMENT,),
        next_contact=date(2026, 3, 16),
    )
    summary = summarise(visit, GUIDE_ORDER)
    assert summary.touched == ("kennismaking", "veiligheid", AGREEMENTS_TOPIC)
    assert summary.untouched == ("stress", "netwerk", "dromen")
    assert summary.themes == ("geldzorgen",)
    assert summary.agreements == (AGREEMENT,)
    assert summary.next_contact == date(2026, 3, 16)


def test_summarise_ignores_notes_for_topics_not_in_the_guide() -> None:
    visit = record(notes={"oud-onderwerp": TopicNote("tekst")})
    summary = summarise(visit, GUIDE_ORDER)
    assert summary.touched == ()
    assert summary.untouched == GUIDE_ORDER


# --- dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3-12-2026", date(2026, 12, 3)),
        ("03-12-2026", date(2026, 12, 3)),
        ("3/12/2026", date(2026, 12, 3)),
        ("3.12.2026", date(2026, 12, 3)),
        ("2026-12-03", date(2026, 12, 3)),
        ("  29-02-2028 ", date(2028, 2, 29)),
    ],
)
def test_parse_date_reads_dutch_and_iso_dates(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "31-02-2026",
        "29-02-2026",
        "32-01-2026",
        "3-13-2026",
        "",
        "   ",
        "morgen",
        "3-12",
        "3-12-26",
        "3 12 2026",
        "3-12-2026-1",
        "a-12-2026",
        "-3-12-2026",
    ],
)
def test_parse_date_refuses_what_is_not_a_date(text: str) -> None:
    assert parse_date(text) is None


def test_format_date_is_dutch_and_round_trips() -> None:
    assert format_date(date(2026, 12, 3)) == "03-12-2026"
    assert format_date(None) == ""
    assert parse_date(format_date(date(2026, 1, 9))) == date(2026, 1, 9)


# --- household codes and wijk --------------------------------------------------------------


@pytest.mark.parametrize("code", ["GZ-001", "gz-001", " GZ-001 ", "A1", "2026-17", "X" * 19 + "1"])
def test_code_problem_accepts_codes_with_a_digit(code: str) -> None:
    assert code_problem(code) is None


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("", "Vul een gezinscode in"),
        ("   ", "Vul een gezinscode in"),
        ("jansen", "minstens één cijfer"),
        ("de-vries", "minstens één cijfer"),
        ("a", "minstens één cijfer"),
        ("1", "minstens één cijfer"),
        ("GZ-" + "0" * 18, "minstens één cijfer"),  # 21 characters: too long
        ("GZ 001", "minstens één cijfer"),
        ("-GZ001", "minstens één cijfer"),
        ("GZ_001", "minstens één cijfer"),
        ("GZ-001\x1b", "minstens één cijfer"),
    ],
)
def test_code_problem_refuses_names_and_malformed_codes(code: str, fragment: str) -> None:
    problem = code_problem(code)
    assert problem is not None
    assert fragment in problem


def test_normalise_code_trims_and_upper_cases() -> None:
    assert normalise_code("  gz-001\t") == "GZ-001"


@pytest.mark.parametrize(
    ("wijk", "fragment"),
    [
        ("Noord", None),
        ("  Oud-West  ", None),
        ("W" * 40, None),
        ("", "Vul de wijk in"),
        ("   ", "Vul de wijk in"),
        ("W" * 41, "te lang"),
    ],
)
def test_wijk_problem(wijk: str, fragment: str | None) -> None:
    problem = wijk_problem(wijk)
    if fragment is None:
        assert problem is None
    else:
        assert problem is not None
        assert fragment in problem


# --- children ------------------------------------------------------------------------------


def test_stored_children_round_trip_old_groups_and_birth_years() -> None:
    for stored in ("", "2024,2021,zwanger", "0-4,12-18,zwanger", "2021,2021", "18+,elders"):
        assert format_children(parse_children(stored)) == stored
    assert parse_children("4-12,") == Children(legacy=("4-12",))


@pytest.mark.parametrize(
    ("stored", "text"),
    [
        ("", "geen kinderen"),
        ("2024", "2 jaar (0–3)"),
        ("2024,zwanger", "2 jaar (0–3), zwanger"),
        ("2022,2020", "4 en 6 jaar (4–11)"),
        ("2014,2008,1990", "12, 18 en 36 jaar (12–17, 18+)"),
        ("0-4,zwanger", "0–4 jaar, zwanger"),
        ("4-12,12-18,18+", "4–12 jaar, 12–18 jaar, 18+ (thuiswonend)"),
        ("onbekend", "onbekend"),
        ("elders", "kinderen elders (zorgt mee)"),
    ],
)
def test_describe_children(stored: str, text: str) -> None:
    assert describe_children(parse_children(stored), date(2026, 3, 2)) == text
