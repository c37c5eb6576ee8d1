"""Full-text search: the query rules, FTS5 over notes and additions, the CLI and the screen.

All households, codes and notes here are invented.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from helpers import SIZE, wait_until
from sqlalchemy import text as sql
from textual.content import Content
from textual.widgets import Input, OptionList

from wijkgesprek import paths
from wijkgesprek.app import WijkgesprekApp
from wijkgesprek.cli import main
from wijkgesprek.domain.household import Children
from wijkgesprek.domain.search import (
    ADDITION,
    NOTE,
    SearchHit,
    fts_query,
    markers_for,
    plain_snippet,
    snippet_parts,
)
from wijkgesprek.screens.history import HistoryScreen
from wijkgesprek.screens.home import HomeScreen
from wijkgesprek.screens.search import SearchScreen
from wijkgesprek.screens.visit import VisitScreen
from wijkgesprek.store import repo
from wijkgesprek.store.engine import Store
from wijkgesprek.store.search import search

T0 = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)


def visit_with(
    store: Store, code: str, notes: dict[str, str], *, now: datetime = T0, end: bool = False
) -> int:
    visit_id = store.run(repo.start_visit, code=code, wijk="Noord", children=Children(), now=now)
    for topic, note in notes.items():
        store.run(repo.save_note, visit_id=visit_id, topic=topic, text=note, now=now)
    if end:
        store.run(repo.end_visit, visit_id=visit_id, now=now + timedelta(hours=1))
    return visit_id


def found(store: Store, query: str, limit: int = 20) -> list[SearchHit]:
    return store.run(search, text=query, limit=limit)


def codes(store: Store, query: str) -> list[str]:
    return [hit.household_code for hit in found(store, query)]


# -- the query rules (pure) --------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "query"),
    [
        ("huur", '"huur"*'),
        ("Huur  schuld", '"Huur"* "schuld"*'),
        ('"geen geld"', '"geen geld"'),
        ('"geen   geld" huur', '"geen geld" "huur"*'),
        ('huur "geen geld', '"huur"* "geen"* "geld"*'),  # a stray quote is plain text
        ("huur*", '"huur*"*'),
        ("-geld", '"-geld"*'),
        ("tekst:geld", '"tekst:geld"*'),
        ("NEAR(a b)", '"NEAR(a"* "b)"*'),
        ("a AND b", '"a"* "AND"* "b"*'),
        ("café", '"café"*'),
        ("nul\x00teken", '"nul"* "teken"*'),
        ("", None),
        ("   ", None),
        ('""', None),
        ('"', None),
        ("( ) * ^ - :", None),
    ],
)
def test_fts_query_rules(typed: str, query: str | None) -> None:
    assert fts_query(typed) == query


def test_fts_query_never_lets_a_quote_through_unpaired() -> None:
    for typed in ['a"b', '"a" "b', '""""', 'x"""y', '"a""b"']:
        query = fts_query(typed)
        assert query is None or query.count('"') % 2 == 0


def test_snippet_parts_are_made_visible_and_markers_never_shown() -> None:
    start, end = markers_for("plain text")
    raw = f"[bold]x\x1b[31m {start}geld{end} en\nmeer"
    parts = snippet_parts(raw, start, end)
    assert parts == (("[bold]x␛[31m ", False), ("geld", True), (" en meer", False))
    assert plain_snippet(parts) == "[bold]x␛[31m «geld» en meer"


def test_markers_avoid_characters_in_the_note() -> None:
    start, end = markers_for("a\x02b")
    assert "\x02" not in (start, end)


# -- searching the database --------------------------------------------------------------


def test_diacritics_are_found_both_ways(store: Store) -> None:
    visit_with(store, "GZ-001", {"kennismaking": "Zoë gaat naar het café"})
    visit_with(store, "GZ-002", {"kennismaking": "De financiele zorgen zijn groot"})
    for query in ("zoe", "Zoë", "cafe", "café", "CAFE"):
        assert codes(store, query) == ["GZ-001"], query
    assert codes(store, "financiële") == ["GZ-002"]


def test_a_word_finds_longer_words(store: Store) -> None:
    visit_with(store, "GZ-001", {"stress": "Er zijn schulden bij de energieleverancier"})
    visit_with(store, "GZ-002", {"stress": "Geen zorgen over geld"})
    assert codes(store, "schuld") == ["GZ-001"]
    assert codes(store, "schulden energie") == ["GZ-001"]
    assert codes(store, "schuld geld") == []  # every word must occur


def test_a_phrase_needs_the_words_together(store: Store) -> None:
    visit_with(store, "GZ-001", {"stress": "Er is geen geld voor boodschappen"})
    visit_with(store, "GZ-002", {"stress": "Geld is er wel, maar geen tijd"})
    assert codes(store, '"geen geld"') == ["GZ-001"]
    assert sorted(codes(store, "geen geld")) == ["GZ-001", "GZ-002"]


def test_markup_and_escape_codes_stay_literal_in_snippets(store: Store) -> None:
    visit_with(store, "GZ-001", {"stress": "Zie [bold]x en \x1b[31m rood [/] met \x02geld\x03"})
    (hit,) = found(store, "rood")
    shown = "".join(text for text, _ in hit.snippet)
    assert "[bold]x" in shown and "␛[31m" in shown and "[/]" in shown
    assert "␂geld␃" in shown  # the note's own marker characters are not highlighting
    assert not any(char in shown for char in "\x1b\x02\x03")
    assert [text for text, hit_part in hit.snippet if hit_part] == ["rood"]
    content = Content.assemble(*((t, "bold") if h else t for t, h in hit.snippet))
    assert content.plain == shown  # nothing was read as markup


@pytest.mark.parametrize(
    "query",
    ['"', "(", ")", "AND", "OR", "NOT", "NEAR(a b)", "huur*", "*", "-geld", "col:x", "text:x",
     "^", "^huur", '""', "   ", '"geen geld', "a OR", "{text}: x", "'", "\\", "\x00", "+"],
)  # fmt: skip
def test_every_odd_query_is_safe(store: Store, query: str) -> None:
    visit_with(store, "GZ-001", {"stress": "Huur en geld: AND OR NOT col x tekst"})
    assert isinstance(found(store, query), list)


def test_additions_are_found(store: Store) -> None:
    visit_id = visit_with(store, "GZ-001", {"stress": "Niets bijzonders"}, end=True)
    store.run(
        repo.add_correction,
        visit_id=visit_id,
        topic="stress",
        text="Later gehoord: beslag op het loon",
        now=T0 + timedelta(days=2),
    )
    (hit,) = found(store, "beslag")
    assert (hit.source, hit.visit_id, hit.topic, hit.visit_open) == (
        ADDITION,
        visit_id,
        "stress",
        False,
    )
    assert hit.started_at == T0


def test_a_changed_note_is_indexed_again(store: Store) -> None:
    visit_id = visit_with(store, "GZ-001", {"stress": "Ruzie met de buren"})
    assert codes(store, "buren") == ["GZ-001"]
    store.run(repo.save_note, visit_id=visit_id, topic="stress", text="Het is weer rustig", now=T0)
    assert codes(store, "buren") == []
    assert codes(store, "rustig") == ["GZ-001"]


def test_deleting_a_household_removes_its_hits(store: Store) -> None:
    visit_id = visit_with(store, "GZ-001", {"stress": "Zorgen over de huur"}, end=True)
    store.run(repo.add_correction, visit_id=visit_id, topic="stress", text="huur betaald", now=T0)
    visit_with(store, "GZ-002", {"stress": "Huur is betaald"})
    assert sorted(codes(store, "huur")) == ["GZ-001", "GZ-001", "GZ-002"]

    def delete(*, session: object) -> None:
        session.exec(sql("DELETE FROM household WHERE code = 'GZ-001'"))  # type: ignore[attr-defined]
        session.commit()  # type: ignore[attr-defined]

    store.run(delete)
    assert codes(store, "huur") == ["GZ-002"]


def test_best_first_then_newest_and_limited(store: Store) -> None:
    visit_with(store, "GZ-001", {"stress": "Geen geld voor de huur"}, now=T0)
    visit_with(store, "GZ-002", {"stress": "Geen geld voor de huur"}, now=T0 + timedelta(days=7))
    visit_with(store, "GZ-003", {"stress": "Huur huur huur"}, now=T0 - timedelta(days=7))
    hits = found(store, "huur")
    assert [hit.household_code for hit in hits] == ["GZ-003", "GZ-002", "GZ-001"]
    assert hits[0].rank < hits[1].rank == hits[2].rank
    assert len(found(store, "huur", limit=2)) == 2
    assert all(hit.source == NOTE and hit.visit_open for hit in hits)


# -- the command line --------------------------------------------------------------------


def test_cli_without_a_database_creates_none(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["zoek", "geld"]) == 0
    assert capsys.readouterr().out == "Nog geen gegevens.\n"
    assert main(["zoek", "--json", "geld"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert not (paths.data_dir() / paths.DATABASE_NAME).exists()


@pytest.mark.parametrize(
    ("words", "told"),
    [
        ([""], "TEKST is leeg"),
        (["   "], "TEKST is leeg"),
        (["", "\t"], "TEKST is leeg"),
        (["?!"], "'?!' bevat geen letters of cijfers"),
        (['""', "-"], "'\"\" -' bevat geen letters of cijfers"),
    ],
)
def test_cli_without_a_word_says_it_needs_one(
    store: Store, words: list[str], told: str, capsys: pytest.CaptureFixture[str]
) -> None:
    visit_with(store, "GZ-001", {"stress": "Geen geld voor de huur"})
    for json_too in ([], ["--json"]):
        assert main(["zoek", *json_too, *words]) == 2
        captured = capsys.readouterr()
        assert captured.out == ""
        assert captured.err == (
            f"wijkgesprek zoek: geef een woord om naar te zoeken ({told}), zoals: "
            "wijkgesprek zoek huur\n"
        )


def test_cli_table_and_json(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    visit_id = visit_with(store, "GZ-001", {"stress": "Er is geen geld [bold]x"}, end=True)
    store.run(repo.add_correction, visit_id=visit_id, topic="netwerk", text="Geld van oma", now=T0)
    assert main(["zoek", "geld"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["gezinscode", "bezoek", "datum", "onderwerp", "fragment"]
    assert "01-10-2026" in lines[1] and "Stress en zorgen" in lines[1]
    assert "Er is geen «geld» [bold]x" in lines[1]
    assert "Netwerk en omgeving (aanvulling)" in lines[2] and "«Geld» van oma" in lines[2]

    assert main(["zoek", "--json", "--aantal", "1", "geen", "geld"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert row == {
        "gezinscode": "GZ-001",
        "bezoek": visit_id,
        "datum": "2026-10-01",
        "onderwerp": "stress",
        "onderwerp_titel": "Stress en zorgen",
        "bron": "notitie",
        "open": False,
        "fragment": "Er is «geen» «geld» [bold]x",
    }

    assert main(["zoek", "(NEAR"]) == 0
    assert capsys.readouterr().out == "Niets gevonden voor (NEAR.\n"


# -- the screen --------------------------------------------------------------------------


def make_app(database: Path) -> WijkgesprekApp:
    from wijkgesprek.content.questions import load_guide

    return WijkgesprekApp(guide=load_guide(paths.shipped_questions()), database=database)


async def test_type_and_enter_opens_the_visit(database: Path, store: Store) -> None:
    open_id = visit_with(store, "GZ-001", {"stress": "Veel schulden en [red]geen[/] hulp"})
    visit_with(store, "GZ-002", {"stress": "Schuldhulp is gestopt"}, end=True)
    app = make_app(database)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("slash")
        await wait_until(pilot, lambda: isinstance(app.screen, SearchScreen))
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        assert isinstance(app.focused, Input)
        await pilot.press(*"schulden")
        await wait_until(pilot, lambda: screen.searched == "schulden")
        results = screen.query_one("#search-results", OptionList)
        assert results.option_count == 1
        prompt = results.get_option_at_index(0).prompt
        assert isinstance(prompt, Content)
        assert "GZ-001" in prompt.plain and "Stress en zorgen" in prompt.plain
        assert "[red]geen[/]" in prompt.plain  # literal, not red

        await pilot.press("down")
        assert app.focused is results
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, VisitScreen))
        assert app.screen.visit_id == open_id  # type: ignore[attr-defined]

        await pilot.press("escape", "escape")  # note → topics → back to the results
        await wait_until(pilot, lambda: app.screen is screen)
        await pilot.press("x")  # typing in the results goes on in the field
        assert isinstance(app.focused, Input) and app.focused.value == "schuldenx"
        await pilot.press("ctrl+u", *"schuld")
        await wait_until(pilot, lambda: screen.searched == "schuld" and len(screen.hits) == 2)
        finished = [hit.visit_open for hit in screen.hits].index(False)
        await pilot.press("enter")  # Enter in the field: to the results
        assert app.focused is results
        results.highlighted = finished
        await pilot.press("enter")  # a finished visit: its history, never rewritten
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen))
        assert app.screen.code == "GZ-002"  # type: ignore[attr-defined]
        detail = str(app.screen.query_one("#visit-text").render())
        assert "Schuldhulp is gestopt" in detail


async def test_nothing_found_and_escape_closes(database: Path) -> None:
    app = make_app(database)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("ctrl+f")
        await wait_until(pilot, lambda: isinstance(app.screen, SearchScreen))
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        await pilot.press(*'"(zoe', "enter")
        await wait_until(pilot, lambda: screen.searched == '"(zoe')
        status = str(screen.query_one("#search-status").render())
        assert status == 'Niets gevonden voor "(zoe.'
        assert not screen.query_one("#search-results").display
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))


async def test_a_database_problem_is_told_not_a_crash(
    database: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wijkgesprek.errors import StoreError
    from wijkgesprek.store import search as store_search

    def broken(**_: object) -> list[SearchHit]:
        raise StoreError("De database is bezet door een ander programma.")

    monkeypatch.setattr(store_search, "search", broken)
    app = make_app(database)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("slash")
        await wait_until(pilot, lambda: isinstance(app.screen, SearchScreen))
        await pilot.press(*"geld")
        status = app.screen.query_one("#search-status")
        await wait_until(pilot, lambda: "bezet" in str(status.render()))
        assert app.is_running


def test_cli_json_numbers_a_visit_as_export_bezoek_does(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    visit_with(store, "GZ-001", {"stress": "Eerste gesprek"}, now=T0, end=True)
    visit_with(store, "GZ-001", {"stress": "Huurschuld besproken"}, now=T0 + timedelta(7), end=True)
    # an older visit added later (as an import does): numbers follow the start, not the id
    visit_with(store, "GZ-001", {"stress": "Kennismaking"}, now=T0 - timedelta(7), end=True)
    assert main(["zoek", "--json", "huurschuld"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert row["bezoek"] == 3
    assert main(["zoek", "huurschuld"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["gezinscode", "bezoek", "datum", "onderwerp", "fragment"]
    assert lines[1].split()[:2] == ["GZ-001", "3"]
    assert main(["export", "GZ-001", "--bezoek", str(row["bezoek"])]) == 0
    assert "Huurschuld besproken" in capsys.readouterr().out


def test_a_hit_knows_the_number_of_its_visit_in_the_household(either: Store) -> None:
    visit_with(either, "GZ-001", {"stress": "Eerste gesprek"}, now=T0, end=True)
    visit_with(either, "GZ-002", {"stress": "Huurschuld bij een ander gezin"}, now=T0, end=True)
    visit_with(
        either, "GZ-001", {"stress": "Huurschuld besproken"}, now=T0 + timedelta(7), end=True
    )
    visit_with(either, "GZ-001", {"stress": "Kennismaking"}, now=T0 - timedelta(7), end=True)
    hits = {hit.household_code: hit for hit in either.run(search, text="huurschuld")}
    assert (hits["GZ-001"].visit_number, hits["GZ-002"].visit_number) == (3, 1)
