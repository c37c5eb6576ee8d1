"""``wijkgesprek beheer migreer`` (issue 21, point 14): the owner brings the team database
to this version and gives the roles their rights again; anyone else is told who may."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import pytest
from pgserver import Server

from wijkgesprek import paths
from wijkgesprek.cli.main import main
from wijkgesprek.store import postgres
from wijkgesprek.store.ladder import SCHEMA_VERSION

FIXTURES = Path(__file__).parent / "fixtures"
_numbers = itertools.count()


def owned_database(server: Server) -> str:
    """A new database owned by a new role with CREATEROLE (not a superuser): its URL."""
    import psycopg

    number = next(_numbers)
    owner, name = f"beheerder_{number}", f"beheer_{number}"
    with psycopg.connect(server.url(), autocommit=True) as connection:
        connection.execute(f"CREATE ROLE {owner} LOGIN CREATEROLE")
        connection.execute(f"CREATE DATABASE {name} OWNER {owner}")
    return server.url(name).replace("postgres@", f"{owner}@", 1)


def test_the_owner_creates_and_then_keeps_the_team_database_current(
    server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    url = owned_database(server)
    assert main(["beheer", "migreer", "--database", url]) == 0
    out = capsys.readouterr().out
    assert f"is bijgewerkt van schema 0 naar {SCHEMA_VERSION}" in out
    assert main(["--database", url, "beheer", "migreer"]) == 0
    assert f"was al bij (schema {SCHEMA_VERSION})" in capsys.readouterr().out


def test_a_professional_is_told_who_may_upgrade(
    server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    import psycopg

    url = owned_database(server)
    owner = url.split("//", 1)[1].split("@", 1)[0]
    with psycopg.connect(server.url(), autocommit=True) as connection:
        connection.execute(f"CREATE ROLE vakkracht_{owner} LOGIN IN ROLE {postgres.PROFESSIONAL}")
    professional = url.replace(f"{owner}@", f"vakkracht_{owner}@", 1)
    assert main(["beheer", "migreer", "--database", professional]) == 1
    err = capsys.readouterr().err
    assert "Alleen de eigenaar van de teamdatabase" in err and f"({owner})" in err
    assert "Traceback" not in err


def test_on_the_laptop_it_creates_or_upgrades_the_file(
    isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["beheer", "migreer"]) == 0
    assert f"is gemaakt (schema {SCHEMA_VERSION})" in capsys.readouterr().out
    database = paths.data_dir() / paths.DATABASE_NAME
    database.unlink()
    shutil.copy(FIXTURES / "schema-v8.db", database)
    assert main(["beheer", "migreer"]) == 0
    assert f"bijgewerkt van schema 8 naar {SCHEMA_VERSION}" in capsys.readouterr().out


def test_beheer_needs_a_task(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["beheer"]) == 2
    assert "TAAK" in capsys.readouterr().err


def test_one_app_holds_at_most_fifteen_connections(team_url: str) -> None:
    """docs/team-beheer.md counts on 15 at most per app (SQLAlchemy's pool: 5 + 10), also
    when thirty calls come at once."""
    from concurrent.futures import ThreadPoolExecutor

    from sqlalchemy import text
    from sqlmodel import Session

    from wijkgesprek.store.engine import Store
    from wijkgesprek.store.target import TeamServer

    postgres.prepare(team_url)
    store = Store(TeamServer(team_url))

    def count(*, session: Session) -> int:
        session.execute(text("SELECT pg_sleep(0.3)"))
        return int(
            session.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND application_name = ''"
                )
            ).scalar_one()
        )

    try:
        with ThreadPoolExecutor(max_workers=30) as pool:
            counted = list(pool.map(lambda _: store.run(count), range(30)))
    finally:
        store.engine.dispose()
    assert 10 <= max(counted) <= 15
