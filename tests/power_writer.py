"""The writer of ``test_power_cut``, in its own small module so the fork server can
import it (and the store) once, and each killed child starts in milliseconds."""

from __future__ import annotations

from datetime import UTC, datetime
from multiprocessing.connection import Connection
from pathlib import Path

from wijkgesprek.store import repo
from wijkgesprek.store.engine import Store

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


def write_until_killed(database: str, visit_id: int, start: int, connection: Connection) -> None:
    """Save ever longer notes and add agreements, reporting each commit, until killed."""
    store = Store(Path(database))
    number = start
    while True:
        number += 1
        text = f"regel {number} " + "tekst " * (number % 300)
        store.run(repo.save_note, visit_id=visit_id, topic="stress", text=text, now=NOW)
        store.run(
            repo.add_agreement,
            visit_id=visit_id,
            wat=f"afspraak {number}",
            wie="",
            wanneer="",
            now=NOW,
        )
        connection.send(number)
