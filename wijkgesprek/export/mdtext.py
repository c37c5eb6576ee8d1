"""User text in Markdown, rendered literally: Markdown characters are escaped, line breaks
kept, and leading spaces cannot start a code block, so a note can never become a heading,
a link or HTML (shared by the dossier and the netwerkkaart's table)."""

from __future__ import annotations

import re

from wijkgesprek.text import visible

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&#])")
_LINE_START = re.compile(r"^(\d{1,9})([.)])")


def _escape_line(line: str) -> str:
    body = line.lstrip(" \t")
    indent = line[: len(line) - len(body)].replace("\t", "    ").replace(" ", "\u00a0")
    body = _SPECIAL.sub(r"\\\1", body)
    if body[:1] in ("-", "+", "="):
        body = "\\" + body
    body = _LINE_START.sub(r"\1\\\2", body)
    return indent + body if body else ""


def literal(text: str) -> str:
    """A block of user text that renders exactly as typed (line breaks kept)."""
    lines = [_escape_line(line) for line in visible(text.replace("\r\n", "\n")).split("\n")]
    out = []
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else ""
        out.append(line + "\\" if line and following else line)
    return "\n".join(out).strip("\n")


def inline(text: str) -> str:
    """User text inside a sentence or list item: one line, escaped."""
    joined = " / ".join(part.strip() for part in text.strip().splitlines() if part.strip())
    return _escape_line(visible(joined))
