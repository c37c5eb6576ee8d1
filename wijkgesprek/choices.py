"""A known value typed by a user (a wijk, a theme, a format, a colour setting).

Case and surrounding spaces do not count (``noord`` is Noord). A value that is not
known gets one Dutch sentence naming it, the nearest known values (difflib) and what
is allowed, so the command line, the config file and the app say it the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from wijkgesprek.text import visible

CUTOFF = 0.6
"""How alike a known value must be (difflib ratio) to be offered as "bedoelde u …?"."""


def spelt_as(value: str, known: Iterable[str]) -> str | None:
    """The known value that is ``value`` apart from case and surrounding spaces."""
    wanted = value.strip().casefold()
    return next((option for option in known if option.casefold() == wanted), None)


def nearest(value: str, known: Sequence[str], *, most: int = 2) -> list[str]:
    """The known values that look most like ``value`` (a likely slip), best first."""
    from difflib import get_close_matches

    folded = {option.casefold(): option for option in known}
    close = get_close_matches(value.strip().casefold(), list(folded), n=most, cutoff=CUTOFF)
    return [folded[option] for option in close]


def either(options: Sequence[str]) -> str:
    """``tabel, csv of md``."""
    if len(options) < 2:
        return "".join(options)
    return f"{', '.join(options[:-1])} of {options[-1]}"


def unknown(value: str, what: str, known: Sequence[str], *, allowed: str = "") -> str:
    """``'Nord' is geen wijk van de sociale kaart; bedoelde u Noord? Kies Noord of
    Rivierkwartier.`` — ``what`` completes "… is ___"; ``allowed`` says what may be
    chosen when that is more than the list of ``known`` values."""
    text = f"'{visible(value)}' is {what}"
    near = nearest(value, known)
    if near:
        text += f"; bedoelde u {' of '.join(near)}?"
    choose = allowed or either(known)
    if choose:
        text += f"{' Kies' if near else '; kies'} {choose}"
    return text if text.endswith("?") else f"{text}."
