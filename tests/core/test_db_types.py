"""rooms/core/db_types.py: every datetime read back from the database is aware and in UTC,
on SQLite (which stores no zone) and on PostgreSQL (which answers in the connection's zone),
through the ORM, Core selects and textual queries, and so on the wire."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import sqlalchemy as sa
from sqlmodel import select

from rooms.core import identity, sessions
from rooms.core.db import session_scope
from rooms.core.db_types import UTCDateTime
from rooms.core.models import Session
from tests.support.helpers import unique_email

# 12:00 in UTC, written as 21:00 in a zone nine hours ahead.
NOON_UTC = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
NINE_AHEAD = NOON_UTC.astimezone(timezone(timedelta(hours=9)))


def _is_utc(value: datetime) -> bool:
    return value.tzinfo is UTC


def _session_ended_at(moment: datetime) -> str:
    with session_scope() as db:
        user = identity.create_user(db, email=unique_email(), name="T", password="password-123")
        session = sessions.create_session(db, user, title="t", space_id=user.active_space_id)
        session.ended_at = moment
        db.add(session)
        db.commit()
        return session.id


def _other_zone(db) -> None:
    """On PostgreSQL, answer in a zone other than UTC, as a server configured so would."""
    if db.get_bind().dialect.name == "postgresql":
        db.exec(sa.text("SET TIME ZONE 'Asia/Tokyo'"))


def test_orm_core_and_textual_reads_are_aware_utc() -> None:
    sid = _session_ended_at(NINE_AHEAD)
    with session_scope() as db:
        _other_zone(db)
        row = db.exec(select(Session).where(Session.id == sid)).one()
        core = db.connection().execute(sa.select(Session.ended_at).where(Session.id == sid))
        textual = db.connection().execute(
            sa.text("SELECT ended_at FROM sessions WHERE id = :id").columns(ended_at=UTCDateTime()),
            {"id": sid},
        )
        for value in (row.ended_at, row.created_at, core.scalar_one(), textual.scalar_one()):
            assert value is not None and _is_utc(value), repr(value)
        assert row.ended_at == NOON_UTC and row.ended_at.hour == 12


def test_a_naive_value_is_stored_as_utc() -> None:
    sid = _session_ended_at(NOON_UTC.replace(tzinfo=None))
    with session_scope() as db:
        ended = db.exec(select(Session).where(Session.id == sid)).one().ended_at
    assert ended == NOON_UTC and ended is not None and _is_utc(ended)


def test_the_api_says_utc(signed_in) -> None:
    client, _user = signed_in()
    session = client.post("/api/sessions", json={"title": "Zone"}).json()["session"]
    created = datetime.fromisoformat(session["createdAt"].replace("Z", "+00:00"))
    assert created.utcoffset() == timedelta(0), session["createdAt"]
