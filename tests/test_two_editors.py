"""Two windows (two real app processes) typing in the same note at the same time.

Before the three-way merge each save re-merged both whole texts: 10 s of typing gave a
3.6 MB note with 75,024 markers (issue 18). Now each sentence is in the note once, the
note is as long as what was typed (plus a marker line where both wrote at one place), and
the markers are few.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pytest

from wijkgesprek.domain.household import Children
from wijkgesprek.store import repo
from wijkgesprek.store.engine import Store

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent
TYPING_SECONDS = 10.0
START = "Kennismaking."

CHILD = textwrap.dedent(
    """
    import asyncio
    import json
    import sys
    import time

    from textual.widgets import DataTable

    from wijkgesprek import paths
    from wijkgesprek.app import WijkgesprekApp
    from wijkgesprek.content.questions import load_guide
    from wijkgesprek.screens.home import HomeScreen
    from wijkgesprek.screens.visit import VisitScreen


    async def until(pilot, what, condition, seconds=30.0):
        deadline = time.monotonic() + seconds
        while not condition():
            if time.monotonic() > deadline:
                sys.exit(f"kind: {what} niet bereikt; scherm {pilot.app.screen!r}")
            await pilot.pause(0.02)


    async def main(name, seconds):
        database = paths.data_dir() / paths.DATABASE_NAME
        app = WijkgesprekApp(guide=load_guide(paths.shipped_questions()), database=database)
        typed = []
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, "huishoudens", lambda: isinstance(app.screen, HomeScreen))
            rows = lambda: [t.row_count for t in app.screen.query("#households").results(DataTable)]
            await until(pilot, "de lijst", lambda: rows() == [1])
            await pilot.press("enter")  # the open visit
            await until(
                pilot,
                "aantekening",
                lambda: isinstance(app.screen, VisitScreen)
                and app.focused is not None
                and app.focused.id == "note",
            )
            screen = app.screen
            deadline = time.monotonic() + seconds
            number = 0
            while time.monotonic() < deadline:
                sentence = f"{name}{number}: zin van {name}."
                for char in " " + sentence:
                    await pilot.press("space" if char == " " else char)
                    await pilot.pause(0.01)
                typed.append(sentence)
                number += 1
            await pilot.press("ctrl+s")
            await until(pilot, "opgeslagen", lambda: not screen.unsaved)
            topic = screen.topic_id
            # As helpers.notifications (this child cannot import the helpers).
            conflicts = sum("tegelijk" in n.message for n in app._notifications)
        print(json.dumps({"typed": typed, "topic": topic, "told": conflicts}))


    asyncio.run(main(sys.argv[1], float(sys.argv[2])))
    """
)


def test_two_windows_typing_in_one_note_keep_it_small(database: Path, tmp_path: Path) -> None:
    import json

    store = Store(database)
    now = datetime.now(UTC)
    visit = store.run(repo.start_visit, code="GZ-018", wijk="Noord", children=Children(), now=now)
    store.run(repo.save_note, visit_id=visit, topic="kennismaking", text=START, now=now, base=0)
    script = tmp_path / "window.py"
    script.write_text(CHILD, encoding="utf-8")
    env = dict(os.environ)  # the data folder is already in tmp_path (conftest)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env.pop("TEXTUAL", None)
    windows = [
        subprocess.Popen(
            [sys.executable, str(script), name, str(TYPING_SECONDS)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            env=env,
            cwd=tmp_path,
            text=True,
        )
        for name in ("A", "B")
    ]
    reports = []
    try:
        for window in windows:
            out, err = window.communicate(timeout=120)
            assert window.returncode == 0, err[-3000:]
            reports.append(json.loads(out.strip().splitlines()[-1]))
    finally:  # a window that stopped answering (as before the fix) is not left running
        for window in windows:
            if window.poll() is None:
                window.kill()
                window.communicate(timeout=10)
    assert {report["topic"] for report in reports} == {"kennismaking"}

    note = store.run(repo.get_visit, visit_id=visit).notes["kennismaking"]
    store.engine.dispose()
    typed = [sentence for report in reports for sentence in report["typed"]]
    assert all(len(report["typed"]) >= 5 for report in reports), "too little typed"
    markers = note.text.count("— tegelijk geschreven in een ander venster (")
    for sentence in [START, *typed]:
        assert note.text.count(sentence) == 1, sentence
    # As long as what was typed (each sentence and its space), plus the marker lines.
    assert len(note.text) <= len(START) + sum(len(s) + 1 for s in typed) + markers * 60
    assert markers <= 3, note.text
    assert markers == note.text.count("tegelijk geschreven")  # no other kind of marker
    print(
        f"\n{len(typed)} zinnen getypt in {TYPING_SECONDS:.0f} s in twee vensters: "
        f"{len(note.text)} tekens, {markers} markering(en), versie {note.version}; "
        f"gemeld: {[r['told'] for r in reports]}"
    )
