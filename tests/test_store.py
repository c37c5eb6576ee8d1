"""The database: file preparation (schema.py), the engine, and the repo functions."""

from __future__ import annotations

import os
import sqlite3
import stat
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import UniqueConstraint, text
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, select

from wijkgesprek.domain.household import Children
from wijkgesprek.domain.visit import AgreementData, TopicNote
from wijkgesprek.errors import DamagedDatabase, Gone, StoreError
from wijkgesprek.store import models, repo
from wijkgesprek.store.engine import Store
from wijkgesprek.store.schema import (
    APPLICATION_ID,
    MIGRATIONS,
    SCHEMA_VERSION,
    ensure_data_dir,
    prepare_database,
    read_version,
)
from wijkgesprek.store.target import LocalFile

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")


def pragma(path: Path, name: str) -> object:
    connection = sqlite3.connect(path)
    try:
        return connection.execute(f"PRAGMA {name}").fetchone()[0]
    finally:
        connection.close()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def start(store: Store, code: str = "GZ-001", *, now: datetime = NOW, **kwargs: object) -> int:
    fields: dict[str, object] = {
        "wijk": "Noord",
        "children": Children(birth_years=(2024,)),
        **kwargs,
    }
    return store.run(repo.start_visit, code=code, now=now, **fields)


# --- a fresh database ----------------------------------------------------------------------


def test_fresh_database_is_migrated_marked_and_in_wal_mode(database: Path) -> None:
    assert read_version(database) == SCHEMA_VERSION == len(MIGRATIONS)
    assert pragma(database, "user_version") == SCHEMA_VERSION
    assert pragma(database, "application_id") == APPLICATION_ID
    assert pragma(database, "journal_mode") == "wal"
    assert pragma(database, "integrity_check") == "ok"


@posix_only
def test_database_files_and_folder_are_private(database: Path) -> None:
    store = Store(database)
    try:
        # Writing through the engine makes SQLite create -wal and -shm next to the file.
        start(store)
        assert database.with_name(database.name + "-wal").exists()
        for suffix in ("", "-wal", "-shm"):
            file = database.with_name(database.name + suffix)
            if file.exists():
                assert mode(file) == 0o600, file
    finally:
        store.engine.dispose()
    assert mode(database.parent) == 0o700


@posix_only
def test_existing_folder_with_only_our_files_is_made_private(tmp_path: Path) -> None:
    folder = tmp_path / "gedeeld"
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)
    prepare_database(folder / "wijkgesprek.db")
    assert mode(folder) == 0o700
    assert mode(folder / "wijkgesprek.db") == 0o600


# --- the migration ladder agrees with models.py --------------------------------------------


def _affinity(declared: str) -> str:
    """SQLite's type affinity rules (https://sqlite.org/datatype3.html, 3.1)."""
    declared = declared.upper()
    if "INT" in declared:
        return "INTEGER"
    if any(word in declared for word in ("CHAR", "CLOB", "TEXT")):
        return "TEXT"
    if "BLOB" in declared or not declared:
        return "BLOB"
    if any(word in declared for word in ("REAL", "FLOA", "DOUB")):
        return "REAL"
    return "NUMERIC"


def _database_schema(path: Path) -> dict[str, dict[str, object]]:
    connection = sqlite3.connect(path)
    try:
        # The full-text index (FTS5 tables and their shadow tables) is not a model.
        fts = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%USING fts5%'"
            )
        ]
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
            if not any(row[0] == name or row[0].startswith(f"{name}_") for name in fts)
        ]
        schema: dict[str, dict[str, object]] = {}
        for table in tables:
            columns = {
                name: (_affinity(declared), bool(notnull) or bool(pk), bool(pk))
                for _cid, name, declared, notnull, _default, pk in connection.execute(
                    f"PRAGMA table_info({table})"
                )
            }
            unique: set[tuple[str, ...]] = set()
            indexes: set[tuple[str, tuple[str, ...]]] = set()
            for _seq, index, is_unique, origin, _partial in connection.execute(
                f"PRAGMA index_list({table})"
            ):
                names = tuple(row[2] for row in connection.execute(f"PRAGMA index_info({index})"))
                if origin == "u" or (origin == "c" and is_unique):
                    unique.add(tuple(sorted(names)))
                elif origin == "c":
                    indexes.add((index, names))
            foreign = {
                (row[3], row[2], row[4], row[6])  # from, table, to, on_delete
                for row in connection.execute(f"PRAGMA foreign_key_list({table})")
            }
            schema[table] = {
                "columns": columns,
                "unique": unique,
                "indexes": indexes,
                "foreign": foreign,
            }
        return schema
    finally:
        connection.close()


def _metadata_schema() -> dict[str, dict[str, object]]:
    assert models.Household.__tablename__ == "household"  # models are imported
    dialect = sqlite_dialect.dialect()
    schema: dict[str, dict[str, object]] = {}
    for table in SQLModel.metadata.sorted_tables:
        columns = {
            column.name: (
                _affinity(column.type.compile(dialect=dialect)),
                not column.nullable,
                column.primary_key,
            )
            for column in table.columns
        }
        unique = {
            tuple(sorted(column.name for column in constraint.columns))
            for constraint in table.constraints
            if isinstance(constraint, UniqueConstraint)
        }
        unique |= {
            tuple(sorted(column.name for column in index.columns))
            for index in table.indexes
            if index.unique
        }
        indexes = {
            (str(index.name), tuple(column.name for column in index.columns))
            for index in table.indexes
            if not index.unique
        }
        foreign = {
            (
                key.parent.name,
                key.column.table.name,
                key.column.name,
                (key.ondelete or "NO ACTION").upper(),
            )
            for key in table.foreign_keys
        }
        schema[table.name] = {
            "columns": columns,
            "unique": unique,
            "indexes": indexes,
            "foreign": foreign,
        }
    return schema


def test_migrated_schema_matches_the_models(database: Path) -> None:
    migrated = _database_schema(database)
    declared = _metadata_schema()
    assert sorted(migrated) == sorted(declared)
    assert {"household", "visit", "note", "agreement", "referral", "gap"} <= set(declared)
    for table in declared:
        for part in ("columns", "unique", "indexes", "foreign"):
            assert migrated[table][part] == declared[table][part], (table, part)


def test_schema_comparison_notices_drift(database: Path) -> None:
    """The comparison above is not vacuous: a column added outside the ladder is seen."""
    connection = sqlite3.connect(database)
    connection.execute("ALTER TABLE note ADD COLUMN mood TEXT")
    connection.commit()
    connection.close()
    assert _database_schema(database)["note"] != _metadata_schema()["note"]


# --- the engine ----------------------------------------------------------------------------


def test_engine_connections_are_durable_enough_and_enforce_foreign_keys(database: Path) -> None:
    engine = LocalFile(database).engine()
    try:
        with engine.connect() as connection:
            assert connection.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert (connection.execute(text("PRAGMA busy_timeout")).scalar() or 0) >= 5000
    finally:
        engine.dispose()


def test_sql_errors_do_not_carry_note_text(store: Store) -> None:
    secret = "Moeder vertelt over schulden bij de woningcorporatie"
    with pytest.raises(Gone) as gone:  # no visit 999: foreign key refuses
        store.run(repo.save_note, visit_id=999, topic="stress", text=secret, now=NOW)
    assert secret not in str(gone.value) and secret not in repr(gone.value)
    assert gone.value.__cause__ is None and gone.value.__suppress_context__
    visit_id = start(store)
    with pytest.raises(IntegrityError) as caught:  # the same topic twice: unique refuses

        def duplicate(*, session: Session) -> None:
            for _ in range(2):
                session.add(
                    models.Note(visit_id=visit_id, topic="stress", text=secret, updated_at=NOW)
                )
            session.commit()

        store.run(duplicate)
    assert secret not in str(caught.value)
    assert secret not in repr(caught.value)


# --- refusing files that are not ours, or from the future ----------------------------------


def test_database_from_the_future_is_refused_untouched(database: Path) -> None:
    connection = sqlite3.connect(database)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.close()
    before = database.read_bytes()
    with pytest.raises(StoreError) as caught:
        prepare_database(database)
    message = str(caught.value)
    assert str(database) in message
    assert "nieuwere versie" in message
    assert "Werk wijkgesprek bij" in message
    assert database.read_bytes() == before
    assert pragma(database, "user_version") == SCHEMA_VERSION + 1


def _foreign_sqlite(path: Path) -> None:
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE recipe (id INTEGER PRIMARY KEY, title TEXT)")
    connection.execute("INSERT INTO recipe (title) VALUES ('Stamppot boerenkool')")
    connection.commit()
    connection.close()


def _garbage(path: Path) -> None:
    path.write_bytes(b"Dit is geen database, maar een boodschappenlijst.\n" * 200)


def _truncated(path: Path) -> None:
    prepare_database(path)
    store = Store(path)
    visit_id = start(store)
    store.run(repo.save_note, visit_id=visit_id, topic="stress", text="x" * 20_000, now=NOW)
    store.engine.dispose()  # checkpoints the WAL into the file
    data = path.read_bytes()
    assert len(data) > 3 * 4096
    path.write_bytes(data[: len(data) // 2])


@pytest.mark.parametrize(
    ("make", "fragment"),
    [
        (_foreign_sqlite, "geen database van wijkgesprek"),
        (_garbage, "beschadigd of geen SQLite-bestand"),
        (_truncated, "beschadigd of geen SQLite-bestand"),
    ],
    ids=["other-application", "garbage", "truncated"],
)
def test_files_that_are_not_a_usable_wijkgesprek_database_are_refused_untouched(
    tmp_path: Path, make: object, fragment: str
) -> None:
    path = tmp_path / "data" / "wijkgesprek.db"
    path.parent.mkdir()
    make(path)  # type: ignore[operator]
    before = path.read_bytes()
    with pytest.raises(StoreError) as caught:
        prepare_database(path)
    assert str(path) in str(caught.value)
    assert fragment in str(caught.value)
    assert path.read_bytes() == before
    assert sorted(entry.name for entry in path.parent.iterdir()) == ["wijkgesprek.db"]


# --- the data folder -----------------------------------------------------------------------


def test_data_folder_below_a_file_is_refused(tmp_path: Path) -> None:
    blocker = tmp_path / "gewoon-bestand"
    blocker.write_text("geen map\n", encoding="utf-8")
    folder = blocker / "data"
    with pytest.raises(StoreError) as caught:
        prepare_database(folder / "wijkgesprek.db")
    assert str(folder) in str(caught.value)
    assert "--data-dir" in str(caught.value)
    assert blocker.read_text(encoding="utf-8") == "geen map\n"


def test_data_folder_that_is_a_file_is_refused(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("geen map\n", encoding="utf-8")
    with pytest.raises(StoreError) as caught:
        ensure_data_dir(blocker)
    assert str(blocker) in str(caught.value)
    assert blocker.read_text(encoding="utf-8") == "geen map\n"


@posix_only
@pytest.mark.skipif(
    sys.platform != "win32" and os.geteuid() == 0, reason="root ignores folder permissions"
)
@pytest.mark.parametrize("exists", [False, True], ids=["to-create", "existing"])
def test_unwritable_data_folder_is_refused(tmp_path: Path, exists: bool) -> None:
    parent = tmp_path / "alleen-lezen"
    folder = parent / "data"
    folder.mkdir(parents=True)
    if exists:
        # Not only our files in it: ensure_data_dir leaves the permissions alone.
        (folder / "boodschappen.txt").write_text("brood\n", encoding="utf-8")
        os.chmod(folder, 0o500)
    else:
        folder.rmdir()
        os.chmod(parent, 0o500)
    try:
        with pytest.raises(StoreError) as caught:
            prepare_database(folder / "wijkgesprek.db")
        assert str(folder) in str(caught.value)
        assert "--data-dir" in str(caught.value)
    finally:
        os.chmod(parent, 0o700)
        if folder.exists():
            os.chmod(folder, 0o700)


# --- migrations ----------------------------------------------------------------------------


def test_prepare_database_twice_changes_nothing(database: Path) -> None:
    store = Store(database)
    start(store)
    store.engine.dispose()
    assert prepare_database(database) == SCHEMA_VERSION
    assert pragma(database, "user_version") == SCHEMA_VERSION
    store = Store(database)
    try:
        assert [row.code for row in store.run(repo.list_households)] == ["GZ-001"]
    finally:
        store.engine.dispose()


def test_an_empty_file_is_damage_not_a_new_database(tmp_path: Path) -> None:
    """Data lost (issue 18): never migrated into a new, empty database (tests/test_damage.py)."""
    path = tmp_path / "data" / "wijkgesprek.db"
    path.parent.mkdir()
    path.touch()
    with pytest.raises(DamagedDatabase, match="is leeg"):
        prepare_database(path)
    assert path.read_bytes() == b""


# --- repo behaviour ------------------------------------------------------------------------


def test_start_visit_creates_household_and_resumes_the_open_visit(store: Store) -> None:
    first = start(store, children=Children(birth_years=(2024,), pregnant=True))
    again = start(store, wijk="Noord-Oost", children=Children(), now=NOW + timedelta(hours=1))
    assert again == first
    record = store.run(repo.get_visit, visit_id=first)
    assert record.household_code == "GZ-001"
    assert record.wijk == "Noord"  # a known household keeps its own
    assert record.children == Children(birth_years=(2024,), pregnant=True)
    assert record.started_at == NOW
    assert record.is_open
    assert record.notes == {}
    assert record.agreements == ()

    store.run(repo.end_visit, visit_id=first, now=NOW + timedelta(hours=2))
    third = start(store, now=NOW + timedelta(days=14))
    assert third != first
    assert store.run(repo.get_visit, visit_id=first).ended_at == NOW + timedelta(hours=2)
    assert store.run(repo.get_visit, visit_id=third).is_open
    assert len(store.run(repo.list_households)) == 1


def test_list_households_latest_visit_first_with_open_visit(store: Store) -> None:
    old = start(store, "GZ-001", now=NOW)
    new = start(store, "GZ-002", wijk="Zuid", now=NOW + timedelta(days=3))
    middle = start(store, "GZ-003", wijk="Centrum", now=NOW + timedelta(days=1))
    store.run(repo.end_visit, visit_id=middle, now=NOW + timedelta(days=1, hours=1))
    rows = store.run(repo.list_households)
    assert [row.code for row in rows] == ["GZ-002", "GZ-003", "GZ-001"]
    assert [row.open_visit_id for row in rows] == [new, None, old]
    assert rows[0].last_visit == NOW + timedelta(days=3)
    assert rows[0].wijk == "Zuid"

    # A new visit at the oldest household moves it to the top.
    again = start(store, "GZ-003", wijk="Centrum", now=NOW + timedelta(days=5))
    rows = store.run(repo.list_households)
    assert [row.code for row in rows] == ["GZ-003", "GZ-002", "GZ-001"]
    assert rows[0].open_visit_id == again


def test_list_households_copes_with_a_household_without_visits(store: Store) -> None:
    start(store, "GZ-001")

    def bare_household(*, session: Session) -> None:
        session.add(models.Household(code="GZ-009", wijk="West", created_at=NOW))
        session.commit()

    store.run(bare_household)
    rows = store.run(repo.list_households)
    assert [(row.code, row.last_visit, row.open_visit_id) for row in rows][1] == (
        "GZ-009",
        None,
        None,
    )


def test_visit_changes_round_trip(store: Store) -> None:
    visit_id = start(store)
    store.run(repo.save_note, visit_id=visit_id, topic="stress", text="Eerste versie", now=NOW)
    store.run(repo.save_note, visit_id=visit_id, topic="stress", text="Tweede versie", now=NOW)
    store.run(
        repo.set_themes,
        visit_id=visit_id,
        topic="stress",
        themes=("geldzorgen", "schulden", "geldzorgen"),
        now=NOW,
    )
    store.run(repo.set_themes, visit_id=visit_id, topic="netwerk", themes=("eenzaamheid",), now=NOW)
    keep = store.run(
        repo.add_agreement,
        visit_id=visit_id,
        wat="Afspraak bij de schuldhulp maken",
        wie="vader",
        wanneer="volgende week",
        now=NOW,
    )
    drop = store.run(
        repo.add_agreement, visit_id=visit_id, wat="Bellen", wie="", wanneer="", now=NOW
    )
    store.run(repo.remove_agreement, agreement_id=drop)
    store.run(repo.remove_agreement, agreement_id=drop)  # twice: no error
    store.run(repo.set_next_contact, visit_id=visit_id, when=date(2026, 3, 16))

    record = store.run(repo.get_visit, visit_id=visit_id)
    assert record.notes == {
        # Two text saves: version 2. Themes alone are no new version of the text.
        "stress": TopicNote("Tweede versie", ("geldzorgen", "schulden"), 2),
        "netwerk": TopicNote("", ("eenzaamheid",), 0),
    }
    assert record.agreements == (
        AgreementData(
            id=keep, wat="Afspraak bij de schuldhulp maken", wie="vader", wanneer="volgende week"
        ),
    )
    assert record.next_contact == date(2026, 3, 16)

    store.run(repo.set_next_contact, visit_id=visit_id, when=None)
    store.run(repo.end_visit, visit_id=visit_id, now=NOW + timedelta(hours=1))
    record = store.run(repo.get_visit, visit_id=visit_id)
    assert record.next_contact is None
    assert record.ended_at == NOW + timedelta(hours=1)
    assert not record.is_open
    with pytest.raises(LookupError):
        store.run(repo.get_visit, visit_id=visit_id + 100)
    with pytest.raises(LookupError):
        store.run(repo.end_visit, visit_id=visit_id + 100, now=NOW)


@pytest.mark.parametrize(
    "typed",
    [
        "[bold]x[/bold]",
        "[@click=app.quit]klik[/]",
        "[red",
        "\x1b[31mrood\x1b[0m",
        "voor\x00na",
        "\x07\x08\r\n\t\x7f\u200b\ufeff",
        "Zoë, café, één; 😀 \U0001f468\u200d\U0001f469\u200d\U0001f467",
        "'); DROP TABLE note; --",
        "\n\n  spaties en lege regels  \n",
    ],
)
def test_text_comes_back_exactly_as_typed(store: Store, typed: str) -> None:
    visit_id = start(store)
    store.run(repo.save_note, visit_id=visit_id, topic="stress", text=typed, now=NOW)
    store.run(repo.add_agreement, visit_id=visit_id, wat=typed, wie=typed, wanneer=typed, now=NOW)
    record = store.run(repo.get_visit, visit_id=visit_id)
    assert record.notes["stress"].text == typed
    agreement = record.agreements[0]
    assert (agreement.wat, agreement.wie, agreement.wanneer) == (typed, typed, typed)
    # Also byte for byte in the file, as read by plain sqlite3 (no ORM conversions).
    connection = sqlite3.connect(store.path)
    try:
        stored = connection.execute(
            "SELECT CAST(text AS BLOB), typeof(text) FROM note WHERE visit_id = ?", (visit_id,)
        ).fetchone()
    finally:
        connection.close()
    assert stored == (typed.encode("utf-8"), "text")


def test_a_one_megabyte_note_round_trips(store: Store) -> None:
    visit_id = start(store)
    line = "Gesprek over de week, de kinderen en de huur; alles gaat in kleine stapjes.\n"
    big = (line * (1_048_576 // len(line) + 1))[:1_048_576]
    store.run(repo.save_note, visit_id=visit_id, topic="kennismaking", text=big, now=NOW)
    assert store.run(repo.get_visit, visit_id=visit_id).notes["kennismaking"].text == big


def test_deleting_a_household_removes_its_visits_notes_and_agreements(store: Store) -> None:
    gone = start(store, "GZ-001")
    kept = start(store, "GZ-002")
    for visit_id in (gone, kept):
        store.run(repo.save_note, visit_id=visit_id, topic="stress", text="tekst", now=NOW)
        store.run(repo.add_agreement, visit_id=visit_id, wat="w", wie="", wanneer="", now=NOW)

    def delete_household(*, session: Session) -> None:
        household = repo.find_household(session=session, code="GZ-001")
        assert household is not None
        session.delete(household)
        session.commit()

    store.run(delete_household)

    def remaining(*, session: Session) -> tuple[set[int | None], set[int], set[int]]:
        return (
            set(session.exec(select(models.Visit.id)).all()),
            set(session.exec(select(models.Note.visit_id)).all()),
            set(session.exec(select(models.Agreement.visit_id)).all()),
        )

    assert store.run(remaining) == ({kept}, {kept}, {kept})
    assert [row.code for row in store.run(repo.list_households)] == ["GZ-002"]
