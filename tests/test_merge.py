"""Three-way merge of a note two windows (or two colleagues) saved at the same time."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from wijkgesprek.domain.household import Children
from wijkgesprek.domain.merge import added, follow, marker, merge_notes, rebase, words
from wijkgesprek.store import repo
from wijkgesprek.store.engine import Store
from wijkgesprek.store.outbox import Pending, Written, write_one

WHEN = datetime(2026, 11, 26, 9, 42, tzinfo=UTC)
LINE = marker("anna", WHEN)
ABOVE = marker("anna", WHEN, above=True)


def merge(base: str, mine: str, theirs: str) -> tuple[str, int]:
    merged = merge_notes(base, mine, theirs, who="anna", when=WHEN)
    return merged.text, merged.conflicts


@pytest.mark.parametrize(
    ("base", "mine", "theirs", "expected", "conflicts"),
    [
        pytest.param(
            "Huur te hoog.", "Huur te hoog.", "Huur te hoog.", "Huur te hoog.", 0, id="identical"
        ),
        pytest.param(
            "Oma helpt.", "Oma helpt.", "Oma helpt soms.", "Oma helpt soms.", 0, id="only-theirs"
        ),
        pytest.param(
            "Oma helpt.", "Oma helpt vaak.", "Oma helpt.", "Oma helpt vaak.", 0, id="only-mine"
        ),
        pytest.param(
            "Oma helpt.",
            "Oma helpt vaak.",
            "Oma helpt vaak.",
            "Oma helpt vaak.",
            0,
            id="identical-changes",
        ),
        pytest.param(
            "Huur te hoog. Oma helpt.",
            "Huur veel te hoog. Oma helpt.",
            "Huur te hoog. Oma helpt elke week.",
            "Huur veel te hoog. Oma helpt elke week.",
            0,
            id="disjoint",
        ),
        pytest.param(
            "Huur te hoog.",
            "Huur te hoog. Schulden bij de zorgverzekeraar.",
            "Huur te hoog. Schulden bij de zorgverzekeraar.",
            "Huur te hoog. Schulden bij de zorgverzekeraar.",
            0,
            id="same-insertion-twice",
        ),
        pytest.param(
            "Huur te hoog.",
            "Huur te hoog. Schulden.",
            "Huur te hoog. Schulden. Ook bij de bank.",
            "Huur te hoog. Schulden. Ook bij de bank.",
            0,
            id="one-typed-on-after-the-same-words",
        ),
        pytest.param(
            "Kennismaking. Zin 0 van",
            "Kennismaking. Zin 0 van A.",
            f"Kennismaking. Zin 0 van B.\n{LINE}\nZin 0 van",
            f"Kennismaking. Zin 0 van B.\n{LINE}\nZin 0 van A.",
            0,
            id="typing-on-below-a-marker",
        ),
        pytest.param(
            "Huur te hoog.",
            "Huur te hoog. Vader werkt nachten.",
            "Huur te hoog. Oma helpt.",
            f"Huur te hoog. Vader werkt nachten.\n{LINE}\nOma helpt.",
            1,
            id="both-append-at-the-end",
        ),
        pytest.param(
            "Huur te hoog. Vader werkt. Oma helpt.",
            "Huur te hoog. Oma helpt.",
            "Huur te hoog. Vader werkt nachten. Oma helpt.",
            "Huur te hoog. Vader werkt nachten. Oma helpt.",
            0,
            id="one-deletes-what-the-other-edits",
        ),
        pytest.param(
            "Huur te hoog. Vader werkt. Oma helpt.",
            "Huur te hoog. Vader werkt overdag. Oma helpt.",
            "Huur te hoog. Oma helpt.",
            "Huur te hoog. Vader werkt overdag. Oma helpt.",
            0,
            id="one-edits-what-the-other-deletes",
        ),
        pytest.param(
            "Huur te hoog. Oma helpt.",
            "Huur te hoog. Oma helpt.",
            "Oma helpt.",
            "Oma helpt.",
            0,
            id="theirs-deletes",
        ),
        pytest.param(
            "",
            "Vader werkt.",
            "Oma helpt.",
            f"Vader werkt.\n{LINE}\nOma helpt.",
            1,
            id="empty-base",
        ),
        pytest.param("", "Oma helpt.", "Oma helpt.", "Oma helpt.", 0, id="empty-base-same-text"),
        pytest.param(
            "Moeder belt de school.",
            "Moeder mailt de school.",
            "Moeder bezoekt de school.",
            f"Moeder mailt\n{LINE}\nbezoekt de school.",
            1,
            id="same-word-changed-differently",
        ),
        pytest.param(
            "Een.\nTwee.\nDrie.",
            "Een!\nTwee.\nDrie.",
            "Een.\nTwee.\nDrie?",
            "Een!\nTwee.\nDrie?",
            0,
            id="lines",
        ),
        pytest.param(
            "Een twee",
            "Een tweede zin",
            "Een twee. Drie",
            f"Een tweede zin\n{LINE}\ntwee. Drie",
            1,
            id="both-type-on-in-the-last-word",
        ),
    ],
)
def test_merge(base: str, mine: str, theirs: str, expected: str, conflicts: int) -> None:
    assert merge(base, mine, theirs) == (expected, conflicts)


WINDOW = marker("", WHEN)
A0 = "Kennismaking. A0: "


@pytest.mark.parametrize(
    ("base", "at", "piece", "their_piece", "expected", "conflicts"),
    [
        pytest.param(
            A0,
            len(A0),
            " B0: zin van B.",
            "zin van A.",
            f"{A0}zin van A.\n{WINDOW}\nB0: zin van B.|",
            1,
            id="theirs-goes-on-after-a-space",
        ),
        pytest.param(
            A0,
            len(A0),
            "zin van A.",
            " B0: zin van B.",
            f"{A0}zin van A.|\n{WINDOW}\nB0: zin van B.",
            1,
            id="mine-goes-on-after-a-space",
        ),
        pytest.param(
            A0,
            len(A0),
            " B0: zin",
            "zin van A.",
            f"{A0}zin van A.\n{WINDOW}\nB0: zin|",
            1,
            id="theirs-goes-on-mine-half-a-sentence",
        ),
        pytest.param(
            A0,
            len(A0),
            "zin van A.",
            " B0: zin",
            f"{A0}zin van A.|\n{WINDOW}\nB0: zin",
            1,
            id="mine-goes-on-theirs-half-a-sentence",
        ),
        pytest.param(
            "Kennismaking. A0: zin",
            len("Kennismaking. A0: zin"),
            " B0: zin van B.",
            " van A.",
            f"{A0}zin van A.\n{WINDOW}\nB0: zin van B.|",
            1,
            id="theirs-goes-on-after-a-word",
        ),
        pytest.param(
            "Kennismaking. A0: zin",
            len("Kennismaking. A0: zin"),
            " van A.",
            " B0: zin van B.",
            f"{A0}zin van A.|\n{WINDOW}\nB0: zin van B.",
            1,
            id="mine-goes-on-after-a-word",
        ),
        pytest.param(
            "Huur te hoog. A0: zin\nOma helpt.",
            len("Huur te hoog. A0: zin"),
            " B0: zin van B.",
            " van A.",
            f"Huur te hoog. A0: zin van A.\n{WINDOW}\nB0: zin van B.|\nOma helpt.",
            1,
            id="in-the-middle",
        ),
        pytest.param(
            "Huur te hoog.",
            len("Huur te hoog."),
            " Vader werkt.",
            " Oma helpt.",
            f"Huur te hoog. Vader werkt.|\n{WINDOW}\nOma helpt.",
            1,
            id="two-new-sentences-mine-first",
        ),
        pytest.param(
            A0,
            len(A0),
            "zin van A.",
            " zin",
            f"{A0}zin van A.|\n{WINDOW}\nzin",
            1,
            id="a-word-the-other-also-typed",
        ),
        pytest.param(
            "Kennismaking. A0: zi",
            len("Kennismaking. A0: zi"),
            " B0: zin",
            "n van A.",
            f"{A0}zin van A. B0: zin|",
            0,
            id="theirs-goes-on-in-its-word",
        ),
        pytest.param(
            "Kennismaking. A0: zi",
            len("Kennismaking. A0: zi"),
            "n van A.",
            " B0: zin",
            f"{A0}zin van A.| B0: zin",
            0,
            id="mine-goes-on-in-its-word",
        ),
        pytest.param(
            f"{A0}zin van A.",
            len(f"{A0}zin van A."),
            " A1: zin",
            f"\n{WINDOW}\nB0: zin van B.",
            f"{A0}zin van A. A1: zin|\n{WINDOW}\nB0: zin van B.",
            0,
            id="typing-on-above-a-marker",
        ),
        pytest.param(
            A0,
            len(A0),
            " B0: zin van",
            "zin van",
            f"{A0}zin van\n{WINDOW}\nB0: zin van|",
            1,
            id="mine-ends-with-the-words-of-theirs",
        ),
        pytest.param(
            "Kennismaking. A0: zin van",
            len("Kennismaking. A0: zin van"),
            " A.",
            f"\n{WINDOW}\nB0: zin van",
            f"{A0}zin van A.|\n{WINDOW}\nB0: zin van",
            0,
            id="typing-on-above-a-marker-below-which-it-ends-alike",
        ),
        pytest.param(
            f"{A0}zin van A.",
            len(f"{A0}zin van A."),
            " ",
            " B0: zin",
            f"{A0}zin van A. | B0: zin",
            0,
            id="only-a-space-mine",
        ),
        pytest.param(
            f"{A0}zin van A.",
            len(f"{A0}zin van A."),
            " B0: zin",
            " ",
            f"{A0}zin van A.  B0: zin|",
            0,
            id="only-a-space-theirs",
        ),
    ],
)
def test_both_typing_at_one_place_keep_each_piece_whole(
    base: str, at: int, piece: str, their_piece: str, expected: str, conflicts: int
) -> None:
    """Two windows type at one place (mine's cursor right after its piece): each piece is
    whole and once, what goes on with an unfinished sentence of the base stays joined to
    it, a marker only where both wrote there, the cursor (``|``) right after mine."""
    mine = base[:at] + piece + base[at:]
    theirs = base[:at] + their_piece + base[at:]
    merged = merge_notes(base, mine, theirs, who="", when=WHEN, cursor=at + len(piece))
    assert merged.cursor is not None
    shown = merged.text[: merged.cursor] + "|" + merged.text[merged.cursor :]
    assert (shown, merged.conflicts) == (expected, conflicts)


def test_a_colleagues_piece_above_mine_is_named_above() -> None:
    merged = merge_notes(A0, A0 + " B0: zin", A0 + "zin van A.", who="anna", when=WHEN)
    above = marker("anna", WHEN, above=True)
    assert merged.text == f"{A0}zin van A.\n{above}\nB0: zin"
    assert above == f"— hierboven tegelijk geschreven door anna ({WHEN.astimezone():%H:%M}) —"
    assert marker("", WHEN, above=True) == WINDOW  # both pieces are the user's own


def test_the_marker_names_who_and_when() -> None:
    local = WHEN.astimezone()
    assert marker("anna", WHEN) == f"— tegelijk geschreven door anna ({local:%H:%M}) —"
    assert marker("", WHEN) == f"— tegelijk geschreven in een ander venster ({local:%H:%M}) —"


def test_merging_the_merge_again_adds_nothing() -> None:
    base = "Huur te hoog."
    once, _ = merge(base, base + " Vader.", base + " Oma.")
    # The other side saves what it had again, on the old base: everything is there once.
    assert merge(base, base + " Oma.", once) == (once, 0)
    assert merge(once, once, once) == (once, 0)


@pytest.mark.parametrize("seed", range(5))
def test_two_writers_taking_turns_grow_only_by_what_they_typed(seed: int) -> None:
    """Two sides type sentences in turns where their cursor is, each saving on its own
    last base, as the screens do: after a merge the merged text is the new base and the
    cursor follows (``follow``)."""
    rng = random.Random(seed)
    saved = ""
    base = ["", ""]
    text = ["", ""]
    cursor = [0, 0]
    typed: list[str] = []
    conflicts = 0
    for turn in range(300):
        side = rng.randrange(2)
        sentence = f"{'AB'[side]}{turn}: zin. "
        typed.append(sentence.strip())
        text[side] = text[side][: cursor[side]] + sentence + text[side][cursor[side] :]
        cursor[side] += len(sentence)
        merged = merge_notes(base[side], text[side], saved, who="", when=WHEN, cursor=cursor[side])
        conflicts += merged.conflicts
        assert merged.cursor is not None
        cursor[side] = merged.cursor
        saved = text[side] = base[side] = merged.text
    for sentence in typed:
        assert saved.count(sentence) == 1, sentence
    # Once the two went apart, each types in its own place: no marker after the first.
    assert saved.count("tegelijk geschreven") == conflicts <= 1
    assert len(saved) <= sum(len(s) + 1 for s in typed) + len(marker("", WHEN)) + 2


@pytest.mark.parametrize(
    ("old", "new", "offset", "expected"),
    [
        ("abc def", "abc def", 3, 3),
        ("Een twee", "Nul. Een twee", 8, 13),  # text inserted before: moves on
        ("Een twee", "Een twee drie", 8, 8),  # inserted right at it: comes after it
        ("Een twee drie", "Een 2 drie", 6, 5),  # in a replaced word: its end
        ("Een twee", "Een", 8, 3),  # its text removed: where it was
        ("", "Oma", 0, 0),
    ],
)
def test_follow_a_cursor(old: str, new: str, offset: int, expected: int) -> None:
    assert follow(old, new, offset) == expected


def test_words_give_the_text_back() -> None:
    text = "  Twee  regels,\n\tmet  tabs en € tekens.\n"
    assert "".join(words(text)) == text


# -- on the store: what the screens and the outbox do (``outbox.write_one``) ---------


def test_two_windows_saving_in_turns_keep_each_sentence_once(either: Store) -> None:
    """Two windows (or two colleagues) type in one note and save in turns, each on the
    version and text it last had: the note holds every sentence once and grows only by
    what was typed. (Before: both whole texts again at every save, without end.)"""
    now = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)
    visit = either.run(repo.start_visit, code="GZ-018", wijk="Noord", children=Children(), now=now)
    windows = [Window(), Window()]
    typed: list[str] = []
    conflicts = 0
    for turn in range(120):
        window = windows[turn % 3 % 2]  # A, B, A, A, B, A, …: sometimes twice in a row
        sentence = f"{'AB'[windows.index(window)]}{turn}: zin."
        typed.append(sentence)
        window.type(sentence + " ")
        item = Pending(visit, "stress", window.text, window.version, now, base_text=window.base)
        written = write_one(item, either, now=lambda: now, cursor=window.cursor)
        conflicts += written.conflicts
        window.saved(written)
    saved = either.run(repo.get_visit, visit_id=visit).notes["stress"].text
    for sentence in typed:
        assert saved.count(sentence) == 1, sentence
    assert saved.count("— tegelijk geschreven") == conflicts <= 2
    assert len(saved) <= sum(len(s) + 1 for s in typed) + conflicts * 80


class Window:
    """A note screen: its text, the version and text it started from, its cursor."""

    def __init__(self) -> None:
        self.text = self.base = ""
        self.version = self.cursor = 0

    def type(self, words: str) -> None:
        self.text = self.text[: self.cursor] + words + self.text[self.cursor :]
        self.cursor += len(words)

    def saved(self, written: Written) -> None:
        if written.cursor is not None:
            self.cursor = written.cursor
        self.text = self.base = written.text
        self.version = written.version


@pytest.mark.parametrize(
    ("sent", "mine", "merged", "expected"),
    [
        pytest.param(  # typed on at the end of the own piece: before the marker, no second
            "Start. A1",
            "Start. A1 A2",
            f"Start. A1\n{LINE}\nB1",
            f"Start. A1 A2\n{LINE}\nB1",
            id="typed-on-at-the-collision",
        ),
        pytest.param(  # the colleague's piece elsewhere: mine's new words where typed
            "Start. Midden. Eind.",
            "Start. Midden. Eind. Verder.",
            "Start. Collega. Midden. Eind.",
            "Start. Collega. Midden. Eind. Verder.",
            id="apart",
        ),
        pytest.param(  # the colleague's piece went above the own (it ended a sentence)
            "Moeder zegt\nNieuwe alinea.",
            "Moeder zegt\nNieuwe alinea. Verder.",
            f"Moeder zegt dat het goed gaat.\n{ABOVE}\nNieuwe alinea.",
            f"Moeder zegt dat het goed gaat.\n{ABOVE}\nNieuwe alinea. Verder.",
            id="theirs-above",
        ),
        pytest.param("Start. A1", "Start. A1", f"Start. A1\n{LINE}\nB1", None, id="nothing-new"),
    ],
)
def test_text_typed_on_while_a_merge_landed_is_rebased_on_it(
    sent: str, mine: str, merged: str, expected: str | None
) -> None:
    rebased = rebase(sent, mine, merged, who="anna", when=WHEN)
    assert rebased.text == (expected or merged)
    assert rebased.conflicts == 0


@pytest.mark.parametrize(
    ("saved", "mine", "expected"),
    [
        pytest.param("Eerste.", "Eerste. Daarna nog.", "Daarna nog.", id="typed-on"),
        pytest.param("Eerste. Laatste.", "Eerste. Tussen. Laatste.", "Tussen.", id="inserted"),
        pytest.param("Eerste.", "Eerste.", "", id="nothing"),
        pytest.param("Eerste. Tweede.", "Eerste.", "", id="only-deleted"),
        pytest.param("Eerste.", "Eerste.  \n", "", id="white-space"),
        pytest.param(  # changed in two places: all of it, so nothing loses its context
            "Een twee drie.", "Een 2 drie vier.", "Een 2 drie vier.", id="changed"
        ),
    ],
)
def test_what_a_note_adds_for_an_addition(saved: str, mine: str, expected: str) -> None:
    assert added(saved, mine) == expected


def test_a_merge_is_saved_before_a_colleague_can_save_again(team: Store) -> None:
    """A merge is written under the note's lock: a colleague who saves all the time
    cannot slip in between the merge and its save (on a slow line one of two colleagues
    typing at once could otherwise not get a save through for minutes)."""
    import threading

    from wijkgesprek.errors import SaveConflict

    start = {"code": "GZ-019", "wijk": "Noord", "children": Children(), "now": WHEN}
    visit = team.run(repo.start_visit, **start)
    save = {"visit_id": visit, "topic": "stress", "now": WHEN}
    team.run(repo.save_note, text="Start.", base=0, **save)
    team.run(repo.save_note, text="Start. B1", base=1, **save)  # the colleague
    colleague: list[object] = []

    def again() -> None:
        try:
            colleague.append(team.run(repo.save_note, text="Start. B1 B2", base=2, **save))
        except SaveConflict as conflict:
            colleague.append(conflict)

    def resolve(conflict: SaveConflict) -> str:
        assert conflict.theirs == "Start. B1"
        thread = threading.Thread(target=again)
        thread.start()  # the colleague saves again while this merge is decided
        thread.join(0.5)
        assert thread.is_alive()  # it waits for the lock
        threads.append(thread)
        return "Start. A1 B1"

    threads: list[threading.Thread] = []
    assert team.run(repo.save_note, text="Start. A1", base=1, resolve=resolve, **save) == 3
    threads[0].join(10)
    assert isinstance(colleague[0], SaveConflict)  # merges in turn; nothing overwritten
    note = team.run(repo.get_visit, visit_id=visit).notes["stress"]
    assert (note.text, note.version) == ("Start. A1 B1", 3)
