"""Practice mode: the invented family's answers, attempts and progress, a whole practice run
by keyboard, and the wall between practice data and the real database."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from helpers import SIZE, notifications, type_text, wait_until
from textual.widgets import Markdown, Static

from wijkgesprek import paths
from wijkgesprek.app import WijkgesprekApp
from wijkgesprek.cli import main
from wijkgesprek.content.cases import Cases, load_cases
from wijkgesprek.content.model import Guide
from wijkgesprek.domain.household import Children, parse_children
from wijkgesprek.domain.practice import ABSENT, FACT, LINE, SHORT
from wijkgesprek.domain.progress import score
from wijkgesprek.domain.reflection import reflect_attempt
from wijkgesprek.domain.visit import TopicNote, VisitRecord
from wijkgesprek.errors import StoreError
from wijkgesprek.screens.ask import AskScreen
from wijkgesprek.screens.practice_home import PracticeHomeScreen
from wijkgesprek.screens.practice_visit import PracticeVisitScreen
from wijkgesprek.screens.reflection import ReflectionScreen
from wijkgesprek.screens.safety import SafetyScreen
from wijkgesprek.store.schema import is_ready, prepare_database

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def cases(guide: Guide) -> Cases:
    return load_cases(paths.shipped_cases(), topic_ids=[t.id for t in guide.topics])


def record(notes: dict[str, str], children: str = "2018") -> VisitRecord:
    return VisitRecord(
        id=1,
        household_code="OEF-02",
        wijk="Oost",
        children=parse_children(children),
        started_at=NOW,
        notes={topic: TopicNote(text) for topic, text in notes.items()},
    )


# -- the wall between practice and real data -----------------------------------------------


def test_a_practice_database_is_never_opened_as_the_real_one(tmp_path: Path) -> None:
    practice = tmp_path / "oefenen.db"
    real = tmp_path / "echt.db"
    prepare_database(practice, practice=True)
    prepare_database(real)
    assert is_ready(practice, practice=True) and not is_ready(practice)
    assert is_ready(real) and not is_ready(real, practice=True)
    with pytest.raises(StoreError, match="oefendatabase"):
        prepare_database(practice)
    with pytest.raises(StoreError, match="echte gezinnen"):
        prepare_database(real, practice=True)


def test_cli_refuses_a_practice_database_in_the_real_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    practice = paths.data_dir() / paths.PRACTICE_DATABASE_NAME
    prepare_database(practice, practice=True)
    shutil.copy(practice, paths.data_dir() / paths.DATABASE_NAME)
    assert main(["zoek", "slaap"]) == 1
    assert "oefendatabase" in capsys.readouterr().err


def test_oefenen_reports_a_broken_cases_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "casussen.yaml"
    broken.write_text("versie: 1\ncasussen:\n  x:\n    titl: Iets\n", encoding="utf-8")
    assert main(["oefenen", "--casussen", str(broken)]) == 1
    err = capsys.readouterr().err
    assert f"{broken}:4:5:" in err and "'titl'" in err
    assert not (paths.data_dir() / paths.PRACTICE_DATABASE_NAME).exists()


# -- a whole practice run by keyboard ----------------------------------------------------


def rows(database: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(database) as connection:
        return connection.execute(sql).fetchall()


def guide_text(app: WijkgesprekApp) -> str:
    return str(app.screen.query_one("#guide-text", Static).render())


async def put_question(pilot, text: str, *, down: int = 0) -> None:  # type: ignore[no-untyped-def]
    app = pilot.app
    await pilot.press("f5")
    await wait_until(pilot, lambda: isinstance(app.screen, AskScreen))
    await type_text(pilot, text)
    await pilot.press(*["down"] * down, "enter")
    await wait_until(pilot, lambda: isinstance(app.screen, PracticeVisitScreen))


async def test_a_whole_practice_run(guide: Guide, cases: Cases, isolated_home: Path) -> None:
    database = paths.data_dir() / paths.PRACTICE_DATABASE_NAME
    prepare_database(database, practice=True)
    app = WijkgesprekApp(guide=guide, database=database, cases=cases)
    case = cases.case("vader-met-schulden")
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, PracticeHomeScreen))
        assert "Nog geen pogingen" in str(app.screen.query_one("#case-progress").render())
        await pilot.press("down", "enter")  # the second case: the father with debts
        await wait_until(pilot, lambda: isinstance(app.screen, PracticeVisitScreen))
        visit = app.screen
        assert "OEFENEN" in str(visit.query_one(".practice-banner", Static).render())

        await put_question(pilot, "Wat brengt u hier?")  # to the first voice: vader
        father = case.personen[0]
        assert f"Vader: {father.answers('kennismaking')[0]}" in guide_text(app)
        await type_text(pilot, "Hij moet eerst van de schulden af.")
        await pilot.press("f2", "2", "enter")  # stress
        await put_question(pilot, "Drinkt u weleens om te ontspannen?")  # closed: short
        assert "(gesloten vraag)\nVader: Ja, soms wel." in guide_text(app)
        await put_question(pilot, "Hoe gaat het met u?")
        await put_question(pilot, "Hoe ontspant u 's avonds?")  # an open doorvraag
        assert "(open vraag, doorvraag)\nNu hoort u van vader: Hij drinkt elke avond" in (
            guide_text(app)
        )
        await pilot.press("f2", "5", "enter")  # veiligheid: ask the daughter, who is not there
        await put_question(pilot, "Is er genoeg eten als je bij papa bent?", down=1)
        assert "U, aan dochter (9):" in guide_text(app)
        assert "(Dochter (9) is niet bij dit gesprek en kan niet antwoorden." in guide_text(app)
        await pilot.press("f10")
        await wait_until(pilot, lambda: isinstance(app.screen, SafetyScreen))
        await pilot.press("1", "enter", "enter", "escape", "escape")  # kindcheck: geen zorgen
        await wait_until(pilot, lambda: app.screen is visit)

        await pilot.press("f8")
        await wait_until(pilot, lambda: isinstance(app.screen, ReflectionScreen))
        report = app.screen.report
        assert "- Besproken: Kennismaking en vraag, Stress en zorgen, Veiligheid" in report
        assert "U heeft niet gevraagd naar dromen en hoop." in report
        assert "De kindcheck is gedaan: geen zorgen." in report
        assert "- Gehoord: vader\n- Niet gehoord: niemand\n" in report
        assert "- Niet bij het gesprek: dochter (9), moeder van de kinderen;" in report
        assert "### Gevonden (1)" in report and "### Gemist (2)" in report
        assert "U stelde 5 vragen: 3 open (60%), 2 gesloten (40%)." in report
        assert "U gebruikte 1 keer een vorm van 'moeten' en 0 keer een label" in report
        assert "- Poging 1 (open), " in report
        assert app.screen.query_one(Markdown).source == report
        await pilot.press("e")
        exports = isolated_home / "Documents" / "wijkgesprek"
        assert [p.name for p in exports.iterdir()] == ["oefenen"]  # never among real ones
        exported = list((exports / "oefenen").glob("oefenen-OEF-02-*"))
        assert len(exported) == 1 and exported[0].read_text(encoding="utf-8") == report
        assert exported[0].stat().st_mode & 0o777 == 0o600
        assert (exports / "oefenen").stat().st_mode & 0o777 == 0o700
        said = " ".join(notifications(app))
        assert "in de map 'oefenen', apart van echte exports" in said

        await pilot.press("ctrl+e")
        await wait_until(pilot, lambda: isinstance(app.screen, PracticeHomeScreen))
        progress = str(app.screen.query_one("#case-progress").render())
        assert "3/6" in progress and "(open)" not in progress
        assert "Enter begint een nieuwe poging." in progress
        # A second attempt starts fresh: a new visit, no earlier answers on screen.
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, PracticeVisitScreen))
        assert "Nog niets gevraagd" in guide_text(app)
        assert app.screen.visit_id != visit.visit_id

    assert rows(database, "SELECT count(*) FROM visit") == [(2,)]
    assert rows(database, "SELECT voice, kind FROM practice_turn ORDER BY id") == [
        ("vader", LINE),
        ("vader", SHORT),
        ("vader", LINE),
        ("vader", FACT),
        ("dochter", ABSENT),
    ]
    # Nothing of it reached the real database: it was not even created.
    assert not (paths.data_dir() / paths.DATABASE_NAME).exists()


async def test_practice_data_cannot_reach_real_search_or_trends(
    guide: Guide, cases: Cases, capsys: pytest.CaptureFixture[str]
) -> None:
    import csv
    import io

    from wijkgesprek.store import repo
    from wijkgesprek.store.engine import Store

    def money_worries(store: Store, code: str) -> None:  # Noord, in 2026-K4
        visit = store.run(repo.start_visit, code=code, wijk="Noord", children=Children(), now=NOW)
        store.run(repo.set_themes, visit_id=visit, topic="stress", themes=["geldzorgen"], now=NOW)
        store.run(repo.end_visit, visit_id=visit, now=NOW)

    def money_in_noord() -> str:
        capsys.readouterr()
        assert main(["trends", "--van", "2026-10", "--tot", "2026-12", "--formaat", "csv"]) == 0
        table = csv.DictReader(io.StringIO(capsys.readouterr().out))
        (row,) = [r for r in table if r["wijk"] == "Noord" and r["maat"] == "thema:geldzorgen"]
        return row["waarde"]

    real = paths.data_dir() / paths.DATABASE_NAME
    prepare_database(real)
    store = Store(real)
    for number in range(1, 6):  # five: the least trends shows as a number
        money_worries(store, f"GZ-00{number}")
    store.engine.dispose()
    assert money_in_noord() == "5"

    database = paths.data_dir() / paths.PRACTICE_DATABASE_NAME
    prepare_database(database, practice=True)
    app = WijkgesprekApp(guide=guide, database=database, cases=cases)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, PracticeHomeScreen))
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, PracticeVisitScreen))
        await type_text(pilot, "Zeldzaamwoord in een oefening")
        await pilot.press("ctrl+s")
    practice = Store(database)
    for number in range(1, 3):  # the same wijk, theme and quarter, in practice
        money_worries(practice, f"OEF-0{number}")
    practice.engine.dispose()
    assert rows(database, "SELECT count(*) FROM note WHERE text LIKE 'Zeldzaam%'") == [(1,)]
    capsys.readouterr()
    assert main(["zoek", "zeldzaamwoord", "--json"]) == 0
    assert "Zeldzaam" not in capsys.readouterr().out
    assert money_in_noord() == "5"  # the practice visits are not counted
    assert main(["export", "OEF-01"]) != 0  # unknown household in the real database


def locked(**_: object) -> None:
    import sqlalchemy.exc

    raise sqlalchemy.exc.OperationalError("SELECT …", {}, Exception("database is locked"))


async def test_a_database_that_cannot_be_read_is_told_in_practice_too(
    guide: Guide, cases: Cases, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wijkgesprek.store import practice

    database = paths.data_dir() / paths.PRACTICE_DATABASE_NAME
    prepare_database(database, practice=True)
    app = WijkgesprekApp(guide=guide, database=database, cases=cases)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, PracticeHomeScreen))
        monkeypatch.setattr(practice, "turns", locked)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, PracticeVisitScreen))
        visit = app.screen
        await type_text(pilot, "Aantekening blijft")
        monkeypatch.setattr(practice, "attempt_data", locked)
        await pilot.press("f8")
        await wait_until(pilot, lambda: isinstance(app.screen, ReflectionScreen))
        await pilot.press("e")  # nothing to save: no empty file either
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is visit)
        assert app.is_running and visit.note.text == "Aantekening blijft"
        messages = notifications(app)
    assert sum("is bezet door een ander programma" in m for m in messages) == 2
    assert "Er is geen reflectie om te bewaren." in messages
    assert not list(paths.data_dir().parent.rglob("oefenen-*.md"))


def test_an_attempt_is_dated_in_local_time(cases: Cases, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from wijkgesprek.domain.progress import progress_row

    case = cases.case("vader-met-schulden")
    reflection = reflect_attempt(case, cases.words, record=record({}), entries=[], turns=[])
    late = datetime(2026, 11, 25, 23, 30, tzinfo=UTC)  # already the 26th in Amsterdam
    monkeypatch.setenv("TZ", "Europe/Amsterdam")
    time.tzset()
    try:
        item = score(case, reflection, number=1, started_at=late, ended=True)
        assert progress_row(item)[1] == "26-11-2026"
    finally:
        monkeypatch.undo()
        time.tzset()


async def test_the_familys_answer_is_on_the_screen_at_80x24(
    guide: Guide, cases: Cases, isolated_home: Path
) -> None:
    from helpers import frame

    database = paths.data_dir() / paths.PRACTICE_DATABASE_NAME
    prepare_database(database, practice=True)
    app = WijkgesprekApp(guide=guide, database=database, cases=cases)
    case = cases.case("vader-met-schulden")
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, PracticeHomeScreen))
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, PracticeVisitScreen))
        for number in range(3):  # the latest answer stays in view as the talk grows
            await put_question(pilot, f"Wat brengt u hier, vraag {number}?")
            await pilot.pause()
            answer = case.personen[0].answers("kennismaking")[number]
            lines = [line.split("▕", 1)[-1] for line in frame(app).splitlines()]
            assert " ".join(answer.split()[:4]) in " ".join(" ".join(lines).split())


# -- a trainer's overview of a group ---------------------------------------------------------


def practised(path: Path, cases: Cases, note: str) -> None:
    """A practice database with one ended attempt at OEF-01: two questions and a note."""
    from wijkgesprek.domain.practice import answer
    from wijkgesprek.store import practice, repo
    from wijkgesprek.store.engine import Store

    prepare_database(path, practice=True)
    store = Store(path)
    case = cases.case("moeder-twee-kinderen")
    household = case.huishouden
    visit = store.run(
        repo.start_visit,
        code=household.code,
        wijk=household.wijk,
        children=household.children,
        now=NOW,
    )
    store.run(repo.save_note, visit_id=visit, topic="stress", text=note, now=NOW)
    turns: list = []
    for question in ("Hoe gaat het met u?", "Hoe slaapt u 's nachts?"):
        turn = answer(
            case, cases.words, topic="stress", question=question, voice="moeder", turns=turns
        )
        turns.append(turn)
        store.run(practice.add_turn, visit_id=visit, turn=turn, now=NOW)
    store.run(repo.end_visit, visit_id=visit, now=NOW)
    store.engine.dispose()


def test_oefen_overzicht_shows_a_groups_attempts_without_notes(
    tmp_path: Path, cases: Cases, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = tmp_path / "anna.db", tmp_path / "bram.db"
    practised(first, cases, "Geheime aantekening van Anna")
    practised(second, cases, "Geheime aantekening van Bram")
    before = first.read_bytes()
    assert main(["oefen-overzicht", str(first), str(second)]) == 0
    text = capsys.readouterr().out
    assert text.startswith("# Oefenoverzicht")
    assert "## OEF-01 Moeder met twee jonge kinderen" in text
    assert "| anna | 1 | 25-11-2026 | 1/6 | 1/3 | 2/2 | nee | 1/3 | 0 | 0 |" in text
    assert "| bram | 1 |" in text
    for private in ("Geheime", "slaapt", "Moeder slaapt al weken"):
        assert private not in text
    assert first.read_bytes() == before  # the trainee's file is read, never changed
    out = tmp_path / "overzicht.md"
    assert main(["oefen-overzicht", str(first), "--uitvoer", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("# Oefenoverzicht")
    assert out.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("kind", ["missing", "real", "garbage"])
def test_oefen_overzicht_refuses_what_is_no_practice_database(
    tmp_path: Path, kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "deelnemer.db"
    if kind == "real":
        prepare_database(path)
    elif kind == "garbage":
        path.write_bytes(b"geen database" * 100)
    assert main(["oefen-overzicht", str(path)]) == 1
    err = capsys.readouterr().err
    assert str(path) in err and "Traceback" not in err
    assert {"missing": "geen oefendatabase", "real": "echte gezinnen", "garbage": "niet"}[
        kind
    ] in err


async def test_the_language_barrier_case_with_an_interpreter(
    guide: Guide, cases: Cases, isolated_home: Path
) -> None:
    database = paths.data_dir() / paths.PRACTICE_DATABASE_NAME
    prepare_database(database, practice=True)
    app = WijkgesprekApp(guide=guide, database=database, cases=cases)
    case = cases.case("nieuw-zonder-netwerk")
    mother = case.person("moeder")
    assert mother is not None
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, PracticeHomeScreen))
        assert "t: met een tolk" not in str(app.screen.query_one("#case-intake").render())
        await pilot.press("t")  # the first case has no interpreter: nothing happens
        await pilot.pause()
        assert isinstance(app.screen, PracticeHomeScreen)
        index = [c.id for c in cases.cases].index(case.id)
        await pilot.press(*["down"] * index)
        assert "t: met een tolk" in str(app.screen.query_one("#case-intake").render())
        await pilot.press("t")
        await wait_until(pilot, lambda: isinstance(app.screen, PracticeVisitScreen))
        assert "(Er is een tolk bij het gesprek" in guide_text(app)
        await pilot.press("f2", "2", "enter")  # stress: ask the mother, through the interpreter
        await put_question(pilot, "Hoe gaat het met u?", down=1)
        assert f"Moeder (via de tolk): {mother.answers('stress')[0]}" in guide_text(app)
    assert rows(database, "SELECT voice, kind FROM practice_turn ORDER BY id") == [
        ("tolk", "tolk"),
        ("moeder", LINE),
    ]


async def test_an_interpreter_arranged_later_does_not_rewrite_earlier_answers(
    guide: Guide, cases: Cases
) -> None:
    database = paths.data_dir() / paths.PRACTICE_DATABASE_NAME
    prepare_database(database, practice=True)
    app = WijkgesprekApp(guide=guide, database=database, cases=cases)
    index = [c.id for c in cases.cases].index("nieuw-zonder-netwerk")
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, PracticeHomeScreen))
        await pilot.press(*["down"] * index, "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, PracticeVisitScreen))
        await pilot.press("f2", "2", "enter")
        await put_question(pilot, "Hoe gaat het met u?", down=1)  # the mother: not understood
        assert "Moeder: (Kijkt u vragend aan" in guide_text(app)
        await pilot.press("escape", "escape")  # back to the cases
        await wait_until(pilot, lambda: isinstance(app.screen, PracticeHomeScreen))
        await pilot.press("t")  # the same attempt, now with an interpreter
        await wait_until(pilot, lambda: isinstance(app.screen, PracticeVisitScreen))
        await pilot.press("f2", "2", "enter")
        await put_question(pilot, "Hoe gaat het met u?")  # still to the mother
        shown = guide_text(app)
        assert "Moeder: (Kijkt u vragend aan" in shown
        assert "Moeder (via de tolk): Ik ben de hele dag alleen in huis." in shown
        said = notifications(app)
        assert "Er is een tolk bij het gesprek." in said


async def test_the_progress_on_the_practice_home_fits_80_columns(
    guide: Guide, cases: Cases
) -> None:
    from helpers import frame

    from wijkgesprek.store import repo
    from wijkgesprek.store.engine import Store

    database = paths.data_dir() / paths.PRACTICE_DATABASE_NAME
    practised(database, cases, "Aantekening")
    store = Store(database)
    household = cases.case("moeder-twee-kinderen").huishouden
    store.run(  # a second attempt, still open
        repo.start_visit,
        code=household.code,
        wijk=household.wijk,
        children=household.children,
        now=NOW,
    )
    store.engine.dispose()
    app = WijkgesprekApp(guide=guide, database=database, cases=cases)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, PracticeHomeScreen))
        # The attempts are read in a worker: scroll down until they are on the screen.
        detail = app.screen.query_one("#case-detail")

        def attempts_shown() -> bool:
            detail.scroll_end(animate=False)
            return "* Deze poging staat nog open" in frame(app)

        await wait_until(pilot, attempts_shown)
        shown = frame(app)
    assert "Nr Datum      Onderwerpen Feiten Open Kindcheck Stemmen Moeten Labels" in shown
    assert "1  25-11-2026 1/6         1/3    2/2  nee       1/3     0      0" in shown
    assert "2* 25-11-2026 0/6" in shown and "* Deze poging staat nog open" in shown
