"""No keystroke lost: the app survives a real ``kill -9`` while someone is typing.

A child process runs the real app headless (Textual's Pilot), opens a visit and
types a note one key at a time, reporting each key with its time. The test kills
it with SIGKILL mid-sentence and then reads the database with plain sqlite3.
"""

from __future__ import annotations

import os
import queue
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from wijkgesprek import paths

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)"),
]

REPO = Path(__file__).resolve().parent.parent
TYPED = (
    "moeder vertelt dat de huur twee maanden achterstand heeft. vader werkt in "
    "ploegendienst en slaapt overdag, de oudste helpt met de kleintjes. ze willen "
    "graag hulp bij het aanvragen van toeslagen, maar schamen zich om het te vragen. "
) * 6
TYPING_SECONDS = 3.0  # how long the typist types before the kill
MAX_LOSS_SECONDS = 1.0  # what was typed this long before the kill must be saved
TEST_TIMEOUT = 60.0  # the whole test, including the child's start on a slow machine

CHILD = textwrap.dedent(
    """
    import asyncio
    import os
    import sys
    import time

    from wijkgesprek import paths
    from wijkgesprek.app import WijkgesprekApp
    from wijkgesprek.content.questions import load_guide
    from wijkgesprek.screens.home import HomeScreen
    from wijkgesprek.screens.new_visit import NewVisitScreen
    from wijkgesprek.screens.visit import VisitScreen
    from wijkgesprek.store.schema import prepare_database


    def say(line):
        os.write(1, (line + "\\n").encode())  # unbuffered: the parent reads it at once


    async def until(pilot, what, condition, seconds=30.0):
        deadline = time.monotonic() + seconds
        while not condition():
            if time.monotonic() > deadline:
                sys.exit(f"kind: {what} niet bereikt; scherm {pilot.app.screen!r}")
            await pilot.pause(0.02)


    async def main(text):
        database = paths.data_dir() / paths.DATABASE_NAME
        prepare_database(database)
        app = WijkgesprekApp(guide=load_guide(paths.shipped_questions()), database=database)
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, "huishoudens", lambda: isinstance(app.screen, HomeScreen))
            await pilot.press("n")
            await until(pilot, "nieuw bezoek", lambda: isinstance(app.screen, NewVisitScreen))
            # No sociale kaart: Noord is a new wijk, confirmed with Ctrl+N.
            await pilot.press(*"GZ-001", "tab", *"Noord", "tab", "4", "enter", "ctrl+n")
            await until(
                pilot,
                "aantekening",
                lambda: isinstance(app.screen, VisitScreen)
                and app.focused is not None
                and app.focused.id == "note",
            )
            say("ready")
            for index, char in enumerate(text):
                await pilot.press(char)
                say(f"{index} {time.monotonic()!r}")
                # Pacing a simulated typist at roughly 20 keys a second; the app's
                # timers (the throttled autosave) run meanwhile, as in real use.
                await pilot.pause(0.05)
            say("done")
            await asyncio.Event().wait()  # typed everything: wait for the kill


    asyncio.run(main(sys.argv[1]))
    """
)


def _read_lines(stream: object, lines: queue.Queue[str | None]) -> None:
    for raw in stream:  # type: ignore[attr-defined]
        lines.put(raw.decode("utf-8", "replace").strip())
    lines.put(None)


def test_kill_9_while_typing_loses_at_most_a_second(tmp_path: Path) -> None:
    script = tmp_path / "typist.py"
    script.write_text(CHILD, encoding="utf-8")
    stderr_path = tmp_path / "typist.stderr"
    env = dict(os.environ)  # the data folder is already in tmp_path (conftest)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env.pop("TEXTUAL", None)  # no devtools
    deadline = time.monotonic() + TEST_TIMEOUT

    with stderr_path.open("wb") as stderr:
        child = subprocess.Popen(
            [sys.executable, str(script), TYPED],
            stdout=subprocess.PIPE,
            stderr=stderr,
            stdin=subprocess.DEVNULL,
            env=env,
            cwd=tmp_path,
        )
    lines: queue.Queue[str | None] = queue.Queue()
    reader = threading.Thread(target=_read_lines, args=(child.stdout, lines), daemon=True)
    reader.start()

    def fail(why: str) -> None:
        child.kill()
        child.wait(timeout=10)
        pytest.fail(f"{why}\nstderr van het kind:\n{stderr_path.read_text(errors='replace')}")

    pressed: list[float] = []  # pressed[i]: when character i was in the editor
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                fail(f"te traag: {len(pressed)} tekens getypt binnen {TEST_TIMEOUT} s")
            try:
                line = lines.get(timeout=remaining)
            except queue.Empty:
                continue
            if line is None:
                fail(f"het kind stopte zelf (code {child.wait(timeout=10)})")
            assert line is not None
            if line in ("ready", "done"):
                if line == "done":
                    fail("de tekst was op voordat er lang genoeg getypt was")
                continue
            index, when = line.split()
            assert int(index) == len(pressed)
            pressed.append(float(when))
            if pressed[-1] - pressed[0] >= TYPING_SECONDS:
                break
        os.kill(child.pid, signal.SIGKILL)
        killed_at = time.monotonic()
        assert child.wait(timeout=10) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(timeout=10)
        if child.stdout is not None:
            child.stdout.close()
    reader.join(timeout=5)
    while True:  # lines written just before the kill
        try:
            line = lines.get_nowait()
        except queue.Empty:
            break
        if line and line[0].isdigit():
            pressed.append(float(line.split()[1]))

    database = paths.data_dir() / paths.DATABASE_NAME
    connection = sqlite3.connect(database)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        visits = connection.execute(
            "SELECT household.code, household.wijk, visit.ended_at FROM visit "
            "JOIN household ON household.id = visit.household_id"
        ).fetchall()
        notes = connection.execute("SELECT topic, text FROM note").fetchall()
    finally:
        connection.close()

    assert visits == [("GZ-001", "Noord", None)]
    assert len(notes) == 1, notes
    topic, saved = notes[0]
    assert topic == "kennismaking"
    assert TYPED.startswith(saved), "the saved note is not what was typed"
    assert len(saved) <= len(pressed) + 1  # at most the key that was being pressed
    must_have = sum(1 for when in pressed if when <= killed_at - MAX_LOSS_SECONDS)
    assert must_have >= 5, f"too little typing before the kill ({must_have} keys)"
    assert len(saved) >= must_have, (
        f"lost {must_have - len(saved)} characters typed more than "
        f"{MAX_LOSS_SECONDS} s before the kill ({len(saved)} of {len(pressed)} saved)"
    )


def test_what_the_user_is_promised_is_what_this_test_measures() -> None:
    """README and the app's own words promise what ``MAX_LOSS_SECONDS`` checks (0.83 s
    was measured once: the throttle's 0.5 s plus a save and the event loop), never less."""
    assert MAX_LOSS_SECONDS == 1.0
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "hoogstens de laatste seconde kwijt" in readme
    words = [readme, (REPO / "wijkgesprek" / "fatal.py").read_text(encoding="utf-8")]
    for text in words:
        assert "halve seconde" not in text
    assert "tot hoogstens een seconde voor de fout" in words[1]
