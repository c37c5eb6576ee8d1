"""The netwerkkaart in the database: kept per visit, a new visit starts from a copy of the
last map, what cannot be kept is refused, erasing a household erases its map from the
file, the WAL and the backups, and the names are in no search result."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from wijkgesprek.cli import main
from wijkgesprek.content.model import CLOSE, FAR, GIVES, Guide
from wijkgesprek.domain.household import Children
from wijkgesprek.domain.network_map import Person, map_changes
from wijkgesprek.domain.visit import is_touched
from wijkgesprek.store import network_map, repo
from wijkgesprek.store.backup import daily_backup
from wijkgesprek.store.engine import Store
from wijkgesprek.store.search import search

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
OMA = Person(0, "oma", "Ria", "familie", True, "moeder", ("praktisch",), CLOSE, GIVES)
BUURVROUW = Person(0, "buurvrouw", "Fien", "buurt", True, "", ("gezelschap",), FAR, more=True)


def visit(store: Store, code: str = "GZ-001", now: datetime = NOW) -> int:
    return store.run(
        repo.start_visit, code=code, wijk="Noord", children=Children(birth_years=(2019,)), now=now
    )


def test_people_are_kept_with_a_number_changed_and_removed(either: Store) -> None:
    store = either  # on the laptop and on the team database
    first = visit(store)
    assert store.run(network_map.get_map, visit_id=first) is None  # no map yet
    assert store.run(network_map.add_person, visit_id=first, person=OMA, now=NOW) == 1
    assert store.run(network_map.add_person, visit_id=first, person=BUURVROUW, now=NOW) == 2
    people = store.run(network_map.get_map, visit_id=first)
    assert people == (OMA.replace(number=1), BUURVROUW.replace(number=2))
    store.run(
        network_map.update_person,
        visit_id=first,
        person=OMA.replace(number=1, closeness=FAR, safety=True, helps=()),
        now=NOW,
    )
    store.run(network_map.remove_person, visit_id=first, number=2, now=NOW)
    assert store.run(network_map.get_map, visit_id=first) == (
        OMA.replace(number=1, closeness=FAR, safety=True, helps=()),
    )
    assert store.run(repo.get_visit, visit_id=first).network == (
        OMA.replace(number=1, closeness=FAR, safety=True, helps=()),
    )


def test_an_empty_map_is_a_map(store: Store) -> None:
    first = visit(store)
    store.run(network_map.record_map, visit_id=first, now=NOW)
    assert store.run(network_map.get_map, visit_id=first) == ()


@pytest.mark.parametrize(
    ("person", "fragment"),
    [
        (OMA.replace(name="Ria de Vries"), "geen achternaam"),
        (OMA.replace(name="Ria2"), "geen cijfers"),
        (OMA.replace(role="buurvrouw 06-12345678"), "telefoonnummer"),
        (OMA.replace(member="moeder, Kerkstraat 12"), "adres"),
    ],
)
def test_what_cannot_be_kept_is_refused_and_nothing_is_stored(
    store: Store, person: Person, fragment: str
) -> None:
    first = visit(store)
    with pytest.raises(ValueError, match=fragment):
        store.run(network_map.add_person, visit_id=first, person=person, now=NOW)
    assert store.run(network_map.get_map, visit_id=first) is None
    store.run(network_map.add_person, visit_id=first, person=OMA, now=NOW)
    with pytest.raises(ValueError, match=fragment):
        store.run(
            network_map.update_person, visit_id=first, person=person.replace(number=1), now=NOW
        )
    assert store.run(network_map.get_map, visit_id=first) == (OMA.replace(number=1),)


def test_a_new_visit_starts_from_a_copy_of_the_last_map(either: Store, guide: Guide) -> None:
    store = either
    first = visit(store)
    store.run(network_map.add_person, visit_id=first, person=OMA, now=NOW)
    store.run(network_map.add_person, visit_id=first, person=BUURVROUW, now=NOW)
    store.run(repo.end_visit, visit_id=first, now=NOW)
    later = NOW + timedelta(days=14)
    second = visit(store, now=later)
    copied = store.run(network_map.get_map, visit_id=second)
    assert copied == (OMA.replace(number=1), BUURVROUW.replace(number=2))
    # Editing the copy leaves the first visit's map as it was.
    store.run(network_map.remove_person, visit_id=second, number=2, now=later)
    vriendin = Person(0, "vriendin", "", "vrienden", True, helps=("emotioneel",))
    assert store.run(network_map.add_person, visit_id=second, person=vriendin, now=later) == 3
    history = store.run(repo.get_household, code="GZ-001")
    maps = [v.record.network for v in history.visits]
    assert maps == [
        (OMA.replace(number=1), BUURVROUW.replace(number=2)),
        (OMA.replace(number=1), vriendin.replace(number=3)),  # number 2 is never given again
    ]
    assert map_changes(maps[0], maps[1], guide.network) == [
        "+ vriendin (vrienden) helpt met een luisterend oor",
        "− buurvrouw Fien",
    ]
    # Another household does not start from this map.
    other = visit(store, code="GZ-002", now=later)
    assert store.run(network_map.get_map, visit_id=other) is None


def test_a_resumed_visit_keeps_its_own_map(store: Store) -> None:
    first = visit(store)
    store.run(network_map.add_person, visit_id=first, person=OMA, now=NOW)
    assert visit(store) == first  # resumed, not copied over itself
    assert store.run(network_map.get_map, visit_id=first) == (OMA.replace(number=1),)


def test_names_on_the_map_are_in_no_search_result(store: Store) -> None:
    first = visit(store)
    store.run(
        network_map.add_person, visit_id=first, person=OMA.replace(name="Zebravinkje"), now=NOW
    )
    store.run(repo.save_note, visit_id=first, topic="netwerk", text="Oma helpt.", now=NOW)
    other = visit(store, code="GZ-002")
    store.run(repo.save_note, visit_id=other, topic="netwerk", text="Geen oma.", now=NOW)
    assert store.run(search, text="Zebravinkje") == []
    assert {hit.household_code for hit in store.run(search, text="oma")} == {"GZ-001", "GZ-002"}


def raw_bytes(database: Path) -> bytes:
    files = [p for p in database.parent.iterdir() if p.name.startswith(database.name)]
    backups = database.parent / "reservekopieen"
    if backups.is_dir():
        files += list(backups.iterdir())
    return b"".join(path.read_bytes() for path in files if path.is_file())


def test_erasing_a_household_erases_its_map_from_file_wal_and_backups(
    store: Store, database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The attacker's test: after ``wis`` the names and roles on the map are nowhere in
    the database file, its WAL or a backup; another household's map stays."""
    gone = visit(store)
    store.run(
        network_map.add_person,
        visit_id=gone,
        person=OMA.replace(name="Kwartelkoning", role="Roerdompbuurvrouw"),
        now=NOW,
    )
    kept = visit(store, code="GZ-002")
    store.run(network_map.add_person, visit_id=kept, person=OMA.replace(name="Lepelaar"), now=NOW)
    store.engine.dispose()
    daily_backup(database, today=date(2026, 11, 24))
    assert b"Kwartelkoning" in raw_bytes(database) and b"Roerdompbuurvrouw" in raw_bytes(database)

    assert main(["wis", "GZ-001", "--bevestig", "GZ-001"]) == 0
    assert "GZ-001 is gewist" in capsys.readouterr().out
    data = raw_bytes(database)
    assert b"Kwartelkoning" not in data and b"Roerdompbuurvrouw" not in data
    assert b"Lepelaar" in data  # the other household's map stays
    assert store.run(network_map.get_map, visit_id=kept) == (
        OMA.replace(number=1, name="Lepelaar"),
    )


def test_a_map_changed_in_the_visit_marks_the_network_topic_a_copy_does_not(
    either: Store,
) -> None:
    """Walk finding: a map with people, yet the summary said Netwerk was not discussed.
    A new visit starts from the last map; that copy alone is no conversation about it."""
    store = either
    first = visit(store)
    store.run(network_map.add_person, visit_id=first, person=OMA, now=NOW + timedelta(minutes=5))
    assert is_touched("netwerk", store.run(repo.get_visit, visit_id=first))
    store.run(repo.end_visit, visit_id=first, now=NOW + timedelta(minutes=30))
    second = visit(store, now=NOW + timedelta(days=7))
    record = store.run(repo.get_visit, visit_id=second)
    assert record.network  # the copy is there to be edited
    assert not is_touched("netwerk", record)
    history = store.run(repo.get_household, code="GZ-001")
    assert [is_touched("netwerk", v.record) for v in history.visits] == [True, False]
    store.run(network_map.record_map, visit_id=second, now=NOW + timedelta(days=7, minutes=9))
    assert is_touched("netwerk", store.run(repo.get_visit, visit_id=second))
