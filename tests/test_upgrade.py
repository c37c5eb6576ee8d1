"""Upgrades: a database from every released schema version (``tests/fixtures/schema-vN.db``,
made by that release's ladder and never regenerated) migrates to the current one with all
its data, and a copy of the old file is kept first."""

from __future__ import annotations

import re
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from wijkgesprek.domain.household import Children
from wijkgesprek.errors import Finished
from wijkgesprek.store import access, repo
from wijkgesprek.store.backup import backup_folder
from wijkgesprek.store.engine import Store
from wijkgesprek.store.schema import SCHEMA_VERSION, prepare_database
from wijkgesprek.store.search import search

FIXTURES = Path(__file__).parent / "fixtures"
RECORDED = datetime(2025, 3, 4, 10, 0, tzinfo=UTC)
"""When the fixtures' visits started: the old age groups were recorded then."""
FIXTURE_VERSIONS = sorted(
    int(match.group(1))
    for path in FIXTURES.glob("schema-v*.db")
    if (match := re.fullmatch(r"schema-v(\d+)\.db", path.name))
)


def test_there_is_a_fixture_for_every_released_version() -> None:
    assert list(range(1, SCHEMA_VERSION + 1)) == FIXTURE_VERSIONS


@pytest.fixture(params=FIXTURE_VERSIONS, ids=lambda version: f"v{version}")
def upgraded(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[int, Path]:
    version: int = request.param
    database = tmp_path / "data" / "wijkgesprek.db"
    database.parent.mkdir(mode=0o700)
    shutil.copy(FIXTURES / f"schema-v{version}.db", database)
    assert prepare_database(database) == SCHEMA_VERSION
    return version, database


def test_every_version_upgrades_with_all_its_data(upgraded: tuple[int, Path]) -> None:
    version, database = upgraded
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    store = Store(database)
    try:
        history = store.run(repo.get_household, code="GZ-101")
        first = history.visits[0]
        assert first.record.notes["stress"].text.startswith("Schulden bij de woningcorporatie")
        assert first.record.notes["stress"].themes == ("geldzorgen",)
        assert [a.wat for a in first.record.agreements] == ["Aanmelden schuldhulp"]
        assert str(first.record.next_contact) == "2025-03-18"
        if version >= 8:
            assert history.children.birth_years == (2023, 2020)
            assert [(c.kind, c.old, c.new) for c in history.changes] == [
                ("kinderen", "0-4,4-12", "2023,2020")
            ]
        else:  # the old, overlapping groups as recorded (at the last visit); no ages invented
            assert history.children == Children(legacy=("0-4", "4-12"))
            assert history.children.recorded == RECORDED
            assert history.changes == ()
        # Notes written before full-text search existed are found too.
        hits = store.run(search, text="woningcorporatie")
        assert [hit.household_code for hit in hits] == ["GZ-101"]
        assert [h.household_code for h in store.run(search, text="cafe")] == ["GZ-102"]
        if version >= 10:
            assert [(p.number, p.role, p.name, p.safety) for p in first.record.network or ()] == [
                (1, "oma", "Ria", True),
                (2, "buurvrouw", "", False),
            ]
        else:
            assert first.record.network is None
        if version >= 2:
            assert [(r.naam, r.state) for r in history.referrals] == [
                ("Schuldhulp Noord", "aangemeld")
            ]
            assert first.record.gaps == ("eenzaamheid",)
        if version >= 3:
            assert {e.kind for e in first.safety} == {"kindcheck", "schaal"}
        if version >= 4:
            assert first.record.agreements[0].status == "gedaan"
            assert [c.text for c in first.corrections] == [
                "Aanvulling: de huurachterstand is betaald."
            ]
        # Notes from before versions existed start at version 1, so a save based on
        # what the screen loaded is no conflict.
        stress = first.record.notes["stress"]
        assert stress.version == (3 if version >= 7 else 1)
        with pytest.raises(Finished):  # a finished visit's notes stay as they are
            store.run(
                repo.save_note,
                visit_id=first.record.id,
                topic="stress",
                text=stress.text + " Aangevuld.",
                now=first.record.started_at,
                base=stress.version,
            )
        (open_visit,) = store.run(repo.get_household, code="GZ-102").visits
        known = open_visit.record.notes["kennismaking"]
        new_version = store.run(
            repo.save_note,
            visit_id=open_visit.record.id,
            topic="kennismaking",
            text=known.text + " Aangevuld.",
            now=first.record.started_at,
            base=known.version,
        )
        assert new_version == known.version + 1
        # And the upgraded database takes new data.
        visit_id = store.run(
            repo.start_visit,
            code="GZ-101",
            wijk="Noord",
            children=Children(birth_years=(2018,)),
            now=first.record.started_at,
        )
        store.run(
            repo.save_note,
            visit_id=visit_id,
            topic="netwerk",
            text="Opa helpt.",
            now=first.record.started_at,
        )
        changes = store.run(
            repo.change_household,
            code="GZ-101",
            wijk="noord",  # the same wijk: no change
            children=Children(birth_years=(2018,)),
            now=first.record.started_at,
        )
        assert [change.kind for change in changes] == ["kinderen"]
        if version >= 11:
            agreement = first.record.agreements[0]
            assert (agreement.author, agreement.status_by) == ("medewerker-a", "medewerker-b")
            assert [c.author for c in first.corrections] == ["medewerker-b"]
            assert {e.author for e in first.safety} == {"medewerker-a"}
        # The access log works from the upgrade on (older databases start it empty).
        logged = {(e.action, e.detail) for e in store.run(access.read_log, code="GZ-101")}
        assert {("gewijzigd", "aantekening"), ("gewijzigd", "huishouden")} <= logged
    finally:
        store.engine.dispose()


def test_version_7_becomes_8_with_the_old_groups_dated_and_an_empty_trail(tmp_path: Path) -> None:
    database = tmp_path / "data" / "wijkgesprek.db"
    database.parent.mkdir(mode=0o700)
    shutil.copy(FIXTURES / "schema-v7.db", database)
    with sqlite3.connect(database) as connection:
        connection.execute(  # a later visit: the groups were last asked at its start
            "INSERT INTO visit (id, household_id, started_at) VALUES (9, 1, '2025-05-01 08:00:00')"
        )
    connection.close()
    assert prepare_database(database) == SCHEMA_VERSION
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT code, children, children_at FROM household ORDER BY id"
        ).fetchall()
        assert rows == [
            ("GZ-101", "0-4,4-12", "2025-05-01 08:00:00"),
            ("GZ-102", "", "2025-03-04 10:00:00.000000"),
        ]
        assert connection.execute("SELECT count(*) FROM household_change").fetchone() == (0,)
    connection.close()


def test_a_copy_is_kept_before_an_upgrade(upgraded: tuple[int, Path]) -> None:
    version, database = upgraded
    copies = sorted(backup_folder(database).glob("voor-migratie-*.db"))
    if version == SCHEMA_VERSION:
        assert copies == []  # nothing to upgrade, nothing copied
        return
    assert len(copies) == 1 and f"-v{version}-" in copies[0].name
    assert copies[0].stat().st_mode & 0o777 == 0o600
    with sqlite3.connect(copies[0]) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == version
        assert connection.execute("SELECT count(*) FROM note").fetchone()[0] == 3
