"""Showing what a person typed, exactly as typed.

Text from notes and fields is never parsed as markup: widgets get it with
``markup=False`` or as ``Content``. Control characters (such as ESC, which could
steer the terminal) are shown as visible symbols instead of being sent on.
"""

from __future__ import annotations

import re

_KEEP = {"\n", "\t"}
_VISIBLE = (
    {code: chr(0x2400 + code) for code in range(0x20) if chr(code) not in _KEEP}
    | {0x7F: "\u2421"}
    | {code: "\ufffd" for code in range(0x80, 0xA0)}
)


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_NAMES = {0x1B: "ESC", 0x07: "BEL", 0x08: "BS", 0x0D: "CR", 0x00: "NUL", 0x7F: "DEL", 0x9B: "CSI"}


def control_character(text: str) -> str | None:
    """The first control character in ``text`` (C0 but newline and tab, DEL, C1), named
    for a message (``"ESC, U+001B"``), or None. Data files may not hold them: they
    could steer the terminal."""
    found = _CONTROL.search(text)
    if found is None:
        return None
    code = ord(found.group())
    name = _NAMES.get(code)
    return f"{name}, U+{code:04X}" if name else f"U+{code:04X}"


CONTROL_HINT = "zulke tekens kunnen de terminal besturen en zijn niet toegestaan"


def visible(text: str) -> str:
    """``text`` with every control character replaced by a visible symbol (␛, ␇, …)."""
    return text.translate(_VISIBLE)


def one_line(text: str, width: int = 60) -> str:
    """The first line of ``text``, shortened to ``width`` characters, made visible."""
    first = visible(text.strip().split("\n", 1)[0])
    return first if len(first) <= width else first[: width - 1] + "…"


def clean_typed(text: str) -> str:
    """Text pasted or loaded into an editor: line ends normalised, other control
    characters made visible, so nothing typed can steer the terminal."""
    return visible(text.replace("\r\n", "\n").replace("\r", "\n"))


_BARS = "▁▂▃▄▅▆▇█"


def spark(values: list[int], top: int = 10) -> str:
    """A tiny bar chart, one block per value from 0 to ``top`` (e.g. scaling figures)."""
    return "".join(_BARS[round(min(max(v, 0), top) / top * (len(_BARS) - 1))] for v in values)


def fold(text: str) -> str:
    """Lower case without diacritics, so "cafe" finds "café" and "ruzie" finds "Ruzië"."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def confirms(typed: str, word: str) -> bool:
    """Whether ``typed`` is the confirmation ``word`` (a household code, or WISSEN): the
    same on the command line and in the app, ignoring case and spaces around it."""
    return typed.strip().upper() == word.strip().upper()


_OPENING = '"“„«'
_CLOSING = '"”“»'
_ENDS = (".", "?", "!", "…")


def quoted(text: str) -> str:
    """Words a person said, between one pair of quotes, also when they were typed with
    their own: ``"het gaat net"`` becomes “het gaat net”, never “"het gaat net"”."""
    words = text.strip()
    if len(words) >= 2 and words[0] in _OPENING and words[-1] in _CLOSING:
        inner = words[1:-1]
        return f"“{inner}”" if not any(q in inner for q in _OPENING + _CLOSING) else words
    return f"“{words}”"


def ends_sentence(text: str) -> bool:
    """Whether ``text`` ends with . ? ! or …, also just inside a closing quote."""
    return text.rstrip().rstrip(_CLOSING + "’'").endswith(_ENDS)


def sentence(text: str) -> str:
    """``text`` ending with a full stop, unless it already ends a sentence: never two."""
    body = text.rstrip()
    return body if ends_sentence(body) else body + "."


def by(author: str, *, besides: str = "") -> str:
    """ " (door anna)" after something a person recorded, on a team database where the
    server names its author; nothing when no author is known (the laptop) or when it is
    ``besides``, the author already named above it (the visit's)."""
    return f" (door {author})" if author and author != besides else ""
