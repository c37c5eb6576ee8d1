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
import pickle
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from wijkgesprek import __version__

T = TypeVar("T")


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
    if cache_dir is None:
        return build()
    try:
        data = source.read_bytes()
    except OSError:
        return build()  # build() reports the problem in Dutch
    digest = hashlib.sha256(f"{__version__}\0{kind}\0{source}\0{extra}\0".encode())
    digest.update(data)
    key = digest.hexdigest()
    name = hashlib.sha256(str(source.absolute()).encode()).hexdigest()[:32]
    file = cache_dir / f"{kind}-{name}.pickle"
    value = _read(file, key)
    if isinstance(value, expect):
        return value
    value = build()
    _write(file, (key, value))
    return value


def _read(file: Path, key: str) -> object:
    try:
        with file.open("rb") as stream:
            status = os.fstat(stream.fileno())
            if hasattr(os, "getuid") and (status.st_uid != os.getuid() or status.st_mode & 0o077):
                return None  # not ours alone: do not unpickle it
            with collector_paused():
                stored = pickle.load(stream)
    except Exception:  # missing, damaged or from another version: parse again
        return None
    if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == key:
        return stored[1]
    return None


def _write(file: Path, payload: object) -> None:
    import tempfile  # only when writing: keeps the common (cached) start quick

    try:
        file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=file.parent, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as stream:
                pickle.dump(payload, stream, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, file)  # mkstemp made it 0600
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
    except (OSError, pickle.PicklingError):
        pass  # a cache that cannot be written only costs time
