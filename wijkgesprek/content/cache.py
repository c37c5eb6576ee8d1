"""A private cache of parsed content files, keyed on their bytes.

Parsing YAML costs an import of PyYAML and the parse itself; a cached, already
validated result loads with ``pickle`` in a few milliseconds. The key is a hash
of the file's bytes, the version of wijkgesprek and whatever else the result
depends on (``extra``), so a changed file or a new release is parsed again. Only
results without errors are stored (``build`` raises on errors). There is one
cache file per source path, replaced atomically, private to the user (0600 in a
0700 folder); a cache file that is not ours alone is never unpickled. Any other
problem with the cache simply means parsing again.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from wijkgesprek import __version__, limits

T = TypeVar("T")

CHECKS = 3
"""Raised when the checks of content files become stricter (2: control characters; 3: the
guide's netwerkkaart), so a result cached before is checked again, also between releases."""


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small, acyclic objects.

    Otherwise it runs again and again; a 10,000-entry file then loads several times slower.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _locate(source: Path, kind: str, cache_dir: Path, extra: str) -> tuple[Path, bytes] | None:
    """The cache file for ``source`` and the key its contents must carry (None: unreadable)."""
    try:
        data = limits.read_limited(source, limits.MAX_DATA_FILE_BYTES)
    except (OSError, limits.TooLarge):
        return None  # the reader tells why
    digest = hashlib.sha256(f"{__version__}\0{CHECKS}\0{kind}\0{source}\0{extra}\0".encode())
    digest.update(data)
    name = hashlib.sha256(str(source.absolute()).encode()).hexdigest()[:32]
    return cache_dir / f"{kind}-{name}.pickle", digest.hexdigest().encode()


def is_current(source: Path, *, kind: str, cache_dir: Path, extra: str = "") -> bool:
    """Whether the cache holds a checked result for ``source`` as it is now, without
    unpickling it (a quick test before the user interface starts)."""
    located = _locate(source, kind, cache_dir, extra)
    if located is None:
        return False
    file, key = located
    try:
        with file.open("rb") as stream:
            return _ours(stream.fileno()) and stream.read(len(key) + 1) == key + b"\n"
    except OSError:
        return False


def cached(
    source: Path,
    *,
    kind: str,
    build: Callable[[], T],
    cache_dir: Path | None,
    expect: type[T],
    extra: str = "",
) -> T:
    """The result of ``build()`` for ``source``, from the cache when nothing changed.

    ``expect`` is the type of the result; anything else found in the cache is ignored.
    """
    located = None if cache_dir is None else _locate(source, kind, cache_dir, extra)
    if located is None:
        return build()  # no cache, or an unreadable file: build() reports it in Dutch
    file, key = located
    value = _read(file, key)
    if isinstance(value, expect):
        return value
    value = build()
    _write(file, key, value)
    return value


def _ours(descriptor: int) -> bool:
    """Only a file of this user that nobody else can write or read is unpickled."""
    status = os.fstat(descriptor)
    return not hasattr(os, "getuid") or (
        status.st_uid == os.getuid() and not status.st_mode & 0o077
    )


def _read(file: Path, key: bytes) -> object:
    import pickle  # not needed for the quick check before the first frame

    try:
        with file.open("rb") as stream:
            if not _ours(stream.fileno()) or stream.read(len(key) + 1) != key + b"\n":
                return None
            with collector_paused():
                return pickle.load(stream)
    except Exception:  # missing, damaged or from another version: parse again
        return None


def _write(file: Path, key: bytes, value: object) -> None:
    import pickle
    import tempfile  # only when writing: keeps the common (cached) start quick

    try:
        file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=file.parent, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(key + b"\n")
                pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, file)  # mkstemp made it 0600
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
    except (OSError, pickle.PicklingError):
        pass  # a cache that cannot be written only costs time
