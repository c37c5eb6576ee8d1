"""One professional of the team load benchmark, as a process of its own:
``team_load_child.py URL VISIT NAME SECONDS CADENCE``.

Says ``klaar`` when it is ready, reads the start time (``time.time()``) from stdin, waits
until then, and every ``CADENCE`` seconds types a sentence
where its cursor is in the note ``stress`` of visit ``VISIT`` (after its own last one,
as in the app) and saves as the app does: kept in its own
outbox (a folder of its own, as on its own laptop), then written to the server with the
version it last saw (``outbox.send``, as the app's sender: a colleague's save meanwhile
is merged three-way), then taken out of the outbox. It goes on from what was written, as the screen
does. Each server write runs as the app runs it (``connection.Attempt``): it counts as
*pushed offline* when the server stayed silent for ``connection.SILENCE`` seconds, and
as *offline under the old rule* when the whole save took more than the 1 s the app used
to wait. Prints JSON: save times (ms), those counts, merges, and the sentences it wrote.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

OLD_SAVE_TIMEOUT = 1.0
"""Seconds the app waited for a save before issue 21 (then it went offline)."""


def main(url: str, visit: int, name: str, seconds: float, cadence: float) -> None:
    from wijkgesprek.connection import SILENCE, Attempt
    from wijkgesprek.domain.merge import follow
    from wijkgesprek.store.engine import Store
    from wijkgesprek.store.outbox import OUTBOX_NAME, Outbox, send
    from wijkgesprek.store.repo import get_visit
    from wijkgesprek.store.target import TeamServer

    store = Store(TeamServer(url))
    outbox = Outbox(Path(tempfile.mkdtemp(prefix="wijklaptop-")) / OUTBOX_NAME, url)
    note = store.run(get_visit, visit_id=visit).notes.get("stress")
    text, version = (note.text, note.version) if note else ("", 0)
    cursor = len(text)
    saves: list[float] = []
    offline = old_offline = merges = refused = 0
    written: list[str] = []
    print("klaar", flush=True)
    start = float(sys.stdin.readline())
    time.sleep(max(0.0, start - time.time()))
    deadline = time.monotonic() + seconds
    number = 0
    while time.monotonic() < deadline:
        sentence = f"{name}{number}: een verzonnen zin over de buurt."
        number += 1
        base_text = text
        text = f"{text[:cursor]} {sentence}{text[cursor:]}"
        cursor += len(sentence) + 1
        began = time.perf_counter()
        outbox.keep(
            visit_id=visit,
            topic="stress",
            text=text,
            base=version,
            base_text=base_text,
            now=datetime.now(UTC),
        )
        attempt = Attempt(store, lambda: send(outbox, store))  # as the app's sender
        try:
            sent = attempt.wait(SILENCE)
        except TimeoutError:
            offline += 1  # the app would have gone offline here (and sent it later)
            sent = attempt.future.result()
        took = time.perf_counter() - began
        written.append(sentence)  # in the outbox: on the server now or with the next save
        refused += len(sent.refused) + len(sent.busy)
        if not sent.written:  # a colleague kept saving in between: again next time
            continue
        result = sent.written[-1]
        saves.append(took * 1000)
        old_offline += took > OLD_SAVE_TIMEOUT
        merges += result.merged
        if result.text != text:  # merged: the cursor goes where the merge put it
            cursor = (
                result.cursor if result.cursor is not None else follow(text, result.text, cursor)
            )
        text, version = result.text, result.version
        time.sleep(max(0.0, cadence - took))
    for _ in range(20):  # what still waits goes with the next save, as in the app
        if not outbox.pending():
            break
        send(outbox, store)
    store.engine.dispose()
    print(
        json.dumps(
            {
                "saves": saves,
                "offline": offline,
                "old_offline": old_offline,
                "merges": merges,
                "refused": refused,
                "written": written,
                "waiting": len(outbox.pending()),
            }
        )
    )


if __name__ == "__main__":
    url, visit, name, seconds, cadence = sys.argv[1:6]
    main(url, int(visit), name, float(seconds), float(cadence))
