"""Joining a session's video room: LiveKit tokens and participant records."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from rooms.api.deps import Db, OptionalUser
from rooms.api.schemas import (
    ErrorOut,
    JoinIn,
    JoinOut,
    ParticipantEnvelope,
    ParticipantOut,
    TokenOut,
)
from rooms.core import participants
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


@router.get("/token", response_model=TokenOut)
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
    identity is the one its join will record."""
    key = guest_key(request, response, user)
    token, server_url, identity = participants.token_only(db, slug, user, name, key)
    return TokenOut(token=token, server_url=server_url, identity=identity)


@router.post("/participants/join", response_model=JoinOut)
def join(
    slug: str, body: JoinIn, request: Request, response: Response, user: OptionalUser, db: Db
) -> JoinOut:
    key = guest_key(request, response, user)
    joined = participants.join_session(db, slug, user, body.name, key)
    db.commit()
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
