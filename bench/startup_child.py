"""Child of the first-frame benchmark: ``python bench/startup_child.py hello|app``.

Kept free of benchmark imports so that both programs start from the same place.
Wraps ``App._display`` (where Textual hands a rendered frame to the driver) and
records, in seconds since ``BENCH_T0`` (the parent's ``time.time()`` just before
spawning), two moments for the target screen:

- ``paint``: the first update of that screen that reaches the terminal;
- ``full``: the first *complete* frame of it (a full-screen ``LayoutUpdate``)
  that reaches the terminal.

"Reaches the terminal" means the driver's writer thread has been drained. Both
go to the file ``BENCH_RESULT`` as "paint full" and the process exits at once.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

TARGET_SCREEN = {"hello": "Screen", "app": "HomeScreen"}


def main(kind: str) -> None:
    t0 = float(os.environ["BENCH_T0"])
    from textual._compositor import LayoutUpdate
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    target = TARGET_SCREEN[kind]
    display = App._display
    paint: list[float] = []

    def frame_hook(app: App[object], screen: object, renderable: object) -> None:
        display(app, screen, renderable)  # type: ignore[arg-type]
        if renderable is None or app._batch_count or type(screen).__name__ != target:
            return  # nothing was written (a batched update is dropped by Textual)
        full = isinstance(renderable, LayoutUpdate)
        writer = getattr(app._driver, "_writer_thread", None)
        if writer is not None and full:
            writer.stop()  # returns once everything queued has been written
        paint.append(time.time() - t0)
        if full:
            Path(os.environ["BENCH_RESULT"]).write_text(f"{paint[0]!r} {paint[-1]!r}")
            os._exit(0)

    App._display = frame_hook  # type: ignore[method-assign,assignment]

    if kind == "hello":

        class HelloApp(App[None]):
            def compose(self) -> ComposeResult:
                yield Static("hello")

        HelloApp().run()
    else:
        from wijkgesprek.cli import main as wijkgesprek

        wijkgesprek([])


if __name__ == "__main__":
    main(sys.argv[1])
