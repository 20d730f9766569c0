"""Members of a space: an owner changes roles and removes people; anyone may leave."""

from __future__ import annotations

from fastapi import APIRouter, BackgroundTasks, Response

from rooms.api.deps import CurrentUser, Db
from rooms.api.schemas import ActiveSpaceOut, ErrorOut, MemberEnvelope, MemberOut, MemberRoleIn
from rooms.core import members

router = APIRouter(
    prefix="/api/spaces",
    tags=["members"],
    responses={
        400: {"model": ErrorOut},
        401: {"model": ErrorOut},
        404: {"model": ErrorOut},
        409: {"model": ErrorOut},
    },
)


@router.patch(
    "/{space_id}/members/{user_id}",
    response_model=MemberEnvelope,
    responses={403: {"model": ErrorOut}},
)
def change_role(
    space_id: str, user_id: str, body: MemberRoleIn, user: CurrentUser, db: Db
) -> MemberEnvelope:
    member, target = members.change_role(db, user, space_id, user_id, members.parse_role(body.role))
    db.commit()
    return MemberEnvelope(member=MemberOut.of(member, target))


@router.delete(
    "/{space_id}/members/{user_id}", status_code=204, responses={403: {"model": ErrorOut}}
)
def remove_member(
    space_id: str, user_id: str, user: CurrentUser, db: Db, tasks: BackgroundTasks
) -> Response:
    departure = members.remove_member(db, user, space_id, user_id)
    db.commit()
    tasks.add_task(members.drop_from_rooms, departure)
    return Response(status_code=204)


@router.post("/{space_id}/leave", response_model=ActiveSpaceOut)
def leave_space(space_id: str, user: CurrentUser, db: Db, tasks: BackgroundTasks) -> ActiveSpaceOut:
    departure = members.leave_space(db, user, space_id)
    db.commit()
    tasks.add_task(members.drop_from_rooms, departure)
    return ActiveSpaceOut(active_space_id=user.active_space_id)
