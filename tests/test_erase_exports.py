"""Exports the app wrote for a household are recorded, and erasing the household offers to
erase them too (issue 18, point 8)."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from helpers import SIZE, frame, notifications, type_text, wait_until

from wijkgesprek import paths
from wijkgesprek.app import WijkgesprekApp
from wijkgesprek.cli import main
from wijkgesprek.config import Config
from wijkgesprek.content.questions import load_guide
from wijkgesprek.domain.household import Children
from wijkgesprek.screens.choice import ChoiceScreen
from wijkgesprek.screens.erase import EraseScreen
from wijkgesprek.screens.export import ExportScreen
from wijkgesprek.screens.history import HistoryScreen
from wijkgesprek.screens.home import HomeScreen
from wijkgesprek.store import repo
from wijkgesprek.store.engine import Store
from wijkgesprek.store.target import TeamServer

OLD = datetime(2001, 3, 1, 10, 0, tzinfo=UTC)
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


def household(store: Store, code: str, when: datetime = NOW, *, follow_up: bool = False) -> None:
    visit = store.run(repo.start_visit, code=code, wijk="Noord", children=Children(), now=when)
    store.run(repo.save_note, visit_id=visit, topic="stress", text=f"{code} Tureluur", now=when)
    if follow_up:
        store.run(repo.set_next_contact, visit_id=visit, when=date(2026, 12, 1))
    store.run(repo.end_visit, visit_id=visit, now=when)
    store.engine.dispose()


def record_file() -> Path:
    return paths.data_dir() / "wijkgesprek-exporten.json"


def recorded() -> list[dict[str, object]]:
    exports = json.loads(record_file().read_text("utf-8"))["exporten"]
    assert isinstance(exports, list)
    return exports


def export(code: str, out: Path, *more: str) -> Path:
    assert main(["export", code, "--uitvoer", str(out), *more]) == 0
    return out


def answers(monkeypatch: pytest.MonkeyPatch, *typed: str) -> list[str]:
    """A keyboard that types ``typed`` at the questions; returns the questions asked."""
    asked: list[str] = []
    given = iter(typed)

    def answer(prompt: str) -> str:
        asked.append(prompt)
        return next(given)

    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr("builtins.input", answer)
    return asked


# -- recording -----------------------------------------------------------------------------


def test_a_cli_export_is_recorded_in_a_private_file(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    household(store, "GZ-001")
    out = export("gz-001", tmp_path / "dossier.md")
    export("GZ-001", tmp_path / "gezin.md", "--soort", "gezin", "--met-veiligheid")
    payload = out.read_bytes()
    assert stat.S_IMODE(record_file().stat().st_mode) == 0o600
    first, second = recorded()
    assert first == {
        "pad": str(out),
        "gezinscodes": ["GZ-001"],
        "soort": "dossier",
        "geschreven": first["geschreven"],
        "grootte": len(payload),
        "sha256": hashlib.sha256(payload).hexdigest(),
    }
    assert datetime.fromisoformat(str(first["geschreven"])).tzinfo is not None
    assert second["soort"] == "gezin-veiligheid"
    assert capsys.readouterr().err == ""


def test_a_file_written_again_replaces_its_record(store: Store, tmp_path: Path) -> None:
    household(store, "GZ-001")
    household(store, "GZ-002")
    out = export("GZ-001", tmp_path / "dossier.md")
    export("GZ-002", out, "--overschrijven")
    (only,) = recorded()
    assert only["gezinscodes"] == ["GZ-002"] and only["grootte"] == out.stat().st_size


def test_to_the_screen_nothing_is_recorded(store: Store) -> None:
    household(store, "GZ-001")
    assert main(["export", "GZ-001"]) == 0
    assert not record_file().exists()


def test_a_calendar_is_recorded_for_every_code_it_holds(store: Store, tmp_path: Path) -> None:
    household(store, "GZ-001", follow_up=True)
    household(store, "GZ-002", follow_up=True)
    household(store, "GZ-003")  # nothing agreed: not in the calendar
    out = tmp_path / "vervolg.ics"
    assert main(["vervolg", "--formaat", "ics", "--alles", "--uitvoer", str(out)]) == 0
    (entry,) = recorded()
    assert entry["gezinscodes"] == ["GZ-001", "GZ-002"] and entry["soort"] == "vervolg"


@pytest.mark.parametrize("damage", ["map", "kapot"])
def test_a_record_that_cannot_be_written_never_loses_the_export(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str], damage: str
) -> None:
    household(store, "GZ-001")
    if damage == "map":
        record_file().mkdir()
    else:
        record_file().write_text("{kapot", encoding="utf-8")
    out = export("GZ-001", tmp_path / "dossier.md")
    assert "Tureluur" in out.read_text("utf-8")
    captured = capsys.readouterr()
    assert f"Geschreven: {out}" in captured.out
    assert "staat niet in het overzicht van exports" in captured.err
    assert str(record_file()) in captured.err and "Traceback" not in captured.err
    if damage == "kapot":  # never replaced: it may list other exports
        assert record_file().read_text("utf-8") == "{kapot"


def test_exports_written_at_once_are_all_recorded(tmp_path: Path) -> None:
    """Two windows exporting at the same moment never lose each other's line."""
    from concurrent.futures import ThreadPoolExecutor

    from wijkgesprek.export.record import note_export

    folder = paths.data_dir()

    def write(worker: int) -> list[str]:
        return [
            note_export(
                folder, tmp_path / f"{worker}-{n}.md", b"x", codes=[f"GZ-{worker}"], kind="gezin"
            )
            for n in range(25)
        ]

    with ThreadPoolExecutor(4) as pool:
        told = [line for lines in pool.map(write, range(4)) for line in lines]
    assert told == [""] * 100
    assert len(recorded()) == 100
    assert sorted(p.name for p in folder.iterdir()) == [
        "wijkgesprek-exporten.json",
        "wijkgesprek-exporten.lock",
    ]


# -- wis -----------------------------------------------------------------------------------


def test_wis_lists_the_exports_and_erases_them_on_yes(
    store: Store,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    household(store, "GZ-001")
    household(store, "GZ-002")
    gone = export("GZ-001", tmp_path / "weg.md")
    kept = export("GZ-002", tmp_path / "blijft.md")
    capsys.readouterr()
    asked = answers(monkeypatch, "GZ-001", "ja")
    assert main(["wis", "GZ-001"]) == 0
    out = capsys.readouterr().out
    assert str(gone) in out and "(dossier," in out  # listed before the question
    assert asked[1] == "Ook deze export wissen? Typ ja of nee: "
    assert not gone.exists() and kept.exists()
    assert f"Gewist: {gone}" in out
    assert b"GZ-001" not in record_file().read_bytes()
    assert [entry["gezinscodes"] for entry in recorded()] == [["GZ-002"]]


def test_wis_keeps_the_exports_on_no(
    store: Store,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    household(store, "GZ-001")
    out = export("GZ-001", tmp_path / "dossier.md")
    before = out.read_bytes()
    answers(monkeypatch, "GZ-001", "nee")
    assert main(["wis", "GZ-001"]) == 0
    said = capsys.readouterr().out
    assert out.read_bytes() == before
    assert f"Blijft staan: {out}" in said and "wis het zelf" in said
    assert b"GZ-001" not in record_file().read_bytes()
    assert store.run(repo.list_households) == []


def test_ctrl_d_at_the_exports_question_changes_nothing(
    store: Store,
    database: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    household(store, "GZ-001")
    out = export("GZ-001", tmp_path / "dossier.md")
    record = record_file().read_bytes()
    data = database.read_bytes()
    given = iter(["GZ-001"])

    def answer(prompt: str) -> str:
        for typed in given:
            return typed
        raise EOFError

    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr("builtins.input", answer)
    assert main(["wis", "GZ-001"]) == 1
    assert "Er is niets veranderd." in capsys.readouterr().err
    assert database.read_bytes() == data and record_file().read_bytes() == record
    assert out.exists()


@pytest.mark.parametrize(
    ("flags", "erased"),
    [((), True), (("--exporten", "bewaar"), False), (("--exporten", "WIS"), True)],
)
def test_a_confirmation_on_the_command_line_answers_the_question(
    store: Store,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    flags: tuple[str, ...],
    erased: bool,
) -> None:
    household(store, "GZ-001")
    out = export("GZ-001", tmp_path / "dossier.md")
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)
    assert main(["wis", "GZ-001", "--bevestig", "GZ-001", *flags]) == 0
    assert out.exists() is not erased
    assert str(out) in capsys.readouterr().out
    assert b"GZ-001" not in record_file().read_bytes()


@pytest.mark.parametrize("change", ["veranderd", "verplaatst", "weg", "link"])
def test_a_changed_or_moved_export_is_named_and_not_erased(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str], change: str
) -> None:
    household(store, "GZ-001")
    out = export("GZ-001", tmp_path / "dossier.md")
    moved = tmp_path / "elders.md"
    if change == "veranderd":
        out.write_text(out.read_text("utf-8") + "Eigen regel erbij.\n", encoding="utf-8")
    elif change in ("verplaatst", "link"):
        out.rename(moved)
        if change == "link":
            out.symlink_to(moved)
    else:
        out.unlink()
    before = out.read_bytes() if change == "veranderd" else None
    assert main(["wis", "GZ-001", "--bevestig", "GZ-001"]) == 0
    said = capsys.readouterr().out
    assert f"Niet aangeraakt: {out}" in said
    reason = {
        "veranderd": "veranderd sinds de export",
        "verplaatst": "er niet meer",
        "weg": "er niet meer",
        "link": "geen gewoon bestand",
    }[change]
    assert reason in said
    if before is not None:
        assert out.read_bytes() == before
    if change in ("verplaatst", "link"):
        assert "Tureluur" in moved.read_text("utf-8")
    assert b"GZ-001" not in record_file().read_bytes()


def test_a_hostile_file_name_is_shown_literally(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    household(store, "GZ-001")
    export("GZ-001", tmp_path / "dossier-\x1b]52;c;ZWNobw==\x07-\x1b[31m.md")
    assert main(["wis", "GZ-001", "--bevestig", "GZ-001", "--exporten", "bewaar"]) == 0
    captured = capsys.readouterr()
    assert "\x1b" not in captured.out + captured.err and "\x07" not in captured.out
    assert "dossier-␛]52;c;ZWNobw==" in captured.out


def test_an_erased_export_is_overwritten_before_it_goes(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    household(store, "GZ-001")
    out = export("GZ-001", tmp_path / "dossier.md")
    size = out.stat().st_size
    seen: list[bytes] = []
    real_unlink = os.unlink

    def unlink(path: str | Path, *args: object, **kwargs: object) -> None:
        if Path(path) == out:
            seen.append(out.read_bytes())
        real_unlink(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "unlink", unlink)
    assert main(["wis", "GZ-001", "--bevestig", "GZ-001"]) == 0
    assert seen == [bytes(size)] and not out.exists()


def test_a_record_left_half_written_by_a_crash_is_removed(store: Store, tmp_path: Path) -> None:
    household(store, "GZ-001")
    left = paths.data_dir() / "wijkgesprek-exporten-k3x9.tmp"
    left.write_text('{"versie": 1, "exporten": [{"gezinscodes": ["GZ-001"]', encoding="utf-8")
    export("GZ-001", tmp_path / "dossier.md")
    assert not left.exists() and len(recorded()) == 1


def test_a_damaged_record_does_not_stop_the_erasure(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    household(store, "GZ-001")
    record_file().write_text('{"versie": 1, "exporten": [{"pad": 3}]}', encoding="utf-8")
    assert main(["wis", "GZ-001", "--bevestig", "GZ-001"]) == 0
    captured = capsys.readouterr()
    assert "GZ-001 is gewist" in captured.out
    assert "overzicht van exports" in captured.err and str(record_file()) in captured.err
    assert store.run(repo.list_households) == []


# -- bewaartermijn --wis -------------------------------------------------------------------


def test_bewaartermijn_offers_the_exports_of_each_household(
    store: Store,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    household(store, "GZ-001", OLD, follow_up=True)
    household(store, "GZ-003", OLD)
    household(store, "GZ-002", follow_up=True)
    first = export("GZ-001", tmp_path / "een.md")
    third = export("GZ-003", tmp_path / "drie.json", "--soort", "overdracht")
    kept = export("GZ-002", tmp_path / "twee.md")
    calendar = tmp_path / "vervolg.ics"
    assert main(["vervolg", "--formaat", "ics", "--alles", "--uitvoer", str(calendar)]) == 0
    capsys.readouterr()
    monkeypatch.setattr("wijkgesprek.cli.common.today", lambda: date(2026, 11, 25))
    asked = answers(monkeypatch, "WISSEN", "ja")
    assert main(["bewaartermijn", "--wis"]) == 0
    out = capsys.readouterr().out
    for path in (first, third, calendar):
        assert str(path) in out and not path.exists()
    assert "ook van 1 ander huishouden" in out  # the calendar holds GZ-002 as well
    assert asked[1] == "Ook deze 3 exports wissen? Typ ja of nee: "
    assert kept.exists()
    data = record_file().read_bytes()
    assert b"GZ-001" not in data and b"GZ-003" not in data
    assert [entry["pad"] for entry in recorded()] == [str(kept)]


@pytest.mark.parametrize(("flags", "erased"), [((), True), (("--exporten", "bewaar"), False)])
def test_bewaartermijn_ja_answers_the_exports_question(
    store: Store,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    flags: tuple[str, ...],
    erased: bool,
) -> None:
    household(store, "GZ-001", OLD)
    out = export("GZ-001", tmp_path / "een.md")
    monkeypatch.setattr("wijkgesprek.cli.common.today", lambda: date(2026, 11, 25))
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)
    assert main(["bewaartermijn", "--wis", "--ja", *flags]) == 0
    assert out.exists() is not erased
    assert b"GZ-001" not in record_file().read_bytes()


def test_exporten_belongs_with_an_erasure(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bewaartermijn", "--exporten", "wis"]) == 2
    assert "--exporten hoort bij --wis" in capsys.readouterr().err


# -- the app -------------------------------------------------------------------------------


def app_for(database: Path, folder: Path, retention: int = 20) -> WijkgesprekApp:
    return WijkgesprekApp(
        guide=load_guide(paths.shipped_questions()),
        database=database,
        config=Config(export_folder=folder, retention_years=retention),
    )


@pytest.mark.parametrize("answer", ["1", "2", "escape"])
async def test_w_in_the_history_offers_the_exports(
    store: Store, database: Path, tmp_path: Path, answer: str
) -> None:
    household(store, "GZ-001")
    folder = tmp_path / "export"
    app = app_for(database, folder)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.rows)
        await pilot.press("g")
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen))
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportScreen))
        await pilot.press("1")  # the dossier of this visit, in the dialog's folder
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen))
        (written,) = folder.iterdir()
        assert [entry["pad"] for entry in recorded()] == [str(written)]
        await pilot.press("w")
        await wait_until(pilot, lambda: isinstance(app.screen, EraseScreen))
        await type_text(pilot, "GZ-001")
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Ook de exports wissen?" in frame(app))
        assert isinstance(app.screen, ChoiceScreen)
        shown = frame(app)
        assert f"• {written.name} (dossier van een bezoek," in shown
        assert "1 Ja, deze export ook wissen" in shown and "2 Nee" in shown
        assert store.run(repo.list_households) != []  # nothing erased at the question
        await pilot.press(answer)
        if answer == "escape":
            await wait_until(pilot, lambda: isinstance(app.screen, EraseScreen))
            assert "Er is niets gewist." in frame(app)
            assert written.exists() and store.run(repo.list_households) != []
            return
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        said = " ".join(notifications(app))
    assert store.run(repo.list_households) == []
    assert written.exists() is (answer == "2")
    assert ("1 export gewist" if answer == "1" else "blijft staan") in said
    assert b"GZ-001" not in record_file().read_bytes()


async def test_an_erasure_without_exports_asks_nothing_more(
    store: Store, database: Path, tmp_path: Path
) -> None:
    household(store, "GZ-001")
    app = app_for(database, tmp_path / "export")
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.rows)
        app.push_screen(EraseScreen(["GZ-001"], confirm_word="GZ-001", explanation="Eén."))
        await wait_until(pilot, lambda: isinstance(app.screen, EraseScreen))
        await type_text(pilot, "GZ-001")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
    assert store.run(repo.list_households) == []


async def test_the_retention_erasure_offers_the_exports_of_each_household(
    store: Store, database: Path, tmp_path: Path
) -> None:
    household(store, "GZ-001", OLD)
    household(store, "GZ-003", OLD)
    household(store, "GZ-002")
    outs = [export(code, tmp_path / f"{code}.md") for code in ("GZ-001", "GZ-003", "GZ-002")]
    changed = outs[1]
    changed.write_text("Eigen tekst.\n", encoding="utf-8")
    app = app_for(database, tmp_path / "export", retention=5)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.rows)
        home = app.screen
        home.action_retention()
        await wait_until(pilot, lambda: isinstance(app.screen, EraseScreen))
        await type_text(pilot, "WISSEN")
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Ook de exports wissen?" in frame(app))
        shown = frame(app).replace("\n", "")
        assert "GZ-001.md" in shown and "GZ-003.md" in shown and "GZ-002.md" not in shown
        await pilot.press("1")
        await wait_until(pilot, lambda: app.screen is home and len(home.rows) == 1)
        said = " ".join(notifications(app))
    assert not outs[0].exists() and changed.read_text("utf-8") == "Eigen tekst.\n"
    assert outs[2].exists()
    assert "1 export gewist" in said and f"Niet aangeraakt: {changed}" in said
    data = record_file().read_bytes()
    assert b"GZ-001" not in data and b"GZ-003" not in data
    assert [entry["gezinscodes"] for entry in recorded()] == [["GZ-002"]]


def test_the_app_records_in_the_data_folder_also_for_a_team_database(tmp_path: Path) -> None:
    app = WijkgesprekApp(
        guide=load_guide(paths.shipped_questions()),
        database=TeamServer("postgresql://anna@server/wijk"),
    )
    assert app.data_folder == paths.data_dir()
    local = WijkgesprekApp(
        guide=load_guide(paths.shipped_questions()), database=tmp_path / "elders" / "w.db"
    )
    assert local.data_folder == tmp_path / "elders"


async def test_many_exports_in_long_folders_leave_the_answers_on_screen(
    store: Store, database: Path, tmp_path: Path
) -> None:
    household(store, "GZ-001")
    far = tmp_path / ("een-map-met-een-heel-lange-naam-" * 3) / "en-nog-dieper"
    far.mkdir(parents=True)
    for number in range(6):
        export("GZ-001", far / f"GZ-001-dossier-{number}-met-een-lange-bestandsnaam.md")
    app = app_for(database, tmp_path / "export")
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.rows)
        app.push_screen(EraseScreen(["GZ-001"], confirm_word="GZ-001", explanation="Eén."))
        await wait_until(pilot, lambda: isinstance(app.screen, EraseScreen))
        await type_text(pilot, "GZ-001")
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Ook de exports wissen?" in frame(app))
        shown = frame(app)
        assert "1 Ja, deze exports ook wissen" in shown and "2 Nee, laten staan" in shown
        assert "… en nog 3" in shown and "dossier-0-met-een-lange-bestandsnaam.md" in shown
        assert "en-nog-dieper" in shown.replace("\n", "")  # the folder, wrapped
