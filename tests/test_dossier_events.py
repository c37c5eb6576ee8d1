"""Every event under the visit in which it happened: the dossier, the family version, the
history screen and the safety paragraph (issue 16, point 11). All data is invented."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
from helpers import SIZE, frame, wait_until
from household_data import (
    ASSESS_ENDING,
    CONSULT_ENDING,
    DAY2,
    DAY2_LATER,
    FAILED_REASON,
    NOTE_AGREEMENTS,
    NOTE_SAFETY,
    T0,
    build_events,
)
from textual.widgets import OptionList, Static

from wijkgesprek.app import WijkgesprekApp
from wijkgesprek.content.model import Guide
from wijkgesprek.domain.safety import draft_dossier
from wijkgesprek.domain.visit import HouseholdHistory
from wijkgesprek.export.markdown import dossier, family_version
from wijkgesprek.screens.history import HistoryScreen
from wijkgesprek.screens.home import HomeScreen
from wijkgesprek.store import repo
from wijkgesprek.store.engine import Store

CODE = "GZ-005"
DOUBLED = ('“"', '"”', "““", "””", '„"', "..")


@pytest.fixture
def history(store: Store) -> HouseholdHistory:
    build_events(store, CODE)
    return store.run(repo.get_household, code=CODE)


def day(value: datetime) -> str:
    return value.astimezone().strftime("%d-%m-%Y")


def minute(value: datetime) -> str:
    return value.astimezone().strftime("%d-%m-%Y %H:%M")


def sections(text: str) -> dict[int, list[str]]:
    """The lines under each ``## Bezoek N`` heading, by N."""
    found: dict[int, list[str]] = {}
    number = 0
    for line in text.split("\n"):
        heading = re.match(r"## Bezoek (\d+) ", line)
        if heading:
            number = int(heading.group(1))
        found.setdefault(number, []).append(line)
    return found


def test_each_event_is_under_the_visit_it_happened_in(
    history: HouseholdHistory, guide: Guide
) -> None:
    visits = sections(dossier(history, guide))
    first, second, third = visits[1], visits[2], visits[3]
    made = "- Belt de budgetcoach — wie: moeder — wanneer: voor vrijdag (06-03-2026) — stand: open"
    assert made in first  # as it was made
    assert not any("gedaan" in line for line in first)
    marked = f"- Afspraak “Belt de budgetcoach” uit bezoek 1: gedaan (gemarkeerd op {day(DAY2)})"
    assert marked in second
    coach = f"- Budgetcoach Noord (dienst): besproken op {day(T0)} → aangemeld op {day(T0)}"
    cafe = f"- Taalcafé De Brug (activiteit): besproken op {day(T0)}"
    assert any(line.startswith(coach + ".") for line in first)
    assert any(line.startswith(cafe + ".") for line in first)
    assert not any("gestart" in line or "niet gelukt" in line for line in first)
    assert f"- Budgetcoach Noord (dienst): gestart op {day(DAY2)}" in second
    failed = f"- Taalcafé De Brug (activiteit): niet gelukt op {day(DAY2)}, reden: {FAILED_REASON}"
    assert failed in second
    assert not any("besproken" in line or "aangemeld" in line for line in second)
    assert "Geen afspraken vastgelegd." in third and "### Verwijzingen" not in third


def test_one_heading_per_section_with_the_topic_note_inside(
    history: HouseholdHistory, guide: Guide
) -> None:
    for lines in sections(dossier(history, guide)).values():
        assert lines.count("### Afspraken") <= 1 and lines.count("### Veiligheid") <= 1
    first = sections(dossier(history, guide))[1]
    agreements, safety = first.index("### Afspraken"), first.index("### Veiligheid")
    assert (
        agreements
        < first.index(NOTE_AGREEMENTS)
        < first.index(
            "- Belt de budgetcoach — wie: moeder — wanneer: voor vrijdag (06-03-2026) — stand: open"
        )
    )
    assert safety < first.index(NOTE_SAFETY) < first.index("- Kindcheck: geen zorgen")


def test_typed_quotes_and_full_stops_are_not_doubled(
    history: HouseholdHistory, guide: Guide, store: Store
) -> None:
    text = dossier(history, guide)
    assert "- Schaalvraag ouder: 6 — “het gaat net”" in text
    assert "in eigen woorden: “we redden het niet”" in text
    family = family_version(history, guide, include_safety=True)
    paragraph = draft_dossier(
        guide.safety,
        store.run(repo.safety_entries, visit_id=history.visits[0].record.id),
        visit_date=T0.date(),
    )
    assert f"Overleg met aandachtsfunctionaris: {CONSULT_ENDING} " in paragraph
    assert paragraph.endswith(f"omdat {ASSESS_ENDING}")
    assert "(in eigen woorden: “we redden het niet”)" in paragraph
    for written in (text, family, paragraph):
        for wrong in DOUBLED:
            assert wrong not in written, wrong


def test_visits_on_the_same_day_show_their_time(history: HouseholdHistory, guide: Guide) -> None:
    text = dossier(history, guide)
    assert f"\n## Bezoek 1 — {day(T0)}\n" in text
    assert f"\n## Bezoek 2 — {minute(DAY2)}\n" in text
    assert f"\n## Bezoek 3 — {minute(DAY2_LATER)}\n" in text
    second = history.visits[1].record.id
    assert dossier(history, guide, visit_id=second).startswith(
        f"# Dossier {CODE} — bezoek 2 van {minute(DAY2)}\n"
    )


def test_family_version_of_a_visit_tells_how_things_stood_then(
    history: HouseholdHistory, guide: Guide
) -> None:
    first, second = (v.record.id for v in history.visits[:2])
    then = family_version(history, guide, visit_id=first)
    assert "- **Budgetcoach Noord**. U bent aangemeld." in then
    assert "- **Taalcafé De Brug**. We hebben hierover gepraat." in then
    later = family_version(history, guide, visit_id=second)
    assert "- **Budgetcoach Noord**. De hulp is begonnen." in later
    assert "Taalcafé" not in later  # it did not work out: not for the family
    now = family_version(history, guide)
    assert "- **Budgetcoach Noord**. De hulp is begonnen." in now and "Taalcafé" not in now


async def test_history_shows_the_time_of_visits_on_one_day_and_events_where_they_happened(
    store: Store, database: Path, guide: Guide
) -> None:
    build_events(store, CODE)
    app = WijkgesprekApp(guide=guide, database=database)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.rows)
        await pilot.press("g")
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen))
        shown = frame(app)
        assert f"{minute(DAY2_LATER)} afgerond" in shown
        assert f"{minute(DAY2)} afgerond" in shown
        assert f"{day(T0)} afgerond" in shown and f"{minute(T0)} afgerond" not in shown
        await pilot.press("down")  # the second visit
        assert app.screen.query_one("#visits", OptionList).highlighted == 1
        detail = str(app.screen.query_one("#visit-text", Static).render())
        assert f"Bezoek van {minute(DAY2)}" in detail
        marked = f"Afspraak “Belt de budgetcoach” uit bezoek 1: gedaan (gemarkeerd op {day(DAY2)})"
        assert marked in detail
        assert f"Verwijzing: Taalcafé De Brug — niet gelukt op {day(DAY2)}" in detail
        await pilot.press("down")  # the first visit: as it was then
        detail = str(app.screen.query_one("#visit-text", Static).render())
        assert "Verwijzing: Taalcafé De Brug — besproken op" in detail
        assert "niet gelukt" not in detail and "(gedaan)" not in detail
