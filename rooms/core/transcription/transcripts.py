"""Reading a session's saved transcript: the newest page first, older pages on demand."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session as DbSession
from sqlmodel import col, select

from rooms.core.models import Participant, TranscriptSegment, User
from rooms.core.transcription.protocol import TranscriptMessage, transcript_message
from rooms.core.transcripts import SPEAKER_COLUMNS, speaker_from


def _iso(value: datetime | None) -> str:
    if value is None:
        return ""
    return value.isoformat()


def page(
    db: DbSession, session_id: str, *, limit: int = 100, before: str | None = None
) -> tuple[list[TranscriptMessage], bool]:
    """Up to `limit` finals older than `before` (an ISO start time), oldest first, and
    whether older ones remain. Speakers as the live messages carry them (null: unknown)."""
    query = (
        select(TranscriptSegment, *SPEAKER_COLUMNS)
        .outerjoin(Participant, col(Participant.id) == TranscriptSegment.participant_id)
        .outerjoin(User, col(User.id) == col(Participant.user_id))
        .where(TranscriptSegment.session_id == session_id)
    )
    if before:
        query = query.where(col(TranscriptSegment.started_at) < datetime.fromisoformat(before))
    rows = db.exec(
        query.order_by(
            col(TranscriptSegment.started_at).desc(), col(TranscriptSegment.id).desc()
        ).limit(limit + 1)
    ).all()
    more = len(rows) > limit
    items = [
        transcript_message(
            seg.utterance_id,
            seg.text,
            is_final=True,
            language=seg.language or "",
            speaker=speaker_from(*who) if who[0] else None,
            started_at=_iso(seg.started_at),
        )
        for seg, *who in reversed(rows[:limit])
    ]
    return items, more
