"""Erasing a household: everything goes, also from the search index, free pages and WAL."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from wijkgesprek.cli import main
from wijkgesprek.domain.safety import SIGNAL
from wijkgesprek.store import repo
from wijkgesprek.store.engine import Store
from wijkgesprek.store.search import search

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
SECRETS = {
    "note": "Vertrouwelijk-Zebravink-notitie over de schuldeiser",
    "addition": "Aanvulling-Kwartelkoning achteraf",
    "agreement": "Afspraak-Roerdomp met de bewindvoerder",
    "signal": "In eigen woorden: Lepelaar-schrikt",
}


def fill(store: Store, code: str, marker: str) -> None:
    marker = f"{marker} {marker.lower()}marker"
    visit = store.run(repo.start_visit, code=code, wijk="Noord", age_groups=["4-12"], now=NOW)
    store.run(
        repo.save_note, visit_id=visit, topic="stress", text=f"{marker} {SECRETS['note']}", now=NOW
    )
    store.run(
        repo.add_agreement,
        visit_id=visit,
        wat=f"{marker} {SECRETS['agreement']}",
        wie="moeder",
        wanneer="maandag",
        now=NOW,
    )
    store.run(
        repo.add_safety_entry,
        visit_id=visit,
        kind=SIGNAL,
        key="kind/verzuim",
        value="aan",
        note=f"{marker} {SECRETS['signal']}",
        now=NOW,
    )
    store.run(repo.end_visit, visit_id=visit, now=NOW)
    store.run(
        repo.add_correction,
        visit_id=visit,
        topic="stress",
        text=f"{marker} {SECRETS['addition']}",
        now=NOW,
    )


def raw_bytes(database: Path) -> bytes:
    return b"".join(
        path.read_bytes()
        for path in database.parent.iterdir()
        if path.name.startswith(database.name)
    )


def test_erase_removes_every_trace_and_keeps_the_others(
    store: Store, database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fill(store, "GZ-001", "WEG")
    fill(store, "GZ-002", "BLIJFT")
    store.engine.dispose()
    before = raw_bytes(database)
    assert f"WEG wegmarker {SECRETS['note']}".encode() in before
    assert b"wegmarker" in before  # the search index holds the words in lower case

    assert main(["wis", "GZ-001", "--bevestig", "gz-001"]) == 0
    assert "GZ-001 is gewist, met 1 bezoek(en)" in capsys.readouterr().out
    data = raw_bytes(database)
    for secret in SECRETS.values():
        assert f"WEG wegmarker {secret}".encode() not in data
        assert f"BLIJFT blijftmarker {secret}".encode() in data
    assert b"wegmarker" not in data and b"blijftmarker" in data
    assert b"Zebravink" in data  # still there for the other household
    found = store.run(search, text="zebravink")
    assert [hit.household_code for hit in found] == ["GZ-002"]
    assert [row.code for row in store.run(repo.list_households)] == ["GZ-002"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["wis", "GZ-001", "--bevestig", "GZ-002"], "De code klopt niet; er is niets gewist."),
        (["wis", "GZ-009", "--bevestig", "GZ-009"], "bestaat niet; er is niets gewist."),
    ],
)
def test_nothing_is_erased_without_the_right_code(
    store: Store,
    database: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    fill(store, "GZ-001", "WEG")
    store.engine.dispose()
    assert main(args) == 1
    assert message in capsys.readouterr().err
    assert [row.code for row in store.run(repo.list_households)] == ["GZ-001"]
