"""The signed-in user's profile."""

from __future__ import annotations

from fastapi import APIRouter

from rooms.api.deps import CurrentUser, Db
from rooms.api.schemas import ErrorOut, ProfilePatchIn, UserEnvelope, UserOut
from rooms.core import identity

router = APIRouter(prefix="/api/identity", tags=["identity"])


@router.get("/profile", response_model=UserEnvelope, responses={401: {"model": ErrorOut}})
def get_profile(user: CurrentUser) -> UserEnvelope:
    return UserEnvelope(user=UserOut.of(user))


@router.patch(
    "/profile",
    response_model=UserEnvelope,
    responses={400: {"model": ErrorOut}, 401: {"model": ErrorOut}},
)
def update_profile(body: ProfilePatchIn, user: CurrentUser, db: Db) -> UserEnvelope:
    update = identity.ProfileUpdate(
        name=body.name,
        display_name=body.display_name,
        avatar_url=body.avatar_url,
        locale=body.locale,
        fields=frozenset(body.model_fields_set),
    )
    identity.update_profile(db, user, update)
    db.commit()
    return UserEnvelope(user=UserOut.of(user))
