"""What encryption at rest costs: SQLCipher (AES-256 per page) with an scrypt key.

The same database of notes (``search.build``) plain and encrypted. Rows: saving a note
through ``Store.run`` (as the autosave does) and a search for the top 20 with snippets;
the baseline is the plain database, so the ratio is the price of encryption. The time
to derive the key from a passphrase (scrypt, 32 MiB) is given in the notes.

Measured 2026-11-25: a save costs 1.1×; a search 2.1×. That is not the encryption: the
same plain file opened through the SQLCipher wheel's SQLite is as slow (44 ms against
19 ms for the standard library's SQLite); a bigger page cache or turning memory
security off changes nothing.
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from common import Options, Result
from search import build, timed

PASSPHRASE = "een lang en geheim wachtwoord"
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


def _measure(database: Path, runs: int) -> tuple[list[float], list[float]]:
    from wijkgesprek.store import repo
    from wijkgesprek.store.engine import Store
    from wijkgesprek.store.search import search

    store = Store(database)
    saves: list[float] = []
    finds: list[float] = []
    for number in range(runs):
        text = f"Aantekening {number}: verzonnen tekst over schulden en de buurt. " * 8
        saves.append(
            timed(
                lambda text=text: [
                    store.run(repo.save_note, visit_id=1, topic="stress", text=text, now=NOW)
                ]
            )[0]
        )
        finds.append(timed(lambda: store.run(search, text="schuld", limit=20))[0])
    store.engine.dispose()
    return saves, finds


def bench(options: Options) -> list[Result]:
    from wijkgesprek.store import crypto
    from wijkgesprek.store.schema import prepare_database

    runs = 15 if options.quick else 60
    with tempfile.TemporaryDirectory(prefix="wijkbench-crypto-") as tmp:
        plain = Path(tmp) / "plain" / "wijkgesprek.db"
        secret = Path(tmp) / "secret" / "wijkgesprek.db"
        prepare_database(plain)
        build(plain, households=100 if options.quick else 1_000, sizes=[])
        secret.parent.mkdir(mode=0o700)
        shutil.copy(plain, secret)
        crypto.encrypt_file(secret, PASSPHRASE)
        crypto.forget()
        started = time.perf_counter()
        crypto.unlock(secret, PASSPHRASE)
        unlock_ms = (time.perf_counter() - started) * 1000
        plain_saves, plain_finds = _measure(plain, runs)
        secret_saves, secret_finds = _measure(secret, runs)
        crypto.forget()
    notes: dict[str, object] = {"unlock_ms": round(unlock_ms, 1)}
    return [
        Result("encryption: save a note", "ms", plain_saves, secret_saves, None, notes=notes),
        Result(
            "encryption: search top 20",
            "ms",
            plain_finds,
            secret_finds,
            None,
            notes={"plain_ms": round(statistics.median(plain_finds), 1)},
        ),
    ]
