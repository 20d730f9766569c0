"""A session in figures and its summary after the meeting, for the members of its space
(rooms.core.access.can_read_analytics, applied by the core calls); others learn nothing: 404."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from fastapi import APIRouter

from rooms.api.deps import CurrentUser, Db
from rooms.api.schemas import ErrorOut, Out
from rooms.core import access, analytics, summaries

router = APIRouter(
    prefix="/api/sessions",
    tags=["analytics"],
    responses={400: {"model": ErrorOut}, 401: {"model": ErrorOut}, 404: {"model": ErrorOut}},
)


class ParticipantStatsOut(Out):
    name: str
    role: Literal["HOST", "GUEST"]
    joined_at: datetime
    left_at: datetime | None
    present_seconds: float
    speaking_seconds: float
    words: int


class SessionStatsOut(Out):
    duration_seconds: float
    words: int
    transcription_seconds: float
    engine: str
    participants: list[ParticipantStatsOut]

    @classmethod
    def of(cls, s: analytics.SessionStats) -> SessionStatsOut:
        return cls(
            duration_seconds=s.duration_seconds,
            words=s.words,
            transcription_seconds=s.transcription_seconds,
            engine=s.engine,
            participants=[
                ParticipantStatsOut(
                    name=p.name,
                    role=p.role.value,
                    joined_at=p.joined_at,
                    left_at=p.left_at,
                    present_seconds=p.present_seconds,
                    speaking_seconds=p.speaking_seconds,
                    words=p.words,
                )
                for p in s.participants
            ],
        )


class SummaryOut(Out):
    status: Literal["PENDING", "READY", "UNAVAILABLE"]
    text: str | None
    reason: str | None = None  # set when UNAVAILABLE: why there is no summary


@router.get("/{slug}/stats", response_model=SessionStatsOut)
def get_stats(slug: str, user: CurrentUser, db: Db) -> SessionStatsOut:
    return SessionStatsOut.of(analytics.session_stats(db, access.Reader(user=user), slug))


@router.get("/{slug}/summary", response_model=SummaryOut)
def get_summary(slug: str, user: CurrentUser, db: Db) -> SummaryOut:
    found = summaries.summary(db, access.Reader(user=user), slug)
    return SummaryOut(status=found.status.value, text=found.text, reason=found.reason)
