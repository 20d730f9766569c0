"""Transcription usage and the seed's limits: a global switch, minutes per user and per
session, and a maximum duration per stream."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session as DbSession
from sqlmodel import col, func, select

from rooms.core.config import Settings, get_settings
from rooms.core.errors import DomainError, Forbidden
from rooms.core.models import Session, TranscriptionUsage, utcnow


class LimitReached(DomainError):
    status = 429
    code = "TRANSCRIPTION_LIMIT_REACHED"


def require_enabled(settings: Settings | None = None) -> None:
    settings = settings or get_settings()
    if not settings.transcription_enabled:
        raise Forbidden(
            "Transcription is turned off on this server.", code="TRANSCRIPTION_DISABLED"
        )


# Rows reported by a client (`POST /api/transcription/usage/save`) record what the page
# says it used; the server measured the same audio itself, so only its own rows count
# towards limits (a guest reporting 4 hours must not use up the owner's minutes).
CLIENT_ENGINE = "client"


def _counted() -> sa.ColumnElement[bool]:
    """What counts against a limit: the server's own measurements, never a client's report."""
    return col(TranscriptionUsage.engine) != CLIENT_ENGINE


def _used_seconds(db: DbSession, *where: sa.ColumnElement[bool]) -> float:
    total = db.exec(
        select(func.coalesce(func.sum(TranscriptionUsage.duration_seconds), 0.0)).where(
            _counted(), *where
        )
    ).one()
    return float(total or 0.0)


def user_seconds(db: DbSession, user_id: str | None) -> float:
    if user_id is None:
        return 0.0
    return _used_seconds(db, col(TranscriptionUsage.user_id) == user_id)


def session_seconds(db: DbSession, session_id: str) -> float:
    return _used_seconds(db, col(TranscriptionUsage.session_id) == session_id)


def allowance_seconds(db: DbSession, session: Session, user_id: str | None) -> float:
    """Seconds this host may still stream now; raises LimitReached at zero."""
    settings = get_settings()
    require_enabled(settings)
    left_session = settings.transcription_max_minutes_per_session * 60 - session_seconds(
        db, session.id
    )
    if left_session <= 0:
        raise LimitReached(
            "This session used its {minutes} minutes of transcription.",
            minutes=settings.transcription_max_minutes_per_session,
        )
    left = min(float(settings.transcription_max_duration_seconds), left_session)
    if user_id is not None:
        left_user = settings.transcription_max_minutes_per_user * 60 - user_seconds(db, user_id)
        if left_user <= 0:
            raise LimitReached(
                "You used your {minutes} minutes of transcription.",
                minutes=settings.transcription_max_minutes_per_user,
            )
        left = min(left, left_user)
    return left


def record(
    db: DbSession,
    *,
    session_id: str,
    user_id: str | None,
    participant_id: str | None,
    engine: str,
    seconds: float,
    started_at: datetime,
    ended_at: datetime | None = None,
) -> TranscriptionUsage:
    row = TranscriptionUsage(
        session_id=session_id,
        user_id=user_id,
        participant_id=participant_id,
        engine=engine[:32],
        duration_seconds=max(0.0, float(seconds)),
        started_at=started_at,
        ended_at=ended_at or utcnow(),
    )
    db.add(row)
    db.flush()
    return row


def accrue(
    db: DbSession,
    row_id: str | None,
    *,
    session_id: str,
    user_id: str | None,
    participant_id: str | None,
    engine: str,
    seconds: float,
    started_at: datetime,
) -> str:
    """Count a live stream's seconds so far (a row made on the first call, then updated):
    usage is counted as it accrues, so every other stream's limits see it."""
    row = db.get(TranscriptionUsage, row_id) if row_id else None
    if row is None:
        row = record(
            db,
            session_id=session_id,
            user_id=user_id,
            participant_id=participant_id,
            engine=engine,
            seconds=seconds,
            started_at=started_at,
        )
        return row.id
    row.duration_seconds = max(row.duration_seconds, float(seconds))
    row.ended_at = utcnow()
    db.add(row)
    db.flush()
    return row.id


def measured_seconds(db: DbSession, session_id: str, participant_id: str) -> float:
    """What the server measured for one participant's streams in a session."""
    return _used_seconds(
        db,
        col(TranscriptionUsage.session_id) == session_id,
        col(TranscriptionUsage.participant_id) == participant_id,
    )


def client_report_seconds(
    db: DbSession, session_id: str, participant_id: str, reported: float
) -> float:
    """A client's own report, bounded by what the server measured for that participant
    minus what it already reported (the seed's clients save their counter on stop)."""
    already = float(
        db.exec(
            select(func.coalesce(func.sum(TranscriptionUsage.duration_seconds), 0.0)).where(
                col(TranscriptionUsage.engine) == CLIENT_ENGINE,
                col(TranscriptionUsage.session_id) == session_id,
                col(TranscriptionUsage.participant_id) == participant_id,
            )
        ).one()
        or 0.0
    )
    room = measured_seconds(db, session_id, participant_id) - already
    return max(0.0, min(float(reported), room))


@dataclass(frozen=True)
class SessionUsage:
    seconds: float
    streams: int
    limit_seconds: int
    max_duration_seconds: int


def session_usage(db: DbSession, session: Session) -> SessionUsage:
    settings = get_settings()
    streams = db.exec(
        select(func.count()).where(
            col(TranscriptionUsage.session_id) == session.id,
            _counted(),
        )
    ).one()
    return SessionUsage(
        seconds=session_seconds(db, session.id),
        streams=int(streams),
        limit_seconds=settings.transcription_max_minutes_per_session * 60,
        max_duration_seconds=settings.transcription_max_duration_seconds,
    )


@dataclass(frozen=True)
class Stats:
    seconds: float
    streams: int
    sessions: int
    limit_seconds: int


def stats(db: DbSession, user_id: str) -> Stats:
    settings = get_settings()
    row = db.exec(
        select(
            func.coalesce(func.sum(TranscriptionUsage.duration_seconds), 0.0),
            func.count(),
            func.count(func.distinct(TranscriptionUsage.session_id)),
        ).where(
            col(TranscriptionUsage.user_id) == user_id,
            _counted(),
        )
    ).one()
    return Stats(
        seconds=float(row[0] or 0.0),
        streams=int(row[1]),
        sessions=int(row[2]),
        limit_seconds=settings.transcription_max_minutes_per_user * 60,
    )
