"""Who wrote what (issue 21, point 11): on a team database the server names the author of
a visit, a note, an addition, an agreement (made and marked), a safety entry and a
referral step; the history and the dossier show them. On the laptop nothing is named
(one laptop, one user) and the dossier reads as before."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from test_access_log import login

from wijkgesprek.content.model import Guide
from wijkgesprek.domain.household import Children
from wijkgesprek.export.markdown import dossier
from wijkgesprek.store import postgres, repo
from wijkgesprek.store.engine import Store
from wijkgesprek.store.target import TeamServer

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


@pytest.fixture
def two(team: Store, team_url: str) -> Iterator[tuple[str, Store, str, Store]]:
    anna, anna_url = login(team_url, postgres.PROFESSIONAL)
    bob, bob_url = login(team_url, postgres.PROFESSIONAL)
    anna_store, bob_store = Store(TeamServer(anna_url)), Store(TeamServer(bob_url))
    yield anna, anna_store, bob, bob_store
    anna_store.engine.dispose()
    bob_store.engine.dispose()


def fill(first: Store, second: Store, code: str = "GZ-501") -> None:
    """Visit 1 by ``first``, in which ``second`` also records an agreement and the
    kindcheck; visit 2 by ``second``, who marks the agreement, registers the referral and
    adds to visit 1."""
    one = first.run(repo.start_visit, code=code, wijk="Noord", children=Children(), now=NOW)
    first.run(repo.save_note, visit_id=one, topic="stress", text="Schulden.", now=NOW)
    first.run(repo.add_agreement, visit_id=one, wat="Bellen", wie="", wanneer="", now=NOW)
    agreement = second.run(
        repo.add_agreement, visit_id=one, wat="Formulier", wie="", wanneer="", now=NOW
    )
    referral = first.run(
        repo.add_referral,
        visit_id=one,
        naam="Schuldhulp",
        soort="dienst",
        wijk="Noord",
        themes=[],
        contact="",
        now=NOW,
    )
    second.run(repo.add_safety_entry, visit_id=one, kind="kindcheck", value="geen-zorgen", now=NOW)
    first.run(repo.end_visit, visit_id=one, now=NOW)
    two = second.run(repo.start_visit, code=code, wijk="Noord", children=Children(), now=NOW)
    second.run(
        repo.set_agreement_status, agreement_id=agreement, status="gedaan", visit_id=two, now=NOW
    )
    second.run(
        repo.update_referral,
        referral_id=referral,
        visit_id=two,
        state="aangemeld",
        reason="",
        now=NOW,
    )
    second.run(repo.add_correction, visit_id=one, topic="stress", text="Later.", now=NOW)


def test_the_dossier_names_who_wrote(two: tuple[str, Store, str, Store], guide: Guide) -> None:
    anna, anna_store, bob, bob_store = two
    fill(anna_store, bob_store)
    text = dossier(anna_store.run(repo.get_household, code="GZ-501"), guide)
    esc = {name: name.replace("_", "\\_") for name in (anna, bob)}
    first, second = text.split("## Bezoek 2")
    assert f"door {esc[anna]}, afgerond" in first
    assert "- Bellen — wie: niet ingevuld — wanneer: niet ingevuld — stand: open\n" in first
    assert f"stand: open (door {esc[bob]})" in first  # a colleague's agreement is named
    assert f"- Kindcheck: geen zorgen (door {esc[bob]})" in first
    assert f" door {esc[bob]}:*" in first.split("*Aanvulling van ")[1]
    assert f"door {esc[bob]}, nog niet afgerond" in second
    assert f"(gemarkeerd op 25-11-2026 door {esc[bob]})" in second
    assert "aangemeld op 25-11-2026" in second and "aangemeld op 25-11-2026 (door" not in second


def test_on_the_laptop_nobody_is_named(store: Store, guide: Guide) -> None:
    fill(store, store)
    text = dossier(store.run(repo.get_household, code="GZ-501"), guide)
    assert "door" not in text.replace("doorvragen", "")


async def test_the_history_names_who_wrote(
    two: tuple[str, Store, str, Store], guide: Guide
) -> None:
    from helpers import frame, wait_until

    from wijkgesprek.app import WijkgesprekApp
    from wijkgesprek.screens.history import HistoryScreen

    anna, anna_store, bob, bob_store = two
    fill(anna_store, bob_store)
    app = WijkgesprekApp(guide=guide, database=anna_store.target)
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.pause()
        app.push_screen(HistoryScreen("GZ-501"))
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen))
        await wait_until(pilot, lambda: f"door {bob}" in frame(app))
        shown = frame(app)  # the newest visit first: bob's
        assert f" · door {bob}" in shown.split("Bezoek van ")[1].split("\n")[0]
        assert "(gemarkeerd op 25-11-2026 door" in shown
        await pilot.press("down")  # anna's visit
        await wait_until(pilot, lambda: f"door {anna}" in frame(app))
        shown = frame(app)
        assert f" door {bob}:" in shown.split("Aanvulling ")[1].split("\n")[0]
        assert f"(open) (door {bob})" in shown
        assert f"Kindcheck: geen zorgen (door {bob})" in shown
