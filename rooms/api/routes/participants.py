"""Joining a session's video room: LiveKit tokens and participant records."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

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

router = APIRouter(
    prefix="/api/sessions/{slug}",
    tags=["participants"],
    responses={400: {"model": ErrorOut}, 404: {"model": ErrorOut}, 410: {"model": ErrorOut}},
)


@router.get("/token", response_model=TokenOut)
def get_token(
    slug: str,
    user: OptionalUser,
    db: Db,
    name: Annotated[str | None, Query(max_length=500)] = None,
) -> TokenOut:
    """A LiveKit token for anyone holding the link (guests say who they are with `?name=`).
    Records nothing: joining is `POST /participants/join`."""
    token, server_url, identity = participants.token_only(db, slug, user, name)
    return TokenOut(token=token, server_url=server_url, identity=identity)


@router.post("/participants/join", response_model=JoinOut)
def join(slug: str, body: JoinIn, user: OptionalUser, db: Db) -> JoinOut:
    joined = participants.join_session(db, slug, user, body.name)
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
