"""Helpers shared by the Pilot tests."""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from textual.app import App
from textual.pilot import Pilot

from wijkgesprek.screens.home import HomeScreen
from wijkgesprek.screens.new_visit import NewVisitScreen
from wijkgesprek.screens.visit import VisitScreen

SIZE = (80, 24)
"""A default terminal: every screen must work at this size."""


def frame(app: App[object]) -> str:
    """The whole frame as a person sees it, as plain text: the top screen with the
    screens under a dialog, notifications included (what ``export_screenshot`` draws)."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system=None,
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    return console.export_text()


def run_cli(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``wijkgesprek ARGS…`` in a child process, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "wijkgesprek", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=60,
        check=False,
    )


def notifications(app: App[None]) -> list[str]:
    """The messages on screen now, oldest first. Textual 8 keeps them in the private
    ``App._notifications`` and has no public reader: this is the one place that reads it
    (docs/textual.md, "Upgrading Textual")."""
    return [str(notice.message) for notice in app._notifications]


async def wait_until(
    pilot: Pilot[None], condition: Callable[[], object], seconds: float = 10.0
) -> None:
    """Let the app run until ``condition()`` holds (bounded), instead of a fixed sleep."""
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("the app did not reach the expected state in time")


async def type_text(pilot: Pilot[None], text: str) -> None:
    """Type ``text`` into the focused field as a fast typist does: every key arrives at
    once, then the app catches up (``pilot.press`` waits for the app after each key)."""
    await burst(pilot, text)


async def burst(pilot: Pilot[None], *parts: str) -> None:
    """Send keys and text the way a fast typist (or a terminal) delivers them: all of
    them arrive before the app has handled the first one. A part in angle brackets is a
    key (``"<f3>"``, ``"<enter>"``, ``"<alt+3>"``); any other part is typed as text."""
    from textual import events

    app = pilot.app
    assert app._driver is not None
    for part in parts:
        if part.startswith("<") and part.endswith(">") and len(part) > 2:
            keys: list[tuple[str, str | None]] = [(part[1:-1], None)]
        else:
            keys = [(_key_of(char), char) for char in part]
        for key, char in keys:
            event = events.Key(key, char)
            event.set_sender(app)
            app._driver.send_message(event)
    await pilot.pause()


def _key_of(char: str) -> str:
    from textual.keys import _character_to_key

    if char == "\n":
        return "enter"
    return char if char.isalnum() else _character_to_key(char)


async def paste(pilot: Pilot[None], text: str) -> None:
    """A bracketed paste from the terminal, arriving like keys do (no wait before it)."""
    from textual import events

    app = pilot.app
    assert app._driver is not None
    event = events.Paste(text)
    event.set_sender(app)
    app._driver.send_message(event)


async def start_visit(pilot: Pilot[None], code: str = "GZ-001", ages: str = "4") -> VisitScreen:
    """A new visit at household ``code`` in Noord with children of ``ages`` ("2 en 5";
    empty: no children). Without a sociale kaart, Noord is a new wijk: Ctrl+N confirms."""
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
    await pilot.press("n")
    await wait_until(pilot, lambda: isinstance(app.screen, NewVisitScreen))
    await type_text(pilot, code)
    await pilot.press("tab")
    await type_text(pilot, "Noord")
    await pilot.press("tab")
    if ages:
        await type_text(pilot, ages)
    else:
        await pilot.press("tab", "end", "space")  # "geen kinderen"
    await pilot.press("enter")
    dialog = app.screen
    if isinstance(dialog, NewVisitScreen):
        from textual.widgets import Static

        if "geen bekende wijk" in str(dialog.query_one("#form-error", Static).render()):
            await pilot.press("ctrl+n")
    await wait_until(pilot, lambda: isinstance(app.screen, VisitScreen))
    assert isinstance(app.screen, VisitScreen)
    return app.screen


def assert_refused_at(
    load: Callable[[], object], path: Path, line: int, column: int, fragments: list[str]
) -> None:
    """``load()`` raises a ContentError with a problem whose message holds every fragment,
    at ``path:line:column`` (and the message names that place); never a warning."""
    import pytest

    from wijkgesprek.errors import ContentError

    with pytest.raises(ContentError) as caught:
        load()
    said = str(caught.value)
    matching = [p for p in caught.value.problems if all(f in p.message for f in fragments)]
    assert matching, said
    problem = matching[0]
    assert problem.file == path and not problem.warning, said
    assert (problem.line, problem.column) == (line, column), said
    assert f"{path}:{line}:{column}: " in said
