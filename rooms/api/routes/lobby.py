"""The lobby of a session: who waits, and letting them in or not (any member of its space)."""

from __future__ import annotations

from fastapi import APIRouter

from rooms.api.deps import CurrentUser, Db
from rooms.api.schemas import ErrorOut, LobbyEntryEnvelope, LobbyEntryOut, LobbyOut
from rooms.core import admission, lobby

router = APIRouter(
    prefix="/api/sessions/{slug}/lobby",
    tags=["lobby"],
    responses={
        400: {"model": ErrorOut},
        401: {"model": ErrorOut},
        404: {"model": ErrorOut},
    },
)


@router.get("", response_model=LobbyOut)
def get_lobby(slug: str, user: CurrentUser, db: Db) -> LobbyOut:
    """Whether the session has a lobby and who waits in it, first come first."""
    session, rows = admission.waiting(db, user, slug)
    return LobbyOut(lobby=session.lobby, waiting=[LobbyEntryOut.of(p) for p in rows])


@router.post("/{identity}/admit", response_model=LobbyEntryEnvelope)
def admit(slug: str, identity: str, user: CurrentUser, db: Db) -> LobbyEntryEnvelope:
    """Their next join returns a LiveKit token. Harmless twice; also lifts a denial."""
    participant = admission.admit(db, user, slug, identity)
    db.commit()
    lobby.announce(participant.session_id)
    return LobbyEntryEnvelope(participant=LobbyEntryOut.of(participant))


@router.post(
    "/{identity}/deny",
    response_model=LobbyEntryEnvelope,
    responses={409: {"model": ErrorOut}},
)
def deny(slug: str, identity: str, user: CurrentUser, db: Db) -> LobbyEntryEnvelope:
    """Their join is refused with 403 LOBBY_DENIED (a member may still admit them later)."""
    participant = admission.deny(db, user, slug, identity)
    db.commit()
    lobby.announce(participant.session_id)
    return LobbyEntryEnvelope(participant=LobbyEntryOut.of(participant))
