"""Two windows typing sentences letter by letter into one note, merged as the screens do.

A pure-Python model of ``tests/test_two_editors.py`` (two real processes): each window has
the text of the version it last had (its base), its own text and its cursor; it saves at
random moments, and a save on an old version is merged with the latest one
(``merge_notes``); the merged text becomes its text and base, its cursor goes where the
merge says. The second window may open the note late, in the middle of a sentence of the
first. Both type at the end of the note, or both at one place in the middle (before the
last line). Every finished sentence must end up in the note whole and once.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from wijkgesprek.domain.merge import merge_notes

WHEN = datetime(2026, 11, 26, 9, 42, tzinfo=UTC)
START = "Kennismaking."
LAST_LINE = "\nAfspraken volgen."


class Window:
    def __init__(self, name: str, after: str) -> None:
        self.name = name
        self.after = after
        self.typed: list[str] = []
        self._to_type = ""
        self.text = self.base = ""
        self.version = self.cursor = 0

    def open(self, text: str, version: int) -> None:
        """Open the note: the cursor at its end (as the visit screen does), or before
        ``after``, the text after the place where both type."""
        self.text = self.base = text
        self.version, self.cursor = version, len(text) - len(self.after)

    @property
    def mid_sentence(self) -> bool:
        return bool(self._to_type)

    def type(self, letters: int) -> None:
        if not self._to_type:
            self._to_type = f" {self.name}{len(self.typed)}: zin van {self.name}."
        piece, self._to_type = self._to_type[:letters], self._to_type[letters:]
        self.text = self.text[: self.cursor] + piece + self.text[self.cursor :]
        self.cursor += len(piece)
        if not self._to_type:
            self.typed.append(f"{self.name}{len(self.typed)}: zin van {self.name}.")


class Note:
    def __init__(self, after: str) -> None:
        self.text, self.version, self.conflicts = START + after, 1, 0

    def save(self, window: Window) -> None:
        if window.text == window.base:
            return  # nothing typed: the screen does not save
        cursor = window.cursor
        if window.version == self.version:
            self.text = window.text
        else:
            merged = merge_notes(
                window.base, window.text, self.text, who="", when=WHEN, cursor=cursor
            )
            assert merged.cursor is not None
            self.text, cursor = merged.text, merged.cursor
            self.conflicts += merged.conflicts
        self.version += 1
        window.text = window.base = self.text
        window.version, window.cursor = self.version, cursor


def type_at_random(seed: int, after: str, steps: int = 400) -> tuple[Note, list[Window]]:
    rng = random.Random(seed)
    note = Note(after)
    first, second = Window("A", after), Window("B", after)
    first.open(note.text, note.version)
    opens = rng.choice([0, rng.randrange(1, 60)])  # the second window opens late
    windows = [first]
    for step in range(steps):
        if step == opens:
            second.open(note.text, note.version)
            windows.append(second)
        window = rng.choice(windows)
        if rng.random() < 0.2:
            note.save(window)
        else:
            window.type(rng.randint(1, 6))
    if second not in windows:
        second.open(note.text, note.version)
        windows.append(second)
    for window in rng.sample(windows, 2):  # each finishes its sentence, then saves
        while window.mid_sentence:
            window.type(rng.randint(1, 6))
        note.save(window)
    return note, windows


@pytest.mark.parametrize("after", ["", LAST_LINE], ids=["at-the-end", "in-the-middle"])
@pytest.mark.parametrize("seed", range(40))
def test_two_windows_typing_at_random_keep_every_sentence_whole(seed: int, after: str) -> None:
    note, windows = type_at_random(seed, after)
    typed = [sentence for window in windows for sentence in window.typed]
    assert all(len(window.typed) >= 5 for window in windows)
    assert note.text.startswith(START) and note.text.endswith(after)
    for sentence in typed:
        assert note.text.count(sentence) == 1, (sentence, note.text)
    markers = note.text.count("— tegelijk geschreven in een ander venster (")
    assert markers == note.conflicts <= 1, note.text
    assert markers == note.text.count("tegelijk geschreven")
    grown = len(note.text) - len(START + after)
    assert grown <= sum(len(sentence) + 1 for sentence in typed) + markers * 60
