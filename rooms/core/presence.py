"""Every stretch of time someone was in a session. A participant row only keeps its latest
join, so each arrival opens a visit and each departure closes the open ones; analytics
counts the union of a participant's visits (rooms/core/analytics.py)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session as DbSession
from sqlmodel import col, select, update

from rooms.core.models import Participant, ParticipantVisit, utcnow


def arrived(db: DbSession, participant: Participant, at: datetime | None = None) -> None:
    """They are in the session from `at`; a second tab or a reconnect while a visit is
    still open adds nothing (the union would not change)."""
    open_visit = db.exec(
        select(ParticipantVisit.id).where(
            ParticipantVisit.participant_id == participant.id,
            col(ParticipantVisit.left_at).is_(None),
        )
    ).first()
    if open_visit is None:
        db.add(
            ParticipantVisit(
                session_id=participant.session_id,
                participant_id=participant.id,
                joined_at=at or utcnow(),
            )
        )
        db.flush()


def departed(
    db: DbSession, participant_ids: Iterable[str] | sa.Select, at: datetime | None = None
) -> None:
    """Close the open visits of these participants (ids, or a SELECT of ids)."""
    ids = participant_ids if isinstance(participant_ids, sa.Select) else list(participant_ids)
    db.exec(
        update(ParticipantVisit)
        .where(
            col(ParticipantVisit.participant_id).in_(ids),
            col(ParticipantVisit.left_at).is_(None),
        )
        .values(left_at=at or utcnow())
    )


def visits_of(db: DbSession, session_id: str) -> dict[str, list[tuple[datetime, datetime | None]]]:
    """participant id -> its visits (joined, left or None), oldest first."""
    v = ParticipantVisit
    rows = db.exec(
        select(v.participant_id, v.joined_at, v.left_at)
        .where(ParticipantVisit.session_id == session_id)
        .order_by(col(ParticipantVisit.joined_at), col(ParticipantVisit.id))
    ).all()
    out: dict[str, list[tuple[datetime, datetime | None]]] = {}
    for participant_id, joined, left in rows:
        out.setdefault(participant_id, []).append((joined, left))
    return out
