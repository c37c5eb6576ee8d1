"""Nothing leaks: the real app in a real terminal (a pseudo-terminal) never sets a window
title and writes no file that holds a household code or note text, except the database.
And big input behaves: a 1 MB note typed into the app, 10,000 notes in one household."""

from __future__ import annotations

import os
import re
import select
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from helpers import SIZE, start_visit, wait_until
from textual import events
from textual.widgets import OptionList, Static

from wijkgesprek import paths
from wijkgesprek.app import WijkgesprekApp
from wijkgesprek.content.questions import load_guide
from wijkgesprek.domain.household import Children
from wijkgesprek.export.markdown import dossier
from wijkgesprek.limits import MAX_NOTE_CHARS
from wijkgesprek.screens.history import HistoryScreen
from wijkgesprek.screens.home import HomeScreen
from wijkgesprek.screens.visit import VisitScreen
from wijkgesprek.store import repo
from wijkgesprek.store.engine import Store
from wijkgesprek.store.schema import prepare_database
from wijkgesprek.store.search import search

CODE = "GZ-4711"
SECRET = "Ijsvogel-geheim"
TITLE = re.compile(rb"\x1b\][012];")  # OSC 0/1/2: set the window or icon title


class Terminal:
    """The app in a pseudo-terminal of 80x24, as a person would start it."""

    def __init__(self, cwd: Path) -> None:
        import pty

        self.master, slave = pty.openpty()
        import fcntl
        import struct
        import termios

        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        env = dict(os.environ, TERM="xterm-256color", COLUMNS="80", LINES="24")
        env.pop("TEXTUAL", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "wijkgesprek"],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            cwd=cwd,
            start_new_session=True,
        )
        os.close(slave)
        self.output = b""

    def read(self, seconds: float = 0.2) -> None:
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            ready, _, _ = select.select([self.master], [], [], left)
            if not ready:
                return
            try:
                chunk = os.read(self.master, 65536)
            except OSError:  # the app has closed the terminal
                return
            if not chunk:
                return
            self.output += chunk

    def wait_for(self, text: bytes, seconds: float = 30, *, unless: bytes | None = None) -> None:
        """Until ``text`` (or ``unless``) is on the terminal."""
        end = time.monotonic() + seconds
        while text not in self.output and (unless is None or unless not in self.output):
            if time.monotonic() > end or self.process.poll() is not None:
                tail = self.output[-400:]
                pytest.fail(f"{text!r} did not appear on the terminal; the last bytes: {tail!r}")
            self.read(0.1)

    def send(self, keys: str | bytes) -> None:
        os.write(self.master, keys.encode() if isinstance(keys, str) else keys)
        self.read(0.3)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)
        os.close(self.master)


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_no_window_title_and_no_stray_files(tmp_path: Path) -> None:
    database = paths.data_dir() / paths.DATABASE_NAME
    prepare_database(database)
    terminal = Terminal(tmp_path)
    try:
        terminal.wait_for(b"Nieuw huisbezoek")
        terminal.send("n")
        terminal.wait_for(b"Gezinscode")
        for keys in (CODE, "\t", "Noord", "\t", "4", "\r"):  # a person's pace, not a burst
            terminal.send(keys)
        terminal.wait_for(b"Aantekeningen", unless=b"geen bekende wijk")
        if b"Aantekeningen" not in terminal.output:  # the kaart was not loaded yet
            terminal.send(b"\x0e")  # Ctrl+N: Noord as a new wijk
            terminal.wait_for(b"Aantekeningen")
        terminal.send(f"Moeder vertelt: {SECRET}.")
        terminal.send(b"\x11")  # Ctrl+Q: save and stop
        terminal.process.wait(timeout=20)
        terminal.read(0.5)
    finally:
        terminal.close()
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT text FROM note").fetchall() == [
            (f"Moeder vertelt: {SECRET}.",)
        ]
    assert not TITLE.search(terminal.output), "the app set the terminal's title"
    assert terminal.process.returncode == 0
    # Only the database (and its backups) may hold the code or the note: every file is
    # read, also one that was there before the app started (it may have been rewritten).
    checked = 0
    for path in tmp_path.rglob("*"):
        if not path.is_file():
            continue
        checked += 1
        if path.name.startswith(database.name) or "reservekopieen" in path.parts:
            assert path.stat().st_mode & 0o777 == 0o600
            continue
        data = path.read_bytes()
        assert CODE.encode() not in data and SECRET.encode() not in data, path
    assert checked >= 2  # at least the database and its backup


# -- big input -----------------------------------------------------------------------------


async def test_a_note_of_the_largest_size_through_the_app(database: Path) -> None:
    """A note of the largest size allowed (1,000,000 characters, about 1 MB)."""
    big = ("Regel met ë, € en [bold]opmaak[/bold]\tgetabt.\n" * 25_000)[: MAX_NOTE_CHARS - 1]
    app = WijkgesprekApp(guide=load_guide(paths.shipped_questions()), database=database)
    async with app.run_test(size=SIZE) as pilot:
        await start_visit(pilot)
        app.post_message(events.Paste(big))
        visit = app.screen
        assert isinstance(visit, VisitScreen)
        await wait_until(pilot, lambda: len(visit.note.text) == len(big), seconds=60)
        await pilot.press("end", *"!")  # still answers to a key
        await wait_until(pilot, lambda: not visit.unsaved, seconds=30)
        await pilot.press("f2", "2", "f2", "1")  # away and back (a digit chooses)
        await wait_until(pilot, lambda: visit.note.text.endswith("!"), seconds=30)
    with sqlite3.connect(database) as connection:
        (text,) = connection.execute("SELECT text FROM note").fetchone()
    assert len(text) == len(big) + 1 and text.startswith(big[:1000])


NOTES = 10_000
TOPICS = ("kennismaking", "stress", "netwerk", "dromen", "veiligheid", "afspraken")


def ten_thousand_notes(database: Path) -> None:
    """One household with 10,000 notes (1,667 visits × 6 topics), written in bulk."""
    store = Store(database)
    start = datetime(2020, 1, 1, 9, tzinfo=UTC)
    store.run(
        repo.start_visit,
        code="GZ-100",
        wijk="Noord",
        children=Children(birth_years=(2018,)),
        now=start,
    )
    store.engine.dispose()
    visits = -(-NOTES // len(TOPICS))
    with sqlite3.connect(database) as connection:
        connection.executemany(
            "INSERT INTO visit (id, household_id, started_at, ended_at) VALUES (?, 1, ?, ?)",
            [
                (n, str(start + timedelta(days=n)), str(start + timedelta(days=n, hours=1)))
                for n in range(2, visits + 2)
            ],
        )
        connection.executemany(
            "INSERT INTO note (visit_id, topic, text, themes, updated_at) VALUES (?, ?, ?, '', ?)",
            [
                (2 + i // len(TOPICS), TOPICS[i % len(TOPICS)], f"Aantekening {i} Wulp", str(start))
                for i in range(NOTES)
            ],
        )


async def test_ten_thousand_notes_in_one_household(database: Path) -> None:
    ten_thousand_notes(database)
    app = WijkgesprekApp(guide=load_guide(paths.shipped_questions()), database=database)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.rows)
        await pilot.press("g")
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen), seconds=60)
        head = str(app.screen.query_one("#history-head", Static).render())
        assert "1668 bezoek(en)" in head
        assert app.screen.query_one("#visits", OptionList).option_count == 1668
        await pilot.press("down", "down")
        text = str(app.screen.query_one("#visit-text", Static).render())
        assert "Aantekening 99" in text  # the third newest visit: notes 9990-9995
    store = Store(database)
    try:
        assert len(store.run(search, text="wulp", limit=20)) == 20
    finally:
        store.engine.dispose()


async def test_a_household_of_twenty_thousand_visits_opens(database: Path) -> None:
    """A hand-over within its size limit can hold 20,000 visits; the history screen named
    each visit's day by looking at every other visit (quadratic: it had not opened after
    5 minutes). Now it opens, and the dossier is written."""
    store = Store(database)
    start = datetime(2001, 1, 1, 9, tzinfo=UTC)
    store.run(repo.start_visit, code="GZ-100", wijk="Noord", children=Children(), now=start)
    store.engine.dispose()
    with sqlite3.connect(database) as connection:
        connection.executemany(
            "INSERT INTO visit (id, household_id, started_at, ended_at) VALUES (?, 1, ?, ?)",
            [
                (n, str(start + timedelta(hours=10 * n)), str(start + timedelta(hours=10 * n + 1)))
                for n in range(2, 20_002)
            ],
        )
    app = WijkgesprekApp(guide=load_guide(paths.shipped_questions()), database=database)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.rows)
        await pilot.press("g")
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen), seconds=60)
        assert app.screen.query_one("#visits", OptionList).option_count == 20_001
    store = Store(database)
    try:
        history = store.run(repo.get_household, code="GZ-100")
    finally:
        store.engine.dispose()
    text = dossier(history, load_guide(paths.shipped_questions()))
    assert text.count("## Bezoek ") == 20_001
