"""The Meldcode route followed through: contacts with Veilig Thuis, step 5, the close rule,
the home screen's open melding, and the last safety state for the next visit."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from test_safety import GUIDE, entry

from wijkgesprek.domain.household import parse_children
from wijkgesprek.domain.meldcode import (
    ADVICE,
    NOT_YET,
    REPORT,
    Contact,
    FollowThrough,
    close_problem,
    contact_day,
    contact_problem,
    contacts,
    follow_through,
    note_is_valid,
    open_report,
    previous_state,
    read_contact,
)
from wijkgesprek.domain.safety import (
    ASSESS,
    COLUMN,
    KINDCHECK,
    SCALE,
    VT_CONTACT,
    WHEN,
    SafetyEntry,
    end_problems,
    has_concerns,
    kindcheck_problem,
    kindcheck_text,
    kindcheck_when,
)

TODAY = date(2026, 12, 3)
MELDEN = [entry(ASSESS, "1", "ja", "r", n=1), entry(ASSESS, "2", "ja", "acuut", n=2)]
HULP = [
    entry(ASSESS, "1", "ja", "r", n=1),
    entry(ASSESS, "2", "nee", "r", n=2),
    entry(ASSESS, "3", "ja", "r", n=3),
    entry(ASSESS, "4", "ja", "r", n=4),
    entry(ASSESS, "5", "ja", "r", n=5),
]


def contact_entry(contact: Contact, n: int, key: str = "") -> SafetyEntry:
    return entry(VT_CONTACT, key or str(n), contact.kind, contact.note(), n=n)


REPORTED = Contact(REPORT, day=date(2026, 12, 2), met="medewerker Veilig Thuis", kenmerk="VT-0001")
ADVISED = Contact(ADVICE, day=date(2026, 12, 1), met="medewerker Veilig Thuis", afspraak="bellen")
DEFERRED = Contact(NOT_YET, reden="eerst gesprek met moeder morgen")


@pytest.mark.parametrize(
    ("trail", "state", "unreported"),
    [
        ([], None, False),
        (MELDEN[:1], None, False),  # the route has not ended
        (MELDEN, "melden: nog vastleggen", True),
        ([*MELDEN, contact_entry(ADVISED, 10)], "melden: nog vastleggen", True),
        ([*MELDEN, contact_entry(DEFERRED, 10)], "nog niet gemeld", True),
        ([*MELDEN, contact_entry(REPORTED, 10)], "gemeld op 02-12-2026", False),
        (
            [*MELDEN, contact_entry(DEFERRED, 10), contact_entry(REPORTED, 11)],
            "gemeld op 02-12-2026",
            False,
        ),
        (HULP, "besloten: hulp", False),
        ([entry(ASSESS, "1", "nee", "geen vermoeden", n=1)], "besloten: afsluiten", False),
    ],
)
def test_step_five_follows_the_route_and_what_was_done(
    trail: list[SafetyEntry], state: str | None, unreported: bool
) -> None:
    follow = follow_through(trail, GUIDE)
    assert follow.step_state() == state
    assert follow.unreported is unreported


def test_a_corrected_answer_re_derives_the_route_and_keeps_the_old_one() -> None:
    corrected = [
        *MELDEN,
        entry(ASSESS, "2", "nee", "toch niet acuut", n=6),  # corrects the "ja" of question 2
        *[entry(ASSESS, str(n), "ja", "r", n=6 + n) for n in (3, 4, 5)],
    ]
    assert follow_through(MELDEN, GUIDE).outcome == "melden"
    assert follow_through(corrected, GUIDE).outcome == "hulp"
    assert close_problem(corrected, GUIDE) is None
    # Corrected back: "melden" again, and the old answers after it are off the route.
    again = [*corrected, entry(ASSESS, "2", "ja", "toch acuut", n=20)]
    assert follow_through(again, GUIDE).outcome == "melden"


@pytest.mark.parametrize(
    ("trail", "closes"),
    [
        (MELDEN, False),
        ([*MELDEN, contact_entry(ADVISED, 10)], False),  # advice is not the melding
        ([*MELDEN, contact_entry(DEFERRED, 10)], True),  # the explicit choice, with a reason
        ([*MELDEN, contact_entry(REPORTED, 10)], True),
        (HULP, True),
    ],
)
def test_melden_closes_only_with_the_melding_or_the_reason_why_not(
    trail: list[SafetyEntry], closes: bool
) -> None:
    assert (close_problem(trail, GUIDE) is None) is closes
    problems = end_problems(
        children=parse_children(""), entries=trail, next_contact=TODAY, guide=GUIDE
    )
    assert (not problems) is closes
    if not closes:
        assert "nog niet gemeld" in problems[0] and "melden bij Veilig Thuis" in problems[0]


def test_a_contact_with_veilig_thuis_is_a_concern() -> None:
    assert has_concerns([contact_entry(ADVISED, 1)])


@pytest.mark.parametrize(
    ("contact", "problem"),
    [
        (REPORTED, None),
        (ADVISED, None),
        (DEFERRED, None),
        (Contact(NOT_YET, reden="  "), "waarom"),
        (Contact(REPORT, met="medewerker"), "datum"),
        (Contact(REPORT, day=TODAY, met=""), "met wie"),
        (Contact("gebeld", day=TODAY, met="x"), "Kies wat"),
    ],
)
def test_what_a_contact_needs(contact: Contact, problem: str | None) -> None:
    found = contact_problem(contact)
    assert (found is None) if problem is None else (problem in (found or ""))


def test_a_contact_survives_the_trail_and_says_what_was_done() -> None:
    stored = contact_entry(REPORTED, 3)
    assert json.loads(stored.note) == {
        "datum": "2026-12-02",
        "met": "medewerker Veilig Thuis",
        "kenmerk": "VT-0001",
    }
    back = read_contact(stored)
    assert back is not None and back.kenmerk == "VT-0001" and back.day == date(2026, 12, 2)
    assert back.text() == (
        "Melding gedaan bij Veilig Thuis op 02-12-2026, met medewerker Veilig Thuis, "
        "kenmerk VT-0001."
    )
    assert DEFERRED.text() == "Nog niet gemeld, omdat eerst gesprek met moeder morgen."


@pytest.mark.parametrize(
    "note",
    ["", "niet json", "[]", '{"datum": 5, "met": "x"}', '{"datum": "3-12", "met": "x"}'],
)
def test_an_unreadable_contact_is_no_contact(note: str) -> None:
    broken = entry(VT_CONTACT, "1", REPORT, note)
    assert not note_is_valid(REPORT, note)  # refused on import
    assert all(contact_problem(c) is not None for c in contacts([broken]))
    follow = follow_through([*MELDEN, broken], GUIDE)
    assert follow.unreported  # a broken note never counts as a melding made


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("vandaag", TODAY),
        ("Gisteren", TODAY - timedelta(days=1)),
        ("2-12-2026", date(2026, 12, 2)),
        ("2-12", date(2026, 12, 2)),
        ("24-12", date(2025, 12, 24)),  # not yet this year: last year's
        ("4-12-2026", None),  # tomorrow
        ("31-02", None),
        ("morgen", None),
    ],
)
def test_the_day_of_a_contact(typed: str, day: date | None) -> None:
    assert contact_day(typed, TODAY) == day


T0 = datetime(2026, 10, 1, 9, tzinfo=UTC)


def visit(days: int, trail: list[SafetyEntry]) -> tuple[datetime, list[SafetyEntry]]:
    return (T0 + timedelta(days=days), trail)


@pytest.mark.parametrize(
    ("visits", "open_"),
    [
        ([visit(0, MELDEN)], True),
        ([visit(0, [*MELDEN, contact_entry(DEFERRED, 9)])], True),  # not reported is not done
        ([visit(0, MELDEN), visit(7, [contact_entry(REPORTED, 1)])], False),
        ([visit(0, MELDEN), visit(7, HULP)], False),  # weighed again, decided otherwise
        ([visit(0, MELDEN), visit(7, [entry(KINDCHECK, "", "zorgen")])], True),
        ([visit(7, MELDEN), visit(0, [contact_entry(REPORTED, 1)])], True),  # order by start
        ([visit(0, [*MELDEN, contact_entry(REPORTED, 9)]), visit(7, MELDEN)], True),
    ],
)
def test_the_home_screen_keeps_an_unreported_melding_on_top(
    visits: list[tuple[datetime, list[SafetyEntry]]], open_: bool
) -> None:
    assert (open_report(visits, GUIDE) is not None) is open_


def at(visit_id: int, kind: str, key: str, value: str, note: str = "", n: int = 0) -> SafetyEntry:
    return SafetyEntry(
        n, visit_id, kind, key, value, note, T0 + timedelta(days=visit_id, minutes=n)
    )


def test_the_next_visit_starts_from_the_last_safety_state() -> None:
    starts = {1: T0 + timedelta(days=1), 2: T0 + timedelta(days=8), 3: T0 + timedelta(days=15)}
    trail = [
        at(1, KINDCHECK, "", "zorgen", n=1),
        at(1, SCALE, "ouder", "4", n=2),
        at(1, SCALE, "kind", "3", n=3),
        at(1, COLUMN, "goed", "", "oma haalt op", n=4),
        *[at(1, e.kind, e.key, e.value, e.note, n=10 + i) for i, e in enumerate(MELDEN)],
        at(1, VT_CONTACT, "1", REPORT, REPORTED.note(), n=20),
        at(2, KINDCHECK, "", "aandachtspunt", "slaapt slecht", n=1),
        at(2, KINDCHECK, WHEN, "volgend bezoek", n=2),
        at(2, SCALE, "ouder", "6", n=3),
        at(3, SCALE, "ouder", "9", n=1),  # the visit being held now: not "vorige keer"
    ]
    history = [(starts[e.visit_id], e) for e in trail]
    previous = previous_state(history, GUIDE, visit_id=3, before=starts[3])
    assert previous is not None
    assert previous.day == starts[2].astimezone().date()
    assert previous.kindcheck == "aandachtspunt: slaapt slecht (kijken: volgend bezoek)"
    assert previous.follow.outcome == "melden" and previous.follow.reported is not None
    assert {role: value for role, value, _ in previous.scores} == {"ouder": "6", "kind": "3"}
    assert previous.columns == (("goed", "oma haalt op"),)
    lines = "\n".join(previous.lines())
    assert "Meldcode: melden — gemeld op 02-12-2026" in lines
    assert "kenmerk VT-0001" in lines
    assert "ouder 6" in lines and "ouder 9" not in lines
    # The first visit has nothing before it; a later visit is not "before" either.
    assert previous_state(history, GUIDE, visit_id=1, before=starts[1]) is None


def test_aandachtspunt_needs_what_to_watch_and_when() -> None:
    assert "waar u op let" in (kindcheck_problem("aandachtspunt", "", "volgend bezoek") or "")
    assert "wanneer" in (kindcheck_problem("aandachtspunt", "slaapt slecht", "") or "")
    assert kindcheck_problem("aandachtspunt", "slaapt slecht", "over 2 weken") is None
    assert kindcheck_problem("geen-zorgen", "", "") is None


def test_the_when_of_an_aandachtspunt_belongs_to_it_only() -> None:
    watched = [
        entry(KINDCHECK, "", "aandachtspunt", "slaapt slecht", n=1),
        entry(KINDCHECK, WHEN, "15-01", n=2),
    ]
    assert kindcheck_when(watched) == "15-01"
    assert kindcheck_text(watched) == "aandachtspunt: slaapt slecht (kijken: 15-01)"
    later = [*watched, entry(KINDCHECK, "", "geen-zorgen", n=3)]
    assert kindcheck_when(later) == "" and kindcheck_text(later) == "geen zorgen"
    # A "wanneer" older than the outcome (a new aandachtspunt without one) is not its own.
    again = [*later, entry(KINDCHECK, "", "aandachtspunt", "eet weinig", n=4)]
    assert kindcheck_when(again) == ""


def test_follow_through_lines_say_outcome_and_action() -> None:
    follow = follow_through([*MELDEN, contact_entry(REPORTED, 10)], GUIDE)
    assert follow.lines() == [
        "Uitkomst afwegingskader: Melden bij Veilig Thuis (0800-2000).",
        REPORTED.text(),
    ]
    assert FollowThrough(None, ()).lines() == []
    assert follow_through(MELDEN, GUIDE).lines()[-1] == (
        "Nog niet vastgelegd wat er met de melding is gedaan."
    )
