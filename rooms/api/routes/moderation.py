"""The space owner removes someone from a session's room."""

from __future__ import annotations

from anyio import from_thread
from fastapi import APIRouter

from rooms.api.deps import CurrentUser, Db
from rooms.api.schemas import ErrorOut, ParticipantEnvelope, ParticipantOut
from rooms.core import participants, room_events

router = APIRouter(prefix="/api/sessions/{slug}", tags=["participants"])


@router.delete(
    "/participants/{identity}",
    response_model=ParticipantEnvelope,
    responses={
        400: {"model": ErrorOut},
        401: {"model": ErrorOut},
        403: {"model": ErrorOut},
        404: {"model": ErrorOut},
        502: {"model": ErrorOut},
    },
)
def remove_participant(slug: str, identity: str, user: CurrentUser, db: Db) -> ParticipantEnvelope:
    """Disconnects them through LiveKit's room service and marks them as left (handing
    transcription to another host if they held it). They may rejoin with the link."""
    room_events.check_removal(db, user, slug, identity)
    from_thread.run(room_events.disconnect, slug, identity)
    participant = participants.mark_left(db, slug, identity)
    db.commit()
    return ParticipantEnvelope(participant=ParticipantOut.of(participant))
