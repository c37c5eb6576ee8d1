"""Two colleagues (two real app processes, each with its own login and its own laptop
folder) taking turns in one note on the team database (issue 21, point 3).

Each has the visit open; one writes a sentence and saves, then the other, and so on. Their
screens do not show the other's sentence until they save themselves, so every save after
the first is a conflict, merged three-way on the version each started from: every
sentence is in the note once, and a place where both wrote is kept with a line naming
the colleague and the time (before: 4 saves gave 8 copies of the first sentence and 7
headers that named nobody).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
from netproxy import FreezingProxy

from wijkgesprek.domain.household import Children
from wijkgesprek.store import repo
from wijkgesprek.store.engine import Store
from wijkgesprek.store.postgres import PROFESSIONAL

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent
START = "Kennismaking."
TURNS = 6

CHILD = textwrap.dedent(
    """
    import asyncio
    import json
    import sys
    import time

    from textual.widgets import DataTable, Static

    from wijkgesprek import paths
    from wijkgesprek.app import WijkgesprekApp
    from wijkgesprek.content.questions import load_guide
    from wijkgesprek.screens.home import HomeScreen
    from wijkgesprek.screens.visit import VisitScreen
    from wijkgesprek.store.outbox import OUTBOX_NAME, Outbox
    from wijkgesprek.store.target import TeamServer


    async def until(pilot, what, condition, seconds=30.0):
        deadline = time.monotonic() + seconds
        while not condition():
            if time.monotonic() > deadline:
                sys.exit(f"kind: {what} niet bereikt; scherm {pilot.app.screen!r}")
            await pilot.pause(0.02)


    def line():
        return sys.stdin.readline().strip()


    async def main(url):
        target = TeamServer(url)
        outbox = Outbox(paths.data_dir() / OUTBOX_NAME, target.address)
        app = WijkgesprekApp(
            guide=load_guide(paths.shipped_questions()), database=target, outbox=outbox
        )
        loop = asyncio.get_running_loop()
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
            state = lambda: str(screen.query_one("#note-state", Static).render())
            print("klaar", flush=True)
            while (sentence := await loop.run_in_executor(None, line)) != "stop":
                for char in " " + sentence:
                    await pilot.press("space" if char == " " else char)
                await pilot.press("ctrl+s")
                await until(
                    pilot,
                    "opgeslagen",
                    lambda: not screen._dirty
                    and not outbox.pending()
                    and state().startswith("opgeslagen"),
                )
                print("gedaan", flush=True)
            told = [n.message for n in app._notifications]
        print(json.dumps({"told": told, "shown": screen.note.text}))


    asyncio.run(main(sys.argv[1]))
    """
)


def login(team_url: str, name: str, through: str) -> str:
    """A professional's own login on the test server (no password: the server trusts
    its socket), and the address with it."""
    with psycopg.connect(team_url, autocommit=True) as admin:
        admin.execute(
            f"""DO $$ BEGIN
                IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{name}') THEN
                    CREATE ROLE {name} LOGIN IN ROLE {PROFESSIONAL};
                END IF;
            END $$"""
        )
    return through.replace("postgresql://postgres@", f"postgresql://{name}@")


@pytest.mark.parametrize("delay", [0.0, 0.125], ids=["lokaal", "250ms"])
def test_colleagues_taking_turns_never_snowball_a_note(
    team: Store,
    team_url: str,
    tmp_path: Path,
    network: Callable[[float], FreezingProxy],
    delay: float,
) -> None:
    """Also on a slow line (250 ms round trip), where a save may land after the app
    stopped waiting for it."""
    now = datetime.now(UTC)
    visit = team.run(repo.start_visit, code="GZ-021", wijk="Noord", children=Children(), now=now)
    team.run(repo.save_note, visit_id=visit, topic="kennismaking", text=START, now=now, base=0)
    script = tmp_path / "colleague.py"
    script.write_text(CHILD, encoding="utf-8")
    names = ("anna", "bert")
    line = network(delay)
    database = team_url.split("@/")[1].split("?")[0]
    colleagues = {}
    for name in names:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
        env["WIJKGESPREK_DATA_DIR"] = str(tmp_path / f"laptop-{name}")  # each their own outbox
        env.pop("TEXTUAL", None)
        colleagues[name] = subprocess.Popen(
            [sys.executable, str(script), login(team_url, name, line.url(database))],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            cwd=tmp_path,
            text=True,
        )
    typed: list[str] = []
    reports = {}
    try:
        for child in colleagues.values():
            assert child.stdout is not None
            if child.stdout.readline().strip() != "klaar":
                raise AssertionError(child.communicate(timeout=30)[1][-3000:])
        for turn in range(TURNS):
            name = names[turn % 2]
            child = colleagues[name]
            assert child.stdin is not None and child.stdout is not None
            sentence = f"Zin{turn} van {name}."
            child.stdin.write(sentence + "\n")
            child.stdin.flush()
            assert child.stdout.readline().strip() == "gedaan", child.stderr
            typed.append(sentence)
        for name, child in colleagues.items():
            out, err = child.communicate("stop\n", timeout=60)
            assert child.returncode == 0, err[-3000:]
            reports[name] = json.loads(out.strip().splitlines()[-1])
    finally:
        for child in colleagues.values():
            if child.poll() is None:
                child.kill()
                child.communicate(timeout=10)

    note = team.run(repo.get_visit, visit_id=visit).notes["kennismaking"]
    for sentence in [START, *typed]:
        assert note.text.count(sentence) == 1, note.text
    markers = [line for line in note.text.splitlines() if "tegelijk geschreven" in line]
    # Each marker names the colleague (their login, set by the server) and the time.
    for line in markers:
        assert re.fullmatch(r"— tegelijk geschreven door (anna|bert) \(\d\d:\d\d\) —", line), line
    assert len(markers) <= 2, note.text
    assert len(note.text) <= len(START) + sum(len(s) + 1 for s in typed) + 60 * len(markers)
    # The last to save sees the note as it is on the server.
    assert reports[names[(TURNS - 1) % 2]]["shown"] == note.text
    # A merge with a marker was told, naming the colleague.
    told = [m for report in reports.values() for m in report["told"] if "Beide versies" in m]
    assert all(("door anna" in m or "door bert" in m) for m in told), told
