"""Faults a user can meet while the app runs: one Dutch message, no traceback, no data."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy.exc
from helpers import SIZE, notifications, start_visit, type_text, wait_until

from wijkgesprek.app import WijkgesprekApp
from wijkgesprek.content.questions import load_guide
from wijkgesprek.paths import shipped_questions
from wijkgesprek.screens.agreements import AgreementsScreen
from wijkgesprek.screens.visit import VisitScreen
from wijkgesprek.store import repo
from wijkgesprek.store.engine import Store
from wijkgesprek.store.schema import prepare_database

SECRET = "GEHEIM-moeder-vertelt-over-schulden"


@pytest.fixture
def app(tmp_path: Path) -> WijkgesprekApp:
    database = tmp_path / "data" / "wijkgesprek.db"
    prepare_database(database)
    return WijkgesprekApp(guide=load_guide(shipped_questions()), database=database)


def disk_full(**_: object) -> None:
    raise sqlalchemy.exc.OperationalError("INSERT …", {}, Exception("database or disk is full"))


async def test_a_full_disk_is_told_in_dutch_and_the_app_goes_on(
    app: WijkgesprekApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await start_visit(pilot)
        await pilot.press("f4")
        await wait_until(pilot, lambda: isinstance(app.screen, AgreementsScreen))
        monkeypatch.setattr(repo, "add_agreement", disk_full)
        await type_text(pilot, SECRET)
        await pilot.press("enter", "enter", "enter")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, AgreementsScreen)
        messages = notifications(app)
        assert any("De schijf is vol" in m for m in messages)
        assert not any(SECRET in m for m in messages)
        assert app.screen.query_one("#wat").value == SECRET  # nothing typed is lost


async def test_a_failing_note_save_keeps_the_text_and_says_so(
    app: WijkgesprekApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await start_visit(pilot)
        monkeypatch.setattr(repo, "save_note", disk_full)
        await type_text(pilot, "Tekst die blijft")
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, VisitScreen)
        assert app.screen.note.text == "Tekst die blijft"
        assert any("Opslaan lukt op dit moment niet" in said for said in notifications(app))


async def test_a_failing_note_save_is_retried_without_a_keystroke_and_told_once(
    app: WijkgesprekApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    import wijkgesprek.screens.note_screen as visit_screen

    monkeypatch.setattr(visit_screen, "RETRY_DELAY", 0.2)
    real_save = repo.save_note
    async with app.run_test(size=SIZE) as pilot:
        await start_visit(pilot)
        screen = app.screen
        assert isinstance(screen, VisitScreen)
        tries: list[object] = []

        def failing(**kwargs: object) -> None:
            tries.append(kwargs)
            disk_full()

        monkeypatch.setattr(repo, "save_note", failing)
        await type_text(pilot, "Blijft staan")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: len(tries) >= 3)  # no key pressed meanwhile
        state = str(screen.query_one("#note-state").render())
        assert "nog niet opgeslagen" in state
        errors = [said for said in notifications(app) if "Opslaan lukt" in said]
        assert len(errors) == 1
        monkeypatch.setattr(repo, "save_note", real_save)  # the disk has room again
        await wait_until(pilot, lambda: not screen.unsaved)
        assert screen.record.notes["kennismaking"].text == "Blijft staan"
        assert any("Opgeslagen" in said for said in notifications(app))


async def test_quitting_with_text_that_could_not_be_saved_asks_twice(
    app: WijkgesprekApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_visit(pilot)
        monkeypatch.setattr(repo, "save_note", lambda **_: disk_full())
        await type_text(pilot, "Alleen op het scherm")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: screen._failing)
        await pilot.press("ctrl+q")
        assert app.is_running  # the first Ctrl+Q says what would be lost
        assert any("nog eens Ctrl+Q" in said for said in notifications(app))
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: not app.is_running)


async def test_an_unexpected_error_ends_with_a_sentence_without_data(
    app: WijkgesprekApp, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(**_: object) -> None:
        secret = SECRET  # a local variable Textual's traceback would have shown
        raise RuntimeError(secret)

    monkeypatch.setattr(repo, "add_agreement", broken)
    with pytest.raises(RuntimeError):
        async with app.run_test(size=SIZE) as pilot:
            await start_visit(pilot)
            await pilot.press("f4", *"bellen", "enter", "enter", "enter")
            await pilot.pause()
    printed = " ".join("".join(capsys.readouterr()).split())  # what the terminal shows
    assert "wijkgesprek moest stoppen door een onverwachte fout (RuntimeError" in printed
    assert SECRET not in printed and "Traceback" not in printed


async def test_leaving_the_app_another_way_still_saves_without_an_error(
    app: WijkgesprekApp,
) -> None:
    """Closing without Ctrl+Q (e.g. the terminal closes): the unmount saves the note."""
    async with app.run_test(size=SIZE) as pilot:
        await start_visit(pilot)
        await type_text(pilot, "Net getypt")
        app.exit()  # before the autosave timer
    assert app.return_code == 0
    store = Store(app.database)
    try:
        (visit,) = [row.open_visit_id for row in store.run(repo.list_households)]
        assert store.run(repo.get_visit, visit_id=visit).notes["kennismaking"].text == "Net getypt"
    finally:
        store.engine.dispose()


async def test_a_visit_that_cannot_be_read_is_not_opened_and_the_app_goes_on(
    app: WijkgesprekApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wijkgesprek.errors import StoreError
    from wijkgesprek.screens.home import HomeScreen

    async with app.run_test(size=SIZE) as pilot:
        await start_visit(pilot)
        await pilot.press("escape", "escape")  # note → topics → home
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))

        def unreadable(**_: object) -> None:
            raise StoreError("De teamdatabase is niet bereikbaar.")

        monkeypatch.setattr(repo, "get_visit", unreadable)
        await pilot.press("enter")  # resume the open visit
        await wait_until(
            pilot, lambda: any("niet bereikbaar" in said for said in notifications(app))
        )
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert app.is_running


async def test_a_mistake_while_sending_the_outbox_ends_the_app_and_is_not_taken_for_offline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The thread that sends the notes left on the laptop once took every error for a
    server that is offline (and tried again for ever); a bug must surface as one is on
    the screen: one sentence naming it, never a quiet "offline"."""
    from datetime import UTC, datetime

    from wijkgesprek.store import outbox as outbox_module
    from wijkgesprek.store.outbox import OUTBOX_NAME, Outbox

    database = tmp_path / "data" / "wijkgesprek.db"
    prepare_database(database)
    outbox = Outbox(tmp_path / "data" / OUTBOX_NAME, "postgresql://team@server/wijk")
    outbox.keep(visit_id=1, topic="stress", text="Wacht", base=0, now=datetime.now(UTC))

    def broken(*_: object, **__: object) -> None:
        raise TypeError("send() got an unexpected keyword argument")

    monkeypatch.setattr(outbox_module, "send", broken)
    app = WijkgesprekApp(guide=load_guide(shipped_questions()), database=database, outbox=outbox)
    with pytest.raises(TypeError):
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(pilot, lambda: not app.is_running or app.connection.offline)
    assert not app.connection.offline
    printed = " ".join("".join(capsys.readouterr()).split())
    assert "wijkgesprek moest stoppen door een onverwachte fout (TypeError" in printed
    assert [p.text for p in outbox.pending()] == ["Wacht"]  # the note still waits
