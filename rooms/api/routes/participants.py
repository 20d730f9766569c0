"""Joining a session's video room: LiveKit tokens and participant records."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse

from rooms.api.deps import Db, OptionalUser
from rooms.api.schemas import (
    ErrorOut,
    JoinIn,
    JoinOut,
    ParticipantEnvelope,
    ParticipantOut,
    TokenOut,
    WaitingOut,
)
from rooms.core import lobby, participants
from rooms.core.config import get_settings
from rooms.core.models import User

router = APIRouter(
    prefix="/api/sessions/{slug}",
    tags=["participants"],
    responses={
        400: {"model": ErrorOut},
        403: {"model": ErrorOut},
        404: {"model": ErrorOut},
        410: {"model": ErrorOut},
    },
)


def guest_key(request: Request, response: Response, user: User | None) -> str | None:
    """The browser's guest key (participants.GUEST_COOKIE), given to it on its first join.
    Not httpOnly: the Reflex page reads and sets the same cookie in the browser."""
    if user is not None:
        return None
    key = participants.valid_guest_key(request.cookies.get(participants.GUEST_COOKIE))
    if key is None:
        key = participants.new_guest_key()
        response.set_cookie(
            participants.GUEST_COOKIE,
            key,
            max_age=participants.GUEST_KEY_MAX_AGE,
            path="/",
            samesite="lax",
            secure=get_settings().cookie_secure,
        )
    return key


_WAITING = {
    202: {
        "model": WaitingOut,
        "description": "The session has a lobby: wait until someone in the space lets you in.",
    }
}


def _waiting(response: Response, identity: str) -> JSONResponse:
    out = JSONResponse(WaitingOut(identity=identity).model_dump(by_alias=True), status_code=202)
    out.raw_headers.extend(h for h in response.raw_headers if h[0] == b"set-cookie")
    return out


@router.get("/token", response_model=TokenOut, responses=_WAITING)
def get_token(
    slug: str,
    request: Request,
    response: Response,
    user: OptionalUser,
    db: Db,
    name: Annotated[str | None, Query(max_length=500)] = None,
) -> TokenOut:
    """A LiveKit token for anyone holding the link (guests say who they are with `?name=`).
    Records nothing: joining is `POST /participants/join`. Someone the owner removed gets
    403 PARTICIPANT_REMOVED. A guest's browser gets its key cookie here too, so the token's
    identity is the one its join will record. With a lobby, someone not yet let in gets
    202 WAITING (joining is what puts them in the lobby), someone refused 403 LOBBY_DENIED."""
    key = guest_key(request, response, user)
    got = participants.token_only(db, slug, user, name, key)
    if isinstance(got, participants.Waiting):
        return _waiting(response, got.identity)  # type: ignore[return-value]
    token, server_url, identity = got
    return TokenOut(token=token, server_url=server_url, identity=identity)


@router.post("/participants/join", response_model=JoinOut, responses=_WAITING)
def join(
    slug: str, body: JoinIn, request: Request, response: Response, user: OptionalUser, db: Db
) -> JoinOut:
    """Join the room: a LiveKit token and the participant record. With a lobby, someone
    outside the space waits (202, no token) until a member admits them; the same call
    then returns the token. Refused: 403 LOBBY_DENIED."""
    key = guest_key(request, response, user)
    joined = participants.join_session(db, slug, user, body.name, key)
    db.commit()
    if isinstance(joined, participants.Waiting):
        lobby.announce(joined.session_id)
        return _waiting(response, joined.identity)  # type: ignore[return-value]
    return JoinOut(
        token=joined.token,
        server_url=joined.server_url,
        identity=joined.participant.identity,
        participant=ParticipantOut.of(joined.participant),
    )


@router.get("/participants/{identity}", response_model=ParticipantEnvelope)
def get_participant(slug: str, identity: str, db: Db) -> ParticipantEnvelope:
    """What a room shows about someone: name, role, presence. No account details."""
    return ParticipantEnvelope(
        participant=ParticipantOut.of(participants.get_participant(db, slug, identity))
    )
