"""How large what a user types or gives the app may be (issue 18).

Limits keep a pasted book, a damaged or hostile file from filling the memory or making
the app slow; each is far above real use and is refused with one Dutch sentence.
"""

from __future__ import annotations

MAX_NOTE_CHARS = 1_000_000
"""Characters in one note or addition (about 1 MB: some 150,000 words, a book)."""
