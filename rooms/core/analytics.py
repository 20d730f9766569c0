"""A session in figures, for the members of its space (rooms.core.access): how long it
ran, who was there and for how long, who spoke how much, what was transcribed.

Presence is the union of a participant's visits (rooms/core/presence.py), cut at the
session's end; a visit still open in an ACTIVE session counts up to now. Speaking time is
the union of the participant's transcript lines, on the transcript's own clock
(rooms/core/transcripts.py: a line with no end time lasts as long as its words take).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session as DbSession
from sqlmodel import col, func, select

from rooms.core import access, presence, transcripts
from rooms.core.config import get_settings
from rooms.core.models import (
    Participant,
    ParticipantRole,
    Session,
    SessionStatus,
    TranscriptionUsage,
    utcnow,
)
from rooms.core.transcription import usage


@dataclass(frozen=True)
class ParticipantStats:
    participant_id: str
    name: str
    role: ParticipantRole
    joined_at: datetime
    left_at: datetime | None  # None: still in the (ACTIVE) session
    present_seconds: float
    speaking_seconds: float
    words: int


@dataclass(frozen=True)
class SessionStats:
    session: Session
    duration_seconds: float
    words: int
    transcription_seconds: float
    engine: str
    participants: list[ParticipantStats]


def union_seconds(intervals: Iterable[tuple[float, float]]) -> float:
    """Total length covered by the intervals, overlaps counted once."""
    total, reach = 0.0, float("-inf")
    for start, end in sorted(intervals):
        if end <= reach:
            continue
        total += end - max(start, reach)
        reach = end
    return total


def engine_of(db: DbSession, session: Session) -> str:
    """The engine that transcribed most of this session, or the one this server would use
    if nothing was transcribed yet."""
    seconds = func.sum(TranscriptionUsage.duration_seconds)
    top = db.exec(
        select(TranscriptionUsage.engine)
        .where(
            TranscriptionUsage.session_id == session.id,
            col(TranscriptionUsage.engine) != usage.CLIENT_ENGINE,
        )
        .group_by(col(TranscriptionUsage.engine))
        .order_by(seconds.desc(), col(TranscriptionUsage.engine))
    ).first()
    return top or get_settings().effective_transcription_engine


def session_stats(db: DbSession, reader: access.Reader, slug: str) -> SessionStats:
    session = access.analytics_session(db, slug, reader)
    return stats_of(db, session)


def stats_of(db: DbSession, session: Session, now: datetime | None = None) -> SessionStats:
    origin = session.created_at
    ended = session.status == SessionStatus.ENDED and session.ended_at is not None
    end = session.ended_at if ended and session.ended_at else (now or utcnow())

    def seconds(moment: datetime) -> float:
        return transcripts.offset_seconds(origin, min(moment, end))

    lines = transcripts.lines_of(db, session)
    spoken: dict[str, list[tuple[float, float]]] = {}
    words: dict[str, int] = {}
    for line in lines:
        pid = line.speaker.participant_id
        if pid is None:
            continue
        spoken.setdefault(pid, []).append((line.start, line.end))
        words[pid] = words.get(pid, 0) + len(line.text.split())

    visits = presence.visits_of(db, session.id)
    people = db.exec(
        select(Participant)
        .where(Participant.session_id == session.id)
        .order_by(col(Participant.joined_at), col(Participant.id))
    ).all()
    out = []
    for p in people:
        # Rows written without a visit (none in normal use) count their latest stretch.
        stretches = visits.get(p.id) or [(p.joined_at, p.left_at)]
        present = [(seconds(j), seconds(left) if left else seconds(end)) for j, left in stretches]
        open_visit = any(left is None for _, left in stretches)
        still_here = open_visit and not ended
        last_left = end if open_visit else max(left for _, left in stretches if left)
        out.append(
            ParticipantStats(
                participant_id=p.id,
                name=(p.name or "").strip() or transcripts.UNKNOWN_SPEAKER,
                role=p.role,
                joined_at=min(j for j, _ in stretches),
                left_at=None if still_here else min(last_left, end),
                present_seconds=round(union_seconds(present), 3),
                speaking_seconds=round(union_seconds(spoken.get(p.id, [])), 3),
                words=words.get(p.id, 0),
            )
        )
    out.sort(key=lambda s: (s.joined_at, s.participant_id))
    return SessionStats(
        session=session,
        duration_seconds=round(transcripts.offset_seconds(origin, end), 3),
        words=sum(len(line.text.split()) for line in lines),
        transcription_seconds=round(usage.session_seconds(db, session.id), 3),
        engine=engine_of(db, session),
        participants=out,
    )
