"""One ladder, two databases (``store/ladder.py``): at every schema version the SQLite file
and the team database on PostgreSQL have the same tables, columns (type, NOT NULL,
default), keys and indexes, read back from each database (issue 20, point 6).

What one dialect has alone is left out of the comparison: SQLite's FTS5 tables and
PostgreSQL's ``search`` columns with their GIN indexes (both are the full-text search),
and the tables only a team database needs (``ladder.SERVER_ONLY``: published trends).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, inspect

from wijkgesprek.store import postgres
from wijkgesprek.store.ladder import (
    POSTGRES,
    SCHEMA_VERSION,
    SERVER_ONLY,
    SQLITE,
    STEPS,
    Only,
    statements,
)
from wijkgesprek.store.pgaddress import sqlalchemy_url
from wijkgesprek.store.schema import MIGRATIONS

Shape = dict[str, dict[str, Any]]

SEARCH_ONLY = {"search", "ix_note_search", "ix_correction_search"}


def _type(column: dict[str, Any]) -> str:
    name = type(column["type"]).__name__.upper()
    return {"DATETIME": "MOMENT", "TIMESTAMP": "MOMENT", "VARCHAR": "TEXT"}.get(name, name)


def _default(value: str | None) -> str | None:
    return None if value is None else value.split("::", 1)[0]  # PostgreSQL adds '::text'


def _on_delete(engine: Engine, table: str, key: dict[str, Any]) -> str:
    """What deleting the referred row does (SQLAlchemy reads it from PostgreSQL only)."""
    if engine.dialect.name == "postgresql":
        return str((key.get("options") or {}).get("ondelete") or "NO ACTION").upper()
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(f"PRAGMA foreign_key_list({table})").all()
    (action,) = {row[6] for row in rows if row[3] == key["constrained_columns"][0]}
    return str(action).upper()


def shape(engine: Engine) -> Shape:
    """Tables, columns, keys and indexes as both dialects can be compared."""
    found = inspect(engine)
    tables = [
        name
        for name in found.get_table_names()
        if "_fts" not in name and name not in ("wijkgesprek_schema", *SERVER_ONLY)
    ]
    result: Shape = {}
    for table in tables:
        primary = tuple(found.get_pk_constraint(table)["constrained_columns"])
        result[table] = {
            "columns": {
                column["name"]: (
                    _type(column),
                    column["nullable"] and column["name"] not in primary,  # SQLite says null
                    _default(column["default"]),
                )
                for column in found.get_columns(table)
                if column["name"] not in SEARCH_ONLY
            },
            "primary": primary,
            "foreign": sorted(
                (
                    tuple(key["constrained_columns"]),
                    key["referred_table"],
                    tuple(key["referred_columns"]),
                    _on_delete(engine, table, key),
                )
                for key in found.get_foreign_keys(table)
            ),
            "unique": sorted(
                tuple(sorted(unique["column_names"]))
                for unique in found.get_unique_constraints(table)
            ),
            "indexes": sorted(
                (index["name"], tuple(index["column_names"]), bool(index["unique"]))
                for index in found.get_indexes(table)
                if index["name"] not in SEARCH_ONLY and not index.get("duplicates_constraint")
            ),
        }
    return result


@pytest.fixture
def engines(team_url: str, tmp_path: Path) -> Any:
    local = tmp_path / "wijkgesprek.db"
    lite = create_engine(f"sqlite:///{local}")
    team = create_engine(sqlalchemy_url(team_url))
    yield local, lite, team_url, team
    lite.dispose()
    team.dispose()


def test_both_ladders_give_the_same_tables_at_every_version(engines: Any) -> None:
    import psycopg

    local, lite, team_url, team = engines
    assert len(MIGRATIONS) == len(postgres.MIGRATIONS) == len(STEPS) == SCHEMA_VERSION
    for number in range(SCHEMA_VERSION):
        with sqlite3.connect(local) as connection:
            MIGRATIONS[number](connection)
        with psycopg.connect(team_url) as connection:
            for statement in postgres.MIGRATIONS[number]:
                connection.execute(statement)
        sqlite_shape, postgres_shape = shape(lite), shape(team)
        assert sqlite_shape, number
        assert sqlite_shape == postgres_shape, f"version {number + 1}"
    assert {"household", "visit", "note", "household_change"} <= set(sqlite_shape)


def test_the_comparison_notices_a_column_one_ladder_lacks(engines: Any) -> None:
    """Not vacuous: a column only one database has is seen."""
    import psycopg

    local, lite, team_url, team = engines
    with sqlite3.connect(local) as connection:
        MIGRATIONS[0](connection)
        connection.execute("ALTER TABLE note ADD COLUMN mood TEXT NOT NULL DEFAULT ''")
    with psycopg.connect(team_url) as connection:
        for statement in postgres.MIGRATIONS[0]:
            connection.execute(statement)
    assert shape(lite)["note"] != shape(team)["note"]
    assert shape(lite)["visit"] == shape(team)["visit"]


def test_a_shared_step_is_written_once_and_filled_in_per_dialect() -> None:
    """Both dialects get every shared statement of a step, in order, and only the
    statements meant for them."""
    for step in STEPS:
        shared = [item for item in step if isinstance(item, str)]
        for dialect in (SQLITE, POSTGRES):
            written = statements(step, dialect)
            own = [i for i in step if isinstance(i, Only) and i.dialect == dialect]
            assert len(written) == len(shared) + len(own)
            assert not any("{" in sql and "}" in sql for sql in written if "$$" not in sql)
    first = statements(STEPS[0], SQLITE)[0]
    assert "id INTEGER PRIMARY KEY," in first and "created_at DATETIME NOT NULL" in first
    first = statements(STEPS[0], POSTGRES)[0]
    assert "id INTEGER GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY," in first
    assert "created_at TIMESTAMPTZ NOT NULL" in first
