"""SQLModel tables. The schema itself is created by the migration ladder in
``store.schema``; ``tests/test_store.py`` checks that both agree."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field, SQLModel, UniqueConstraint


class Household(SQLModel, table=True):
    __tablename__ = "household"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True)
    wijk: str
    age_groups: str = ""
    """Comma-separated age groups (see ``domain.household.AGE_GROUPS``); empty: no children."""
    created_at: datetime


class Visit(SQLModel, table=True):
    __tablename__ = "visit"

    id: int | None = Field(default=None, primary_key=True)
    household_id: int = Field(foreign_key="household.id", index=True, ondelete="CASCADE")
    started_at: datetime
    ended_at: datetime | None = None
    next_contact: date | None = None


class Note(SQLModel, table=True):
    __tablename__ = "note"
    __table_args__ = (UniqueConstraint("visit_id", "topic"),)

    id: int | None = Field(default=None, primary_key=True)
    visit_id: int = Field(foreign_key="visit.id", ondelete="CASCADE")
    topic: str
    text: str = ""
    themes: str = ""
    """Comma-separated theme ids tagged on this note."""
    updated_at: datetime


class Agreement(SQLModel, table=True):
    __tablename__ = "agreement"

    id: int | None = Field(default=None, primary_key=True)
    visit_id: int = Field(foreign_key="visit.id", index=True, ondelete="CASCADE")
    wat: str
    wie: str = ""
    wanneer: str = ""
    created_at: datetime
