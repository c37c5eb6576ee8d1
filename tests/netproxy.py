"""A Unix-socket proxy in front of the test server, as a network between a laptop and the
team database looks to the app.

- ``freeze`` keeps every connection open but passes nothing on, as a network that silently
  drops packets (no error, just no answer); ``thaw`` passes everything on again.
- ``thaw(stalled=True)``: the network works again for new connections, but the ones that
  were open during the freeze stay silent for ever (a NAT entry or a Wi-Fi hand-over that
  lost them): only a new connection works.
- ``delay``: every piece of data waits that long in each direction, so a question and its
  answer take twice the delay (the round trip), in order, as on a slow line.
"""

from __future__ import annotations

import socket
import threading
import time
from collections import deque
from pathlib import Path


class FreezingProxy:
    def __init__(self, upstream: Path, folder: Path, *, delay: float = 0.0) -> None:
        self.upstream = upstream
        self.folder = folder
        self.delay = delay
        """Seconds each piece of data waits in each direction (half the round trip)."""
        self.flowing = threading.Event()
        self.flowing.set()
        self._closed = threading.Event()
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._pairs: list[tuple[socket.socket, socket.socket]] = []
        self._dead: set[socket.socket] = set()
        self._listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._listener.bind(str(folder / upstream.name))
        self._listener.listen()
        threading.Thread(target=self._accept, daemon=True).start()

    def url(self, database: str) -> str:
        return f"postgresql://postgres@/{database}?host={self.folder}"

    def freeze(self) -> None:
        self.flowing.clear()

    def thaw(self, *, stalled: bool = False) -> None:
        """Pass data on again; ``stalled``: not on the connections open now (they stay
        silent for ever), only on new ones."""
        if stalled:
            with self._lock:
                for pair in self._pairs:
                    self._dead.update(pair)
        self.flowing.set()

    def close(self) -> None:
        self._closed.set()
        self.flowing.set()
        with self._lock:
            opened = [self._listener, *self._sockets]
        for each in opened:
            each.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            server.connect(str(self.upstream))
            with self._lock:
                self._sockets += [client, server]
                self._pairs.append((client, server))
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        """Read from ``source`` and pass it on to ``target`` (after the delay, in order)."""
        queue: deque[tuple[float, bytes]] = deque()
        ready = threading.Condition()
        done = threading.Event()

        def deliver() -> None:
            try:
                while True:
                    with ready:
                        while not queue and not done.is_set():
                            ready.wait()
                        if not queue:
                            return
                        due, data = queue.popleft()
                    # The network's delay: waits for the moment (or the proxy's end).
                    if self._closed.wait(max(0.0, due - time.monotonic())):
                        return
                    self.flowing.wait()
                    if source in self._dead:  # a stalled connection: nothing, ever
                        self._closed.wait()
                        return
                    target.sendall(data)
            except OSError:
                pass
            finally:
                target.close()

        threading.Thread(target=deliver, daemon=True).start()
        try:
            while data := source.recv(65536):
                with ready:
                    queue.append((time.monotonic() + self.delay, data))
                    ready.notify()
        except OSError:
            pass
        finally:
            with ready:
                done.set()
                ready.notify()
