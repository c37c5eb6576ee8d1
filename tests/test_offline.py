"""Working on while the team database cannot be reached: notes wait in a private file on
the laptop (the outbox) and are written, with the version check, when the server is back.

The app tests stop the real test server (``pgserver.Server.pause``) and start it again.
"""

from __future__ import annotations

import stat
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pgserver
import pytest
from helpers import SIZE, notifications, start_visit, type_text, wait_until
from netproxy import FreezingProxy

from wijkgesprek import connection, paths
from wijkgesprek.app import WijkgesprekApp
from wijkgesprek.cli.main import main
from wijkgesprek.content.questions import load_guide
from wijkgesprek.domain.household import Children
from wijkgesprek.domain.merge import marker
from wijkgesprek.store import repo
from wijkgesprek.store.engine import Store
from wijkgesprek.store.outbox import OUTBOX_NAME, Outbox, Written, send, write_one
from wijkgesprek.store.target import TeamServer

NOW = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)


@pytest.fixture
def outbox(isolated_home: Path) -> Outbox:
    return Outbox(paths.data_dir() / OUTBOX_NAME, "postgresql://team@server/wijk")


def test_the_outbox_keeps_the_newest_text_on_the_first_version(outbox: Outbox) -> None:
    assert outbox.pending() == []  # no file yet: nothing waits
    outbox.keep(visit_id=7, topic="stress", text="Huur", base=3, now=NOW)
    outbox.keep(visit_id=7, topic="stress", text="Huur te hoog", base=4, now=NOW)
    outbox.keep(visit_id=7, topic="netwerk", text="Oma helpt", base=0, now=NOW)
    waiting = {(p.topic, p.text, p.base) for p in outbox.pending()}
    assert waiting == {("stress", "Huur te hoog", 3), ("netwerk", "Oma helpt", 0)}
    assert stat.S_IMODE(outbox.path.stat().st_mode) == 0o600
    # Another team database does not see these notes.
    assert Outbox(outbox.path, "postgresql://team@ander/wijk").pending() == []


@pytest.mark.parametrize(
    ("written", "waits"),
    [
        (Written(7, "stress", "Huur", 2, merged=False), "Huur en meer"),
        # Merged with a colleague's version: the newer text goes on from the merged one.
        (
            Written(7, "stress", "Huur\n— tegelijk —\nCollega.", 2, merged=True, by="bert"),
            "Huur en meer\n— tegelijk —\nCollega.",
        ),
    ],
    ids=["geschreven", "samengevoegd"],
)
def test_a_note_typed_on_while_sending_stays_in_the_outbox(
    outbox: Outbox, written: Written, waits: str
) -> None:
    outbox.keep(
        visit_id=7, topic="stress", text="Huur", base=1, base_text="Hu", now=NOW, trying=True
    )
    (sent,) = outbox.pending()
    outbox.keep(visit_id=7, topic="stress", text="Huur en meer", base=1, now=NOW)
    outbox.done(sent, written)  # the older text was written as version 2
    (waiting,) = outbox.pending()
    # It continues from what was written; after a merge, with the colleague's part in it,
    # so the next send merges nothing again.
    assert (waiting.text, waiting.base, waiting.base_text) == (waits, 2, written.text)


def test_keeping_reads_and_writes_the_row_in_one_go(outbox: Outbox) -> None:
    """The sending thread marks what it sends while the screen keeps newer text: keep
    holds the outbox from its read to its write, so neither loses the other's change."""
    import sqlite3
    import threading

    outbox.keep(visit_id=7, topic="stress", text="Een", base=1, now=NOW)
    original, blocked = Outbox._row, []

    def row(self: Outbox, connection: sqlite3.Connection, visit_id: int, topic: str) -> object:
        def other_writer() -> None:
            try:
                with sqlite3.connect(outbox.path, timeout=0.1) as other:
                    other.execute("UPDATE pending SET tried = '[]'")
                blocked.append(False)  # it got in between
            except sqlite3.OperationalError as error:
                blocked.append("locked" in str(error))

        thread = threading.Thread(target=other_writer)
        thread.start()
        thread.join()
        return original(self, connection, visit_id, topic)

    Outbox._row = row  # type: ignore[assignment,method-assign]
    try:
        outbox.keep(visit_id=7, topic="stress", text="Een twee", base=1, now=NOW, trying=True)
    finally:
        Outbox._row = original  # type: ignore[method-assign]
    assert blocked and all(blocked)


def test_a_screen_that_had_not_heard_of_a_send_follows_it(outbox: Outbox, store: Store) -> None:
    visit = store.run(repo.start_visit, code="GZ-405", wijk="Noord", children=Children(), now=NOW)
    store.run(repo.save_note, visit_id=visit, topic="stress", text="Een", now=NOW, base=0)
    outbox.keep(visit_id=visit, topic="stress", text="Een twee", base=1, now=NOW)
    assert send(outbox, store, now=lambda: NOW).written[0].version == 2
    # The screen, still on version 1, saves what was typed on (as Connection.save_note).
    item = outbox.keep(
        visit_id=visit, topic="stress", text="Een twee drie", base=1, now=NOW, trying=True
    )
    written = write_one(item, store, now=lambda: NOW)
    assert not written.merged
    assert store.run(repo.get_visit, visit_id=visit).notes["stress"].text == "Een twee drie"


def test_sending_writes_merges_and_drops_what_was_erased(outbox: Outbox, either: Store) -> None:
    start = {"wijk": "Noord", "children": Children(), "now": NOW}
    mine = either.run(repo.start_visit, code="GZ-401", **start)
    theirs = either.run(repo.start_visit, code="GZ-402", **start)
    erased = either.run(repo.start_visit, code="GZ-403", **start)
    either.run(repo.save_note, visit_id=theirs, topic="stress", text="Oud.", now=NOW, base=0)
    # Offline, on version 1, I wrote on; meanwhile a colleague saved version 2.
    outbox.keep(visit_id=mine, topic="stress", text="Alleen van mij", base=0, now=NOW)
    outbox.keep(
        visit_id=theirs, topic="stress", text="Oud. Mijn deel.", base=1, base_text="Oud.", now=NOW
    )
    outbox.keep(visit_id=erased, topic="stress", text="Weg", base=0, now=NOW)
    either.run(
        repo.save_note, visit_id=theirs, topic="stress", text="Oud. Collega.", now=NOW, base=1
    )
    either.run(repo.erase_household, code="GZ-403")

    result = send(outbox, either, now=lambda: NOW)

    assert (len(result.written), len(result.merged), len(result.dropped)) == (2, 1, 1)
    assert either.run(repo.get_visit, visit_id=mine).notes["stress"].text == "Alleen van mij"
    merged = either.run(repo.get_visit, visit_id=theirs).notes["stress"].text
    # Three-way, on the text I started from: "Oud." once, both additions, a marker
    # naming the colleague (the login role; on SQLite another window) and the time.
    who = "postgres" if isinstance(either.target, TeamServer) else ""
    assert merged == f"Oud. Mijn deel.\n{marker(who, NOW)}\nCollega."
    assert outbox.pending() == []


def test_a_save_that_landed_after_all_is_not_taken_for_a_colleagues(
    outbox: Outbox, either: Store
) -> None:
    visit = either.run(repo.start_visit, code="GZ-404", wijk="Noord", children=Children(), now=NOW)
    either.run(repo.save_note, visit_id=visit, topic="stress", text="Een", now=NOW, base=0)
    # "Een twee" went into the outbox and to the server, which did not answer in time;
    # "Een twee drie" followed offline. Then the save landed after all, as version 2.
    # The outbox remembers what it tried, also after a restart of the app.
    outbox.keep(visit_id=visit, topic="stress", text="Een twee", base=1, now=NOW, trying=True)
    outbox.keep(visit_id=visit, topic="stress", text="Een twee drie", base=1, now=NOW)
    either.run(repo.save_note, visit_id=visit, topic="stress", text="Een twee", now=NOW, base=1)

    result = send(outbox, either, now=lambda: NOW)

    assert (len(result.written), result.merged) == (1, [])
    assert either.run(repo.get_visit, visit_id=visit).notes["stress"].text == "Een twee drie"


@pytest.mark.parametrize("told", [True, False], ids=["gehoord", "niet-gehoord"])
def test_text_typed_on_while_a_merge_landed_is_not_merged_twice(
    outbox: Outbox, either: Store, told: bool
) -> None:
    """A save merged with a colleague's version while more was typed on this laptop: the
    newer text continues from the merged version (it is not merged again on the old one,
    which put the first piece in twice with a marker naming the writer herself: issue 21).
    Also when the merged save landed after the app stopped waiting for it (``told``
    False: nobody marked it done)."""
    visit = either.run(repo.start_visit, code="GZ-406", wijk="Noord", children=Children(), now=NOW)
    either.run(repo.save_note, visit_id=visit, topic="stress", text="Start.", now=NOW, base=0)
    item = outbox.keep(
        visit_id=visit,
        topic="stress",
        text="Start. A1",
        base=1,
        base_text="Start.",
        now=NOW,
        trying=True,
    )
    either.run(repo.save_note, visit_id=visit, topic="stress", text="Start. B1", now=NOW, base=1)
    written = write_one(item, either, now=lambda: NOW, outbox=outbox)
    assert written.merged and written.conflicts == 1
    outbox.keep(visit_id=visit, topic="stress", text="Start. A1 A2", base=1, now=NOW)
    if told:
        outbox.done(item, written)

    send(outbox, either, now=lambda: NOW)

    note = either.run(repo.get_visit, visit_id=visit).notes["stress"].text
    assert [note.count(piece) for piece in ("Start.", "A1", "A2", "B1")] == [1, 1, 1, 1], note
    assert note.count("tegelijk geschreven") == 1, note
    assert outbox.pending() == []


def test_a_sender_given_up_that_lands_late_does_not_write_over_a_newer_text(
    outbox: Outbox, either: Store
) -> None:
    """A sender given up (it waited on a colleague's lock) while the next one went on:
    when the lock goes, the older text arrives after the newer one. It is recognised as
    older, not merged as a colleague's (before: a marker naming the writer herself)."""
    visit = either.run(repo.start_visit, code="GZ-407", wijk="Noord", children=Children(), now=NOW)
    either.run(repo.save_note, visit_id=visit, topic="stress", text="Een", now=NOW, base=0)
    keep = {"visit_id": visit, "topic": "stress", "base": 1, "base_text": "Een", "now": NOW}
    older = outbox.keep(text="Een twee en me", trying=True, **keep)
    newer = outbox.keep(text="Een twee en mee", trying=True, **keep)
    outbox.done(newer, write_one(newer, either, now=lambda: NOW, outbox=outbox))

    late = write_one(older, either, now=lambda: NOW, outbox=outbox)
    outbox.done(older, late)

    assert not late.merged
    note = either.run(repo.get_visit, visit_id=visit).notes["stress"]
    assert (note.text, note.version) == ("Een twee en mee", 2)
    assert outbox.pending() == []


def test_a_note_colleagues_keep_saving_is_busy_not_refused(
    outbox: Outbox, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A colleague saved again each time this note was merged with theirs: it waits and
    the sender goes again, without telling the professional that saving fails."""
    from wijkgesprek.errors import SaveConflict
    from wijkgesprek.store import outbox as outbox_module

    def always_again(*_: object, **__: object) -> Written:
        raise SaveConflict(theirs="Collega", by="bert", version=9)

    monkeypatch.setattr(outbox_module, "write_one", always_again)
    outbox.keep(visit_id=7, topic="stress", text="Huur", base=1, now=NOW)
    sent = send(outbox, store, now=lambda: NOW)
    assert [item.text for item in sent.busy] == ["Huur"] and sent.refused == []
    assert [p.text for p in outbox.pending()] == ["Huur"]


@pytest.fixture
def team_app(team: Store, monkeypatch: pytest.MonkeyPatch) -> Iterator[WijkgesprekApp]:
    assert isinstance(team.target, TeamServer)
    monkeypatch.setattr(connection, "PROBE_DELAY", 0.2)  # try again quickly in tests
    yield WijkgesprekApp(
        guide=load_guide(paths.shipped_questions()),
        database=team.target,
        outbox=Outbox(paths.data_dir() / OUTBOX_NAME, team.target.url),
    )


async def test_a_dropped_connection_loses_nothing_and_says_offline(
    team_app: WijkgesprekApp, team: Store, server: pgserver.Server
) -> None:
    from textual.widgets import Static

    from wijkgesprek.screens.visit import VisitScreen

    app, outbox = team_app, team_app.connection.outbox
    assert outbox is not None
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_visit(pilot, code="GZ-410")
        await type_text(pilot, "Eerste")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not screen.unsaved)
        with server.stopped():
            await type_text(pilot, " en offline")
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: app.connection.offline and not screen.unsaved)
            assert app.title == "wijkgesprek · offline"
            state = str(screen.query_one("#note-state", Static).render())
            assert state.startswith("offline bewaard")
            assert [p.text for p in outbox.pending()] == ["Eerste en offline"]
            await pilot.press("f4")  # agreements need the server: said, not opened
            assert isinstance(app.screen, VisitScreen)
            assert any("pas weer als" in said for said in notifications(app))
            await type_text(pilot, " verder")  # typing goes on, into the outbox
            await wait_until(pilot, lambda: not screen.unsaved)
        await wait_until(pilot, lambda: not app.connection.offline, seconds=30)  # a few probes
        assert app.title == "wijkgesprek"
        messages = notifications(app)
        assert any("is terug" in m for m in messages)
        assert not any("niet bereikbaar" in m for m in messages)  # no longer true: gone
        assert outbox.pending() == []
    note = team.run(repo.get_visit, visit_id=screen.visit_id).notes["kennismaking"]
    assert note.text == "Eerste en offline verder"


async def test_quitting_offline_keeps_the_note_for_the_next_start(
    team_app: WijkgesprekApp,
    team: Store,
    server: pgserver.Server,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from wijkgesprek.screens.visit import VisitScreen

    app, outbox = team_app, team_app.connection.outbox
    assert outbox is not None
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_visit(pilot, code="GZ-411")
        with server.stopped():
            # Noticed by a screen that reads: not opened, the app goes offline.
            await pilot.press("f4")
            await wait_until(
                pilot, lambda: app.connection.offline and isinstance(app.screen, VisitScreen)
            )
            await type_text(pilot, "Net voor het stoppen")
            await pilot.press("ctrl+q")
            await wait_until(pilot, lambda: not app.is_running)
    assert [p.text for p in outbox.pending()] == ["Net voor het stoppen"]
    assert "1 aantekening(en) staan nog op deze laptop" in capsys.readouterr().err

    # The next start writes it, then says so.
    again = WijkgesprekApp(guide=app.guide, database=app.database, outbox=outbox)
    async with again.run_test(size=SIZE) as pilot:
        await wait_until(  # sent in a thread; then said on the screen
            pilot,
            lambda: any("nu in de teamdatabase gezet" in said for said in notifications(again)),
        )
        assert not outbox.pending()
    note = team.run(repo.get_visit, visit_id=screen.visit_id).notes["kennismaking"]
    assert note.text == "Net voor het stoppen"


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[WijkgesprekApp]:
    """The apps the command line would run (not run: no terminal in the tests)."""
    apps: list[WijkgesprekApp] = []
    monkeypatch.setattr(WijkgesprekApp, "run", lambda self, *a, **k: apps.append(self))
    return apps


def test_a_start_without_server_opens_offline(
    started: list[WijkgesprekApp], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Notes wait on the laptop, or the professional only wants to write: the app opens
    offline (before: one sentence and an exit, after a blank screen for 12 s)."""
    url = f"postgresql://postgres@/wijk?host={tmp_path}"  # no server listens there
    Outbox(paths.data_dir() / OUTBOX_NAME, url).keep(
        visit_id=1, topic="stress", text="Geheime zin", base=0, now=NOW
    )
    assert main(["--database", url]) == 0
    (app,) = started
    assert app.chores.offline and app.connection.outbox is not None
    assert "Geheime zin" not in capsys.readouterr().err


def test_a_start_on_a_hanging_network_does_not_wait(
    started: list[WijkgesprekApp], team_url: str, team: Store, proxy: FreezingProxy
) -> None:
    import time

    proxy.freeze()  # the server is there, the network passes nothing
    begun = time.monotonic()
    assert main(["--database", proxy.url(team_url.split("@/")[1].split("?")[0])]) == 0
    assert time.monotonic() - begun < 6  # START_WAIT and the rest of the start
    assert started[0].chores.offline
    proxy.thaw()


async def test_a_start_offline_while_the_list_is_read_shows_the_offline_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The list of households is asked for while the start finds the server gone (the
    walk at 80x24 met it): the home says where the households are, and no "this must
    wait" follows the offline notice, as nothing was asked."""
    from textual.widgets import Static

    from wijkgesprek.errors import Unreachable
    from wijkgesprek.screens.home import HomeScreen

    url = f"postgresql://postgres@/wijk?host={tmp_path}"  # no server listens there
    app = WijkgesprekApp(
        guide=load_guide(paths.shipped_questions()),
        database=TeamServer(url),
        outbox=Outbox(paths.data_dir() / OUTBOX_NAME, url),
        offline=True,
    )

    def run(*_: object, **__: object) -> None:  # the start went offline meanwhile
        app.connection.offline = True
        raise Unreachable("de teamdatabase antwoordt niet")

    monkeypatch.setattr(app.connection, "run", run)
    async with app.run_test(size=SIZE) as pilot:
        home = app.screen
        assert isinstance(home, HomeScreen)
        status = home.query_one("#home-status", Static)
        await wait_until(pilot, lambda: "Offline" in str(status.render()))
        await pilot.pause()
        assert not any("Dit kan pas weer" in said for said in notifications(app))


async def test_started_offline_a_new_visit_is_written_and_sent_when_the_server_answers(
    team: Store, server: pgserver.Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.widgets import Static

    from wijkgesprek.screens.home import HomeScreen

    monkeypatch.setattr(connection, "PROBE_DELAY", 0.3)
    assert isinstance(team.target, TeamServer)
    outbox = Outbox(paths.data_dir() / OUTBOX_NAME, team.target.address)
    outbox.keep(visit_id=999, topic="stress", text="Van de vorige keer", base=0, now=NOW)
    team.engine.dispose()
    with server.stopped():
        app = WijkgesprekApp(
            guide=load_guide(paths.shipped_questions()),
            database=team.target,
            outbox=outbox,
            offline=True,
        )
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(pilot, lambda: app.title == "wijkgesprek · offline")
            home = app.screen
            assert isinstance(home, HomeScreen)
            status = home.query_one("#home-status", Static)
            await wait_until(pilot, lambda: "Offline" in str(status.render()))
            messages = [n.message for n in app._notifications]
            assert any("werkt offline" in m and "1 aantekening(en)" in m for m in messages)
            # Only that: the list not shown is no "this must wait" (nothing was asked).
            assert not any("Dit kan pas weer" in m for m in messages)
            screen = await start_visit(pilot, code="GZ-430")
            assert screen.visit_id < 0  # on this laptop until the server starts it
            await type_text(pilot, "Offline begonnen")
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: not screen._dirty)
            assert str(screen.query_one("#note-state", Static).render()).startswith(
                "offline bewaard"
            )
            server.resume()  # the server is back: prepared, the visit started, notes sent
            try:
                await wait_until(pilot, lambda: not app.connection.offline, 30)
                await wait_until(
                    pilot, lambda: screen.visit_id > 0 and not app.connection.waiting()
                )
                await type_text(pilot, " en verder")
                await pilot.press("ctrl+s")
                await wait_until(pilot, lambda: not screen._dirty and not app.connection.waiting())
            finally:
                server.pause()  # as the block expects
    history = team.run(repo.get_household, code="GZ-430")
    assert history.visits[0].record.notes["kennismaking"].text == "Offline begonnen en verder"


async def test_a_network_that_stops_answering_never_holds_up_typing(
    team_url: str, team: Store, proxy: FreezingProxy, monkeypatch: pytest.MonkeyPatch
) -> None:

    monkeypatch.setattr(connection, "PROBE_DELAY", 0.2)
    url = proxy.url(team_url.split("@/")[1].split("?")[0])
    outbox = Outbox(paths.data_dir() / OUTBOX_NAME, url)
    app = WijkgesprekApp(
        guide=load_guide(paths.shipped_questions()), database=TeamServer(url), outbox=outbox
    )
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_visit(pilot, code="GZ-412")
        await type_text(pilot, "Een")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not screen.unsaved)
        proxy.freeze()  # no error, no answer: the save is given up after SAVE_TIMEOUT
        try:
            await type_text(pilot, " twee")
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: app.connection.offline and not screen.unsaved)
            assert [p.text for p in outbox.pending()] == ["Een twee"]
            await type_text(pilot, " drie")
            await wait_until(pilot, lambda: outbox.pending()[0].text == "Een twee drie")
        finally:
            proxy.thaw()  # the given-up save lands now, and the outbox follows it
        await wait_until(pilot, lambda: not app.connection.offline and not outbox.pending())
        assert not any("Beide versies" in said for said in notifications(app))
    note = team.run(repo.get_visit, visit_id=screen.visit_id).notes["kennismaking"]
    assert note.text == "Een twee drie"


def test_an_outbox_of_an_earlier_version_is_read(outbox: Outbox) -> None:
    """An outbox written before notes kept the text they started from: its rows are
    read (merged on an empty start when a colleague saved meanwhile, nothing lost)."""
    import sqlite3

    outbox.path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(outbox.path) as old:
        old.execute(
            "CREATE TABLE pending (database TEXT NOT NULL, visit_id INTEGER NOT NULL, "
            "topic TEXT NOT NULL, text TEXT NOT NULL, base INTEGER NOT NULL, "
            "tried TEXT NOT NULL DEFAULT '[]', kept_at TEXT NOT NULL, "
            "PRIMARY KEY (database, visit_id, topic))"
        )
        old.execute(
            "INSERT INTO pending VALUES (?, 7, 'stress', 'Huur', 2, '[]', ?)",
            (outbox.database, NOW.isoformat()),
        )
    old.close()
    (waiting,) = outbox.pending()
    assert (waiting.text, waiting.base, waiting.base_text) == ("Huur", 2, "")
    outbox.keep(visit_id=7, topic="stress", text="Huur te hoog", base=2, base_text="x", now=NOW)
    assert [(p.text, p.base_text) for p in outbox.pending()] == [("Huur te hoog", "")]
