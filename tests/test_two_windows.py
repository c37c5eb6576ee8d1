"""Two windows (two processes) on the same data folder: no "database is locked", nothing lost."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

WRITER = textwrap.dedent(
    """
    import sys
    from datetime import UTC, datetime
    from pathlib import Path
    from wijkgesprek.domain.household import Children
    from wijkgesprek.store import repo
    from wijkgesprek.store.engine import Store

    database, code = Path(sys.argv[1]), sys.argv[2]
    store = Store(database)
    now = datetime.now(UTC)
    visit = store.run(repo.start_visit, code=code, wijk="Noord", children=Children(), now=now)
    text = ""
    for number in range(150):  # as fast as the autosave of two typists, and much faster
        text += f"{code} zin {number}. "
        store.run(repo.save_note, visit_id=visit, topic="stress", text=text, now=now)
        if number % 10 == 0:
            store.run(repo.add_agreement, visit_id=visit, wat=f"{code} {number}", wie="",
                      wanneer="", now=now)
    print("klaar")
    """
)


@pytest.mark.slow
def test_two_processes_write_at_once_without_errors(database: Path, tmp_path: Path) -> None:
    script = tmp_path / "writer.py"
    script.write_text(WRITER, encoding="utf-8")
    writers = [
        subprocess.Popen(
            [sys.executable, str(script), str(database), code],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for code in ("GZ-001", "GZ-002")
    ]
    results = [writer.communicate(timeout=120) for writer in writers]
    for writer, (out, err) in zip(writers, results, strict=True):
        assert writer.returncode == 0, err[-2000:]
        assert out.strip() == "klaar"
        assert "locked" not in err
    with sqlite3.connect(database) as connection:
        notes = dict(
            connection.execute(
                "SELECT household.code, note.text FROM note JOIN visit ON visit.id = note.visit_id "
                "JOIN household ON household.id = visit.household_id"
            ).fetchall()
        )
        agreements = connection.execute("SELECT count(*) FROM agreement").fetchone()[0]
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    for code in ("GZ-001", "GZ-002"):
        assert notes[code].endswith(f"{code} zin 149. ")
        assert notes[code].count("zin") == 150
    assert agreements == 30
