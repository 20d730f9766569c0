"""Sessions of the active space: list, create, read, end, delete."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from rooms.api.deps import CurrentUser, Db, OptionalUser
from rooms.api.schemas import (
    ErrorOut,
    SessionCreateIn,
    SessionEnvelope,
    SessionOut,
    SessionPatchIn,
    SessionsOut,
)
from rooms.core import lobby, sessions
from rooms.core.config import get_settings

router = APIRouter(
    prefix="/api/sessions",
    tags=["sessions"],
    responses={400: {"model": ErrorOut}, 401: {"model": ErrorOut}, 404: {"model": ErrorOut}},
)


@router.get("", response_model=SessionsOut)
def list_sessions(
    user: CurrentUser,
    db: Db,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: Annotated[str | None, Query(max_length=512)] = None,
    space_id: Annotated[str | None, Query(alias="spaceId", max_length=64)] = None,
) -> SessionsOut:
    limit = min(limit, get_settings().sessions_page_size_max)
    page = sessions.list_sessions(db, user, space_id=space_id, limit=limit, cursor=cursor)
    db.commit()
    return SessionsOut.of(page)


@router.post("", status_code=201, response_model=SessionEnvelope)
def create_session(body: SessionCreateIn, user: CurrentUser, db: Db) -> SessionEnvelope:
    session = sessions.create_session(
        db, user, title=body.title, space_id=body.space_id, lobby=body.lobby
    )
    db.commit()
    return SessionEnvelope(session=SessionOut.of(session))


@router.get("/{slug}", response_model=SessionEnvelope)
def get_session(slug: str, user: OptionalUser, db: Db) -> SessionEnvelope:
    """Anyone holding the link may read the basics; members also see ids."""
    session = sessions.get_by_slug(db, slug)
    return SessionEnvelope(
        session=SessionOut.of(session, member=sessions.is_member(db, user, session))
    )


@router.patch(
    "/{slug}",
    response_model=SessionEnvelope,
    responses={403: {"model": ErrorOut}, 410: {"model": ErrorOut}},
)
def patch_session(slug: str, body: SessionPatchIn, user: CurrentUser, db: Db) -> SessionEnvelope:
    """Turn the lobby on or off: the session's creator or the space owner."""
    session = sessions.set_lobby(db, user, slug, body.lobby)
    db.commit()
    lobby.announce(session.id)
    return SessionEnvelope(session=SessionOut.of(session))


@router.post(
    "/{slug}/end",
    response_model=SessionEnvelope,
    responses={403: {"model": ErrorOut}, 410: {"model": ErrorOut}},
)
def end_session(slug: str, user: CurrentUser, db: Db) -> SessionEnvelope:
    session = sessions.end_session(db, user, slug)
    db.commit()
    return SessionEnvelope(session=SessionOut.of(session))


@router.delete(
    "/{slug}", response_model=None, status_code=204, responses={403: {"model": ErrorOut}}
)
def delete_session(slug: str, user: CurrentUser, db: Db) -> None:
    sessions.delete_session(db, user, slug)
    db.commit()
