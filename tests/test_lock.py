"""The lock works from every screen and dialog, and a passphrase typed to unlock never
lands anywhere but in the lock screen (issue 18, point 2)."""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from helpers import SIZE, burst, frame, start_visit, wait_until
from test_encryption import PASSPHRASE, SECRET, fill, locked_app
from textual.pilot import Pilot

from wijkgesprek.screens.history import HistoryScreen
from wijkgesprek.screens.home import HomeScreen
from wijkgesprek.screens.lock import LockScreen
from wijkgesprek.screens.visit import VisitScreen
from wijkgesprek.store import repo
from wijkgesprek.store.engine import Store

pytest.importorskip("sqlcipher3", reason="SQLCipher (wijkgesprek[versleuteling]) is not installed")

Opener = Callable[[Pilot[None]], Awaitable[None]]


@pytest.fixture
def encrypted(database: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An encrypted database with one household (GZ-001), as after a restart."""
    from wijkgesprek.cli.main import main
    from wijkgesprek.store import crypto

    fill(database)
    typed = [PASSPHRASE, PASSPHRASE]
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr("getpass.getpass", lambda prompt: typed.pop(0))
    assert main(["versleutel"]) == 0
    crypto.forget()
    return database


async def in_visit(pilot: Pilot[None], *keys: str) -> None:
    await start_visit(pilot, code="GZ-003")
    await pilot.press(*"Kwartel-notitie")
    await pilot.press(*keys)


async def on_home(pilot: Pilot[None], *keys: str) -> None:
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, HomeScreen))
    await wait_until(pilot, lambda: bool(pilot.app.screen.rows))
    await pilot.press(*keys)


async def in_history(pilot: Pilot[None], *keys: str) -> None:
    await on_home(pilot, "g")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, HistoryScreen))
    await pilot.press(*keys)


async def person_form(pilot: Pilot[None]) -> None:
    """The netwerkkaart (Ctrl+N) and its form for a person, a role typed."""
    from wijkgesprek.screens.network_map import NetworkMapScreen
    from wijkgesprek.screens.network_person import PersonDialog

    await in_visit(pilot, "ctrl+n")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, NetworkMapScreen))
    await pilot.press("n")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, PersonDialog))
    await pilot.press(*"buurvrouw")


async def vt_contact(pilot: Pilot[None]) -> None:
    """The safety check's (F10) Veilig Thuis dialog, a name typed."""
    from wijkgesprek.screens.safety import SafetyScreen
    from wijkgesprek.screens.vt_contact import VtContactScreen
    from wijkgesprek.widgets.safety.meldcode import FollowBox

    await in_visit(pilot, "f10")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, SafetyScreen))
    safety = pilot.app.screen
    await pilot.press("5")
    safety.set_focus(safety.query_one(FollowBox))
    await pilot.press("enter", "2", "enter")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, VtContactScreen))
    await pilot.press(*"VT")


OPEN: dict[str, Opener] = {
    "new visit": lambda pilot: on_home(pilot, "n"),
    "themes (F3)": lambda pilot: in_visit(pilot, "f3"),
    "agreements (F4)": lambda pilot: in_visit(pilot, "f4"),
    "help (F1)": lambda pilot: in_visit(pilot, "f1"),
    "veilig thuis (Ctrl+O)": lambda pilot: in_visit(pilot, "ctrl+o"),
    "palette (Ctrl+P)": lambda pilot: in_visit(pilot, "ctrl+p"),
    "safety check (F10)": lambda pilot: in_visit(pilot, "f10"),
    "summary (F8)": lambda pilot: in_visit(pilot, "f8"),
    "export": lambda pilot: in_history(pilot, "e"),
    "search": lambda pilot: on_home(pilot, "slash"),
    "netwerkkaart (Ctrl+N)": lambda pilot: in_visit(pilot, "ctrl+n"),
    "netwerkkaart person (Ctrl+N, n)": person_form,
    "veilig thuis contact (F10, 5)": vt_contact,
}


@pytest.mark.parametrize("where", list(OPEN))
async def test_ctrl_l_locks_over_every_screen_and_dialog(encrypted: Path, where: str) -> None:
    app = locked_app(encrypted, minutes=0)
    async with app.run_test(size=SIZE) as pilot:
        home = app.screen
        await OPEN[where](pilot)
        await pilot.pause()
        below = app.screen
        assert below is not home or where == "search"  # something is open over the list
        await pilot.press("ctrl+l")
        await wait_until(pilot, lambda: isinstance(app.screen, LockScreen))
        shown = frame(app)
        for secret in ("GZ-001", "GZ-003", SECRET, "Kwartel"):
            assert secret not in shown, f"{where}: {secret} on the lock screen"
        field = app.screen.query_one("#lock-passphrase")
        assert app.focused is field
        field.value = PASSPHRASE  # type: ignore[attr-defined]
        await pilot.press("enter")
        await wait_until(pilot, lambda: not app.locked)
        assert app.screen is below  # back where the user was


@pytest.mark.parametrize("where", ["agreements (F4)", "new visit", "palette (Ctrl+P)"])
async def test_the_idle_lock_comes_over_a_dialog(encrypted: Path, where: str) -> None:
    app = locked_app(encrypted, minutes=5)
    async with app.run_test(size=SIZE) as pilot:
        await OPEN[where](pilot)
        await pilot.pause()
        dialog = app.screen
        app.locker.last_input -= 5 * 60  # five minutes without a key, as the idle timer sees it
        app.call_next(app.locker._when_idle)  # what the timer calls, from the app itself
        await wait_until(pilot, lambda: isinstance(app.screen, LockScreen))
        assert "GZ-001" not in frame(app) and "Kwartel" not in frame(app)
        assert dialog in app.screen_stack


def typed_anywhere(app: object) -> list[str]:
    """What every field of every screen on the stack holds (inputs and text areas)."""
    from textual.widgets import Input, TextArea

    held: list[str] = []
    for screen in app.screen_stack:  # type: ignore[attr-defined]
        held += [field.value for field in screen.query(Input)]
        held += [area.text for area in screen.query(TextArea)]
    return held


@pytest.mark.parametrize("where", [w for w in OPEN if w != "agreements (F4)"])
async def test_the_passphrase_typed_with_ctrl_l_lands_in_no_dialog(
    encrypted: Path, where: str
) -> None:
    """Ctrl+L, the passphrase and Enter in one go over each screen and dialog: unlocked,
    back where the user was, and no field anywhere holds a key of the passphrase."""
    app = locked_app(encrypted, minutes=0)
    async with app.run_test(size=SIZE) as pilot:
        await OPEN[where](pilot)
        await pilot.pause()
        below = app.screen
        await burst(pilot, "<ctrl+l>", PASSPHRASE, "<enter>")
        await wait_until(pilot, lambda: not app.locked and app.screen is below, seconds=20)
        assert not any("geheim" in held for held in typed_anywhere(app)), where


async def test_a_passphrase_typed_right_after_ctrl_l_goes_to_the_lock_only(
    encrypted: Path,
) -> None:
    """Ctrl+L and the passphrase typed in one go, before the lock screen is drawn: the
    passphrase unlocks, and no key of it is in the note, the dialog or the search."""
    app = locked_app(encrypted, minutes=0)
    async with app.run_test(size=SIZE) as pilot:
        await in_visit(pilot, "f4")
        dialog = app.screen
        await burst(pilot, "<ctrl+l>", PASSPHRASE, "<enter>")
        await wait_until(pilot, lambda: app.screen is dialog, seconds=20)
        assert not app.locked
        typed = [getattr(w, "value", "") for w in dialog.query("Input")]
        assert all("geheim" not in value for value in typed)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, VisitScreen))
        visit = app.screen
        assert "geheim" not in visit.note.text
        visit._save(refresh=False)
    store = Store(encrypted)
    try:
        rows = store.run(repo.list_households)
        (row,) = [r for r in rows if r.code == "GZ-003"]
        assert row.open_visit_id is not None
        notes = store.run(repo.get_visit, visit_id=row.open_visit_id).notes
        assert all("geheim" not in note.text for note in notes.values())
    finally:
        store.engine.dispose()


async def test_a_message_about_the_family_is_not_shown_on_the_lock_screen(
    encrypted: Path,
) -> None:
    """A message shown a moment before locking ("Op de kaart: buurvrouw Fien.",
    "Afspraak verwijderd: …", "Bewaard in …/GZ-003…") goes; the lock shows nothing of
    the work below."""
    app = locked_app(encrypted, minutes=0)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await in_visit(pilot)
        app.notify("Op de kaart: Kwartel.", timeout=30, markup=False)
        await wait_until(pilot, lambda: "Op de kaart: Kwartel." in frame(app))
        await pilot.press("ctrl+l")
        await wait_until(pilot, lambda: isinstance(app.screen, LockScreen))
        await pilot.pause()
        assert "Kwartel" not in frame(app)


async def test_the_damage_found_at_the_start_is_told_again_after_unlocking(
    encrypted: Path,
) -> None:
    app = locked_app(encrypted, minutes=0)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await in_visit(pilot)
        app.chores.tell_damage(
            "De database is beschadigd (gevonden bij de controle na het starten)."
        )
        await pilot.press("ctrl+l")
        await wait_until(pilot, lambda: isinstance(app.screen, LockScreen))
        field = app.screen.query_one("#lock-passphrase")
        field.value = PASSPHRASE  # type: ignore[attr-defined]
        await pilot.press("enter")
        await wait_until(pilot, lambda: not app.locked)
        await wait_until(pilot, lambda: "beschadigd" in frame(app))
