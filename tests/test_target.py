"""Where the data is (``store/target.py``): the file on this laptop or the team database
answer the same questions, so nothing else asks which of the two it has (issue 20,
point 4)."""

from __future__ import annotations

import ast
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from wijkgesprek.errors import DamagedDatabase, StoreError, Unreachable
from wijkgesprek.store.outbox import OUTBOX_NAME
from wijkgesprek.store.schema import SCHEMA_VERSION
from wijkgesprek.store.target import LocalFile, Target, TeamServer, as_target

ROOT = Path(__file__).resolve().parent.parent
TEAM = "postgresql://anna@server.example/wijk"
NOWHERE = "postgresql://anna@/wijk?host=/tmp/geen-server-hier"


# -- nothing else asks which database it has ------------------------------------------


def type_checks_of_targets(root: Path) -> list[str]:
    """Every ``isinstance(x, str)`` or ``isinstance(x, Path)`` in the package whose ``x``
    is a target or a database: the question ``store/target.py`` answers once."""
    found = []
    for file in sorted((root / "wijkgesprek").rglob("*.py")):
        where = file.relative_to(root).as_posix()
        if where in ("wijkgesprek/store/target.py", "wijkgesprek/config.py"):
            continue  # the one seam; config.py checks the types of values in config.toml
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "isinstance"
                and len(node.args) == 2
            ):
                continue
            subject, kinds = (ast.unparse(argument) for argument in node.args)
            names = set(kinds.replace("(", " ").replace(")", " ").replace(",", " ").split())
            if any(word in subject for word in ("target", "database")) and names & {"str", "Path"}:
                found.append(f"{where}:{node.lineno}: {ast.unparse(node)}")
    return found


def test_no_module_asks_whether_a_target_is_a_string_or_a_path() -> None:
    assert type_checks_of_targets(ROOT) == []


# -- the file on this laptop -----------------------------------------------------------


def test_a_local_file_is_prepared_once_and_then_ready(tmp_path: Path) -> None:
    target = LocalFile(tmp_path / "wijkgesprek.db")
    assert not target.has_data() and not target.is_ready()
    assert target.prepare() == SCHEMA_VERSION
    assert target.has_data() and target.is_ready()
    assert target.prepare(shows_notes=True) == SCHEMA_VERSION  # a second start changes nothing


def test_a_practice_file_is_marked_as_one_and_has_no_daily_backups(tmp_path: Path) -> None:
    path = tmp_path / "wijkgesprek-oefenen.db"
    practice = LocalFile(path, practice=True)
    practice.prepare()
    assert practice.is_ready() and not LocalFile(path).is_ready()
    assert not practice.daily_backups and LocalFile(path).daily_backups
    with pytest.raises(StoreError, match="oefendatabase"):
        LocalFile(path).prepare()


def test_a_local_file_is_named_by_its_path_and_has_no_outbox(tmp_path: Path) -> None:
    target = LocalFile(tmp_path / "wijkgesprek.db")
    assert target.file == tmp_path / "wijkgesprek.db"
    assert target.describe() == f"de database {tmp_path / 'wijkgesprek.db'}"
    assert target.outbox(tmp_path) is None


@pytest.mark.parametrize(
    ("reported", "kind", "says"),
    [
        ("database disk image is malformed", DamagedDatabase, "beschadigd"),
        ("file is not a database", DamagedDatabase, "herstel"),
        ("database or disk is full", StoreError, "schijf is vol"),
        ("attempt to write a readonly database", StoreError, "niet worden geschreven"),
        ("database is locked", StoreError, "bezet"),
    ],
)
def test_a_local_file_explains_a_driver_error_in_dutch(
    tmp_path: Path, reported: str, kind: type[StoreError], says: str
) -> None:
    target = LocalFile(tmp_path / "wijkgesprek.db")
    error = target.explain(sqlite3.DatabaseError(reported))
    assert type(error) is kind
    assert says in str(error) and str(tmp_path / "wijkgesprek.db") in str(error)


def test_a_local_file_gives_an_engine_on_that_file(tmp_path: Path) -> None:
    target = LocalFile(tmp_path / "wijkgesprek.db")
    target.prepare()
    engine = target.engine()
    try:
        with engine.connect() as connection:
            assert connection.execute(text("PRAGMA user_version")).scalar() == SCHEMA_VERSION
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    finally:
        engine.dispose()


# -- the team database -----------------------------------------------------------------


def test_a_team_database_always_has_data_never_a_file_backups_or_a_quick_start() -> None:
    target = TeamServer(TEAM)
    assert target.file is None
    assert not target.daily_backups
    assert target.has_data()
    assert not target.is_ready()  # the server is asked at every start


def test_a_team_database_is_described_without_its_password() -> None:
    target = TeamServer("postgresql://anna:geheim@server.example:5433/wijk")
    assert target.describe() == "de teamdatabase postgresql://anna:***@server.example:5433/wijk"
    assert "geheim" not in repr(target)
    assert TeamServer(TEAM).describe() == f"de teamdatabase {TEAM}"


def test_a_team_database_keeps_notes_in_an_outbox_under_its_address(tmp_path: Path) -> None:
    outbox = TeamServer(TEAM).outbox(tmp_path)
    assert outbox is not None
    assert outbox.path == tmp_path / OUTBOX_NAME
    assert outbox.database == TEAM


def test_a_team_database_that_does_not_answer_is_unreachable_at_prepare() -> None:
    with pytest.raises(Unreachable, match="niet bereikbaar"):
        TeamServer(NOWHERE).prepare()


def test_a_team_database_prepares_on_a_server(team_url: str) -> None:
    assert TeamServer(team_url).prepare(shows_notes=True) == SCHEMA_VERSION


@pytest.mark.parametrize(
    ("reported", "kind", "says"),
    [
        ("connection refused", Unreachable, "niet bereikbaar"),
        ('password authentication failed for user "anna"', StoreError, "Aanmelden"),
        ('database "wijk" does not exist', StoreError, "bestaat niet"),
    ],
)
def test_a_team_database_explains_a_driver_error_in_dutch(
    reported: str, kind: type[StoreError], says: str
) -> None:
    import psycopg

    target = TeamServer("postgresql://anna@server.example/wijk")
    error = target.explain(psycopg.OperationalError(reported))
    assert type(error) is kind
    assert says in str(error) and "postgresql://anna@server.example/wijk" in str(error)


def test_a_team_database_gives_an_engine_that_has_not_connected_yet() -> None:
    engine = TeamServer(TEAM).engine()
    assert engine.url.drivername == "postgresql+psycopg"
    assert engine.url.host == "server.example"
    assert engine.hide_parameters  # SQL errors never carry note text
    engine.dispose()


# -- a path is shorthand for the file -----------------------------------------------------


def test_a_path_stands_for_the_file_on_this_laptop(tmp_path: Path) -> None:
    assert as_target(tmp_path / "w.db") == LocalFile(tmp_path / "w.db")
    assert as_target(tmp_path / "w.db", practice=True) == LocalFile(tmp_path / "w.db", True)
    team: Target = TeamServer(TEAM)
    assert as_target(team) is team
