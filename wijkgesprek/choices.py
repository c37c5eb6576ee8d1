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
TIE = 0.05
"""A second known value is offered too when it is this close to the best one."""


def spelt_as(value: str, known: Iterable[str]) -> str | None:
    """The known value that is ``value`` apart from case and surrounding spaces."""
    wanted = value.strip().casefold()
    return next((option for option in known if option.casefold() == wanted), None)


def nearest(value: str, known: Sequence[str], *, most: int = 2) -> list[str]:
    """The known values that look most like ``value`` (a likely slip), best first: the
    best one, and another only when it looks as much alike (``Noord-Oost``, ``Noord-West``)."""
    from difflib import SequenceMatcher

    typed = value.strip().casefold()
    scored = sorted(
        ((SequenceMatcher(None, typed, option.casefold()).ratio(), option) for option in known),
        key=lambda pair: -pair[0],
    )
    best = scored[0][0] if scored else 0.0
    return [option for score, option in scored[:most] if score >= max(CUTOFF, best - TIE)]


def either(options: Sequence[str], word: str = "of") -> str:
    """``tabel, csv of md`` (or with another ``word``: ``Noord en Rivierkwartier``)."""
    if len(options) < 2:
        return "".join(options)
    return f"{', '.join(options[:-1])} {word} {options[-1]}"


def unknown(value: str, what: str, known: Sequence[str], *, allowed: str = "") -> str:
    """``'Nord' is geen wijk van de sociale kaart; bedoelde u Noord? Kies Noord of
    Rivierkwartier.`` — ``what`` completes "… is ___"; ``allowed`` says what may be
    chosen when that is more than the list of ``known`` values."""
    text = f"'{visible(value)}' is {what}"
    hint = did_you_mean(value, known)
    if hint:
        text += f"; {hint}"
    choose = allowed or either(known)
    if choose:
        text += f"{' Kies' if hint else '; kies'} {choose}"
    return text if text.endswith("?") else f"{text}."


def did_you_mean(value: str, known: Sequence[str]) -> str:
    """``bedoelde u Noord?`` for the nearest known values, or ``""`` when none is near."""
    near = nearest(value, known)
    return f"bedoelde u {' of '.join(visible(option) for option in near)}?" if near else ""
