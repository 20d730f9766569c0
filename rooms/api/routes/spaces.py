"""Spaces: list, create, rename, delete, set active, change mode, members."""

from __future__ import annotations

from fastapi import APIRouter

from rooms.api.deps import CurrentUser, Db
from rooms.api.schemas import (
    ActiveSpaceOut,
    ErrorOut,
    MemberAddIn,
    MemberEnvelope,
    MemberOut,
    MembersOut,
    SpaceCreateIn,
    SpaceEnvelope,
    SpaceModeIn,
    SpaceOut,
    SpaceRenameIn,
    SpacesOut,
)
from rooms.core import spaces
from rooms.core.models import SpaceRole

router = APIRouter(
    prefix="/api/spaces",
    tags=["spaces"],
    responses={401: {"model": ErrorOut}, 400: {"model": ErrorOut}},
)
_owner_errors: dict[int | str, dict] = {403: {"model": ErrorOut}, 404: {"model": ErrorOut}}


@router.get("", response_model=SpacesOut)
def list_spaces(user: CurrentUser, db: Db) -> SpacesOut:
    spaces.ensure_user_has_active_space(db, user)
    views = spaces.list_spaces(db, user)
    db.commit()
    return SpacesOut.of(views, user.active_space_id)


@router.post("", status_code=201, response_model=SpaceEnvelope)
def create_space(body: SpaceCreateIn, user: CurrentUser, db: Db) -> SpaceEnvelope:
    space = spaces.create_space(db, user, body.name, spaces.parse_mode(body.mode))
    db.commit()
    return SpaceEnvelope(space=SpaceOut.of(space, SpaceRole.OWNER, user.active_space_id))


@router.patch("/{space_id}", response_model=SpaceEnvelope, responses=_owner_errors)
def rename_space(space_id: str, body: SpaceRenameIn, user: CurrentUser, db: Db) -> SpaceEnvelope:
    space = spaces.rename_space(db, user, space_id, body.name)
    db.commit()
    return SpaceEnvelope(space=SpaceOut.of(space, SpaceRole.OWNER, user.active_space_id))


@router.delete(
    "/{space_id}",
    response_model=ActiveSpaceOut,
    responses={**_owner_errors, 409: {"model": ErrorOut}},
)
def delete_space(space_id: str, user: CurrentUser, db: Db) -> ActiveSpaceOut:
    spaces.delete_space(db, user, space_id)
    db.commit()
    return ActiveSpaceOut(active_space_id=user.active_space_id)


@router.post("/{space_id}/set-active", response_model=ActiveSpaceOut, responses=_owner_errors)
def set_active(space_id: str, user: CurrentUser, db: Db) -> ActiveSpaceOut:
    space = spaces.set_active_space(db, user, space_id)
    db.commit()
    return ActiveSpaceOut(active_space_id=space.id)


@router.patch("/{space_id}/mode", response_model=SpaceEnvelope, responses=_owner_errors)
def update_mode(space_id: str, body: SpaceModeIn, user: CurrentUser, db: Db) -> SpaceEnvelope:
    space = spaces.update_mode(db, user, space_id, spaces.parse_mode(body.mode))
    db.commit()
    return SpaceEnvelope(space=SpaceOut.of(space, SpaceRole.OWNER, user.active_space_id))


@router.get("/{space_id}/members", response_model=MembersOut, responses=_owner_errors)
def list_members(space_id: str, user: CurrentUser, db: Db) -> MembersOut:
    rows = spaces.list_members(db, user, space_id)
    return MembersOut(members=[MemberOut.of(m, u) for m, u in rows])


@router.post(
    "/{space_id}/members",
    status_code=201,
    response_model=MemberEnvelope,
    responses={**_owner_errors, 409: {"model": ErrorOut}},
)
def add_member(space_id: str, body: MemberAddIn, user: CurrentUser, db: Db) -> MemberEnvelope:
    member, target = spaces.add_member(db, user, space_id, body.email)
    db.commit()
    return MemberEnvelope(member=MemberOut.of(member, target))
