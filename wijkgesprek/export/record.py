"""The exports the app wrote for households, so that erasing a household can offer to
erase them too.

Exports are plain files outside the (perhaps encrypted) database. wijkgesprek records the
ones it wrote in the data folder (``wijkgesprek-exporten.json``, 0600): per file its
absolute path, the household codes in it (a calendar of follow-ups holds many), its kind,
when it was written, its size and its SHA-256. Erasing a household lists these files and,
when the user agrees, erases each one that is still exactly what was written (overwritten
with zeros, then removed); one that was changed, moved or removed is named and not
touched. Then the household's code leaves the record, whatever was chosen: the code is
personal data too. Not a database table: the files are on this laptop, a row in a team
database would name paths no colleague can reach.

The record is replaced as a whole (a temporary file beside it, fsync, rename) while a lock
file is held, so two windows never lose each other's lines. A record that cannot be read
or written never costs an export or an erasure: it is one Dutch sentence and the work goes
on; a damaged record is never replaced (it may list other exports).
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from wijkgesprek.errors import WijkError
from wijkgesprek.text import visible

RECORD_NAME = "wijkgesprek-exporten.json"
LOCK_NAME = "wijkgesprek-exporten.lock"
TEMPORARY = "wijkgesprek-exporten-"
"""The start of the name of a new record before it is renamed into place (0600)."""
VERSION = 1
MAX_RECORD_BYTES = 16 * 2**20
"""Some 60,000 exports; a larger record is refused, never read whole."""
LOCK_WAIT = 5.0
"""Seconds to wait for another window that is updating the record (it takes milliseconds)."""

KINDS = {
    "dossier": "dossier",
    "dossier-bezoek": "dossier van een bezoek",
    "gezin": "gezinsversie",
    "gezin-veiligheid": "gezinsversie met veiligheid",
    "overdracht": "overdracht",
    "vervolg": "vervolgcontacten",
    "netwerkkaart": "tekening van de netwerkkaart",
}


class RecordProblem(WijkError):
    """The record cannot be read or written (the message names it)."""


@dataclass(frozen=True)
class Written:
    """One export file as it was written."""

    path: Path
    codes: tuple[str, ...]
    kind: str
    at: datetime
    size: int
    sha256: str

    def label(self, erasing: Sequence[str], *, name_only: bool = False) -> str:
        """The path (or only the file's name), the kind and the day; and how many other
        households it names."""
        where = self.path.name if name_only else self.path
        line = f"{where} ({KINDS.get(self.kind, self.kind)}, {self.at:%d-%m-%Y})"
        others = len(set(self.codes) - set(erasing))
        if others:
            line += f", ook van {others} ander{' huishouden' if others == 1 else 'e huishoudens'}"
        return visible(line)


def record_file(folder: Path) -> Path:
    return folder / RECORD_NAME


def note_export(
    folder: Path, path: Path, payload: bytes, *, codes: Sequence[str], kind: str
) -> str:
    """Record ``path``, just written with ``payload``, for ``codes``; what was recorded for
    that path before goes (its content is gone). Returns "" or a Dutch sentence when the
    record could not be kept: the export itself is written."""
    written = Written(
        path=Path(os.path.abspath(path)),
        codes=tuple(dict.fromkeys(codes)),
        kind=kind,
        at=datetime.now().astimezone(),
        size=len(payload),
        sha256=hashlib.sha256(payload).hexdigest(),
    )
    try:
        with _locked(folder):
            entries = _read(folder)
            kept = [entry for entry in entries if entry.path != written.path]
            if written.codes:
                kept.append(written)
            if kept != entries:
                _write(folder, kept)
    except RecordProblem as problem:
        return visible(
            f"Let op: {path} is geschreven, maar staat niet in het overzicht van exports "
            f"({problem}); wijkgesprek noemt het dus niet als het huishouden wordt gewist."
        )
    return ""


def exports_of(folder: Path, codes: Sequence[str]) -> list[Written]:
    """The recorded exports that hold any of ``codes``; ``RecordProblem`` when the
    record cannot be read."""
    wanted = set(codes)
    return [entry for entry in _read(folder) if wanted & set(entry.codes)]


@dataclass(frozen=True)
class Settled:
    """What became of the exports of erased households."""

    erased: tuple[Path, ...] = ()
    kept: tuple[Path, ...] = ()
    """Left in place as the user chose."""
    untouched: tuple[tuple[Path, str], ...] = ()
    """Changed, moved or gone since the export, with the reason: not touched."""
    failed: tuple[tuple[Path, str], ...] = ()
    """Could not be erased (completely), with the reason."""
    problem: str = ""
    """The record could not be read or updated (Dutch)."""

    def lines(self) -> list[str]:
        """For the command line: one file a line."""
        said = [f"Gewist: {visible(str(path))}" for path in self.erased]
        said += [f"Blijft staan: {visible(str(path))}" for path in self.kept]
        if self.kept:
            said.append(_keep_hint(len(self.kept)))
        said += [f"Niet aangeraakt: {visible(str(p))} ({why})" for p, why in self.untouched]
        said += [f"Niet gewist: {visible(str(p))} ({why})" for p, why in self.failed]
        return said

    def sentence(self) -> str:
        """For a notification in the app."""
        said = []
        if self.erased:
            said.append(f"{_exports(len(self.erased))} gewist.")
        if self.kept:
            names = ", ".join(visible(path.name) for path in self.kept)
            verb = "blijft" if len(self.kept) == 1 else "blijven"
            said.append(f"{_exports(len(self.kept))} {verb} staan ({names}); {_keep_hint(1)}")
        said += [f"Niet aangeraakt: {visible(str(p))} ({why})." for p, why in self.untouched]
        said += [f"Niet gewist: {visible(str(p))} ({why})." for p, why in self.failed]
        return " ".join(said)

    @property
    def warns(self) -> bool:
        return bool(self.untouched or self.failed or self.problem)


def _exports(count: int) -> str:
    return f"{count} export{'' if count == 1 else 's'}"


def _keep_hint(count: int) -> str:
    if count == 1:
        return "wijkgesprek noemt het niet meer; wis het zelf als het weg moet."
    return "wijkgesprek noemt ze niet meer; wis ze zelf als ze weg moeten."


def settle(folder: Path, codes: Sequence[str], files: Sequence[Written], *, erase: bool) -> Settled:
    """After ``codes`` were erased: erase ``files`` (as listed to the user) when ``erase``,
    then take the codes, and every erased file, out of the record."""
    erased: list[Path] = []
    untouched: list[tuple[Path, str]] = []
    failed: list[tuple[Path, str]] = []
    for written in files if erase else ():
        outcome = erase_file(written)
        if outcome is None:
            erased.append(written.path)
        elif outcome.touched:
            failed.append((written.path, outcome.reason))
        else:
            untouched.append((written.path, outcome.reason))
    problem = ""
    try:
        with _locked(folder):
            entries = _read(folder)
            left = [
                replace(entry, codes=tuple(c for c in entry.codes if c not in codes))
                for entry in entries
                if entry.path not in erased
            ]
            left = [entry for entry in left if entry.codes]
            if left != entries:
                _write(folder, left)
    except RecordProblem as error:
        problem = visible(
            f"Let op: het overzicht van exports is niet bijgewerkt ({error}). Exports van "
            "deze huishoudens zijn daardoor misschien niet genoemd, en hun gezinscode kan er "
            "nog in staan: kijk het bestand na of verwijder het."
        )
    kept = () if erase else tuple(written.path for written in files)
    return Settled(tuple(erased), kept, tuple(untouched), tuple(failed), problem)


@dataclass(frozen=True)
class NotErased:
    reason: str
    touched: bool = False
    """True when the file was (partly) overwritten but not removed."""


def erase_file(written: Written) -> NotErased | None:
    """Overwrite the file with zeros and remove it, when it is still the regular file of
    the size and SHA-256 that were written; otherwise say why it was left alone."""
    path = written.path
    try:
        if stat.S_ISLNK(os.lstat(path).st_mode):
            return NotErased("geen gewoon bestand meer, maar een koppeling")
        flags = os.O_RDWR | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
        descriptor = os.open(path, flags | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        return NotErased("er niet meer: verplaatst of verwijderd")
    except IsADirectoryError:
        return NotErased("geen gewoon bestand meer, maar een map")
    except PermissionError:
        return NotErased("geen toestemming om het te wissen")
    except OSError as error:
        if error.errno == errno.ELOOP:
            return NotErased("geen gewoon bestand meer, maar een koppeling")
        return NotErased(f"kan niet worden geopend: {error.strerror}")
    try:
        found = os.fstat(descriptor)
        if not stat.S_ISREG(found.st_mode):
            return NotErased("geen gewoon bestand meer")
        if found.st_size != written.size or _digest(descriptor) != written.sha256:
            return NotErased("veranderd sinds de export")
        _zero(descriptor, written.size)
    except OSError as error:
        return NotErased(f"niet (helemaal) overschreven: {error.strerror}", touched=True)
    finally:
        os.close(descriptor)
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    except OSError as error:
        return NotErased(f"met nullen overschreven, niet verwijderd: {error.strerror}", True)
    return None


def _digest(descriptor: int) -> str:
    digest = hashlib.sha256()
    os.lseek(descriptor, 0, os.SEEK_SET)
    while chunk := os.read(descriptor, 2**20):
        digest.update(chunk)
    return digest.hexdigest()


def _zero(descriptor: int, size: int) -> None:
    if hasattr(os, "O_NONBLOCK"):
        os.set_blocking(descriptor, True)
    os.lseek(descriptor, 0, os.SEEK_SET)
    block = bytes(min(size, 2**20))
    done = 0
    while done < size:
        done += os.write(descriptor, block[: size - done])
    os.fsync(descriptor)


# -- the record file -----------------------------------------------------------------------


def _read(folder: Path) -> list[Written]:
    from wijkgesprek.limits import TooLarge, read_limited

    path = record_file(folder)
    try:
        data = read_limited(path, MAX_RECORD_BYTES)
    except FileNotFoundError:
        return []
    except TooLarge:
        raise RecordProblem(f"{path} is groter dan 16 MB en wordt niet gelezen") from None
    except OSError as error:
        raise RecordProblem(f"{path} kan niet worden gelezen: {error.strerror}") from None
    try:
        parsed = json.loads(data)
        if parsed["versie"] != VERSION:
            raise ValueError(parsed["versie"])
        return [_entry(item) for item in parsed["exporten"]]
    except (ValueError, KeyError, TypeError, OverflowError):
        raise RecordProblem(
            f"{path} is beschadigd of van een andere versie van wijkgesprek"
        ) from None


def _entry(item: dict[str, object]) -> Written:
    path, codes, kind, at = item["pad"], item["gezinscodes"], item["soort"], item["geschreven"]
    size, digest = item["grootte"], item["sha256"]
    if not (
        isinstance(path, str)
        and isinstance(codes, list)
        and all(isinstance(code, str) for code in codes)
        and isinstance(kind, str)
        and isinstance(at, str)
        and type(size) is int
        and size >= 0
        and isinstance(digest, str)
        and len(digest) == 64
    ):
        raise ValueError(item)
    return Written(Path(path), tuple(codes), kind, datetime.fromisoformat(at), size, digest)


def _write(folder: Path, entries: Sequence[Written]) -> None:
    items = [
        {
            "pad": str(entry.path),
            "gezinscodes": list(entry.codes),
            "soort": entry.kind,
            "geschreven": entry.at.isoformat(timespec="seconds"),
            "grootte": entry.size,
            "sha256": entry.sha256,
        }
        for entry in entries
    ]
    data = json.dumps({"versie": VERSION, "exporten": items}, indent=1).encode("ascii")
    for left in folder.glob(f"{TEMPORARY}*.tmp"):  # from a crash: it may hold codes
        with suppress(OSError):
            left.unlink()
    try:
        descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=TEMPORARY, suffix=".tmp")
    except OSError as error:
        raise RecordProblem(
            f"{record_file(folder)} kan niet worden geschreven: {error.strerror}"
        ) from None
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, record_file(folder))
    except OSError as error:
        with suppress(OSError):
            os.unlink(temporary)
        raise RecordProblem(
            f"{record_file(folder)} kan niet worden geschreven: {error.strerror}"
        ) from None
    with suppress(OSError, AttributeError):  # the rename itself on disk (not on Windows)
        directory = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Held while the record is read and replaced: one window at a time."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as error:
        raise RecordProblem(
            f"{record_file(folder)} kan niet worden geschreven: {error.strerror}"
        ) from None
    try:
        release = _lock(descriptor, folder)
        try:
            yield
        finally:
            release()
    finally:
        os.close(descriptor)


def _lock(descriptor: int, folder: Path) -> Callable[[], None]:
    """Take the lock (waiting at most ``LOCK_WAIT``); returns how to let go of it."""
    if sys.platform == "win32":
        import msvcrt

        def take() -> None:
            msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)

        def release() -> None:
            os.lseek(descriptor, 0, os.SEEK_SET)
            msvcrt.locking(descriptor, msvcrt.LK_UNLCK, 1)

    else:
        import fcntl

        def take() -> None:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)

        def release() -> None:
            fcntl.flock(descriptor, fcntl.LOCK_UN)

    deadline = time.monotonic() + LOCK_WAIT
    while True:
        try:
            take()
            return release
        except OSError:
            if time.monotonic() > deadline:
                raise RecordProblem(
                    f"{record_file(folder)} wordt door een ander venster bijgewerkt"
                ) from None
            time.sleep(0.02)
