"""The team database on PostgreSQL: the same ladder, the same store, the same search.

A throwaway server is started for the session (``pgserver.py``); each test gets its own
empty database. Without server programs on the machine these tests are skipped, with
the reason shown in pytest's summary.
"""

from __future__ import annotations

import itertools
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from helpers import notifications, run_cli

from wijkgesprek.domain.household import Children
from wijkgesprek.domain.safety import KINDCHECK
from wijkgesprek.domain.search import plain_snippet
from wijkgesprek.domain.visit import TopicNote
from wijkgesprek.errors import NotAllowed, SaveConflict, StoreError
from wijkgesprek.store import postgres, repo
from wijkgesprek.store.engine import Store
from wijkgesprek.store.ladder import SERVER_ONLY
from wijkgesprek.store.schema import MIGRATIONS, SCHEMA_VERSION, prepare_database
from wijkgesprek.store.search import search
from wijkgesprek.store.target import TeamServer

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
_numbers = itertools.count()


def columns_sqlite(path: Path) -> dict[str, list[str]]:
    with sqlite3.connect(path) as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%fts%'"
            )
        ]
        return {
            table: sorted(row[1] for row in connection.execute(f"PRAGMA table_info({table})"))
            for table in tables
        }


def columns_postgres(url: str) -> dict[str, list[str]]:
    import psycopg

    with psycopg.connect(url) as connection:
        rows = connection.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'public' AND table_name <> 'wijkgesprek_schema' "
            "AND column_name <> 'search' AND NOT table_name = ANY(%s)",
            (list(SERVER_ONLY),),
        ).fetchall()
    result: dict[str, list[str]] = {}
    for table, column in rows:
        result.setdefault(table, []).append(column)
    return {table: sorted(names) for table, names in result.items()}


def test_both_ladders_have_the_same_steps_and_columns(team_url: str, tmp_path: Path) -> None:
    assert len(postgres.MIGRATIONS) == len(MIGRATIONS) == SCHEMA_VERSION
    assert postgres.prepare(team_url) == SCHEMA_VERSION
    assert postgres.prepare(team_url) == SCHEMA_VERSION  # a second start changes nothing
    local = tmp_path / "wijkgesprek.db"
    prepare_database(local)
    assert columns_postgres(team_url) == columns_sqlite(local)


def test_a_newer_or_foreign_database_is_refused(team_url: str) -> None:
    import psycopg

    postgres.prepare(team_url)
    with psycopg.connect(team_url) as connection:
        connection.execute("UPDATE wijkgesprek_schema SET version = 99")
    with pytest.raises(StoreError, match="nieuwere versie"):
        postgres.prepare(team_url)
    with psycopg.connect(team_url) as connection:
        connection.execute("DROP TABLE wijkgesprek_schema")
    with pytest.raises(StoreError, match="ander programma"):
        postgres.prepare(team_url)


def test_an_unreachable_server_is_one_sentence_without_the_password() -> None:
    url = "postgresql://wk:geheim@/nergens?host=/tmp/geen-server-hier"
    with pytest.raises(StoreError) as raised:
        postgres.prepare(url)
    assert "niet bereikbaar" in str(raised.value) and "geheim" not in str(raised.value)


def test_a_whole_visit_on_postgres(team: Store) -> None:
    visit = team.run(
        repo.start_visit,
        code="GZ-001",
        wijk="Noord",
        children=Children(birth_years=(2018,)),
        now=NOW,
    )
    team.run(repo.save_note, visit_id=visit, topic="stress", text="Schulden bij de bank", now=NOW)
    team.run(repo.set_themes, visit_id=visit, topic="stress", themes=["geldzorgen"], now=NOW)
    team.run(repo.add_agreement, visit_id=visit, wat="Bellen", wie="moeder", wanneer="ma", now=NOW)
    team.run(repo.set_next_contact, visit_id=visit, when=date(2026, 12, 3))
    team.run(repo.add_safety_entry, visit_id=visit, kind=KINDCHECK, value="geen-zorgen", now=NOW)
    team.run(
        repo.add_referral,
        visit_id=visit,
        naam="Schuldhulp Noord",
        soort="dienst",
        wijk="Noord",
        themes=["geldzorgen"],
        contact="0800-0000001",
        now=NOW,
    )
    team.run(repo.end_visit, visit_id=visit, now=NOW)
    (row,) = team.run(repo.list_households)
    assert (row.code, row.last_visit, row.next_contact) == ("GZ-001", NOW, date(2026, 12, 3))
    history = team.run(repo.get_household, code="GZ-001")
    record = history.visits[0].record
    assert record.notes["stress"].text == "Schulden bij de bank"
    assert record.notes["stress"].themes == ("geldzorgen",)
    assert [a.wat for a in record.agreements] == ["Bellen"]
    assert record.ended_at == NOW
    assert [r.naam for r in history.referrals] == ["Schuldhulp Noord"]
    assert [e.kind for e in history.visits[0].safety] == [KINDCHECK]
    assert team.run(repo.erase_household, code="GZ-001") == 1
    assert team.run(repo.list_households) == []


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("schuld", ["GZ-001"]),  # a prefix: schulden
        ("cafe", ["GZ-002"]),  # accents do not matter
        ('"zieke moeder"', ["GZ-002"]),  # a phrase
        ('"moeder zieke"', []),  # words out of order are not the phrase
        ("schuld & | ! ( ) :* ' <->", ["GZ-001"]),  # operators are plain text
        ("!!!", []),
    ],
)
def test_search_on_postgres(team: Store, typed: str, found: list[str]) -> None:
    first = team.run(repo.start_visit, code="GZ-001", wijk="Noord", children=Children(), now=NOW)
    team.run(
        repo.save_note,
        visit_id=first,
        topic="stress",
        text="Schulden bij de [bold]bank[/bold] en de woningcorporatie.",
        now=NOW,
    )
    second = team.run(repo.start_visit, code="GZ-002", wijk="Oost", children=Children(), now=NOW)
    team.run(
        repo.save_note,
        visit_id=second,
        topic="netwerk",
        text="Zorgt voor haar zieke moeder. Café om de hoek.",
        now=NOW,
    )
    hits = team.run(search, text=typed)
    assert [hit.household_code for hit in hits] == found
    if typed == "schuld":
        assert "[bold]bank[/bold]" in plain_snippet(hits[0].snippet)  # markup stays text
        assert "«Schulden»" in plain_snippet(hits[0].snippet)


def fill_for_trends(store: Store) -> None:
    """The same visits in any store: two wijken, three months, themes, concerns, referrals,
    a gap."""
    for number in range(12):
        when = datetime(2026, 1 + number % 3, 5 + number, 10, 0, tzinfo=UTC)
        code = f"GZ-{number:03d}"
        wijk = "Noord" if number % 2 else "Oost"
        visit = store.run(
            repo.start_visit, code=code, wijk=wijk, children=Children(birth_years=(2018,)), now=when
        )
        store.run(repo.save_note, visit_id=visit, topic="stress", text="…", now=when)
        themes = ["geldzorgen", "eenzaamheid"][: 1 + number % 2]
        store.run(repo.set_themes, visit_id=visit, topic="stress", themes=themes, now=when)
        if number % 3 == 0:
            store.run(
                repo.add_safety_entry, visit_id=visit, kind=KINDCHECK, value="zorgen", now=when
            )
        if number % 4 == 0:
            store.run(
                repo.add_referral,
                visit_id=visit,
                naam="Schuldhulp",
                soort="dienst",
                wijk=wijk,
                themes=["geldzorgen"],
                contact="",
                now=when,
            )
            store.run(repo.record_gaps, visit_id=visit, wijk=wijk, themes=["eenzaamheid"], now=when)
        store.run(repo.end_visit, visit_id=visit, now=when)


def test_trends_count_the_same_on_both_engines(team: Store, store: Store) -> None:
    from wijkgesprek.store.trends import data_months, visit_rows

    fill_for_trends(team)
    fill_for_trends(store)
    assert team.run(data_months) == store.run(data_months) == ("2026-01", "2026-03")

    def rows(on: Store) -> list[object]:
        found = on.run(visit_rows, first="2026-01", last="2026-03")
        return sorted((r[0], r[1], tuple(sorted(r[3])), r[4], r[5], r[6]) for r in found)

    assert rows(team) == rows(store)
    assert len(rows(team)) == 12 and any(row[3] for row in rows(team))


def test_two_saves_of_the_same_note_do_not_overwrite_each_other(either: Store) -> None:
    visit_id = either.run(
        repo.start_visit, code="GZ-301", wijk="Noord", children=Children(), now=NOW
    )
    save = {"visit_id": visit_id, "topic": "stress", "now": NOW}
    first = either.run(repo.save_note, text="Huur is te hoog.", base=0, **save)
    assert first == 1
    # Anna and Bert both loaded version 1; Anna saves first.
    assert either.run(repo.save_note, text="Huur is te hoog. Anna.", base=1, **save) == 2
    with pytest.raises(SaveConflict) as caught:
        either.run(repo.save_note, text="Huur is te hoog. Bert.", base=1, **save)
    assert caught.value.theirs == "Huur is te hoog. Anna."
    assert caught.value.version == 2
    assert "Huur" not in str(caught.value)  # the message itself holds no note text
    record = either.run(repo.get_visit, visit_id=visit_id)
    assert record.notes["stress"] == TopicNote("Huur is te hoog. Anna.", (), 2)
    # Saving on top of the version that was shown works again.
    assert either.run(repo.save_note, text="Beide.", base=2, **save) == 3


def test_the_server_records_who_wrote_a_visit_and_a_note(team: Store, team_url: str) -> None:
    import psycopg

    visit_id = team.run(repo.start_visit, code="GZ-302", wijk="Noord", children=Children(), now=NOW)
    team.run(repo.save_note, visit_id=visit_id, topic="stress", text="Zorgen.", now=NOW, base=0)
    with psycopg.connect(team_url) as connection:
        # The app cannot claim another author: the server sets it from the login role.
        connection.execute("UPDATE visit SET author = 'iemand-anders' WHERE id = %s", (visit_id,))
        author = connection.execute("SELECT author FROM visit").fetchone()
        writer = connection.execute("SELECT updated_by FROM note").fetchone()
    assert author == ("postgres",)
    assert writer == ("postgres",)


async def test_a_colleagues_save_meanwhile_is_merged_in_the_app(either: Store) -> None:
    from helpers import SIZE, start_visit, type_text, wait_until
    from textual.widgets import TextArea

    from wijkgesprek.app import WijkgesprekApp
    from wijkgesprek.content.questions import load_guide
    from wijkgesprek.domain.merge import marker
    from wijkgesprek.paths import shipped_questions
    from wijkgesprek.screens.visit import VisitScreen

    app = WijkgesprekApp(guide=load_guide(shipped_questions()), database=either.target)
    async with app.run_test(size=SIZE) as pilot:
        await start_visit(pilot, code="GZ-303")
        screen = app.screen
        assert isinstance(screen, VisitScreen)
        await type_text(pilot, "Eerste.")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not screen.unsaved)
        # The autosave may have saved part of the word first: whatever the version is,
        # a colleague saves the same note on top of it.
        loaded = screen.record.notes["kennismaking"].version
        either.run(
            repo.save_note,
            visit_id=screen.visit_id,
            topic="kennismaking",
            text="Eerste. Collega vult aan.",
            now=NOW,
            base=loaded,
        )
        await type_text(pilot, " Mijn zin.")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: screen.record.notes["kennismaking"].version > loaded + 1)
        await wait_until(pilot, lambda: not screen.unsaved)
        # Both wrote at the end: "Eerste." once, then mine, the marker, the colleague's.
        who = "postgres" if isinstance(either.target, TeamServer) else ""
        merged = f"Eerste. Mijn zin.\n{marker(who, NOW)}\nCollega vult aan."
        assert app.screen.query_one("#note", TextArea).text == merged
        assert any("intussen" in said for said in notifications(app))
        # Typing goes on where it was, and the next save merges nothing again.
        await type_text(pilot, " Verder.")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not screen.unsaved)
        shown = app.screen.query_one("#note", TextArea).text
        assert shown == merged.replace("Mijn zin.", "Mijn zin. Verder.")
    record = either.run(repo.get_visit, visit_id=screen.visit_id)
    assert record.notes["kennismaking"].text == shown


def login_role(team_url: str, group: str) -> str:
    """A new login role in ``group`` on the test server; returns its URL to the database."""
    import psycopg

    name = f"medewerker_{next(_numbers)}"
    with psycopg.connect(team_url, autocommit=True) as connection:
        connection.execute(f"CREATE ROLE {name} LOGIN IN ROLE {group}")
    return team_url.replace("postgres@", f"{name}@", 1)


def test_roles_are_enforced_by_the_server(team: Store, team_url: str) -> None:
    import psycopg

    from wijkgesprek.store.trends import visit_rows

    anna_url = login_role(team_url, postgres.PROFESSIONAL)
    cora_url = login_role(team_url, postgres.COORDINATOR)
    postgres.prepare(anna_url)  # a professional's start: the version is current, no change
    anna, cora = Store(TeamServer(anna_url)), Store(TeamServer(cora_url))
    try:
        visit_id = anna.run(
            repo.start_visit, code="GZ-304", wijk="Noord", children=Children(), now=NOW
        )
        anna.run(repo.save_note, visit_id=visit_id, topic="stress", text="Schulden.", now=NOW)
        anna.run(repo.set_themes, visit_id=visit_id, topic="stress", themes=["geld"], now=NOW)
        anna_name = anna_url.split("//", 1)[1].split("@", 1)[0]
        assert anna.run(repo.list_households)[0].code == "GZ-304"
        # The coordinator reads counts only (the published trends): the server refuses it
        # households, visits and note text, whatever the app would try.
        for reading in (
            lambda: cora.run(repo.list_households),
            lambda: cora.run(visit_rows, first="2026-11", last="2026-11"),
            lambda: cora.run(repo.get_visit, visit_id=visit_id),
            lambda: cora.run(search, text="schulden"),
        ):
            with pytest.raises(NotAllowed, match="mag dit niet"):
                reading()
        with (
            psycopg.connect(cora_url) as connection,
            pytest.raises(psycopg.errors.InsufficientPrivilege),
        ):
            connection.execute("UPDATE visit SET next_contact = NULL")
        with psycopg.connect(team_url) as connection:
            assert connection.execute("SELECT author FROM visit").fetchone() == (anna_name,)
        # A change of the household is kept with who made it, in the server's word.
        (change,) = anna.run(
            repo.change_household,
            code="GZ-304",
            wijk="Rivierkwartier",
            children=Children(birth_years=(2020,)),
            now=NOW,
        )[:1]
        assert (change.kind, change.old, change.new, change.author) == (
            "wijk",
            "Noord",
            "Rivierkwartier",
            anna_name,
        )
    finally:
        anna.engine.dispose()
        cora.engine.dispose()


def test_a_coordinator_is_sent_to_trends_not_the_app_or_vervolg(team: Store, team_url: str) -> None:
    cora_url = login_role(team_url, postgres.COORDINATOR)
    for arguments, expected in (
        (["--database", cora_url], "mag geen aantekeningen lezen"),
        (["--database", cora_url, "trends"], "nog geen trends gepubliceerd"),
        (["--database", cora_url, "vervolg"], "mag dit niet"),
        (["--database", team_url, "trends", "--publiceer"], "gepubliceerd"),
        (["--database", cora_url, "trends"], "Wijktrends"),
    ):
        done = run_cli(*arguments)
        assert expected in done.stdout + done.stderr, arguments
        assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    "arguments",
    [
        ["--database", "postgresql://a:geheim@x/y", "trends"],
        ["trends", "--database", "postgresql://a:geheim@x/y"],  # after the command too
    ],
)
def test_a_password_in_the_address_is_refused_before_any_connection(arguments: list[str]) -> None:
    done = run_cli(*arguments)
    assert done.returncode == 2
    assert "wachtwoord" in done.stderr and "geheim" not in done.stderr + done.stdout


def table_counts(store: Store) -> dict[str, int]:
    from sqlalchemy import text

    tables = ("household", "visit", "note", "agreement", "referral", "referral_event", "gap")
    with store.engine.connect() as connection:
        return {
            table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
            for table in (*tables, "safety_entry", "correction", "household_change")
        }


def test_migreer_moves_the_laptop_into_the_team_database_once(
    team: Store, team_url: str, store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    from wijkgesprek.cli import main

    fill_for_trends(store)
    visit = store.run(repo.start_visit, code="GZ-000", wijk="Oost", children=Children(), now=NOW)
    same_children = store.run(repo.get_household, code="GZ-000").children
    store.run(repo.change_household, code="GZ-000", wijk="Noord", children=same_children, now=NOW)
    store.run(repo.save_note, visit_id=visit, topic="dromen", text="Weer fietsen.", now=NOW)
    store.run(repo.add_agreement, visit_id=visit, wat="Bellen", wie="", wanneer="", now=NOW)
    assert main(["migreer", "--naar", team_url]) == 0
    assert "Overgezet: 12. Stond er al: 0." in capsys.readouterr().out
    assert table_counts(team) == table_counts(store)
    moved = team.run(repo.get_household, code="GZ-000")
    assert moved.visits[-1].record.notes["dromen"].text == "Weer fietsen."
    assert [(c.kind, c.old, c.new) for c in moved.changes] == [("wijk", "Oost", "Noord")]
    assert [hit.household_code for hit in team.run(search, text="fietsen")] == ["GZ-000"]
    # Twice: nothing doubled.
    assert main(["migreer", "--naar", team_url]) == 0
    assert "Overgezet: 0. Stond er al: 12." in capsys.readouterr().out
    assert table_counts(team) == table_counts(store)


def test_migreer_holds_a_household_that_differs(
    team: Store, team_url: str, store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    from wijkgesprek.cli import main

    for target, text in ((store, "Versie laptop."), (team, "Versie team.")):
        visit = target.run(
            repo.start_visit, code="GZ-010", wijk="Oost", children=Children(), now=NOW
        )
        target.run(repo.save_note, visit_id=visit, topic="stress", text=text, now=NOW)
    assert main(["migreer", "--naar", team_url]) == 1
    out = capsys.readouterr()
    assert "Niet overgezet door verschillen: 1." in out.out and "--neem-over" in out.err
    team_visit = team.run(repo.get_household, code="GZ-010").visits[0].record
    assert team_visit.notes["stress"].text == "Versie team."
