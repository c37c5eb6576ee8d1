"""Referrals (verwijzingen) and gaps in the store, and their state rules."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from wijkgesprek.domain.household import Children
from wijkgesprek.domain.referral import next_states, transition_problem
from wijkgesprek.store import repo
from wijkgesprek.store.engine import Store
from wijkgesprek.store.schema import MIGRATIONS, prepare_database

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
LATER = datetime(2026, 12, 9, 10, 0, tzinfo=UTC)


def visit(store: Store, code: str = "GZ-001") -> int:
    return store.run(
        repo.start_visit, code=code, wijk="Noord", children=Children(birth_years=(2024,)), now=NOW
    )


def refer(store: Store, visit_id: int, naam: str = "Schuldhulp Noord") -> int:
    return store.run(
        repo.add_referral,
        visit_id=visit_id,
        naam=naam,
        soort="dienst",
        wijk="Noord",
        themes=["schulden"],
        contact="0800-1234567",
        now=NOW,
    )


@pytest.mark.parametrize(
    ("current", "new", "reason", "ok"),
    [
        ("besproken", "aangemeld", "", True),
        ("besproken", "niet gelukt", "wachtlijst", True),
        ("besproken", "niet gelukt", "  ", False),
        ("besproken", "gestart", "", False),
        ("aangemeld", "gestart", "", True),
        ("gestart", "niet gelukt", "toch niet", False),
        ("aangemeld", "verzonnen", "", False),
    ],
)
def test_state_moves(current: str, new: str, reason: str, ok: bool) -> None:
    assert (transition_problem(current, new, reason) is None) == ok
    assert (new in next_states(current)) == (ok or (new == "niet gelukt" and not reason.strip()))


def test_referral_is_kept_over_visits_until_it_ends(store: Store) -> None:
    first = visit(store)
    referral = refer(store, first)
    assert refer(store, first) == referral  # the same open referral is not made twice
    store.run(
        repo.update_referral,
        referral_id=referral,
        visit_id=first,
        state="aangemeld",
        reason="",
        now=NOW,
    )
    store.run(repo.end_visit, visit_id=first, now=NOW)

    second = visit(store)
    (carried,) = store.run(repo.get_visit, visit_id=second).referrals
    assert (carried.id, carried.state, carried.visit_id) == (referral, "aangemeld", first)

    store.run(
        repo.update_referral,
        referral_id=referral,
        visit_id=second,
        state="niet gelukt",
        reason="wachtlijst van een half jaar",
        now=LATER,
    )
    (ended,) = store.run(repo.get_visit, visit_id=second).referrals  # changed in this visit
    assert (ended.state, ended.reason) == ("niet gelukt", "wachtlijst van een half jaar")
    store.run(repo.end_visit, visit_id=second, now=LATER)
    assert store.run(repo.get_visit, visit_id=visit(store)).referrals == ()

    with sqlite3.connect(store.path) as connection:
        events = connection.execute(
            "SELECT visit_id, state, reason FROM referral_event ORDER BY id"
        ).fetchall()
    assert events == [
        (first, "besproken", ""),
        (first, "aangemeld", ""),
        (second, "niet gelukt", "wachtlijst van een half jaar"),
    ]


def test_forbidden_move_is_refused_with_a_sentence(store: Store) -> None:
    visit_id = visit(store)
    referral = refer(store, visit_id)
    with pytest.raises(ValueError, match="Van 'besproken' kan een verwijzing naar"):
        store.run(
            repo.update_referral,
            referral_id=referral,
            visit_id=visit_id,
            state="gestart",
            reason="",
            now=NOW,
        )


def test_gaps_are_recorded_once_per_visit(store: Store) -> None:
    visit_id = visit(store)
    for _ in range(2):
        store.run(
            repo.record_gaps,
            visit_id=visit_id,
            wijk="Noord",
            themes=["eenzaamheid", "wonen"],
            now=NOW,
        )
    assert store.run(repo.get_visit, visit_id=visit_id).gaps == ("eenzaamheid", "wonen")


def test_a_version_1_database_migrates_with_its_data(tmp_path: Path) -> None:
    path = tmp_path / "data" / "wijkgesprek.db"
    path.parent.mkdir(mode=0o700)
    with sqlite3.connect(path) as connection:  # what the first release wrote
        MIGRATIONS[0](connection)
        connection.execute("PRAGMA user_version = 1")
        connection.execute("PRAGMA application_id = 1464551251")
        connection.execute(
            "INSERT INTO household VALUES (1, 'GZ-009', 'Zuid', '4-12', '2026-01-05 09:00:00')"
        )
        connection.execute("INSERT INTO visit VALUES (1, 1, '2026-01-05 09:00:00', NULL, NULL)")
        connection.execute(
            "INSERT INTO note VALUES (1, 1, 'stress', 'Huur te hoog', 'wonen', "
            "'2026-01-05 09:10:00')"
        )
    assert prepare_database(path) == len(MIGRATIONS)
    store = Store(path)
    record = store.run(repo.get_visit, visit_id=1)
    assert record.notes["stress"].text == "Huur te hoog"
    assert record.referrals == () and record.gaps == ()
    refer(store, 1)
    store.engine.dispose()


@pytest.mark.parametrize(
    ("current", "new", "reason", "problem"),
    [
        ("aangemeld", "wachtlijst", "", None),
        ("aangemeld", "wachtlijst", "verwacht vanaf 01-05-2027", None),
        ("aangemeld", "gestart", "", None),  # the waiting list is not a required step
        ("wachtlijst", "gestart", "", None),
        ("wachtlijst", "niet gelukt", "wachttijd werd te lang", None),
        ("wachtlijst", "niet gelukt", "", "Schrijf kort op waarom het niet gelukt is."),
        ("besproken", "wachtlijst", "", "Van 'besproken' kan een verwijzing naar: aangemeld"),
        ("wachtlijst", "aangemeld", "", "Van 'wachtlijst' kan een verwijzing naar: gestart"),
        ("aangemeld", "wachtlijst", "verwacht vanaf 31-02-2027", "verwacht vanaf"),
        ("aangemeld", "wachtlijst", "over een paar weken", "verwacht vanaf"),
    ],
)
def test_waiting_list_moves(current: str, new: str, reason: str, problem: str | None) -> None:
    found = transition_problem(current, new, reason)
    assert found is None if problem is None else found is not None and problem in found


def move(
    store: Store, referral: int, visit_id: int, state: str, reason: str, now: datetime
) -> None:
    store.run(
        repo.update_referral,
        referral_id=referral,
        visit_id=visit_id,
        state=state,
        reason=reason,
        now=now,
    )
    store.run(repo.end_visit, visit_id=visit_id, now=now)


def test_a_waiting_list_is_kept_with_its_date_and_stays_open(store: Store) -> None:
    first = visit(store)
    referral = refer(store, first)
    move(store, referral, first, "aangemeld", "", NOW)
    second = visit(store)
    move(store, referral, second, "wachtlijst", "verwacht vanaf 01-02-2027", LATER)
    (waiting,) = store.run(repo.get_visit, visit_id=visit(store)).referrals  # still open
    assert (waiting.state, waiting.since) == ("wachtlijst", LATER)
    assert [(step.state, step.visit_id, step.at) for step in waiting.steps] == [
        ("besproken", first, NOW),
        ("aangemeld", first, NOW),
        ("wachtlijst", second, LATER),
    ]
