"""Discreet mode as a family sees it: with Ctrl+G on, no safety detail shows on any
screen, whether it was open before, opened while discreet, or returned to."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from helpers import SIZE, frame, notifications, type_text, wait_until

from wijkgesprek.app import WijkgesprekApp
from wijkgesprek.content.questions import load_guide
from wijkgesprek.domain import safety as s
from wijkgesprek.domain.household import Children
from wijkgesprek.paths import shipped_questions
from wijkgesprek.screens.history import HistoryScreen
from wijkgesprek.screens.home import HomeScreen
from wijkgesprek.screens.safety import SafetyScreen
from wijkgesprek.screens.search import SearchScreen
from wijkgesprek.screens.summary import SummaryScreen
from wijkgesprek.screens.visit import VisitScreen
from wijkgesprek.store import repo
from wijkgesprek.store.engine import Store
from wijkgesprek.store.schema import prepare_database

NOW = datetime.now(UTC).replace(microsecond=0)
EARLIER = NOW - timedelta(days=14)

# Invented words that appear only in safety details: none may ever be on screen.
SECRETS = {
    "note then": "Zeppelinbrug",
    "note now": "Kraanvogelnest",
    "addition": "Walrusdans",
    "kindcheck reason": "Tulpenveld",
    "signal words": "Molenwiek",
    "scale words": "Lantaarnpaal",
    "dossier text": "Regenboogtrap",
    "consultation": "Pepernotenpot",
    "melding": "Zwaluwstaart",
    "aandachtspunt": "Kikkerkoning",
}
# What the safety check concluded, in the app's own words.
FINDINGS = (
    "zorgen → meldcode",
    "Er zijn zorgen",
    "Veilig Thuis",
    "Kindcheck",
    "Schaalvraag",
    "aandachtspunt",
    "Vorige keer",
    "gemeld",
    "Melden",
    "meldcode",
)


def build(database: Path) -> None:
    store = Store(database)
    first = store.run(
        repo.start_visit,
        code="GZ-042",
        wijk="Noord",
        children=Children(birth_years=(2024,)),
        now=EARLIER,
    )
    store.run(
        repo.save_note,
        visit_id=first,
        topic="veiligheid",
        text=f"Vader schreeuwt vaak. {SECRETS['note then']}.",
        now=EARLIER,
    )
    store.run(repo.save_note, visit_id=first, topic="stress", text="Huur is een zorg.", now=EARLIER)
    trail = (
        (s.KINDCHECK, "", "zorgen", SECRETS["kindcheck reason"]),
        (s.SIGNAL, "gezin-en-omgeving/schulden-en-armoede", "aan", SECRETS["signal words"]),
        (s.SCALE, "ouder", "4", SECRETS["scale words"]),
        (s.CONSULT, "", "aandachtsfunctionaris", SECRETS["consultation"]),
        (s.ASSESS, "1", "ja", "signalen"),
        (s.ASSESS, "2", "ja", "acuut"),
        (
            s.VT_CONTACT,
            "",
            "melding",
            json.dumps({"datum": "2026-01-05", "met": "VT", "kenmerk": SECRETS["melding"]}),
        ),
        (s.DOSSIER, "", "", SECRETS["dossier text"]),
    )
    for minute, (kind, key, value, note) in enumerate(trail, start=1):
        store.run(
            repo.add_safety_entry,
            visit_id=first,
            kind=kind,
            key=key,
            value=value,
            note=note,
            now=EARLIER + timedelta(minutes=minute),
        )
    store.run(
        repo.add_agreement, visit_id=first, wat="Belt school", wie="moeder", wanneer="", now=EARLIER
    )
    store.run(repo.set_next_contact, visit_id=first, when=date.today() + timedelta(days=3))
    store.run(repo.end_visit, visit_id=first, now=EARLIER + timedelta(hours=1))
    store.run(
        repo.add_correction,
        visit_id=first,
        topic="veiligheid",
        text=f"Later gebeld: {SECRETS['addition']}.",
        now=EARLIER + timedelta(days=1),
    )
    second = store.run(
        repo.start_visit,
        code="GZ-042",
        wijk="Noord",
        children=Children(birth_years=(2024,)),
        now=NOW,
    )
    store.run(
        repo.save_note,
        visit_id=second,
        topic="veiligheid",
        text=f"Nog steeds ruzie. {SECRETS['note now']}.",
        now=NOW,
    )
    store.run(
        repo.add_safety_entry,
        visit_id=second,
        kind=s.KINDCHECK,
        value="aandachtspunt",
        note=SECRETS["aandachtspunt"],
        now=NOW,
    )
    store.run(repo.add_safety_entry, visit_id=second, kind=s.SCALE, key="ouder", value="5", now=NOW)
    store.run(  # a concern, and no next contact yet: the visit cannot be closed
        repo.add_safety_entry,
        visit_id=second,
        kind=s.SIGNAL,
        key="kind/gedrag",
        value="aan",
        now=NOW,
    )
    store.engine.dispose()


@pytest.fixture
def app(tmp_path: Path) -> WijkgesprekApp:
    database = tmp_path / "data" / "wijkgesprek.db"
    prepare_database(database)
    build(database)
    return WijkgesprekApp(guide=load_guide(shipped_questions()), database=database)


class Frames:
    """Every frame shown while discreet, by where it was taken."""

    def __init__(self, app: WijkgesprekApp) -> None:
        self.app = app
        self.seen: dict[str, str] = {}

    async def take(self, pilot, where: str) -> None:  # type: ignore[no-untyped-def]
        await pilot.pause()
        assert self.app.discreet
        told = " ".join(notifications(self.app))
        self.seen[where] = f"{frame(self.app)}\n{told}"

    def leaks(self, *, findings: bool = True) -> list[str]:
        words = [*SECRETS.values(), *(FINDINGS if findings else ())]
        return [
            f"{where}: {word}"
            for where, shown in self.seen.items()
            for word in words
            if word in shown
        ]


async def test_discreet_hides_every_safety_detail_on_every_screen(app: WijkgesprekApp) -> None:
    frames = Frames(app)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.rows)
        await pilot.press("ctrl+g")
        await frames.take(pilot, "home")
        await pilot.press("enter")  # resumes the open visit
        await wait_until(pilot, lambda: isinstance(app.screen, VisitScreen))
        visit = app.screen
        for number in range(1, 7):
            await pilot.press(f"alt+{number}")
            await frames.take(pilot, f"visit, topic {number}")
        await pilot.press("alt+5")  # the safety topic: the note is hidden
        await type_text(pilot, "x")  # nothing lands in the hidden note
        await pilot.press("f6")
        await frames.take(pilot, "visit, doorvragen")
        for key, name in (("f3", "themes"), ("f4", "agreements")):
            await pilot.press(key)
            await wait_until(pilot, lambda: app.screen is not visit)
            await frames.take(pilot, name)
            await pilot.press("escape")
            await wait_until(pilot, lambda: app.screen is visit)
        await wait_until(pilot, lambda: app.network is not None)
        await pilot.press("f9")
        await frames.take(pilot, "aanbod")
        await pilot.press("f9", "f10")
        await wait_until(pilot, lambda: isinstance(app.screen, SafetyScreen))
        for number in range(1, 6):
            await pilot.press(str(number))
            await frames.take(pilot, f"safety, section {number}")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is visit)
        await frames.take(pilot, "visit after the safety check")
        await pilot.press("f8")
        await wait_until(pilot, lambda: isinstance(app.screen, SummaryScreen))
        await frames.take(pilot, "summary")
        await pilot.press("end")
        await frames.take(pilot, "summary, its end")
        await pilot.press("ctrl+e")  # refused: the reason is told without details
        await frames.take(pilot, "summary, refused")
        await pilot.press("escape", "escape")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("g")
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen))
        await frames.take(pilot, "history, visit 2")
        await pilot.press("down")
        await frames.take(pilot, "history, visit 1")
        app.screen.query_one("#visit-detail").scroll_end(animate=False)
        await frames.take(pilot, "history, visit 1, its end")
        await pilot.press("e")
        await frames.take(pilot, "export")
        await pilot.press("escape", "escape")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("slash")
        await wait_until(pilot, lambda: isinstance(app.screen, SearchScreen))
        await type_text(pilot, "ruzie")  # a word of the safety note
        await wait_until(pilot, lambda: app.screen.searched == "ruzie")
        await frames.take(pilot, "search")
        await pilot.press("escape", "t")
        await pilot.pause()
        await frames.take(pilot, "trends")
        await pilot.press("escape", "f1")
        await frames.take(pilot, "help")
    assert "\n".join(frames.leaks()) == ""
    assert len(frames.seen) >= 20


async def test_discreet_turned_on_inside_the_safety_check_holds_after_it(
    app: WijkgesprekApp,
) -> None:
    """F10, then Ctrl+G there, then back: the visit screen under it hides as well."""
    frames = Frames(app)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.rows)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, VisitScreen))
        visit = app.screen
        await pilot.press("escape", "5")
        assert SECRETS["note now"] in frame(app)  # shown while not discreet
        await pilot.press("f10")
        await wait_until(pilot, lambda: isinstance(app.screen, SafetyScreen))
        await pilot.press("ctrl+g")
        await frames.take(pilot, "safety check")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is visit)
        await frames.take(pilot, "visit")
        await pilot.press("f8")
        await wait_until(pilot, lambda: isinstance(app.screen, SummaryScreen))
        await frames.take(pilot, "summary")
        await pilot.press("ctrl+g")  # and back: everything shows again
        await pilot.pause()
        assert app.screen.query_one("#summary-safety").display
    assert frames.leaks() == []


async def test_the_veilig_thuis_dialog_hides_what_was_typed_in_it(app: WijkgesprekApp) -> None:
    """Typing a melding's details, the family comes to look: Ctrl+G hides the dialog too."""
    from wijkgesprek.screens.vt_contact import VtContactScreen
    from wijkgesprek.widgets.safety.meldcode import FollowBox

    frames = Frames(app)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.rows)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, VisitScreen))
        await pilot.press("f10")
        await wait_until(pilot, lambda: isinstance(app.screen, SafetyScreen))
        safety = app.screen
        await pilot.press("5")
        safety.set_focus(safety.query_one(FollowBox))
        await pilot.press("enter", "2", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, VtContactScreen))
        await type_text(pilot, "VT")
        await pilot.press("enter")
        await type_text(pilot, SECRETS["melding"])
        assert SECRETS["melding"] in frame(app)
        await pilot.press("ctrl+g")
        await frames.take(pilot, "veilig thuis dialog")
        await pilot.press("escape")  # asks first (typed words): the question names nothing
        await frames.take(pilot, "veilig thuis dialog, asked")
    assert frames.leaks() == []


async def test_search_results_hide_safety_snippets_when_turned_on_there(
    app: WijkgesprekApp,
) -> None:
    frames = Frames(app)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.rows)
        await pilot.press("slash")
        await wait_until(pilot, lambda: isinstance(app.screen, SearchScreen))
        await type_text(pilot, "ruzie")
        await wait_until(pilot, lambda: app.screen.searched == "ruzie")
        await pilot.pause()
        assert SECRETS["note now"] in frame(app)
        await pilot.press("ctrl+g")
        await frames.take(pilot, "search")
        await pilot.press("down", "enter")  # the open visit, from the result
        await wait_until(pilot, lambda: isinstance(app.screen, VisitScreen))
        await frames.take(pilot, "visit from search")
    assert frames.leaks(findings=False) == []


async def test_a_message_shown_just_before_discreet_goes_away(app: WijkgesprekApp) -> None:
    frames = Frames(app)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.rows)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, VisitScreen))
        await pilot.press("f8")
        await wait_until(pilot, lambda: isinstance(app.screen, SummaryScreen))
        await pilot.press("ctrl+e")  # refused: "Er zijn zorgen …" (no next contact)
        await pilot.pause()
        assert "Er zijn zorgen" in " ".join(notifications(app))
        await pilot.press("ctrl+g")
        await frames.take(pilot, "summary, just discreet")
    assert frames.leaks() == []
