"""What a colleague with a visit open must never meet silently on the team database
(issue 21, points 1 and 2): a take-over by ``migreer``/``import --neem-over`` raises the
note's version, so their next save merges instead of overwriting it; and a visit that was
finished is finished on the server too, so their text becomes an addition instead.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from wijkgesprek.cli import main
from wijkgesprek.domain.household import Children
from wijkgesprek.exchange.handover import to_handover
from wijkgesprek.store import repo
from wijkgesprek.store.engine import Store
from wijkgesprek.store.handover import referral_extras
from wijkgesprek.store.outbox import Pending, write_one

NOW = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)
CODE = "GZ-210"


def team_and_laptop(team: Store, store: Store) -> int:
    """The same visit on the laptop and in the team database, with another text in each;
    the team's note at version 1. Returns the team's visit id."""
    visits = {}
    for target, text in ((store, "Versie laptop."), (team, "Versie team.")):
        visits[target] = target.run(
            repo.start_visit, code=CODE, wijk="Oost", children=Children(), now=NOW
        )
        target.run(repo.save_note, visit_id=visits[target], topic="stress", text=text, now=NOW)
    return visits[team]


def colleague_types_on(team: Store, visit: int) -> str:
    """A colleague had the note open at version 1 and typed on: their next save."""
    mine = "Versie team. En de huur is omhoog."
    item = Pending(visit, "stress", mine, 1, NOW, base_text="Versie team.")
    return write_one(item, team, now=lambda: NOW).text


def test_migreer_neem_over_raises_the_version_so_a_colleague_merges(
    team: Store, team_url: str, store: Store
) -> None:
    visit = team_and_laptop(team, store)
    assert main(["migreer", "--naar", team_url, "--neem-over"]) == 0
    note = team.run(repo.get_visit, visit_id=visit).notes["stress"]
    assert (note.text, note.version) == ("Versie laptop.", 2)
    saved = colleague_types_on(team, visit)
    # Neither is lost: the taken-over text and what the colleague typed on.
    assert "Versie laptop." in saved and "En de huur is omhoog." in saved


def test_import_neem_over_raises_the_version_so_a_colleague_merges(
    team: Store, team_url: str, store: Store, tmp_path: Path
) -> None:
    visit = team_and_laptop(team, store)
    history = store.run(repo.get_household, code=CODE)
    file = tmp_path / "overdracht.json"
    data = to_handover(history, extras=store.run(referral_extras, code=CODE))
    file.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    assert main(["--database", team_url, "import", str(file), "--neem-over"]) == 0
    note = team.run(repo.get_visit, visit_id=visit).notes["stress"]
    assert (note.text, note.version) == ("Versie laptop.", 2)
    saved = colleague_types_on(team, visit)
    assert "Versie laptop." in saved and "En de huur is omhoog." in saved
