"""Size limits (issue 18, point 10): a note, a hand-over and the data files are bounded,
and search stays linear in the size of the largest note allowed.

All households, codes and notes here are invented.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import event

from wijkgesprek.domain import search as domain_search
from wijkgesprek.domain.household import Children
from wijkgesprek.domain.search import (
    LONG_NOTE,
    fold_tokens,
    long_snippet,
    markers_for,
    plain_snippet,
    snippet_parts,
)
from wijkgesprek.limits import MAX_NOTE_CHARS
from wijkgesprek.store import repo
from wijkgesprek.store.engine import Store
from wijkgesprek.store.search import SNIPPET_TOKENS, search

T0 = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
SENTENCE = "Moeder vertelt dat er geen geld meer is voor boodschappen in het café. "


def long_note(chars: int, ending: str = "") -> str:
    body = (SENTENCE * (chars // len(SENTENCE) + 1))[: chars - len(ending)]
    return body + ending


@pytest.fixture
def statements(store: Store) -> Iterator[list[str]]:
    """Every SQL statement the store sends, in order."""
    sent: list[str] = []

    def remember(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        sent.append(statement)

    event.listen(store.engine, "before_cursor_execute", remember)
    yield sent
    event.remove(store.engine, "before_cursor_execute", remember)


# -- search in the largest note allowed ---------------------------------------------------


def test_the_snippet_of_a_note_of_the_largest_size_is_not_fts5s_quadratic_one(
    store: Store, statements: list[str]
) -> None:
    """FTS5's snippet() scores every hit against every other hit; for a long note the
    snippet is made from a window of the text instead (no timing: the path is checked)."""
    visit = store.run(repo.start_visit, code="GZ-001", wijk="Noord", children=Children(), now=T0)
    store.run(
        repo.save_note, visit_id=visit, topic="stress", text=long_note(MAX_NOTE_CHARS), now=T0
    )
    store.run(repo.save_note, visit_id=visit, topic="netwerk", text=SENTENCE, now=T0)
    statements.clear()
    hits = {hit.topic: hit for hit in store.run(search, text="geld")}
    assert set(hits) == {"stress", "netwerk"}
    snippet_sql = [sql for sql in statements if "snippet(" in sql]
    assert len(snippet_sql) == 1  # only for the short note
    assert "geld" in plain_snippet(hits["stress"].snippet)
    assert "«geld»" in plain_snippet(hits["stress"].snippet)
    assert len(plain_snippet(hits["stress"].snippet)) < 200


def test_a_short_note_still_gets_fts5s_snippet(store: Store, statements: list[str]) -> None:
    visit = store.run(repo.start_visit, code="GZ-001", wijk="Noord", children=Children(), now=T0)
    store.run(repo.save_note, visit_id=visit, topic="stress", text=long_note(LONG_NOTE), now=T0)
    statements.clear()
    (hit,) = store.run(search, text="geld")
    assert any("snippet(" in sql for sql in statements)
    assert "«geld»" in plain_snippet(hit.snippet)


def test_the_long_snippet_looks_at_a_window_not_at_every_hit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The work per snippet does not grow with the hits: the hits are only looked for
    in a window of a few hundred characters, however many the note holds."""
    scanned: list[int] = []
    real = domain_search._pattern

    def counting(term: str, prefix: bool):  # type: ignore[no-untyped-def]
        pattern = real(term, prefix)

        class Counted:
            def search(self, text: str) -> object:
                return pattern.search(text)  # type: ignore[union-attr]

            def finditer(self, text: str, begin: int, finish: int) -> Iterator[re.Match[str]]:
                scanned.append(finish - begin)
                return pattern.finditer(text, begin, finish)  # type: ignore[union-attr]

        return Counted()

    monkeypatch.setattr(domain_search, "_pattern", counting)
    text = long_note(MAX_NOTE_CHARS)
    start, end = markers_for(text)
    raw = long_snippet(text, "geld boodschappen", start, end, SNIPPET_TOKENS)
    assert len(scanned) == 2 and max(scanned) <= 2 * domain_search._WINDOW
    assert raw.count(start) >= 2  # both words marked


@pytest.mark.parametrize(
    ("typed", "marked"),
    [
        ("geld", "geld"),
        ("GELD", "geld"),
        ("bood", "boodschappen"),  # a prefix marks the whole word
        ("cafe", "café"),  # without its diacritic
        ('"geen geld"', "geen geld"),  # a phrase, as one hit
        ("zonnepanelen", "zonnepanelen"),  # only at the very end
    ],
)
def test_the_long_snippet_marks_what_fts5_finds(typed: str, marked: str) -> None:
    text = long_note(LONG_NOTE * 3, ending=" Plannen voor zonnepanelen.")
    start, end = markers_for(text)
    parts = snippet_parts(long_snippet(text, typed, start, end, SNIPPET_TOKENS), start, end)
    assert marked in [part for part, hit in parts if hit]
    assert sum(len(part.split()) for part, _ in parts) <= SNIPPET_TOKENS + 1


def test_the_long_snippet_agrees_with_fts5_on_which_words_are_hits() -> None:
    """The same words are marked as FTS5's highlight() marks them (the tokenizer's
    folding: case, diacritics, punctuation between words)."""
    text = "Zoë's CAFÉ-bezoek; geld-zorgen en Geldzorgen, e-mail: financiële ruzie."
    connection = sqlite3.connect(":memory:")
    connection.execute(
        "CREATE VIRTUAL TABLE t USING fts5(x, tokenize='unicode61 remove_diacritics 2')"
    )
    connection.execute("INSERT INTO t (x) VALUES (?)", (text,))
    for typed in ("zoe", "cafe", "geld", "e-mail", "financiele", '"geld zorgen"', "s"):
        start, end = markers_for(text)
        query = domain_search.fts_query(typed)
        (expected,) = connection.execute(
            "SELECT highlight(t, 0, ?, ?) FROM t WHERE t MATCH ?", (start, end, query)
        ).fetchone()
        ours = long_snippet(text, typed, start, end, 64)
        assert hits(ours, start, end) == hits(expected, start, end), typed
        assert ours.replace(start, "").replace(end, "").strip("…") in text


def hits(raw: str, start: str, end: str) -> list[str]:
    return [part for part, hit in snippet_parts(raw, start, end) if hit]


def test_folding_keeps_every_position() -> None:
    text = "Zoë, İstanbul ß ﬁets\u0301 x\x00y"
    assert len(fold_tokens(text)) == len(text)
    assert fold_tokens("Zoë's café") == "zoe s cafe"
