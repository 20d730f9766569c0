"""The space owner removes someone from a session's room, which bans them from it, and
lifts that ban."""

from __future__ import annotations

from fastapi import APIRouter

from rooms.api.deps import CurrentUser, Db
from rooms.api.schemas import ErrorOut, ParticipantEnvelope, ParticipantOut
from rooms.core import room_events

router = APIRouter(
    prefix="/api/sessions/{slug}",
    tags=["participants"],
    responses={
        400: {"model": ErrorOut},
        401: {"model": ErrorOut},
        403: {"model": ErrorOut},
        404: {"model": ErrorOut},
    },
)


@router.delete(
    "/participants/{identity}",
    response_model=ParticipantEnvelope,
    responses={502: {"model": ErrorOut}},
)
def remove_participant(slug: str, identity: str, user: CurrentUser, db: Db) -> ParticipantEnvelope:
    """Disconnects them through LiveKit's room service and marks them as left (handing
    transcription to another host if they held it). They cannot join this session again
    (403 PARTICIPANT_REMOVED) until the owner lifts the ban."""
    participant = room_events.remove(db, user, slug, identity)
    db.commit()
    return ParticipantEnvelope(participant=ParticipantOut.of(participant))


@router.delete("/bans/{identity}", response_model=ParticipantEnvelope)
def lift_ban(slug: str, identity: str, user: CurrentUser, db: Db) -> ParticipantEnvelope:
    """They may join again with the link."""
    participant = room_events.lift_ban(db, user, slug, identity)
    db.commit()
    return ParticipantEnvelope(participant=ParticipantOut.of(participant))
