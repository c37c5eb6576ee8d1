"""What a colleague with a visit open must never meet silently on the team database
(issue 21, points 1 and 2): a take-over by ``migreer``/``import --neem-over`` raises the
note's version, so their next save merges instead of overwriting it; and a visit that was
finished is finished on the server too, so their text becomes an addition instead.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pgserver
import psycopg
import pytest
from helpers import SIZE, start_visit, type_text, wait_until

from wijkgesprek import connection, paths
from wijkgesprek.app import WijkgesprekApp
from wijkgesprek.cli import main
from wijkgesprek.content.questions import load_guide
from wijkgesprek.domain.household import Children
from wijkgesprek.errors import Finished
from wijkgesprek.exchange.handover import to_handover
from wijkgesprek.screens.visit import VisitScreen
from wijkgesprek.store import postgres, repo
from wijkgesprek.store.engine import Store
from wijkgesprek.store.handover import referral_extras
from wijkgesprek.store.outbox import OUTBOX_NAME, Outbox, Pending, write_one
from wijkgesprek.store.target import TeamServer

NOW = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)
CODE = "GZ-210"


def team_and_laptop(team: Store, store: Store) -> int:
    """The same visit on the laptop and in the team database, with another text in each;
    the team's note at version 1. Returns the team's visit id."""
    visits = {}
    for target, text in ((store, "Versie laptop."), (team, "Versie team.")):
        visits[target] = target.run(
            repo.start_visit, code=CODE, wijk="Oost", children=Children(), now=NOW
        )
        target.run(repo.save_note, visit_id=visits[target], topic="stress", text=text, now=NOW)
    return visits[team]


def colleague_types_on(team: Store, visit: int) -> str:
    """A colleague had the note open at version 1 and typed on: their next save."""
    mine = "Versie team. En de huur is omhoog."
    item = Pending(visit, "stress", mine, 1, NOW, base_text="Versie team.")
    return write_one(item, team, now=lambda: NOW).text


def test_migreer_neem_over_raises_the_version_so_a_colleague_merges(
    team: Store, team_url: str, store: Store
) -> None:
    visit = team_and_laptop(team, store)
    assert main(["migreer", "--naar", team_url, "--neem-over"]) == 0
    note = team.run(repo.get_visit, visit_id=visit).notes["stress"]
    assert (note.text, note.version) == ("Versie laptop.", 2)
    saved = colleague_types_on(team, visit)
    # Neither is lost: the taken-over text and what the colleague typed on.
    assert "Versie laptop." in saved and "En de huur is omhoog." in saved


def test_import_neem_over_raises_the_version_so_a_colleague_merges(
    team: Store, team_url: str, store: Store, tmp_path: Path
) -> None:
    visit = team_and_laptop(team, store)
    history = store.run(repo.get_household, code=CODE)
    file = tmp_path / "overdracht.json"
    data = to_handover(history, extras=store.run(referral_extras, code=CODE))
    file.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    assert main(["--database", team_url, "import", str(file), "--neem-over"]) == 0
    note = team.run(repo.get_visit, visit_id=visit).notes["stress"]
    assert (note.text, note.version) == ("Versie laptop.", 2)
    saved = colleague_types_on(team, visit)
    assert "Versie laptop." in saved and "En de huur is omhoog." in saved


# -- a finished visit is finished on the server too -------------------------------------


def finished_visit(either: Store) -> int:
    """A visit with a note at version 1 ("Eerste."), finished at NOW + 1 h."""
    visit = either.run(repo.start_visit, code=CODE, wijk="Oost", children=Children(), now=NOW)
    either.run(repo.save_note, visit_id=visit, topic="stress", text="Eerste.", now=NOW, base=0)
    either.run(repo.end_visit, visit_id=visit, now=NOW + timedelta(hours=1))
    return visit


def test_the_server_refuses_to_change_a_note_of_a_finished_visit(
    team: Store, team_url: str
) -> None:
    """Also an app that does not ask first (an older version, a stray script): the
    server itself refuses, with its own error code."""
    visit = finished_visit(team)
    with psycopg.connect(team_url) as connection:
        for statement in (
            "UPDATE note SET text = 'Overschreven.' WHERE visit_id = %s",
            "INSERT INTO note (visit_id, topic, text, updated_at) "
            "VALUES (%s, 'dromen', 'x', now())",
        ):
            with pytest.raises(psycopg.DatabaseError) as refused:
                connection.execute(statement, (visit,))
            assert refused.value.sqlstate == "WK001"
            connection.rollback()
    assert team.run(repo.get_visit, visit_id=visit).notes["stress"].text == "Eerste."


def test_saving_a_note_of_a_finished_visit_is_finished(either: Store) -> None:
    visit = finished_visit(either)
    with pytest.raises(Finished) as finished:
        either.run(repo.save_note, visit_id=visit, topic="stress", text="Later.", now=NOW, base=1)
    assert finished.value.at == NOW + timedelta(hours=1)
    assert "afgerond" in str(finished.value)


def test_what_a_colleague_typed_after_the_end_becomes_an_addition(either: Store) -> None:
    visit = finished_visit(either)
    item = Pending(visit, "stress", "Eerste. Daarna nog getypt.", 1, NOW, base_text="Eerste.")
    written = write_one(item, either, now=lambda: NOW + timedelta(hours=2))
    assert written.finished and written.text == "Eerste."  # the note as it stays
    record = either.run(repo.get_household, code=CODE).visits[0]
    assert record.record.notes["stress"].text == "Eerste."
    (addition,) = record.corrections
    assert (addition.topic, addition.text) == (
        "stress",
        "Geschreven nadat het bezoek was afgerond:\nDaarna nog getypt.",
    )
    # Nothing new typed: nothing added.
    again = Pending(visit, "stress", "Eerste.", 1, NOW, base_text="Eerste.")
    assert write_one(again, either).finished
    assert len(either.run(repo.get_household, code=CODE).visits[0].corrections) == 1


def test_as_professionals_the_refusal_holds_and_the_addition_names_its_author(
    team: Store, team_url: str
) -> None:
    """With the team's own rights (not the owner's): the server's rule refuses with its
    own code, not for want of a right, and the addition is the colleague's (point 11)."""
    from test_access_log import login

    (anna, anna_url), (bert, bert_url) = (login(team_url, postgres.PROFESSIONAL) for _ in range(2))
    anna_store, bert_store = Store(TeamServer(anna_url)), Store(TeamServer(bert_url))
    try:
        visit = finished_visit(anna_store)
        with pytest.raises(Finished):
            bert_store.run(
                repo.save_note, visit_id=visit, topic="stress", text="Later.", now=NOW, base=1
            )
        with psycopg.connect(bert_url) as connection:
            with pytest.raises(psycopg.DatabaseError) as refused:
                connection.execute(
                    "UPDATE note SET text = 'Overschreven.' WHERE visit_id = %s", (visit,)
                )
            assert refused.value.sqlstate == "WK001"
        item = Pending(visit, "stress", "Eerste. Van bert.", 1, NOW, base_text="Eerste.")
        assert write_one(item, bert_store, now=lambda: NOW + timedelta(hours=2)).finished
        (addition,) = team.run(repo.get_household, code=CODE).visits[0].corrections
        assert addition.author == bert != anna
    finally:
        anna_store.engine.dispose()
        bert_store.engine.dispose()


def test_an_import_still_brings_in_finished_visits(
    team: Store, team_url: str, store: Store
) -> None:
    """The server's rule has one way around it, for ``import`` and ``migreer``: a
    finished visit comes in whole, and ``--neem-over`` replaces its notes."""
    finished_visit(store)
    visit = finished_visit(team)
    store_visit = store.run(repo.get_household, code=CODE).visits[0].record.id
    with store.engine.begin() as connection:  # the laptop's version differs
        from sqlalchemy import text

        connection.execute(
            text("UPDATE note SET text = 'Versie laptop.' WHERE visit_id = :v"), {"v": store_visit}
        )
    assert main(["migreer", "--naar", team_url, "--neem-over"]) == 0
    assert team.run(repo.get_visit, visit_id=visit).notes["stress"].text == "Versie laptop."
    assert main(["migreer", "--naar", team_url]) == 0  # now the same


@pytest.fixture
def team_app(team: Store) -> WijkgesprekApp:
    assert isinstance(team.target, TeamServer)
    return WijkgesprekApp(
        guide=load_guide(paths.shipped_questions()),
        database=team.target,
        outbox=Outbox(paths.data_dir() / OUTBOX_NAME, team.target.url),
    )


async def test_a_colleague_still_in_a_finished_visit_is_told_and_keeps_the_text(
    team_app: WijkgesprekApp, team: Store
) -> None:
    from textual.widgets import Static

    app = team_app
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_visit(pilot, code="GZ-211")
        await type_text(pilot, "Eerste.")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: saved(app, screen))
        # A colleague closes the visit on their laptop.
        team.run(repo.end_visit, visit_id=screen.visit_id, now=datetime.now(UTC))
        await type_text(pilot, " Nog iets over de huur.")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: screen.finished)
        messages = [n.message for n in app._notifications]
        assert any("Dit bezoek is intussen afgerond" in m and "aanvulling" in m for m in messages)
        assert str(screen.query_one("#note-state", Static).render()).startswith(
            "afgerond · als aanvulling bewaard"
        )
        await type_text(pilot, " Meer.")  # nothing more is typed into it
        assert screen.note.text == "Eerste. Nog iets over de huur."
        await pilot.press("f4")  # agreements of a finished visit: said, not opened
        assert app.screen is screen
        assert any("een aanvulling maakt u" in n.message.lower() for n in app._notifications)
        assert not app.connection.waiting()
    visit = team.run(repo.get_household, code="GZ-211").visits[0]
    assert visit.record.notes["kennismaking"].text == "Eerste."
    assert [c.text for c in visit.corrections] == [
        "Geschreven nadat het bezoek was afgerond:\nNog iets over de huur."
    ]


def saved(app: WijkgesprekApp, screen: VisitScreen) -> bool:
    """Whether the note on the screen is on the server (nothing typed only on the
    screen, nothing waiting on the laptop)."""
    return not screen._dirty and not app.connection.waiting()


async def test_notes_kept_offline_for_a_visit_finished_meanwhile_become_additions(
    team_app: WijkgesprekApp, team: Store, server: pgserver.Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(connection, "PROBE_DELAY", 0.2)
    app = team_app
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_visit(pilot, code="GZ-212")
        await type_text(pilot, "Eerste.")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: saved(app, screen))
        with server.stopped():
            await type_text(pilot, " Offline getypt.")
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: app.connection.offline and not screen._dirty)
        # Before this laptop is back, a colleague finishes the visit.
        team.engine.dispose()
        team.run(repo.end_visit, visit_id=screen.visit_id, now=datetime.now(UTC))
        await wait_until(pilot, lambda: not app.connection.offline and screen.finished, 30)
        messages = [n.message for n in app._notifications]
        assert any("intussen is afgerond" in m and "aanvulling" in m for m in messages)
        assert not app.connection.waiting()
    visit = team.run(repo.get_household, code="GZ-212").visits[0]
    assert visit.record.notes["kennismaking"].text == "Eerste."
    assert [c.text for c in visit.corrections] == [
        "Geschreven nadat het bezoek was afgerond:\nOffline getypt."
    ]
