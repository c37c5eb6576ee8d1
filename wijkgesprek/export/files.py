"""Writing files the app exports: private to the user (0600), never silently replaced."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from wijkgesprek.errors import WijkError


def write_private(
    path: Path,
    payload: bytes,
    *,
    overwrite: bool,
    exists_hint: str = "Kies een andere naam, of gebruik --overschrijven.",
) -> None:
    """Write ``payload`` to a file only the user can read (0600)."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if overwrite else os.O_EXCL)
    flags |= getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)  # a FIFO: no wait
    if overwrite and path.exists() and not path.is_file():  # /dev/zero, a FIFO, a socket
        raise WijkError(f"{path} is geen gewoon bestand; kies een andere naam.")
    try:
        descriptor = os.open(path, flags, 0o600)
    except FileExistsError:
        raise WijkError(f"{path} bestaat al. {exists_hint}") from None
    except IsADirectoryError:
        raise WijkError(f"{path} is een map; geef een bestandsnaam.") from None
    except FileNotFoundError:
        raise WijkError(f"De map voor {path} bestaat niet.") from None
    except PermissionError:
        raise WijkError(f"Geen toestemming om {path} te schrijven.") from None
    except OSError:
        raise WijkError(f"Kan {path} niet schrijven.") from None
    try:
        if hasattr(os, "O_NONBLOCK"):
            os.set_blocking(descriptor, True)
        with os.fdopen(descriptor, "wb") as file:
            if hasattr(os, "fchmod"):  # an overwritten file may have been readable
                os.fchmod(file.fileno(), 0o600)
            file.write(payload)
    except OSError:
        raise WijkError(f"Kan {path} niet (helemaal) schrijven.") from None


def write_recorded(
    path: Path,
    payload: bytes,
    *,
    overwrite: bool,
    codes: Sequence[str],
    kind: str,
    data_folder: Path,
    exists_hint: str = "Kies een andere naam, of gebruik --overschrijven.",
) -> str:
    """``write_private`` for an export of households (``codes``), then record it in the
    data folder (``export.record``), so erasing a household can offer to erase it too.
    Returns "" or a Dutch sentence when the record could not be kept: the file is written."""
    from wijkgesprek.export.record import note_export

    write_private(path, payload, overwrite=overwrite, exists_hint=exists_hint)
    return note_export(data_folder, path, payload, codes=codes, kind=kind)
