"""Child of the keystroke benchmarks: ``keystroke_child.py bare|app|team KEYS GAP [WxH]``
(``team``: the app on the team database at ``BENCH_TEAM_URL``; it also reports how often
the app went offline).

Types KEYS keystrokes (after 10 unmeasured warm-up ones), waiting GAP seconds
between a frame and the next keystroke, and prints JSON: ``latencies`` (ms per
keystroke), ``saves`` (ms per autosave, wijkgesprek only) and ``note`` (the
size of the note area). A keystroke is a ``Key`` event given to the driver, as the
real input thread does; it counts as on screen when Textual hands a frame of the
current screen to the driver while the focused ``TextArea`` holds the typed text.
The bare app's ``TextArea`` gets the size WxH (the parent passes the size of the
app's note area, so both repaint the same area). Headless Textual skips turning
the frame into terminal bytes, so the hook does that work itself (and throws the
bytes away).
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

from textual._compositor import CompositorUpdate
from textual.app import App, ComposeResult
from textual.events import Key
from textual.keys import _character_to_key
from textual.pilot import Pilot
from textual.widgets import TextArea

SIZE = (100, 30)
WARMUP = 10
TEXT = "Moeder vertelt dat het goed gaat met de kinderen, maar het geld is krap. "


class FrameWatch:
    """Resolves ``done`` at the first frame showing ``expected`` in ``area``."""

    def __init__(self) -> None:
        self.area: TextArea | None = None
        self.expected = ""
        self.done: asyncio.Future[float] | None = None

    def install(self) -> None:
        display = App._display

        def frame_hook(app: App[object], screen: Any, renderable: Any) -> None:
            display(app, screen, renderable)
            if renderable is None or app._batch_count or screen is not app.screen:
                return
            if app.is_headless and isinstance(renderable, CompositorUpdate):
                renderable.render_segments(app.console)  # what the real driver would write
            done, area = self.done, self.area
            if done and not done.done() and area and area.text == self.expected:
                done.set_result(time.perf_counter())
            if area is not None and self.shown is not None:
                self.shown(len(area.text), time.perf_counter())

        App._display = frame_hook  # type: ignore[method-assign,assignment]

    shown: Callable[[int, float], None] | None = None
    """For the typist in a thread: called at every frame with the note's length."""


WATCH = FrameWatch()


class BareApp(App[None]):
    def __init__(self, size: str) -> None:
        super().__init__()
        self.area_size = size

    def compose(self) -> ComposeResult:
        yield TextArea(id="note", soft_wrap=True, show_line_numbers=False)

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        if self.area_size:
            width, height = self.area_size.split("x")
            area.styles.width, area.styles.height = int(width), int(height)
        area.focus()


async def wait_until(pilot: Pilot[Any], condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 20
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the app did not get where the benchmark expected")
        await pilot.pause(0.05)


def note_focused(app: App[Any]) -> bool:
    return isinstance(app.focused, TextArea) and app.focused.id == "note"


async def open_visit(pilot: Pilot[Any]) -> None:
    """From the home screen: a new visit for GZ-001 in Noord, a child of 4."""
    app = pilot.app
    await wait_until(pilot, lambda: type(app.screen).__name__ == "HomeScreen")
    await pilot.press("n")
    await wait_until(pilot, lambda: type(app.screen).__name__ == "NewVisitScreen")
    await pilot.press(*"GZ-001", "tab", *"Noord", "tab", "4", "enter")
    await pilot.pause(0.2)
    if type(app.screen).__name__ == "NewVisitScreen":  # Noord is no known wijk: confirm
        await pilot.press("ctrl+n")
    await wait_until(
        pilot, lambda: type(app.screen).__name__ == "VisitScreen" and note_focused(app)
    )


async def type_keys(
    app: App[Any], setup: Callable[[Pilot[Any]], Awaitable[None]], keys: int, gap: float
) -> tuple[list[float], list[int]]:
    latencies: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        await setup(pilot)
        await wait_until(pilot, lambda: note_focused(app))
        area = app.focused
        assert isinstance(area, TextArea) and app._driver is not None
        note = [area.outer_size.width, area.outer_size.height]
        WATCH.area, WATCH.expected = area, area.text
        loop = asyncio.get_running_loop()
        for index in range(WARMUP + keys):
            char = TEXT[index % len(TEXT)]
            WATCH.expected += char
            WATCH.done = loop.create_future()
            key = char if char.isalnum() else _character_to_key(char)
            start = time.perf_counter()
            app._driver.send_message(Key(key, char))
            end = await asyncio.wait_for(WATCH.done, timeout=10)
            if index >= WARMUP:
                latencies.append((end - start) * 1000)
            await asyncio.sleep(gap)
    return latencies, note


async def type_in_a_thread(
    app: App[Any], setup: Callable[[Pilot[Any]], Awaitable[None]], keys: int, gap: float
) -> tuple[list[float], list[int]]:
    """A typist in a thread of its own, as a terminal's input thread: a key every ``gap``
    seconds whatever the app is doing (keys that arrive while the event loop is busy wait
    in its queue). A key's latency runs from when it was sent to the first frame that
    shows it, so a key held up by the app counts fully (typing in the event loop, as
    :func:`type_keys` does, cannot send a key while the loop is busy)."""
    import threading

    latencies: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        await setup(pilot)
        await wait_until(pilot, lambda: note_focused(app))
        area = app.focused
        assert isinstance(area, TextArea)
        note = [area.outer_size.width, area.outer_size.height]
        first = len(area.text)
        sent: list[float] = []
        seen = [first]

        def shown(length: int, at: float) -> None:
            while seen[0] < length and seen[0] - first < len(sent):
                index = seen[0] - first
                if index >= WARMUP:
                    latencies.append((at - sent[index]) * 1000)
                seen[0] += 1

        WATCH.area, WATCH.shown = area, shown

        def typist() -> None:
            for index in range(WARMUP + keys):
                char = TEXT[index % len(TEXT)]
                key = char if char.isalnum() else _character_to_key(char)
                sent.append(time.perf_counter())
                app.post_message(Key(key, char))
                time.sleep(gap)

        thread = threading.Thread(target=typist, daemon=True)
        thread.start()
        await wait_until(pilot, lambda: seen[0] - first >= WARMUP + keys)
        thread.join()
    return latencies, note


def main(kind: str, keys: int, gap: float, size: str) -> None:
    WATCH.install()
    saves: list[float] = []  # how long each save of a note took in the database
    offline: list[float] = []  # when the app went offline (team database)
    if kind == "bare":
        app: App[Any] = BareApp(size)

        async def setup(pilot: Pilot[Any]) -> None:
            return None

    else:
        from wijkgesprek import paths
        from wijkgesprek.app import WijkgesprekApp
        from wijkgesprek.config import load_config
        from wijkgesprek.content.questions import load_guide
        from wijkgesprek.store import repo
        from wijkgesprek.store.schema import prepare_database

        save_note = repo.save_note

        def timed_save(**kwargs: Any) -> int:
            start = time.perf_counter()
            version = save_note(**kwargs)
            saves.append((time.perf_counter() - start) * 1000)
            return version

        repo.save_note = timed_save  # the screen looks it up at each save

        # What ``wijkgesprek.cli`` does before ``app.run()``.
        config = load_config(paths.config_file())
        guide = load_guide(config.questions or paths.shipped_questions())
        if kind == "team":  # the team database at BENCH_TEAM_URL (through a slow line)
            import os

            from wijkgesprek.store.target import TeamServer

            target = TeamServer(os.environ["BENCH_TEAM_URL"])
            target.prepare(shows_notes=True)
            app = WijkgesprekApp(
                guide=guide,
                database=target,
                config=config,
                outbox=target.outbox(paths.data_dir()),
            )
            real_lost = type(app.connection).lost

            def lost(connection: Any) -> None:
                if not connection.offline:
                    offline.append(time.perf_counter())
                real_lost(connection)

            type(app.connection).lost = lost  # type: ignore[method-assign]
        else:
            database = paths.data_dir() / paths.DATABASE_NAME
            prepare_database(database)
            app = WijkgesprekApp(guide=guide, database=database, config=config)
        setup = open_visit
    import os

    typing = type_in_a_thread if os.environ.get("BENCH_TYPIST") == "thread" else type_keys
    latencies, note = asyncio.run(typing(app, setup, keys, gap))
    report = {"latencies": latencies, "saves": saves, "note": note}
    if kind == "team":
        report["offline"] = len(offline)
    print(json.dumps(report))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), (sys.argv[4:] or [""])[0])
