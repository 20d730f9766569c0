"""Reading a session's saved transcript: the newest page first, older pages on demand."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session as DbSession
from sqlmodel import col, select

from rooms.core.models import Participant, TranscriptSegment


def _iso(value: datetime | None) -> str:
    if value is None:
        return ""
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()


def page(
    db: DbSession, session_id: str, *, limit: int = 100, before: str | None = None
) -> tuple[list[dict[str, Any]], bool]:
    """Up to `limit` finals older than `before` (an ISO start time), oldest first, and
    whether older ones remain."""
    query = (
        select(TranscriptSegment, Participant.name)
        .join(Participant, col(Participant.id) == TranscriptSegment.participant_id, isouter=True)
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
        {
            "utteranceId": seg.utterance_id,
            "text": seg.text,
            "isFinal": True,
            "language": seg.language or "",
            "startedAt": _iso(seg.started_at),
            "speaker": name or "",
        }
        for seg, name in reversed(rows[:limit])
    ]
    return items, more
