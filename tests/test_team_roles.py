"""Roles of the team database (issue 21, points 10, 12 and 13): a coordinator reads counts
only, as suppressed as ``trends`` shows them; only the owner of a household or a team
lead erases it, and the erasure says what it cannot reach; and every step an admin or a
first user can get wrong is one Dutch sentence, never a traceback."""

from __future__ import annotations

import itertools
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
from test_postgres import fill_for_trends

from wijkgesprek.cli import main
from wijkgesprek.domain.household import Children
from wijkgesprek.domain.safety import KINDCHECK
from wijkgesprek.domain.trends import HIDDEN, MIN_COUNT, SUPPRESSED
from wijkgesprek.store import postgres, repo
from wijkgesprek.store.engine import Store
from wijkgesprek.store.ladder import SCHEMA_VERSION
from wijkgesprek.store.target import TeamServer

NOW = datetime(2026, 2, 5, 10, 0, tzinfo=UTC)
SECRET_NOTE = "Vader slaat soms; kindcheck besproken met de moeder."
_numbers = itertools.count()


def login_role(team_url: str, *groups: str, options: str = "") -> tuple[str, str]:
    """A new login role (in ``groups``) on the test server: its name and its URL."""
    import psycopg

    name = f"lid_{next(_numbers)}"
    member = f" IN ROLE {', '.join(groups)}" if groups else ""
    with psycopg.connect(team_url, autocommit=True) as connection:
        connection.execute(f"CREATE ROLE {name} LOGIN {options}{member}")
    return name, team_url.replace("postgres@", f"{name}@", 1)


@contextmanager
def opened(url: str) -> Iterator[Store]:
    store = Store(TeamServer(url))
    try:
        yield store
    finally:
        store.engine.dispose()


def start(store: Store, code: str, text: str = SECRET_NOTE, *, when: datetime = NOW) -> int:
    visit = store.run(repo.start_visit, code=code, wijk="Noord", children=Children(), now=when)
    store.run(repo.save_note, visit_id=visit, topic="veiligheid", text=text, now=when)
    store.run(repo.add_safety_entry, visit_id=visit, kind=KINDCHECK, value="zorgen", now=when)
    store.run(repo.end_visit, visit_id=visit, now=when)
    return visit


def run(arguments: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(arguments)
    out, err = capsys.readouterr()
    return code, out, err


# -- point 10: a coordinator reads counts only ---------------------------------------------

COORDINATOR_ATTEMPTS = [
    "SELECT * FROM household",
    "SELECT code FROM household",
    "SELECT * FROM visit",
    "SELECT household_id, started_at FROM visit",
    "SELECT text FROM note",
    "SELECT themes, topic FROM note",
    "SELECT search FROM note",
    "SELECT * FROM safety_entry",
    "SELECT kind, value FROM safety_entry",
    "SELECT note FROM safety_entry",
    "SELECT * FROM correction",
    "SELECT * FROM agreement",
    "SELECT * FROM referral",
    "SELECT * FROM referral_event",
    "SELECT * FROM gap",
    "SELECT * FROM household_change",
    "SELECT * FROM practice_turn",
    "COPY household TO STDOUT",
    "SELECT wijkgesprek_may_erase('GZ-000')",
    "SELECT wijkgesprek_erase_household('GZ-000')",
    "DELETE FROM trend_publication",
    "INSERT INTO trend_publication (month, body) VALUES ('2026-01', '{}')",
]


def test_a_coordinator_reads_no_household_only_the_published_counts(
    team: Store, team_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The attacker's test: as the coordinator, with plain SQL, try to read what the
    team wrote about households."""
    import psycopg

    _, anna_url = login_role(team_url, postgres.PROFESSIONAL)
    _, cora_url = login_role(team_url, postgres.COORDINATOR)
    with opened(anna_url) as anna:
        fill_for_trends(anna)
        start(anna, "GZ-100")
    with psycopg.connect(team_url, autocommit=True) as connection:
        connection.execute("ANALYZE")  # statistics hold values too
    for attempt in COORDINATOR_ATTEMPTS:
        with (
            psycopg.connect(cora_url) as connection,
            pytest.raises(psycopg.errors.InsufficientPrivilege),
        ):
            connection.execute(attempt)
    with psycopg.connect(cora_url) as connection:
        (statistics,) = connection.execute(
            "SELECT count(*) FROM pg_stats WHERE schemaname = 'public' "
            "AND tablename <> 'wijkgesprek_schema'"
        ).fetchone()  # type: ignore[misc]
        assert statistics == 0
        assert connection.execute("SELECT body FROM trend_publication").fetchall() == []
    # A professional's trends publish the figures; what the coordinator then reads are
    # the same cells as the professional saw, counts of 5 or more, "<5" or "x".
    period = [
        "trends",
        "--formaat",
        "csv",
        "--per",
        "maand",
        "--van",
        "2026-01",
        "--tot",
        "2026-03",
    ]
    code, seen_by_anna, _ = run(["--database", anna_url, *period], capsys)
    assert code == 0
    with psycopg.connect(cora_url) as connection:
        (body,) = connection.execute("SELECT body FROM trend_publication").fetchone()  # type: ignore[misc]
    assert "GZ-" not in body and "slaat" not in body
    import json

    values = [cell[3] for cell in json.loads(body)["cells"]]
    assert values and all(
        value in (SUPPRESSED, HIDDEN) or isinstance(value, float) or value >= MIN_COUNT
        for value in values
    )
    code, seen_by_cora, err = run(["--database", cora_url, *period], capsys)
    assert code == 0, err
    assert seen_by_cora == seen_by_anna
    code, table, _ = run(["--database", cora_url, "trends", "--van", "2026-01"], capsys)
    assert code == 0 and "Cijfers zoals gepubliceerd in de teamdatabase op" in table


def test_a_coordinator_cannot_publish(
    team: Store, team_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _, cora_url = login_role(team_url, postgres.COORDINATOR)
    code, _, err = run(["--database", cora_url, "trends", "--publiceer"], capsys)
    assert code == 1 and "professional of de beheerder" in err and "Traceback" not in err


def test_only_the_newest_publication_is_kept(
    team: Store, team_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    import psycopg

    _, anna_url = login_role(team_url, postgres.PROFESSIONAL)
    for _ in range(3):
        code, out, _ = run(["--database", anna_url, "trends", "--publiceer"], capsys)
        assert code == 0 and "gepubliceerd" in out
    with psycopg.connect(team_url) as connection:
        rows = connection.execute("SELECT author FROM trend_publication").fetchall()
    assert rows == [(anna_url.split("//")[1].split("@")[0],)]  # by the server's word


# -- point 12: who may erase, and what an erasure cannot reach ---------------------------------


def note_texts(team_url: str) -> list[str]:
    import psycopg

    with psycopg.connect(team_url) as connection:
        return [row[0] for row in connection.execute("SELECT text FROM note")]


def test_only_the_owner_or_a_team_lead_erases_a_household(
    team: Store, team_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    import psycopg

    _, anna_url = login_role(team_url, postgres.PROFESSIONAL)
    _, bert_url = login_role(team_url, postgres.PROFESSIONAL)
    _, lisa_url = login_role(team_url, postgres.TEAM_LEAD)
    _, cora_url = login_role(team_url, postgres.COORDINATOR)
    with opened(anna_url) as anna:
        start(anna, "GZ-201")
        start(anna, "GZ-202", "Tweede gezin van Anna.")
    with opened(bert_url) as bert:  # Bert continues Anna's household: still Anna's
        start(bert, "GZ-201", "Bert was er ook.", when=datetime(2026, 2, 9, tzinfo=UTC))
    # Bert may not: refused before anything is asked, and by the server itself.
    for url in (bert_url, cora_url):
        code, out, err = run(["--database", url, "wis", "GZ-201", "--bevestig", "GZ-201"], capsys)
        assert code == 1 and "Traceback" not in err
        assert ("Alleen de eigenaar" in err) if url == bert_url else ("mag dit niet" in err)
        assert "gewist," not in out
    for attempt in (
        "SELECT wijkgesprek_erase_household('GZ-201')",
        "DELETE FROM household",
        "DELETE FROM visit",
        "DELETE FROM note",
        "DELETE FROM safety_entry",
    ):
        with (
            psycopg.connect(bert_url) as connection,
            pytest.raises(psycopg.errors.InsufficientPrivilege),
        ):
            connection.execute(attempt)
    assert SECRET_NOTE in note_texts(team_url)
    code, _, err = run(["--database", bert_url, "wis", "GZ-999", "--bevestig", "GZ-999"], capsys)
    assert code == 1 and "GZ-999 bestaat niet" in err  # not there: nothing to refuse
    # Anna, who began it, may; the erasure says what the server may still hold.
    code, out, err = run(["--database", anna_url, "wis", "GZ-201", "--bevestig", "GZ-201"], capsys)
    assert code == 0, err
    assert "Huishouden GZ-201 is gewist, met 2 bezoek(en)." in out
    for word in ("WAL", "reservekopieën", "replica's", "VACUUM FULL", "beheerder"):
        assert word in err
    assert SECRET_NOTE not in note_texts(team_url)
    assert "Bert was er ook." not in note_texts(team_url)
    # A team lead may erase anyone's.
    code, out, err = run(["--database", lisa_url, "wis", "GZ-202", "--bevestig", "GZ-202"], capsys)
    assert code == 0 and "GZ-202 is gewist" in out
    assert note_texts(team_url) == []


def test_retention_erases_only_what_this_account_may(
    team: Store, team_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _, anna_url = login_role(team_url, postgres.PROFESSIONAL)
    _, bert_url = login_role(team_url, postgres.PROFESSIONAL)
    long_ago = datetime(2002, 3, 4, 10, 0, tzinfo=UTC)
    with opened(anna_url) as anna:
        start(anna, "GZ-301", when=long_ago)
    with opened(bert_url) as bert:
        start(bert, "GZ-302", "Van Bert.", when=long_ago)
    code, out, err = run(["--database", anna_url, "bewaartermijn", "--wis", "--ja"], capsys)
    assert code == 0, err
    assert "1 huishouden(s) gewist" in out
    assert "Niet door u te wissen: GZ-302" in err and "Traceback" not in err
    with opened(anna_url) as anna:
        assert [row.code for row in anna.run(repo.list_households)] == ["GZ-302"]


async def test_the_app_tells_a_colleague_who_may_not_erase(team: Store, team_url: str) -> None:
    from helpers import SIZE, frame, wait_until
    from textual.widgets import Input

    from wijkgesprek.app import WijkgesprekApp
    from wijkgesprek.content.questions import load_guide
    from wijkgesprek.paths import shipped_questions
    from wijkgesprek.screens.erase import EraseScreen

    _, anna_url = login_role(team_url, postgres.PROFESSIONAL)
    _, bert_url = login_role(team_url, postgres.PROFESSIONAL)
    with opened(anna_url) as anna:
        start(anna, "GZ-401")
    app = WijkgesprekApp(guide=load_guide(shipped_questions()), database=TeamServer(bert_url))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.push_screen(EraseScreen(["GZ-401"], confirm_word="GZ-401", explanation="Wissen?"))
        await wait_until(pilot, lambda: bool(app.screen.query("#erase-confirm")))
        app.screen.query_one("#erase-confirm", Input).value = "GZ-401"
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Alleen de eigenaar" in frame(app))
        assert isinstance(app.screen, EraseScreen)  # it stays open: nothing was erased
    assert SECRET_NOTE in note_texts(team_url)


# -- point 13: the admin path without a traceback -----------------------------------------------


def one_dutch_sentence(err: str) -> str:
    """The one line a user reads; never a traceback or a Python error's name."""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err and "Error" not in err
    assert "psycopg" not in err or "pip install" in err  # only as what to install
    return lines[0]


COMMANDS = [[], ["trends"], ["vervolg"], ["zoek", "schuld"], ["wis", "GZ-1", "--bevestig", "GZ-1"]]


@pytest.mark.parametrize("command", COMMANDS)
def test_without_the_team_extra_one_sentence_says_what_to_install(
    command: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as after a plain `pip install .`
    code, _, err = run(["--database", "postgresql://anna@server.example/wijk", *command], capsys)
    assert code == 1
    assert "pip install 'wijkgesprek[team]'" in one_dutch_sentence(err)


def test_without_the_team_extra_migreer_says_what_to_install(
    store: Store, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)
    code, _, err = run(["migreer", "--naar", "postgresql://anna@server.example/wijk"], capsys)
    assert code == 1 and "wijkgesprek[team]" in one_dutch_sentence(err)


def test_without_the_team_extra_as_a_user_starts_it() -> None:
    """The whole program in its own process, with psycopg not importable."""
    program = (
        "import sys; sys.modules['psycopg'] = None; "
        "from wijkgesprek.cli import main; "
        "sys.exit(main(['--database', 'postgresql://anna@server.example/wijk', 'trends']))"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 1
    assert "wijkgesprek[team]" in one_dutch_sentence(done.stderr)


@contextmanager
def without_group_roles(server_url: str) -> Iterator[None]:
    """The cluster as before wijkgesprek's first start: its group roles renamed away for
    the block (every test worker has a server of its own; grants follow the roles)."""
    import psycopg

    postgres.prepare(server_url)  # they exist, whichever test ran first
    with psycopg.connect(server_url, autocommit=True) as connection:
        for name in postgres.GROUPS:
            connection.execute(f"ALTER ROLE {name} RENAME TO weg_{name}")
        try:
            yield
        finally:
            for name in postgres.GROUPS:
                connection.execute(f"ALTER ROLE weg_{name} RENAME TO {name}")


def empty_database(team_url: str, owner: str | None = None) -> str:
    import psycopg

    name = f"leeg_{next(_numbers)}"
    with psycopg.connect(team_url, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}" + (f" OWNER {owner}" if owner else ""))
    address, query = team_url.split("?", 1)
    return f"{address.rsplit('/', 1)[0]}/{name}?{query}"


def tables_of(url: str) -> list[str]:
    import psycopg

    with psycopg.connect(url.replace(url.split("//")[1].split("@")[0], "postgres", 1)) as c:
        return [
            row[0]
            for row in c.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        ]


def older_database(team_url: str) -> str:
    """A team database as version 8 left it, with that version's roles."""
    import psycopg

    postgres.prepare(team_url)  # the group roles exist on the server
    url = empty_database(team_url)
    with psycopg.connect(url) as connection:
        connection.execute("CREATE TABLE wijkgesprek_schema (version INTEGER NOT NULL)")
        connection.execute("INSERT INTO wijkgesprek_schema VALUES (8)")
        for number in range(8):
            for statement in postgres.MIGRATIONS[number]:
                connection.execute(statement)
        connection.execute(
            f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {postgres.PROFESSIONAL}"
        )
    return url


@pytest.mark.parametrize("command", COMMANDS[:3])
@pytest.mark.parametrize(
    "case",
    ["owner without CREATEROLE", "professional on an empty one", "professional on an older one"],
)
def test_a_first_start_by_the_wrong_account_is_one_sentence(
    team_url: str, server: object, case: str, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    if case == "owner without CREATEROLE":
        owner, _ = login_role(team_url)
        url = empty_database(team_url, owner).replace("postgres@", f"{owner}@", 1)
        says = "CREATEROLE"
        with without_group_roles(team_url):
            code, _, err = run(["--database", url, *command], capsys)
    else:
        postgres.prepare(team_url)  # the group roles exist on the server
        base = empty_database(team_url) if "empty" in case else older_database(team_url)
        _, url = login_role(team_url, postgres.PROFESSIONAL)
        url = base.replace("postgres@", url.split("//")[1].split("@")[0] + "@", 1)
        says = "nog leeg" if "empty" in case else "oudere versie (schema 8"
        code, _, err = run(["--database", url, *command], capsys)
    assert code == 1
    sentence = one_dutch_sentence(err)
    assert says in sentence and ("beheerder" in sentence or "superuser" in sentence)
    assert "Er is niets veranderd." in sentence
    # Nothing changed: no tables made, the older version left as it was.
    if "older" in case:
        import psycopg

        with psycopg.connect(base) as connection:
            assert connection.execute("SELECT version FROM wijkgesprek_schema").fetchone() == (8,)
    else:
        assert tables_of(url) == []


def test_an_owner_without_createrole_can_start_when_the_roles_exist(team_url: str) -> None:
    owner, _ = login_role(team_url)
    url = empty_database(team_url, owner).replace("postgres@", f"{owner}@", 1)
    postgres.prepare(team_url)  # the roles exist on this server now
    assert TeamServer(url).prepare() == SCHEMA_VERSION


def test_an_older_team_database_is_upgraded_to_the_new_search_and_rights(
    team_url: str,
) -> None:
    """Version 8 as it was: a note searched with Dutch stems, a coordinator reading note
    columns. After the owner's start the note is found as SQLite finds it, and the
    coordinator reads nothing of it any more."""
    import psycopg

    from wijkgesprek.store.search import search

    url = older_database(team_url)
    cora, cora_url = login_role(team_url, postgres.COORDINATOR)
    cora_url = url.replace("postgres@", f"{cora}@", 1)
    with psycopg.connect(url) as connection:
        connection.execute(
            f"GRANT SELECT (id, visit_id, topic, themes) ON note TO {postgres.COORDINATOR}"
        )
        connection.execute(f"GRANT SELECT ON household, visit TO {postgres.COORDINATOR}")
        connection.execute(
            "INSERT INTO household (code, wijk, children, created_at) "
            "VALUES ('GZ-800', 'Noord', '', now())"
        )
        connection.execute(
            "INSERT INTO visit (household_id, started_at) SELECT id, now() FROM household"
        )
        connection.execute(
            "INSERT INTO note (visit_id, topic, text, updated_at) "
            "SELECT id, 'stress', 'Moeder slaapt slecht sinds de uitkering stopte.', now() "
            "FROM visit"
        )
    with psycopg.connect(cora_url) as connection:
        assert connection.execute("SELECT topic FROM note").fetchall() == [("stress",)]
    assert TeamServer(url).prepare() == SCHEMA_VERSION
    with opened(url) as owner:
        for typed in ("slaap", "uit", "sinds de"):
            assert [hit.household_code for hit in owner.run(search, text=typed)] == ["GZ-800"]
    for attempt in ("SELECT topic FROM note", "SELECT code FROM household", "SELECT * FROM visit"):
        with (
            psycopg.connect(cora_url) as connection,
            pytest.raises(psycopg.errors.InsufficientPrivilege),
        ):
            connection.execute(attempt)
