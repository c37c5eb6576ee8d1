"""The one line the app ends with after an unexpected error.

Textual would print a traceback with local variables, which can hold note text. The App's
``_fatal_error`` (the hook Textual calls for an unhandled error, docs/textual.md) ends the
app with :func:`fatal_line` instead: one Dutch sentence with the error's type and place,
never a value."""

from __future__ import annotations

import traceback
from pathlib import Path

from rich.text import Text


def fatal_line(error: BaseException | None) -> Text:
    """What went wrong and where (file and line), without values."""
    where = ""
    if error is not None and error.__traceback__ is not None:
        frame = traceback.extract_tb(error.__traceback__)[-1]
        where = f" in {Path(frame.filename).name}:{frame.lineno}"
    name = type(error).__name__ if error is not None else "onbekend"
    return Text(
        f"wijkgesprek moest stoppen door een onverwachte fout ({name}{where}). "
        "Wat u typte is tot hoogstens een seconde voor de fout opgeslagen. Geef deze "
        "regel door aan de beheerder; er staan geen gegevens van gezinnen in."
    )
