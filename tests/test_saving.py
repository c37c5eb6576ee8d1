"""Saving a note has one owner (``wijkgesprek.saving``): where the text is kept, what the
state line says, what is told and whether it is tried again. Each case asks the outcome
function directly, with a stand-in for the connection: no app, no database."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy.exc

from wijkgesprek.domain.visit import TopicNote
from wijkgesprek.errors import Gone, StoreError, Unreachable
from wijkgesprek.saving import Kept, Outcome, refused_outcome, save_note, sent_outcome
from wijkgesprek.store.outbox import Written

NOW = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)
AT = f"{NOW.astimezone():%H:%M}"
NOTE = TopicNote(text="Huur", version=3)


@dataclass
class FakeConnection:
    """What the outcome function uses of ``Connection``."""

    answer: Written | BaseException = field(
        default_factory=lambda: Written(7, "stress", "Huur te hoog", 4, merged=False)
    )
    team: bool = False
    keep_problem: BaseException | None = None
    offline: bool = False
    writes: list[dict[str, Any]] = field(default_factory=list)
    kept: list[dict[str, Any]] = field(default_factory=list)
    lost_count: int = 0
    sends: int = 0

    @property
    def outbox(self) -> object | None:
        return object() if self.team else None

    def write_note(self, **kwargs: Any) -> Written:
        self.writes.append(kwargs)
        if isinstance(self.answer, BaseException):
            raise self.answer
        return self.answer

    def keep(self, **kwargs: Any) -> None:
        if self.keep_problem is not None:
            raise self.keep_problem
        self.kept.append(kwargs)

    def send_soon(self) -> None:
        self.sends += 1

    def lost(self) -> None:
        self.offline = True
        self.lost_count += 1


def save(connection: FakeConnection, *, failing: bool = False) -> Outcome:
    return save_note(
        connection,  # type: ignore[arg-type]
        visit_id=7,
        topic="stress",
        text="Huur te hoog",
        note=NOTE,
        now=NOW,
        cursor=4,
        failing=failing,
    )


def test_a_saved_note_says_when() -> None:
    connection = FakeConnection()
    outcome = save(connection)
    assert outcome.kept is Kept.SAVED
    assert (outcome.text, outcome.version, outcome.base) == ("Huur te hoog", 4, "Huur te hoog")
    assert outcome.state == f"opgeslagen {AT}"
    assert outcome.notices == () and not outcome.retry and not outcome.failing
    # On the version the screen started from, with its text and the cursor.
    (write,) = connection.writes
    assert (write["base"], write["base_text"], write["cursor"], write["now"]) == (3, "Huur", 4, NOW)


def test_a_save_after_failures_says_that_it_works_again() -> None:
    outcome = save(FakeConnection(), failing=True)
    assert outcome.kept is Kept.SAVED and not outcome.failing
    assert [n.text for n in outcome.notices] == [
        "Opgeslagen: wat u typte staat weer in de database."
    ]


@pytest.mark.parametrize(("conflicts", "told"), [(0, False), (2, True)])
def test_a_merged_note_is_shown_and_told_when_both_wrote_at_one_place(
    conflicts: int, told: bool
) -> None:
    merged = Written(
        7, "stress", "Huur\nvan collega", 5, merged=True, by="Anna", conflicts=conflicts, cursor=4
    )
    for outcome in (  # written at once (the laptop's file), or by the sender (team)
        save(FakeConnection(answer=merged)),
        sent_outcome(merged, now=NOW, failing=False),
    ):
        assert outcome.kept is Kept.SAVED and outcome.merged
        assert (outcome.text, outcome.version, outcome.cursor) == ("Huur\nvan collega", 5, 4)
        assert outcome.state == f"opgeslagen {AT} · aangevuld door Anna"
        assert [n.severity for n in outcome.notices] == (["warning"] if told else [])
        if told:
            assert "ook door Anna bewaard" in outcome.notices[0].text


def test_on_a_team_database_the_note_is_kept_on_the_laptop_and_sent_without_waiting() -> None:
    connection = FakeConnection(team=True)
    outcome = save(connection)
    assert outcome.kept is Kept.SENDING and not outcome.retry
    assert connection.writes == [] and connection.sends == 1  # the sender takes it on
    assert [(k["text"], k["base"], k["base_text"]) for k in connection.kept] == [
        ("Huur te hoog", 3, "Huur")
    ]
    assert (outcome.text, outcome.version, outcome.base) == ("Huur te hoog", 3, "Huur")
    assert outcome.state == "" and outcome.notices == ()  # the line changes at the answer


def test_offline_the_note_goes_to_the_laptop_only() -> None:
    connection = FakeConnection(team=True, offline=True)
    outcome = save(connection)
    assert outcome.kept is Kept.OFFLINE
    assert outcome.state == f"offline bewaard {AT}"
    assert connection.writes == [] and connection.sends == 0 and len(connection.kept) == 1


def test_a_laptop_that_cannot_keep_the_note_sends_it_straight_to_the_server() -> None:
    connection = FakeConnection(team=True, keep_problem=OSError(28, "No space left on device"))
    outcome = save(connection)
    assert outcome.kept is Kept.SAVED and len(connection.writes) == 1


def test_a_refusing_team_database_keeps_the_note_on_the_laptop_and_tries_again() -> None:
    outcome = refused_outcome("De teamdatabase staat alleen-lezen.", NOTE, now=NOW, failing=False)
    assert outcome.kept is Kept.RETRYING and outcome.retry and outcome.failing
    assert outcome.state == f"op deze laptop bewaard {AT} · opnieuw proberen…"
    (notice,) = outcome.notices
    assert notice.severity == "error"
    assert notice.text == (
        "Opslaan lukt op dit moment niet. De teamdatabase staat alleen-lezen. Uw tekst is op "
        "deze laptop bewaard; wijkgesprek probeert het elke paar seconden opnieuw."
    )
    again = refused_outcome("De teamdatabase staat alleen-lezen.", NOTE, now=NOW, failing=True)
    assert again.notices == ()  # told once


def test_a_note_that_cannot_be_kept_anywhere_stays_on_the_screen() -> None:
    full = StoreError("De schijf is vol.")
    outcome = save(FakeConnection(answer=full))  # the laptop's own file: no outbox
    assert outcome.kept is Kept.SCREEN_ONLY and outcome.retry
    assert outcome.state == "nog niet opgeslagen · opnieuw proberen…"
    assert "Uw tekst staat nog op het scherm" in outcome.notices[0].text


def test_failing_again_is_told_once() -> None:
    outcome = save(FakeConnection(answer=StoreError("De schijf is vol.")), failing=True)
    assert outcome.kept is Kept.SCREEN_ONLY and outcome.notices == ()


def test_with_a_failing_laptop_disk_and_no_server_the_note_stays_on_the_screen() -> None:
    connection = FakeConnection(
        answer=Unreachable("De teamdatabase antwoordt niet."),
        team=True,
        keep_problem=OSError(28, "No space left on device"),
    )
    outcome = save(connection)
    assert outcome.kept is Kept.SCREEN_ONLY and connection.offline
    assert connection.lost_count == 1
    assert "De teamdatabase antwoordt niet." in outcome.notices[0].text


def test_a_visit_erased_meanwhile_is_gone() -> None:
    outcome = save(FakeConnection(answer=Gone()))
    assert outcome.kept is Kept.GONE and not outcome.retry


def test_a_visit_finished_meanwhile_is_told_with_what_became_an_addition() -> None:
    ended = datetime(2026, 11, 26, 9, 10, tzinfo=UTC)
    finished = Written(
        7, "stress", "Huur", 3, merged=False, finished=True, ended=ended, kept="te hoog"
    )
    outcome = sent_outcome(finished, now=NOW, failing=False)
    assert outcome.kept is Kept.FINISHED and not outcome.retry
    assert outcome.state == f"afgerond · als aanvulling bewaard {AT}"
    (notice,) = outcome.notices
    assert f"afgerond om {ended.astimezone():%H:%M}" in notice.text
    assert "bewaard als aanvulling" in notice.text


@pytest.mark.parametrize(
    "problem",
    [
        sqlite3.OperationalError("disk I/O error"),
        sqlalchemy.exc.InterfaceError("SELECT …", {}, Exception("connection closed")),
        OSError(28, "No space left on device"),
    ],
    ids=["sqlite3", "sqlalchemy", "os"],
)
def test_a_driver_error_becomes_a_dutch_problem(problem: Exception) -> None:
    outcome = save(FakeConnection(answer=problem))
    assert outcome.kept is Kept.SCREEN_ONLY
    assert "Opslaan lukt op dit moment niet. De " in outcome.notices[0].text
    assert str(problem) not in outcome.notices[0].text  # the driver's words stay out


@pytest.mark.parametrize("where", ["write", "keep"])
def test_a_mistake_in_wijkgesprek_is_raised_not_taken_for_offline(where: str) -> None:
    bug = TypeError("save_note() got an unexpected keyword argument")
    connection = FakeConnection(team=where == "keep")
    if where == "write":
        connection.answer = bug
    else:
        connection.keep_problem = bug
    with pytest.raises(TypeError):
        save(connection)
    assert connection.lost_count == 0
