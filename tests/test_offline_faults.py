"""The hard cases of working offline: a server that holds a note, a network that hangs,
a server that refuses writes, a laptop disk that fails, a visit opened again, a damaged
outbox. Each found in a review; each fails without its protection."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

import pgserver
import psycopg
import pytest
from helpers import SIZE, notifications, start_visit, type_text, wait_until
from netproxy import FreezingProxy
from textual.pilot import Pilot

from wijkgesprek import connection, paths
from wijkgesprek.app import WijkgesprekApp
from wijkgesprek.cli.main import main
from wijkgesprek.content.questions import load_guide
from wijkgesprek.screens import note_screen
from wijkgesprek.screens.visit import VisitScreen
from wijkgesprek.store import repo
from wijkgesprek.store.engine import Store
from wijkgesprek.store.outbox import OUTBOX_NAME, Outbox, Sent, Written
from wijkgesprek.store.target import TeamServer

NOW = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(connection, "PROBE_DELAY", 0.3)
    monkeypatch.setattr(note_screen, "RETRY_DELAY", 0.3)


def app_for(url: str) -> WijkgesprekApp:
    return WijkgesprekApp(
        guide=load_guide(paths.shipped_questions()),
        database=TeamServer(url),
        outbox=Outbox(paths.data_dir() / OUTBOX_NAME, url),
    )


@pytest.fixture
def app(team: Store) -> WijkgesprekApp:
    """The app on the team database, with its outbox."""
    assert isinstance(team.target, TeamServer)
    return app_for(team.target.url)


async def begin(pilot: Pilot[None], code: str) -> VisitScreen:
    """A new visit whose first note ("Eerste") is on the server."""
    screen = await start_visit(pilot, code=code)
    await type_text(pilot, "Eerste")
    await pilot.press("ctrl+s")
    await wait_until(pilot, lambda: not screen.unsaved)
    return screen


def database_name(team_url: str) -> str:
    return team_url.split("@/")[1].split("?")[0]


def server_text(team: Store, visit_id: int) -> str:
    team.engine.dispose()  # the server may have been restarted meanwhile
    return team.run(repo.get_visit, visit_id=visit_id).notes["kennismaking"].text


def read_only(team_url: str, on: bool) -> None:
    """Make the team database refuse (or accept again) every write, as a server in
    maintenance does; its sessions are ended so the app's next one sees it."""
    name = database_name(team_url)
    admin_url = team_url.replace(f"/{name}?", "/postgres?")
    with psycopg.connect(admin_url, autocommit=True) as admin:
        value = "on" if on else "off"
        admin.execute(f"ALTER DATABASE {name} SET default_transaction_read_only = {value}")
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,)
        )


async def test_a_visit_opened_again_shows_what_still_waits(
    app: WijkgesprekApp, team: Store, server: pgserver.Server
) -> None:
    outbox = app.connection.outbox
    assert outbox is not None
    async with app.run_test(size=SIZE) as pilot:
        screen = await begin(pilot, "GZ-420")
        with server.stopped():
            await type_text(pilot, " en offline")
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: app.connection.offline and not screen.unsaved)
        await pilot.press("escape", "escape")  # back to the households, and in again
        await wait_until(pilot, lambda: not app.connection.offline and not outbox.pending())
        app.push_screen(VisitScreen(screen.visit_id))
        await wait_until(
            pilot, lambda: isinstance(app.screen, VisitScreen) and app.screen is not screen
        )
        again = app.screen
        assert isinstance(again, VisitScreen)
        await wait_until(pilot, lambda: again.note.text == "Eerste en offline")
        # A note that still waits (the server refused it) is shown as it was typed.
        outbox.keep(visit_id=again.visit_id, topic="stress", text="Wacht nog", base=0, now=NOW)
        await pilot.press("escape", "escape")
        app.push_screen(VisitScreen(screen.visit_id))
        await wait_until(
            pilot, lambda: isinstance(app.screen, VisitScreen) and app.screen is not again
        )
        third = app.screen
        assert isinstance(third, VisitScreen)
        await wait_until(pilot, lambda: third.record is not None and "stress" in third.record.notes)
        assert third.record is not None
        assert third.record.notes["stress"].text == "Wacht nog"


async def test_text_that_could_not_be_kept_survives_the_reconnection(
    app: WijkgesprekApp, team: Store, server: pgserver.Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    outbox = app.connection.outbox
    assert outbox is not None
    async with app.run_test(size=SIZE) as pilot:
        screen = await begin(pilot, "GZ-421")

        def disk_full(**_: object) -> None:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(outbox, "keep", disk_full)
        with server.stopped():
            await type_text(pilot, " belangrijk")
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: app.connection.offline and screen._failing)
        await wait_until(pilot, lambda: not app.connection.offline and not screen.unsaved)
        assert screen.note.text == "Eerste belangrijk"
    assert server_text(team, screen.visit_id) == "Eerste belangrijk"


async def test_typing_goes_on_while_the_server_holds_the_note(
    app: WijkgesprekApp, team: Store, team_url: str
) -> None:
    outbox = app.connection.outbox
    assert outbox is not None
    async with app.run_test(size=SIZE) as pilot:
        screen = await begin(pilot, "GZ-422")
        holder = psycopg.connect(team_url)  # a colleague's transaction holds the note
        holder.execute("SELECT id FROM note WHERE visit_id = %s FOR UPDATE", (screen.visit_id,))
        release = threading.Timer(20.0, holder.rollback)  # never hang the test run
        release.start()
        try:
            await type_text(pilot, " tweede")
            await pilot.press("ctrl+s")  # given up after a second: offline
            await wait_until(pilot, lambda: app.connection.offline)
            # The probe reaches the server, and sending waits for the lock in a thread:
            # the keys still arrive and are kept.
            await type_text(pilot, " en meer")
            await wait_until(
                pilot, lambda: [p.text for p in outbox.pending()] == ["Eerste tweede en meer"]
            )
        finally:
            holder.rollback()
            release.cancel()
            holder.close()
        await wait_until(pilot, lambda: not app.connection.offline and not outbox.pending(), 20)
        # The given-up save may have landed when the lock went; it is not a colleague's.
        assert not any("Beide versies" in said for said in notifications(app))
    assert server_text(team, screen.visit_id) == "Eerste tweede en meer"


async def test_a_screen_that_reads_on_a_hanging_network_gives_up(
    team_url: str, team: Store, proxy: FreezingProxy
) -> None:
    app = app_for(proxy.url(database_name(team_url)))
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_visit(pilot, code="GZ-423")
        proxy.freeze()  # the pooled connection would wait for ever
        try:
            await pilot.press("f4")
            await wait_until(pilot, lambda: app.connection.offline and app.screen is screen)
            await type_text(pilot, "Door")  # and the note goes on
            await wait_until(pilot, lambda: not screen.unsaved)
        finally:
            proxy.thaw()
        await wait_until(pilot, lambda: not app.connection.offline, 20)
    assert server_text(team, screen.visit_id) == "Door"


async def test_a_server_that_refuses_writes_keeps_the_note_on_the_laptop(
    app: WijkgesprekApp, team: Store, team_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    outbox = app.connection.outbox
    assert outbox is not None
    async with app.run_test(size=SIZE) as pilot:
        screen = await begin(pilot, "GZ-425")
        read_only(team_url, on=True)
        try:
            await type_text(pilot, " en nog wat")
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: screen._failing and not screen.unsaved)
            assert not app.connection.offline  # it answers; it refuses
            assert [p.text for p in outbox.pending()] == ["Eerste en nog wat"]
            await pilot.press("ctrl+q")
            await wait_until(pilot, lambda: not app.is_running)
        finally:
            read_only(team_url, on=False)
    assert "1 aantekening(en) staan nog op deze laptop" in capsys.readouterr().err
    again = app_for(team.target.url)  # the next start sends it
    async with again.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: not outbox.pending())
    assert server_text(team, screen.visit_id) == "Eerste en nog wat"


async def test_a_server_back_but_read_only_does_not_keep_the_app_offline(
    app: WijkgesprekApp, team: Store, team_url: str, server: pgserver.Server
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_visit(pilot, code="GZ-426")
        with server.stopped():
            await type_text(pilot, "Offline")
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: app.connection.offline and not screen.unsaved)
        read_only(team_url, on=True)
        try:
            await wait_until(pilot, lambda: not app.connection.offline, seconds=30)  # a few probes
            messages = notifications(app)
            assert any("staan nog op deze laptop" in m for m in messages)
            assert app.connection.waiting() == 1
        finally:
            read_only(team_url, on=False)


async def test_news_of_an_older_send_does_not_turn_the_note_back(
    app: WijkgesprekApp, team: Store
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await begin(pilot, "GZ-427")
        await type_text(pilot, " twee")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not screen.unsaved)
        assert screen.record is not None
        version = screen.record.notes["kennismaking"].version
        # The sending thread's news of an older text arrives after the screen's own save.
        screen.notes_sent(
            Sent(written=[Written(screen.visit_id, "kennismaking", "Eerste", version - 1, False)])
        )
        await type_text(pilot, " drie")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not screen.unsaved)
    assert server_text(team, screen.visit_id) == "Eerste twee drie"


async def test_a_laptop_disk_gone_read_only_does_not_keep_the_app_offline(
    app: WijkgesprekApp, team: Store, server: pgserver.Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wijkgesprek.errors import StoreError
    from wijkgesprek.store import schema

    def read_only(folder: Path) -> None:
        raise StoreError(f"De gegevensmap {folder} is niet schrijfbaar.")

    async with app.run_test(size=SIZE) as pilot:
        screen = await begin(pilot, "GZ-428")
        with server.stopped():
            await type_text(pilot, " twee")
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: app.connection.offline and not screen.unsaved)
            monkeypatch.setattr(schema, "ensure_data_dir", read_only)  # remounted read-only
        await type_text(pilot, " drie")
        # The server answers: online again, though the outbox cannot be read; what is on
        # the screen then goes straight to the server.
        await wait_until(pilot, lambda: not app.connection.offline, seconds=30)  # a few probes
        await wait_until(pilot, lambda: not screen.unsaved)
    assert server_text(team, screen.visit_id) == "Eerste twee drie"


def test_a_damaged_outbox_at_a_start_without_server_is_one_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    box = paths.data_dir() / OUTBOX_NAME
    box.parent.mkdir(parents=True, exist_ok=True)
    box.write_bytes(b"geen database" * 100)
    assert main(["--database", f"postgresql://postgres@/wijk?host={tmp_path}"]) == 1
    error = capsys.readouterr().err
    assert "kan niet worden gelezen" in error and "Traceback" not in error
