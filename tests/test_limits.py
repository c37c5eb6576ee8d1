"""Size limits (issue 18, point 10): a note, a hand-over and the data files are bounded,
and search stays linear in the size of the largest note allowed.

All households, codes and notes here are invented.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from helpers import SIZE, notifications, paste, start_visit, type_text, wait_until
from sqlalchemy import event

from wijkgesprek import limits, paths
from wijkgesprek.app import WijkgesprekApp
from wijkgesprek.cli import main
from wijkgesprek.content.questions import load_guide
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
from wijkgesprek.limits import MAX_NOTE_CHARS, MAX_PEOPLE
from wijkgesprek.store import repo
from wijkgesprek.store.engine import Store
from wijkgesprek.store.search import SNIPPET_TOKENS, search
from wijkgesprek.widgets.note_area import NoteArea

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


# -- a note is bounded, and never loses typed text silently -----------------------------


def app_for(database: Path) -> WijkgesprekApp:
    return WijkgesprekApp(guide=load_guide(paths.shipped_questions()), database=database)


async def test_a_paste_beyond_the_limit_keeps_what_fits_and_says_so_at_once(
    database: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "MAX_NOTE_CHARS", 2_000)
    app = app_for(database)
    async with app.run_test(size=SIZE) as pilot:
        visit = await start_visit(pilot)
        await type_text(pilot, "Begin. ")
        await paste(pilot, "x" * 2_500)
        await wait_until(pilot, lambda: len(visit.note.text) == 2_000)
        assert visit.note.text.startswith("Begin. x")
        (said,) = told(app)  # at once, with what was not added
        assert "De aantekening is vol (hoogstens 2.000 tekens)" in said
        assert "507 tekens zijn niet toegevoegd" in said
        await type_text(pilot, "yz")  # refused while the notice still shows: no new one
        assert len(visit.note.text) == 2_000 and "y" not in visit.note.text
        assert len(told(app)) == 1
        app.clear_notifications()
        visit.note._told_at -= NoteArea.TOLD_AGAIN_AFTER  # as if that time had passed
        await type_text(pilot, "y")
        (said,) = told(app)
        assert "1 teken is niet toegevoegd" in said and "y" not in visit.note.text
        await pilot.press("backspace")  # room again: typing goes on
        await type_text(pilot, "q")
        assert visit.note.text.endswith("q") and len(visit.note.text) == 2_000
        await wait_until(pilot, lambda: not visit.unsaved)
    with sqlite3.connect(database) as connection:
        (text,) = connection.execute("SELECT text FROM note").fetchone()
    assert len(text) == 2_000 and text.endswith("q")


async def test_a_selection_replaced_by_a_paste_counts_what_it_removes(
    database: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "MAX_NOTE_CHARS", 100)
    app = app_for(database)
    async with app.run_test(size=SIZE) as pilot:
        visit = await start_visit(pilot)
        await paste(pilot, "a" * 100)
        await wait_until(pilot, lambda: len(visit.note.text) == 100)
        visit.note.select_all()
        await paste(pilot, "b" * 100)  # replaces all: fits exactly
        await wait_until(pilot, lambda: visit.note.text == "b" * 100)
        assert not told(app)
        visit.note.load_text("c" * 95)  # text loaded otherwise is counted afresh
        visit.note.move_cursor(visit.note.document.end)
        await paste(pilot, "d" * 10)
        await wait_until(pilot, lambda: visit.note.text == "c" * 95 + "d" * 5)
        assert "5 tekens zijn niet toegevoegd" in told(app)[0]


def told(app: WijkgesprekApp) -> list[str]:
    return notifications(app)


# -- files: refused above their limit, naming the file and the limit ---------------------


@pytest.mark.parametrize(
    ("name", "head", "option"),
    [
        ("vragen.yaml", "onderwerpen:\n", None),
        ("kaart.yaml", "aanbod:\n", None),
        ("casussen.yaml", "casussen:\n", None),
        ("vragen.yaml", "onderwerpen:\n", "--questions"),  # the app's start
        ("kaart.yaml", "aanbod:\n", "--network"),
    ],
)
def test_a_data_file_above_its_limit_is_refused(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    name: str,
    head: str,
    option: str | None,
) -> None:
    shipped = (paths.shipped_questions(), paths.shipped_network(), paths.shipped_cases())
    limit = max(path.stat().st_size for path in shipped) + 1_000  # the shipped files fit
    monkeypatch.setattr(limits, "MAX_DATA_FILE_BYTES", limit)
    file = tmp_path / name
    file.write_text(head + "# opvulling\n" * (limit // 12 + 1), encoding="utf-8")
    args = {
        None: ["controleer", str(file)],
        "--questions": ["--questions", str(file)],
        "--network": [
            "--network",
            str(file),
            "suggesties",
            "--thema",
            "geldzorgen",
            "--wijk",
            "Noord",
        ],
    }[option]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert f"{file}:1:1: " in err
    assert "te groot" in err and limits.size_text(limit) in err
    assert "Traceback" not in err


def test_a_config_file_above_its_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(limits, "MAX_CONFIG_BYTES", 1_000)
    config = tmp_path / "config" / "config.toml"
    config.parent.mkdir(exist_ok=True)
    config.write_text('kleuren = "licht"\n' + "# opvulling\n" * 200, encoding="utf-8")
    assert main(["waar"]) == 1
    err = capsys.readouterr().err
    assert f"{config}: " in err and "te groot" in err and "1 kB" in err


def test_a_handover_above_its_limit_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(limits, "MAX_HANDOVER_BYTES", 5_000)
    file = tmp_path / "overdracht.json"
    file.write_text('{"soort": "wijkgesprek-overdracht", "x": "' + "a" * 6_000 + '"}')
    assert main(["import", str(file)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{file} ") and "te groot" in err and "5 kB" in err
    assert not (paths.data_dir() / paths.DATABASE_NAME).exists()


def test_a_note_above_the_limit_in_a_handover_is_refused(
    store: Store,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    visit = store.run(repo.start_visit, code="GZ-001", wijk="Noord", children=Children(), now=T0)
    store.run(repo.save_note, visit_id=visit, topic="stress", text="x" * 300, now=T0)
    file = tmp_path / "overdracht.json"
    assert main(["export", "GZ-001", "--soort", "overdracht", "--uitvoer", str(file)]) == 0
    capsys.readouterr()
    monkeypatch.setattr(limits, "MAX_NOTE_CHARS", 200)
    assert main(["import", str(file)]) == 1
    err = capsys.readouterr().err
    assert f"{file}:" in err and "bezoeken[1].notities.stress" in err
    assert "200 tekens" in err


@pytest.mark.parametrize(
    "needle",
    [
        "1.000.000 tekens",  # a note
        "16 MB",  # guide, sociale kaart, casussen
        "1 MB",  # config.toml
        "64 MB",  # a hand-over
        "100 mensen",  # a netwerkkaart
        "2.000 bezoeken",  # any list in a hand-over
    ],
)
def test_the_limits_are_documented(needle: str) -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    assert needle in readme


def test_the_documented_limits_are_the_real_ones() -> None:
    assert limits.MAX_NOTE_CHARS == 1_000_000
    assert limits.MAX_DATA_FILE_BYTES == 16 * 2**20
    assert limits.MAX_CONFIG_BYTES == 2**20
    assert limits.MAX_HANDOVER_BYTES == 64 * 2**20
    assert limits.MAX_PEOPLE == 100
    assert limits.MAX_LIST_ITEMS == 2_000


# -- the people on one netwerkkaart -------------------------------------------------------


def _person(number: int) -> dict[str, object]:
    return {
        "nummer": number, "rol": "buurvrouw", "naam": "Fien", "groep": "buurt",
        "informeel": True, "dichtbij_wie": "", "helpt_met": [], "afstand": "dichtbij",
        "energie": "", "meer_doen": False, "veiligheidsnetwerk": False,
    }  # fmt: skip


@pytest.mark.parametrize("people", [MAX_PEOPLE, MAX_PEOPLE + 1])
def test_a_netwerkkaart_above_its_limit_in_a_handover_is_refused(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str], people: int
) -> None:
    """A hostile hand-over with 20,000 people on one map made starting the next visit
    take 7 s and opening the map 13 s; a map holds at most MAX_PEOPLE people."""
    import json

    store.run(repo.start_visit, code="GZ-001", wijk="Noord", children=Children(), now=T0)
    file = tmp_path / "overdracht.json"
    assert main(["export", "GZ-001", "--soort", "overdracht", "--uitvoer", str(file)]) == 0
    data = json.loads(file.read_text("utf-8"))
    data["bezoeken"][0]["netwerkkaart"] = [_person(n) for n in range(1, people + 1)]
    file.write_text(json.dumps(data), "utf-8")
    capsys.readouterr()
    assert main(["--data-dir", str(tmp_path / "ander"), "import", str(file)]) == (
        0 if people <= MAX_PEOPLE else 1
    )
    err = capsys.readouterr().err
    if people > MAX_PEOPLE:
        assert f"{file}:" in err and "bezoeken[1].netwerkkaart: " in err
        assert f"hoogstens {MAX_PEOPLE} mensen" in err


async def test_a_full_netwerkkaart_says_so_and_opens_no_form(store: Store, database: Path) -> None:
    from wijkgesprek.domain.network_map import Person
    from wijkgesprek.screens.home import HomeScreen
    from wijkgesprek.screens.network_map import NetworkMapScreen
    from wijkgesprek.screens.network_person import PersonDialog
    from wijkgesprek.screens.visit import VisitScreen
    from wijkgesprek.store import network_map

    visit = store.run(repo.start_visit, code="GZ-001", wijk="Noord", children=Children(), now=T0)

    def fill(*, session, visit_id: int) -> None:  # type: ignore[no-untyped-def]
        people = [Person(n, "buurvrouw", group="buurt") for n in range(1, MAX_PEOPLE + 1)]
        network_map.put_map(session=session, visit_id=visit_id, people=people, at=T0)
        session.commit()

    store.run(fill, visit_id=visit)
    app = WijkgesprekApp(guide=load_guide(paths.shipped_questions()), database=database)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.rows)
        await pilot.press("enter")  # the open visit
        await wait_until(pilot, lambda: isinstance(app.screen, VisitScreen))
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: isinstance(app.screen, NetworkMapScreen))
        await pilot.press("n")
        await wait_until(pilot, lambda: any("vol" in text for text in notifications(app)))
        assert not isinstance(app.screen, PersonDialog)
        assert f"hoogstens {MAX_PEOPLE} mensen" in " ".join(notifications(app))


# -- the lists in a hand-over ----------------------------------------------------------------

LISTS = [
    (("bezoeken",), "bezoeken"),
    (("bezoeken", 0, "afspraken"), "bezoeken[1].afspraken"),
    (("bezoeken", 0, "aanvullingen"), "bezoeken[1].aanvullingen"),
    (("bezoeken", 0, "veiligheid"), "bezoeken[1].veiligheid"),
    (("bezoeken", 0, "geen_aanbod"), "bezoeken[1].geen_aanbod"),
    (("verwijzingen",), "verwijzingen"),
    (("huishouden", "wijzigingen"), "huishouden.wijzigingen"),
]


@pytest.mark.parametrize(("key", "where"), LISTS, ids=[where for _, where in LISTS])
def test_a_list_above_its_limit_in_a_handover_is_refused_unread(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str], key: tuple, where: str
) -> None:
    """A hostile hand-over of 20,000 visits (within 64 MB) took 83 s to import; every
    list of a hand-over holds at most MAX_LIST_ITEMS items, refused before one is read."""
    import json

    store.run(repo.start_visit, code="GZ-001", wijk="Noord", children=Children(), now=T0)
    file = tmp_path / "overdracht.json"
    assert main(["export", "GZ-001", "--soort", "overdracht", "--uitvoer", str(file)]) == 0
    data = json.loads(file.read_text("utf-8"))
    parent = data
    for step in key[:-1]:
        parent = parent[step]
    parent[key[-1]] = [{}] * (limits.MAX_LIST_ITEMS + 1)  # never read, so never checked
    file.write_text(json.dumps(data), "utf-8")
    capsys.readouterr()
    assert main(["--data-dir", str(tmp_path / "ander"), "import", str(file)]) == 1
    err = capsys.readouterr().err
    assert f"{file}:" in err and f"{where}: " in err
    assert f"hoogstens {limits.count_text(limits.MAX_LIST_ITEMS)}" in err
    assert err.count(f"{where}[") == 0  # no item of it was read
