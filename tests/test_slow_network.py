"""The team database over a real network: slow (80 and 250 ms round trip) and stalled
(issue 21, points 4 and 5). A proxy in front of the test server (``netproxy.py``) delays
every piece of data, or passes nothing on.

Typing never waits for the server: a save is kept on the laptop at once and sent by a
thread, so the UI thread is never inside a save while the server works on one, and a
slow line is not taken for a dead one (no offline and back). A stalled network is given
up after a few silent seconds, and every try after it gets a new connection of its own,
so the app is back as soon as a new connection works (before: it waited on the dead one
for more than 2 minutes).
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from helpers import SIZE, start_visit, type_text, wait_until
from netproxy import FreezingProxy

from wijkgesprek import connection, paths
from wijkgesprek.app import WijkgesprekApp
from wijkgesprek.content.questions import load_guide
from wijkgesprek.screens import note_screen
from wijkgesprek.screens.visit import VisitScreen
from wijkgesprek.store import repo
from wijkgesprek.store.engine import Store
from wijkgesprek.store.outbox import OUTBOX_NAME, Outbox
from wijkgesprek.store.target import TeamServer


def database_name(team_url: str) -> str:
    return team_url.split("@/")[1].split("?")[0]


def app_through(line: FreezingProxy, team_url: str) -> WijkgesprekApp:
    target = TeamServer(line.url(database_name(team_url)))
    return WijkgesprekApp(
        guide=load_guide(paths.shipped_questions()),
        database=target,
        outbox=Outbox(paths.data_dir() / OUTBOX_NAME, target.address),
    )


def server_text(team: Store, visit_id: int) -> str:
    return team.run(repo.get_visit, visit_id=visit_id).notes["kennismaking"].text


@pytest.fixture
def went_offline(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[float]]:
    """Every time the app goes offline."""
    import time

    times: list[float] = []
    real = connection.Connection.lost

    def lost(self: connection.Connection) -> None:
        if not self.offline:
            times.append(time.monotonic())
        real(self)

    monkeypatch.setattr(connection.Connection, "lost", lost)
    yield times


WAITING_ON_THE_SERVER = {
    connection.Connection._bounded.__code__,
    connection.Connection.write_note.__code__,
    connection.Connection.settle.__code__,
    connection.Attempt.wait.__code__,
}
"""Where the UI thread would be if it waited for the team database."""


@pytest.fixture
def saves_seen_from_the_ui(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[list[str]]]:
    """For every save of a note on the server: whether the UI thread was waiting for the
    server meanwhile (the functions on its stack that wait, if any)."""
    seen: list[list[str]] = []
    real = repo.save_note
    main = threading.main_thread()

    def save_note(**kwargs: Any) -> int:
        if threading.current_thread() is main:
            seen.append(["on the UI thread"])
        version = real(**kwargs)  # the server has it now (a round trip and more)
        frame = sys._current_frames().get(main.ident or 0)
        waiting = []
        while frame is not None:
            if frame.f_code in WAITING_ON_THE_SERVER:
                waiting.append(frame.f_code.co_name)
            frame = frame.f_back
        seen.append(waiting)
        return version

    monkeypatch.setattr(repo, "save_note", save_note)
    yield seen


@pytest.mark.parametrize("delay", [0.04, 0.125], ids=["80ms", "250ms"])
async def test_typing_never_waits_on_a_slow_line(
    team_url: str,
    team: Store,
    network: Callable[[float], FreezingProxy],
    went_offline: list[float],
    saves_seen_from_the_ui: list[list[str]],
    delay: float,
) -> None:
    app = app_through(network(delay), team_url)
    typed = "Moeder vertelt dat het goed gaat, maar het geld is krap. " * 3
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_visit(pilot, code="GZ-521")
        for word in typed.split():  # a word at a time, autosaves in between
            await type_text(pilot, word + " ")
            await pilot.pause(0.1)
        await wait_until(pilot, lambda: not screen._dirty and not app.connection.waiting(), 30)
        assert not app.connection.offline
    assert went_offline == []  # a slow line is not a dead one: no offline and back
    assert len(saves_seen_from_the_ui) >= 2  # saved while typing, not only at the end
    assert all(waiting == [] for waiting in saves_seen_from_the_ui), saves_seen_from_the_ui
    assert server_text(team, screen.visit_id) == typed


async def test_a_stalled_connection_recovers_when_new_ones_work(
    team_url: str,
    team: Store,
    proxy: FreezingProxy,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(connection, "PROBE_DELAY", 0.3)
    monkeypatch.setattr(note_screen, "RETRY_DELAY", 0.3)
    app = app_through(proxy, team_url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_visit(pilot, code="GZ-522")
        await type_text(pilot, "Een")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not screen._dirty and not app.connection.waiting())
        proxy.freeze()  # no error, no answer
        await type_text(pilot, " twee")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.connection.offline, 15)
        await pilot.press("f4")  # a screen that reads: said at once, not opened
        assert isinstance(app.screen, VisitScreen)
        # The network is back, but the connections open during the stall stay dead.
        proxy.thaw(stalled=True)
        await type_text(pilot, " drie")
        await wait_until(pilot, lambda: not app.connection.offline, 15)  # a few probes
        await wait_until(pilot, lambda: not screen._dirty and not app.connection.waiting(), 15)
    assert server_text(team, screen.visit_id) == "Een twee drie"
