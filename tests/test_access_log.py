"""The access log (issue 21, point 11), in the spirit of NEN 7513: who opened, exported,
imported, searched, changed or erased which household, when and from where.

On the team database the server keeps it: a professional can only add to it through the
server's own functions and triggers (never in another's name), can read the rows of the
households they visited and their own, and an auditor reads all of it. On the laptop a
local table keeps the same rows (without a name: one laptop, one user), refusing any
change. Erasing a household keeps that it happened, under a neutral id.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from wijkgesprek.domain.household import Children
from wijkgesprek.store import access, postgres, repo
from wijkgesprek.store.engine import Store
from wijkgesprek.store.erase import erase_households
from wijkgesprek.store.target import TeamServer

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
_numbers = itertools.count()


def login(team_url: str, group: str) -> tuple[str, str]:
    """A new login role in ``group`` on the test server: its name and its URL."""
    import psycopg

    name = f"logboek_{group.rsplit('_', 1)[-1]}_{next(_numbers)}"
    with psycopg.connect(team_url, autocommit=True) as connection:
        connection.execute(f"CREATE ROLE {name} LOGIN IN ROLE {group}")
    return name, team_url.replace("postgres@", f"{name}@", 1)


People = dict[str, tuple[str, Store, str]]
"""Who (anna, bob, ida) → login name, store, URL."""


@pytest.fixture
def colleagues(team: Store, team_url: str) -> Iterator[People]:
    """Two professionals and an auditor on one team database: name, store, URL."""
    people = {}
    for who, group in (
        ("anna", postgres.PROFESSIONAL),
        ("bob", postgres.PROFESSIONAL),
        ("ida", postgres.AUDITOR),
    ):
        name, url = login(team_url, group)
        people[who] = (name, Store(TeamServer(url)), url)
    yield people
    for _, store, _ in people.values():
        store.engine.dispose()


def log_rows(store: Store) -> list[tuple[str, str, str, str]]:
    """Every row of the log as (who, action, household, detail), read as the owner."""
    with store.engine.connect() as connection:
        rows = connection.execute(
            text("SELECT who, action, household, detail FROM access_log ORDER BY id")
        ).all()
    return [tuple(row) for row in rows]  # type: ignore[misc]


def visit(store: Store, code: str = "GZ-401") -> int:
    """A visit started and opened, as the home screen and the visit screen do."""
    visit_id = store.run(repo.start_visit, code=code, wijk="Noord", children=Children(), now=NOW)
    store.run(access.open_visit, visit_id=visit_id)
    return visit_id


# -- what is logged, on both databases -----------------------------------------------------


def test_opening_changing_and_exporting_are_logged_once_per_quarter(either: Store) -> None:
    visit_id = visit(either)
    for words in ("Eerste zin.", "Eerste zin. Tweede.", "Eerste zin. Tweede. Derde."):
        either.run(repo.save_note, visit_id=visit_id, topic="stress", text=words, now=NOW)
    either.run(access.open_history, code="GZ-401")
    either.run(access.open_history, code="GZ-401")  # the same look again: one row
    either.run(access.read_for_export, code="GZ-401", kind="dossier")
    either.run(access.read_for_export, code="GZ-401", kind="dossier")  # each copy counts
    rows = [(action, household, detail) for _, action, household, detail in log_rows(either)]
    assert rows == [
        ("aangemaakt", "GZ-401", "huishouden"),
        ("gewijzigd", "GZ-401", "bezoek"),
        ("geopend", "GZ-401", "bezoek"),
        ("gewijzigd", "GZ-401", "aantekening"),
        ("geopend", "GZ-401", "geschiedenis"),
        ("geëxporteerd", "GZ-401", "dossier"),
        ("geëxporteerd", "GZ-401", "dossier"),
    ]
    # What was typed never reaches the log.
    assert not any("zin" in str(row) for row in log_rows(either))


def test_searching_logs_each_household_shown(either: Store) -> None:
    for code, words in (("GZ-411", "Huur achterstallig."), ("GZ-412", "Huur betaald.")):
        visit_id = visit(either, code)
        either.run(repo.save_note, visit_id=visit_id, topic="stress", text=words, now=NOW)
    visit(either, "GZ-413")
    hits = either.run(access.search, text="huur", limit=20)
    assert {hit.household_code for hit in hits} == {"GZ-411", "GZ-412"}
    searched = sorted(h for _, action, h, _ in log_rows(either) if action == "gezocht")
    assert searched == ["GZ-411", "GZ-412"]


def test_erasing_keeps_that_it_happened_under_a_neutral_id(either: Store) -> None:
    visit_id = visit(either, "GZ-421")
    either.run(repo.save_note, visit_id=visit_id, topic="stress", text="Schulden.", now=NOW)
    visit(either, "GZ-422")
    erase_households(either, ["GZ-421"])
    rows = log_rows(either)
    assert not any("GZ-421" in str(row) for row in rows)
    erased = [row for row in rows if row[1] == "gewist"]
    assert len(erased) == 1
    neutral = erased[0][2]
    assert neutral.startswith("gewist-") and len(neutral) > len("gewist-") + 8
    # The household's earlier rows stay, under the same neutral id; others are untouched.
    assert [r[1] for r in rows if r[2] == neutral] == [
        "aangemaakt",
        "gewijzigd",
        "geopend",
        "gewijzigd",
        "gewist",
    ]
    assert any(row[2] == "GZ-422" for row in rows)
    # Reading the log by the old code finds nothing any more.
    assert either.run(access.read_log, code="GZ-421") == []


def test_the_local_log_refuses_to_be_changed(store: Store) -> None:
    import sqlite3

    visit(store)
    connection = sqlite3.connect(store.path)
    try:
        for statement in (
            "UPDATE access_log SET who = 'iemand'",
            "UPDATE access_log SET household = 'gewist-000000000000'",  # not erased
            "DELETE FROM access_log",
        ):
            with pytest.raises(sqlite3.DatabaseError, match="toegangslog"):
                connection.execute(statement)
    finally:
        connection.close()
    assert len(log_rows(store)) == 3


def test_reading_the_log_is_logged_and_shows_what_happened(store: Store) -> None:
    visit(store)
    entries = store.run(access.read_log, code="GZ-401")
    assert [(e.action, e.household, e.detail) for e in entries] == [
        ("aangemaakt", "GZ-401", "huishouden"),
        ("gewijzigd", "GZ-401", "bezoek"),
        ("geopend", "GZ-401", "bezoek"),
        ("log gelezen", "GZ-401", ""),  # this reading itself
    ]
    assert all(e.who == "" and e.at.tzinfo is not None for e in entries)
    assert log_rows(store)[-1] == ("", "log gelezen", "GZ-401", "")


# -- the team database: the server's word ----------------------------------------------------


def test_the_server_names_who_and_from_where(team: Store, colleagues: People) -> None:
    anna, anna_store, _ = colleagues["anna"]
    visit(anna_store)
    with team.engine.connect() as connection:
        rows = connection.execute(text("SELECT who, source, at FROM access_log ORDER BY id")).all()
    assert {row[0] for row in rows} == {anna}
    assert {row[1] for row in rows} == {""}  # a Unix socket: on the server itself
    assert all(abs((row[2] - datetime.now(UTC)).total_seconds()) < 60 for row in rows)


def test_a_professional_cannot_rewrite_or_forge_the_log(
    team: Store,
    colleagues: People,
) -> None:
    """The attacker's test: as a professional, with psql, try everything."""
    import psycopg

    anna, anna_store, anna_url = colleagues["anna"]
    bob, _, _ = colleagues["bob"]
    visit(anna_store)
    before = log_rows(team)
    attempts = [
        "UPDATE access_log SET who = 'niemand'",
        "DELETE FROM access_log",
        "TRUNCATE access_log",
        f"INSERT INTO access_log (at, who, action, household) VALUES (now(), '{bob}', "
        "'geopend', 'GZ-401')",
        "SELECT * FROM access_log",  # the rows themselves: only through the function
        "ALTER TABLE access_log DISABLE TRIGGER USER",
        "DROP TABLE access_log",
        "SELECT wijkgesprek_log_append('gewist', 'GZ-401', '', false)",
        # The server's own words cannot be given by the app, nor a name or free text.
        "SELECT wijkgesprek_log('gewist', ARRAY['GZ-401'], '')",
        "SELECT wijkgesprek_log('geopend', ARRAY['GZ-401'], 'Jan de Vries, Dorpsstraat 1')",
    ]
    for statement in attempts:
        with psycopg.connect(anna_url) as connection, pytest.raises(psycopg.Error):
            connection.execute(statement)
    with psycopg.connect(anna_url) as connection:  # no such household: nothing is written
        connection.execute("SELECT wijkgesprek_log('geopend', ARRAY['Jan de Vries'], 'bezoek')")
    assert log_rows(team) == before
    # A name cannot be given at all: the server writes the login role.
    with psycopg.connect(anna_url) as connection:
        connection.execute("SELECT wijkgesprek_log('geëxporteerd', ARRAY['GZ-401'], 'dossier')")
    assert log_rows(team)[-1] == (anna, "geëxporteerd", "GZ-401", "dossier")


def test_a_temporary_table_cannot_trick_the_server_functions(
    team: Store,
    colleagues: People,
) -> None:
    """Functions that run with the owner's rights look only in the team's schema: a
    professional's temporary ``visit`` table claiming a colleague's household shows no
    more of the log."""
    import psycopg

    _, anna_store, _ = colleagues["anna"]
    bob, _, bob_url = colleagues["bob"]
    visit(anna_store, "GZ-431")
    with psycopg.connect(bob_url) as connection:
        connection.execute("CREATE TEMP TABLE visit (household_id int, author text)")
        connection.execute("CREATE TEMP TABLE household (id int, code text)")
        connection.execute("INSERT INTO pg_temp.household VALUES (1, 'GZ-431')")
        connection.execute(f"INSERT INTO pg_temp.visit VALUES (1, '{bob}')")
        rows = connection.execute("SELECT who FROM wijkgesprek_access_log('GZ-431')").fetchall()
    assert rows == [(bob,)]  # only his own reading of the log


def test_the_owner_cannot_change_the_log_by_accident(team: Store) -> None:
    import psycopg

    visit(team)
    url = str(team.target.url)  # type: ignore[attr-defined]
    for statement in (
        "UPDATE access_log SET who = 'niemand'",
        "DELETE FROM access_log",
        "TRUNCATE access_log",
    ):
        with psycopg.connect(url) as connection, pytest.raises(psycopg.Error, match="toegangslog"):
            connection.execute(statement)


def test_each_reads_what_they_may(team: Store, colleagues: People) -> None:
    import psycopg

    anna, anna_store, _ = colleagues["anna"]
    bob, bob_store, _ = colleagues["bob"]
    ida, ida_store, ida_url = colleagues["ida"]
    visit(anna_store, "GZ-441")
    visit(bob_store, "GZ-442")
    bob_store.run(access.open_history, code="GZ-441")  # bob looks at anna's household
    # Anna sees everything about her household (also bob's look), and nothing of bob's.
    seen = [e for e in anna_store.run(access.read_log, code=None) if e.action != "log gelezen"]
    assert {e.household for e in seen} == {"GZ-441"}
    assert (bob, "geopend", "geschiedenis") in {(e.who, e.action, e.detail) for e in seen}
    # Bob sees his own household and what he did himself.
    seen = bob_store.run(access.read_log, code=None)
    assert {(e.household, e.who) for e in seen} >= {("GZ-442", bob), ("GZ-441", bob)}
    assert anna not in {e.who for e in seen}
    # The auditor reads the whole log (also directly), and no household data at all.
    seen = ida_store.run(access.read_log, code=None)
    assert {e.who for e in seen} >= {anna, bob}
    assert {e.household for e in ida_store.run(access.read_log, code="GZ-442")} == {"GZ-442"}
    with psycopg.connect(ida_url) as connection:
        assert connection.execute("SELECT count(*) FROM access_log").fetchone()[0] > 5
    for table in ("household", "visit", "note"):
        with psycopg.connect(ida_url) as connection, pytest.raises(psycopg.Error):
            connection.execute(f"SELECT * FROM {table}")
    # Reading the log is in the log too, by whom.
    assert (ida, "log gelezen", "GZ-442") in [(w, a, h) for w, a, h, _ in log_rows(team)]


def test_authors_are_the_servers_word(team: Store, colleagues: People) -> None:
    """Additions, agreements (made and marked), safety entries and referral steps carry
    the login role that wrote them; the app cannot name another. The same visits as the
    history and dossier tests (``test_authors.fill``), read here as data."""
    from test_authors import fill

    anna, anna_store, _ = colleagues["anna"]
    bob, bob_store, _ = colleagues["bob"]
    fill(anna_store, bob_store, "GZ-451")
    history = team.run(repo.get_household, code="GZ-451")
    one, two = history.visits
    assert (one.record.author, two.record.author) == (anna, bob)
    made, marked = one.record.agreements
    assert (made.author, made.status_by) == (anna, "")
    assert (marked.author, marked.status_by) == (bob, bob)
    assert [entry.author for entry in one.safety] == [bob]
    assert [step.author for step in history.referrals[0].steps] == [anna, bob]
    assert [c.author for c in one.corrections] == [bob]


# -- the command line: wijkgesprek toegang ----------------------------------------------------


def test_toegang_shows_the_log_of_one_household(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    from wijkgesprek.cli.main import main

    visit(store, "GZ-461")
    visit(store, "GZ-462")
    assert main(["toegang", "--huishouden", "gz-461"]) == 0
    out = capsys.readouterr().out
    assert "GZ-461" in out and "GZ-462" not in out
    assert "aangemaakt" in out and "geopend" in out and "bezoek" in out
    assert main(["toegang", "--huishouden", "GZ-461", "--json"]) == 0
    import json

    rows = json.loads(capsys.readouterr().out)
    assert {row["gezinscode"] for row in rows} == {"GZ-461"}
    assert {"moment", "wie", "handeling", "wat", "vanaf"} <= set(rows[0])


def test_toegang_without_data_or_with_a_bad_code(
    isolated_home: object, capsys: pytest.CaptureFixture[str]
) -> None:
    from wijkgesprek.cli.main import main

    assert main(["toegang"]) == 0
    assert "Nog geen gegevens" in capsys.readouterr().out
    assert main(["toegang", "--huishouden", "Jan de Vries"]) == 2
    assert "gezinscode" in capsys.readouterr().err


def test_toegang_for_an_auditor_and_a_coordinator(
    team: Store,
    colleagues: People,
    team_url: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from wijkgesprek.cli.main import main

    anna, anna_store, _ = colleagues["anna"]
    _, _, ida_url = colleagues["ida"]
    visit(anna_store, "GZ-471")
    assert main(["toegang", "--database", ida_url]) == 0
    out = capsys.readouterr().out
    assert anna in out and "GZ-471" in out
    _, cora_url = login(team_url, postgres.COORDINATOR)
    assert main(["toegang", "--database", cora_url]) == 1
    assert "mag dit niet" in capsys.readouterr().err


def test_a_change_of_the_netwerkkaart_is_logged_without_a_name(either: Store) -> None:
    from wijkgesprek.domain.network_map import Person
    from wijkgesprek.store import network_map

    visit_id = visit(either, "GZ-481")
    person = Person(number=0, role="oma", name="Ria", group="familie", informal=True)
    either.run(network_map.add_person, visit_id=visit_id, person=person, now=NOW)
    rows = [(a, h, d) for _, a, h, d in log_rows(either)]
    assert ("gewijzigd", "GZ-481", "netwerkkaart") in rows
    assert "Ria" not in str(log_rows(either))
