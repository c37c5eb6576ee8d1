"""SQLModel tables. The schema itself is created by the migration ladder in
``store.ladder``; ``tests/test_store.py`` checks that both agree."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, Dialect, Index, TypeDecorator
from sqlmodel import Field, SQLModel, UniqueConstraint
from sqlmodel.sql.sqltypes import UTCDateTime

FIRST_DAY, LAST_DAY = date(1, 1, 2), date(9999, 12, 30)
"""Dates read back are kept a day inside the calendar, so turning one into local time or
adding a day never overflows, whatever a database holds (a hand-edited or imported row
from before the import checked its dates)."""


def safe_moment(value: datetime) -> datetime:
    """``value`` kept within ``FIRST_DAY`` .. ``LAST_DAY`` (its own time zone)."""
    if 1 < value.year < 9999:
        return value
    low = datetime.combine(FIRST_DAY, datetime.min.time(), value.tzinfo)
    high = datetime.combine(LAST_DAY, datetime.max.time(), value.tzinfo)
    return min(max(value, low), high)


def safe_day(value: date) -> date:
    """``value`` kept within ``FIRST_DAY`` .. ``LAST_DAY``."""
    return value if 1 < value.year < 9999 else min(max(value, FIRST_DAY), LAST_DAY)


class Moment(UTCDateTime):
    """A stored date and time (aware, UTC, as SQLModel's own), read back within
    ``FIRST_DAY`` .. ``LAST_DAY``."""

    cache_ok = True

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        moment = super().process_result_value(value, dialect)
        return None if moment is None else safe_moment(moment)


class Day(TypeDecorator[date]):
    """A stored date, read back within ``FIRST_DAY`` .. ``LAST_DAY``."""

    impl = Date
    cache_ok = True

    def process_result_value(self, value: Any, dialect: Dialect) -> date | None:
        return None if value is None else safe_day(value)


class Household(SQLModel, table=True):
    __tablename__ = "household"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True)
    wijk: str
    children: str = ""
    """Comma-separated birth years and ``zwanger``/``elders``; from before schema version 8
    the old age groups (``domain.household.parse_children``). Empty: no children."""
    created_at: datetime = Field(sa_type=Moment)
    children_at: datetime | None = Field(default=None, sa_type=Moment)
    """When the children were last recorded."""


class HouseholdChangeTable(SQLModel, table=True):
    """A deliberate change of a household's wijk or children (``domain.household``):
    never updated, removed only with the household."""

    __tablename__ = "household_change"

    id: int | None = Field(default=None, primary_key=True)
    household_id: int = Field(foreign_key="household.id", index=True, ondelete="CASCADE")
    kind: str
    old: str = ""
    new: str = ""
    at: datetime = Field(sa_type=Moment)
    author: str = ""
    """On a team database: the login role, set by the server."""


class Visit(SQLModel, table=True):
    __tablename__ = "visit"

    id: int | None = Field(default=None, primary_key=True)
    household_id: int = Field(foreign_key="household.id", index=True, ondelete="CASCADE")
    started_at: datetime = Field(sa_type=Moment)
    ended_at: datetime | None = Field(default=None, sa_type=Moment)
    next_contact: date | None = Field(default=None, sa_type=Day)
    author: str = ""
    """Who started the visit: the login role on a team database (set by the server)."""


class Note(SQLModel, table=True):
    __tablename__ = "note"
    __table_args__ = (
        UniqueConstraint("visit_id", "topic"),
        Index("ix_note_visit_themes", "visit_id", "themes"),
    )

    id: int | None = Field(default=None, primary_key=True)
    visit_id: int = Field(foreign_key="visit.id", ondelete="CASCADE")
    topic: str
    text: str = ""
    themes: str = ""
    """Comma-separated theme ids tagged on this note."""
    updated_at: datetime = Field(sa_type=Moment)
    version: int = 0
    """Raised by every save; a save based on an older version is a conflict."""
    updated_by: str = ""
    """Who saved it last (on a team database: the login role, set by the server)."""


class Agreement(SQLModel, table=True):
    __tablename__ = "agreement"

    id: int | None = Field(default=None, primary_key=True)
    visit_id: int = Field(foreign_key="visit.id", index=True, ondelete="CASCADE")
    wat: str
    wie: str = ""
    wanneer: str = ""
    created_at: datetime = Field(sa_type=Moment)
    status: str = "open"
    """``open``, ``gedaan`` or ``vervallen``; set on a later visit."""
    status_visit_id: int | None = Field(default=None, foreign_key="visit.id")
    status_at: datetime | None = Field(default=None, sa_type=Moment)
    author: str = ""
    """Who made it (on a team database: the login role, set by the server)."""
    status_by: str = ""
    """Who marked it last (the server's word too)."""


class Referral(SQLModel, table=True):
    """A verwijzing: an entry of the network discussed with the household."""

    __tablename__ = "referral"

    id: int | None = Field(default=None, primary_key=True)
    household_id: int = Field(foreign_key="household.id", index=True, ondelete="CASCADE")
    visit_id: int = Field(foreign_key="visit.id", ondelete="CASCADE")
    naam: str
    soort: str
    wijk: str
    themes: str = ""
    contact: str = ""
    """The entry's contact data at the time, for exports and the family version."""
    state: str
    reason: str = ""
    created_at: datetime = Field(sa_type=Moment)
    updated_at: datetime = Field(sa_type=Moment)


class ReferralEvent(SQLModel, table=True):
    """Every state a referral went through, in which visit: nothing is overwritten."""

    __tablename__ = "referral_event"

    id: int | None = Field(default=None, primary_key=True)
    referral_id: int = Field(foreign_key="referral.id", index=True, ondelete="CASCADE")
    visit_id: int = Field(foreign_key="visit.id", ondelete="CASCADE")
    state: str
    reason: str = ""
    at: datetime = Field(sa_type=Moment)
    author: str = ""
    """Who took this step (on a team database: the login role, set by the server)."""


class Gap(SQLModel, table=True):
    """A tagged theme for which the network had nothing in the household's wijk."""

    __tablename__ = "gap"
    __table_args__ = (UniqueConstraint("visit_id", "theme"),)

    id: int | None = Field(default=None, primary_key=True)
    visit_id: int = Field(foreign_key="visit.id", ondelete="CASCADE")
    wijk: str
    theme: str
    created_at: datetime = Field(sa_type=Moment)


class SafetyEntryTable(SQLModel, table=True):
    """One entry of the safety trail. Never updated or deleted (except with the whole
    household): a change is a new row whose ``corrects_id`` points to the old one."""

    __tablename__ = "safety_entry"

    id: int | None = Field(default=None, primary_key=True)
    visit_id: int = Field(foreign_key="visit.id", index=True, ondelete="CASCADE")
    kind: str
    key: str = ""
    value: str = ""
    note: str = ""
    at: datetime = Field(sa_type=Moment)
    corrects_id: int | None = Field(default=None, foreign_key="safety_entry.id")
    author: str = ""
    """Who recorded it (on a team database: the login role, set by the server)."""


class Correction(SQLModel, table=True):
    """An addition (aanvulling) to a finished visit, with its own time stamp."""

    __tablename__ = "correction"

    id: int | None = Field(default=None, primary_key=True)
    visit_id: int = Field(foreign_key="visit.id", index=True, ondelete="CASCADE")
    topic: str
    text: str
    created_at: datetime = Field(sa_type=Moment)
    author: str = ""
    """Who added it (on a team database: the login role, set by the server)."""


class PracticeTurn(SQLModel, table=True):
    """A question of a trainee and the invented family's answer (practice database only)."""

    __tablename__ = "practice_turn"

    id: int | None = Field(default=None, primary_key=True)
    visit_id: int = Field(foreign_key="visit.id", index=True, ondelete="CASCADE")
    topic: str
    voice: str = ""
    question: str = ""
    answer: str
    kind: str
    number: int = 0
    at: datetime = Field(sa_type=Moment)


class NetworkMap(SQLModel, table=True):
    """A visit has a netwerkkaart (also an empty one): made, changed or copied in it."""

    __tablename__ = "network_map"

    id: int | None = Field(default=None, primary_key=True)
    visit_id: int = Field(foreign_key="visit.id", unique=True, ondelete="CASCADE")
    updated_at: datetime = Field(sa_type=Moment)


class NetworkPerson(SQLModel, table=True):
    """Someone on a visit's netwerkkaart (``domain.network_map.Person``)."""

    __tablename__ = "network_person"
    __table_args__ = (UniqueConstraint("visit_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    visit_id: int = Field(foreign_key="visit.id", ondelete="CASCADE")
    number: int
    """The person's number in the household: the same person on every visit's map."""
    role: str
    name: str = ""
    grouping: str = ""
    """The group id of the guide (familie, buurt, ...)."""
    informal: bool
    """Whether that group was informal when this was recorded (trends count with it)."""
    member: str = ""
    helps: str = ""
    """Comma-separated kinds of help."""
    closeness: str = "dichtbij"
    energy: str = ""
    wants_more: bool
    safety_network: bool


class AccessEntryTable(SQLModel, table=True):
    """One row of the access log (``store.access``): never changed, never removed; an
    erased household's code is replaced by a neutral id."""

    __tablename__ = "access_log"
    __table_args__ = (Index("ix_access_log_household", "household", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=Moment)
    who: str = ""
    """The login role on a team database (the server's word); empty on the laptop."""
    action: str
    household: str = ""
    detail: str = ""
    source: str = ""
    """The client's address on a team database; empty on the server itself or the laptop."""
