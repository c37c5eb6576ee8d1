"""`wijkgesprek vervolg`: follow-up contacts as a table and as an iCalendar file."""

from __future__ import annotations

import stat
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar, Component

from wijkgesprek import paths
from wijkgesprek.cli import common as cli_common
from wijkgesprek.cli import main
from wijkgesprek.domain.household import Children
from wijkgesprek.domain.safety import KINDCHECK
from wijkgesprek.domain.visit import HouseholdRow
from wijkgesprek.export.ics import follow_ups_to_ics
from wijkgesprek.store import repo
from wijkgesprek.store.engine import Store

TODAY = date(2026, 3, 16)
NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
SECRET_NOTE = "Vertrouwelijk: zorgen over de schuldeiser van tante Ploos"
SECRET_THEME = "geldzorgen-xq7"
SECRET_AGREEMENT = "Belafspraak met de budgetcoach Kwakkelstein"
SECRET_REASON = "Blauwe plek op de arm, moeder zegt vallen"
WIJK = "Zilverhof"
posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")

# code, wijk, next contact (days from TODAY; None = nothing agreed)
HOUSEHOLDS: tuple[tuple[str, str, int | None], ...] = (
    ("GZ-105", "Noord", 10),
    ("GZ-101", WIJK, -3),
    ("GZ-106", "Oost", 30),
    ("GZ-103", "Noord", 0),
    ("GZ-107", "Noord", None),
    ("GZ-102", "Oost", -1),
    ("GZ-104", "Centrum", 1),
)

TABLE = """\
gezinscode  wijk       datum       status
GZ-101      Zilverhof  13-03-2026  3 dagen over tijd
GZ-102      Oost       15-03-2026  1 dag over tijd
GZ-103      Noord      16-03-2026  vandaag
GZ-104      Centrum    17-03-2026  over 1 dag
GZ-105      Noord      26-03-2026  over 10 dagen

2 over tijd, 3 binnenkort
"""

TABLE_ALL = """\
gezinscode  wijk       datum       status
GZ-101      Zilverhof  13-03-2026  3 dagen over tijd
GZ-102      Oost       15-03-2026  1 dag over tijd
GZ-103      Noord      16-03-2026  vandaag
GZ-104      Centrum    17-03-2026  over 1 dag
GZ-105      Noord      26-03-2026  over 10 dagen
GZ-106      Oost       15-04-2026  over 30 dagen

2 over tijd, 3 binnenkort, 1 later
"""


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli_common, "today", lambda: TODAY)


@pytest.fixture
def households(store: Store) -> Store:
    """Seven households; GZ-101 has concerns, a note, a theme and an agreement."""
    for code, wijk, days in HOUSEHOLDS:
        visit = store.run(
            repo.start_visit, code=code, wijk=wijk, children=Children(birth_years=(2024,)), now=NOW
        )
        when = None if days is None else TODAY + timedelta(days=days)
        store.run(repo.set_next_contact, visit_id=visit, when=when)
        if code == "GZ-101":
            store.run(repo.save_note, visit_id=visit, topic="geld", text=SECRET_NOTE, now=NOW)
            store.run(repo.set_themes, visit_id=visit, topic="geld", themes=[SECRET_THEME], now=NOW)
            store.run(
                repo.add_agreement,
                visit_id=visit,
                wat=SECRET_AGREEMENT,
                wie="ouder",
                wanneer="morgen",
                now=NOW,
            )
            store.run(
                repo.add_safety_entry,
                visit_id=visit,
                kind=KINDCHECK,
                value="zorgen",
                note=SECRET_REASON,
                now=NOW,
            )
    return store


def secrets_absent(data: str | bytes) -> None:
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    unfolded = text.replace("\r\n ", "").replace("\n ", "")  # iCalendar folds long lines
    for secret in (SECRET_NOTE, SECRET_THEME, SECRET_AGREEMENT, SECRET_REASON, "Tante", "Ploos"):
        assert secret.lower() not in unfolded.lower()


def events(data: bytes) -> list[Component]:
    calendar = Calendar.from_ical(data)
    assert str(calendar["PRODID"]) == "-//wijkgesprek//NL"
    assert str(calendar["VERSION"]) == "2.0"
    return list(calendar.walk("VEVENT"))


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --- the table ---------------------------------------------------------------------------


def test_table_lists_overdue_first_then_coming(
    households: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["vervolg"]) == 0
    out, err = capsys.readouterr()
    assert out == TABLE
    assert err == ""
    secrets_absent(out)


def test_alles_adds_the_later_contacts(
    households: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["vervolg", "--alles"]) == 0
    assert capsys.readouterr().out == TABLE_ALL


def test_dagen_sets_the_coming_window(
    households: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["vervolg", "--dagen", "0"]) == 0
    out = capsys.readouterr().out
    assert [line.split()[0] for line in out.splitlines()[1:-2]] == ["GZ-101", "GZ-102", "GZ-103"]
    assert out.endswith("\n2 over tijd, 1 binnenkort\n")


def test_dagen_must_be_a_number_of_days(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["vervolg", "--dagen", "veel"]) == 2
    assert "'veel' is geen aantal dagen" in capsys.readouterr().err


def test_the_most_recent_visit_decides(
    households: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = households.run(repo.list_households)
    visit_id = next(row.open_visit_id for row in rows if row.code == "GZ-105")
    assert visit_id is not None
    households.run(repo.end_visit, visit_id=visit_id, now=NOW)
    later = households.run(
        repo.start_visit,
        code="GZ-105",
        wijk="Noord",
        children=Children(),
        now=NOW + timedelta(days=1),
    )
    assert later != visit_id
    households.run(repo.set_next_contact, visit_id=later, when=TODAY - timedelta(days=7))
    assert main(["vervolg"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1] == "GZ-105      Noord      09-03-2026  7 dagen over tijd"
    assert [line.split()[0] for line in lines[2:-2]] == ["GZ-101", "GZ-102", "GZ-103", "GZ-104"]
    assert lines[-1] == "3 over tijd, 2 binnenkort"


def test_nothing_due(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    visit = store.run(repo.start_visit, code="GZ-201", wijk="Noord", children=Children(), now=NOW)
    store.run(repo.set_next_contact, visit_id=visit, when=TODAY + timedelta(days=40))
    assert main(["vervolg"]) == 0
    assert capsys.readouterr().out == "Geen vervolgcontacten over tijd of binnen 14 dagen.\n"
    assert main(["vervolg", "--alles", "--dagen", "50"]) == 0
    assert capsys.readouterr().out.endswith("\n0 over tijd, 1 binnenkort, 0 later\n")


def test_empty_database_says_nothing_agreed(
    database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["vervolg", "--alles"]) == 0
    assert capsys.readouterr().out == "Geen vervolgcontacten afgesproken.\n"


def test_no_database_yet_is_not_created(capsys: pytest.CaptureFixture[str]) -> None:
    database = paths.data_dir() / paths.DATABASE_NAME
    assert main(["vervolg"]) == 0
    assert capsys.readouterr().out == "Nog geen gegevens.\n"
    assert not database.exists()


def test_no_database_yet_still_gives_a_valid_calendar(
    capsysbinary: pytest.CaptureFixture[bytes],
) -> None:
    assert main(["vervolg", "--formaat", "ics"]) == 0
    out, err = capsysbinary.readouterr()
    assert events(out) == []
    assert err.decode() == "Nog geen gegevens.\n"
    assert not (paths.data_dir() / paths.DATABASE_NAME).exists()


def test_unknown_format_is_a_dutch_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["vervolg", "--formaat", "csv"]) == 2
    err = capsys.readouterr().err
    assert "bij --formaat: 'csv' is geen formaat;" in err
    assert "ies tabel of ics." in err
    assert "wijkgesprek --help" in err


# --- the calendar ------------------------------------------------------------------------


def test_ics_to_stdout_parses_back_with_codes_only(
    households: Store, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    assert main(["vervolg", "--formaat", "ics"]) == 0
    out, err = capsysbinary.readouterr()
    assert err == b""
    found = events(out)
    assert [str(e["SUMMARY"]) for e in found] == [
        "Vervolgcontact GZ-101",
        "Vervolgcontact GZ-102",
        "Vervolgcontact GZ-103",
        "Vervolgcontact GZ-104",
        "Vervolgcontact GZ-105",
    ]
    starts = [e.decoded("DTSTART") for e in found]
    assert starts == [
        date(2026, 3, 13),
        date(2026, 3, 15),
        TODAY,
        date(2026, 3, 17),
        date(2026, 3, 26),
    ]
    for event, start in zip(found, starts, strict=True):
        assert type(start) is date  # all-day: VALUE=DATE, not a time
        assert event.decoded("DTEND") == start + timedelta(days=1)
        assert set(event) == {
            "UID",
            "DTSTAMP",
            "DTSTART",
            "DTEND",
            "SUMMARY",
            "CATEGORIES",
            "TRANSP",
        }
        assert event.decoded("DTSTAMP").tzinfo is not None
    assert len({str(e["UID"]) for e in found}) == 5
    secrets_absent(out)
    for wijk in ("Zilverhof", "Noord", "Oost", "Centrum"):
        assert wijk.lower() not in out.decode().lower()


def test_ics_alles_and_stable_uids(
    households: Store, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    assert main(["vervolg", "--formaat", "ics", "--alles"]) == 0
    first = events(capsysbinary.readouterr().out)
    assert len(first) == 6
    assert str(first[-1]["SUMMARY"]) == "Vervolgcontact GZ-106"
    assert main(["vervolg", "--formaat", "ics", "--alles"]) == 0
    again = events(capsysbinary.readouterr().out)
    assert [str(e["UID"]) for e in again] == [str(e["UID"]) for e in first]


def test_follow_ups_to_ics_skips_households_without_a_date() -> None:
    rows = [
        HouseholdRow("GZ-301", WIJK, (), None, None, date(2026, 4, 1)),
        HouseholdRow("GZ-302", WIJK, (), None, None, None),
        HouseholdRow("GZ-303", WIJK, (), None, None, date(2026, 3, 1)),
    ]
    stamp = datetime(2026, 3, 16, 8, 0, tzinfo=UTC)
    data = follow_ups_to_ics(rows, today=TODAY, now=stamp)
    found = events(data)
    assert [str(e["SUMMARY"]) for e in found] == ["Vervolgcontact GZ-303", "Vervolgcontact GZ-301"]
    assert all(e.decoded("DTSTAMP") == stamp for e in found)
    assert b"DTSTART;VALUE=DATE:20260301" in data
    assert data == follow_ups_to_ics(rows, today=TODAY, now=stamp)  # deterministic


# --- writing a file ----------------------------------------------------------------------


@posix_only
def test_uitvoer_writes_a_private_file(
    households: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "vervolg.ics"
    assert main(["vervolg", "--formaat", "ics", "--uitvoer", str(target)]) == 0
    assert capsys.readouterr().out == f"Geschreven: {target} (5 vervolgcontacten).\n"
    assert mode(target) == 0o600
    assert len(events(target.read_bytes())) == 5
    secrets_absent(target.read_bytes())


@posix_only
def test_uitvoer_table(
    households: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "vervolg.txt"
    assert main(["vervolg", "--uitvoer", str(target)]) == 0
    assert target.read_text("utf-8") == TABLE
    assert mode(target) == 0o600


@posix_only
def test_uitvoer_refuses_to_overwrite(
    households: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "agenda.ics"
    target.write_text("van iemand anders")
    target.chmod(0o644)
    assert main(["vervolg", "--formaat", "ics", "--uitvoer", str(target)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == f"{target} bestaat al. Kies een andere naam, of gebruik --overschrijven.\n"
    assert target.read_text() == "van iemand anders"

    args = ["vervolg", "--formaat", "ics", "--uitvoer", str(target), "--overschrijven"]
    assert main(args) == 0
    assert len(events(target.read_bytes())) == 5
    assert mode(target) == 0o600


def test_uitvoer_in_a_missing_folder(
    households: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "bestaat-niet" / "vervolg.ics"
    assert main(["vervolg", "--formaat", "ics", "--uitvoer", str(target)]) == 1
    assert capsys.readouterr().err == f"De map voor {target} bestaat niet.\n"


def test_ics_through_the_real_stdout(households: Store) -> None:
    """As a user runs it (real date): binary stdout, nothing else on it."""
    result = subprocess.run(
        [sys.executable, "-m", "wijkgesprek", "vervolg", "--formaat", "ics", "--alles"],
        capture_output=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.startswith(b"BEGIN:VCALENDAR\r\n")
    assert len(events(result.stdout)) == 6
    secrets_absent(result.stdout)


# --- a rescheduled follow-up, an empty calendar (issue 18, point 12) ---------------------


def uids_by_code(data: bytes) -> dict[str, str]:
    return {str(e["SUMMARY"]).split()[-1]: str(e["UID"]) for e in events(data)}


def test_a_rescheduled_follow_up_keeps_its_uid(
    store: Store, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    """Moving the date replaces the calendar event (same UID, new date): khal and other
    calendars then show only the new date, not both."""
    started = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    visit = store.run(repo.start_visit, code="GZ-401", wijk=WIJK, children=Children(), now=started)
    store.run(repo.set_next_contact, visit_id=visit, when=TODAY + timedelta(days=3))
    assert main(["vervolg", "--formaat", "ics"]) == 0
    before = capsysbinary.readouterr().out
    store.run(repo.set_next_contact, visit_id=visit, when=TODAY + timedelta(days=10))
    assert main(["vervolg", "--formaat", "ics"]) == 0
    after = capsysbinary.readouterr().out
    assert uids_by_code(after) == uids_by_code(before)
    (event,) = events(after)
    assert event.decoded("DTSTART") == TODAY + timedelta(days=10)


def test_a_follow_up_moved_in_a_later_visit_keeps_its_uid_and_the_next_one_gets_its_own(
    store: Store,
) -> None:
    """Rescheduled in a visit before the day: the same follow-up. After a visit on or
    after the day, the next one agreed is a new follow-up (the old event stays)."""
    first = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def visit_on(moment: datetime, when: date) -> None:
        visit = store.run(
            repo.start_visit, code="GZ-402", wijk=WIJK, children=Children(), now=moment
        )
        store.run(repo.set_next_contact, visit_id=visit, when=when)
        store.run(repo.end_visit, visit_id=visit, now=moment + timedelta(hours=1))

    def uid() -> str:
        rows = store.run(repo.list_households)
        return uids_by_code(follow_ups_to_ics(rows, today=TODAY))["GZ-402"]

    visit_on(first, date(2026, 3, 20))
    planned = uid()
    visit_on(first + timedelta(days=7), date(2026, 3, 27))  # moved before the day came
    assert uid() == planned
    visit_on(datetime(2026, 3, 27, 9, 0, tzinfo=UTC), date(2026, 4, 10))  # it took place
    assert uid() != planned


def test_the_uid_differs_per_household() -> None:
    rows = [
        HouseholdRow("GZ-501", WIJK, (), None, None, date(2026, 4, 1)),
        HouseholdRow("GZ-502", WIJK, (), None, None, date(2026, 4, 1)),
    ]
    assert len(set(uids_by_code(follow_ups_to_ics(rows, today=TODAY)).values())) == 2


def test_an_empty_calendar_is_valid_icalendar(
    store: Store, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    """RFC 5545, 3.4 and 3.6: VERSION and PRODID, and at least one component."""
    assert main(["vervolg", "--formaat", "ics"]) == 0
    data = capsysbinary.readouterr().out
    calendar = Calendar.from_ical(data)
    assert str(calendar["VERSION"]) == "2.0" and str(calendar["PRODID"])
    assert calendar.subcomponents and not events(data)
    for zone in calendar.walk("VTIMEZONE"):
        assert zone["TZID"] and zone.walk("STANDARD")
    assert data.endswith(b"END:VCALENDAR\r\n")
