"""Invitations: an owner creates, lists and revokes them; whoever holds the link reads it
and, signed in, accepts it."""

from __future__ import annotations

from fastapi import APIRouter, BackgroundTasks, Response

from rooms.api.deps import CurrentUser, Db
from rooms.api.schemas import (
    ErrorOut,
    InvitationCreateIn,
    InvitationEnvelope,
    InvitationOut,
    InvitationPublicOut,
    InvitationsOut,
    SpaceEnvelope,
    SpaceOut,
)
from rooms.core import invitations, mail, members
from rooms.core.models import Space

_errors: dict[int | str, dict] = {
    400: {"model": ErrorOut},
    401: {"model": ErrorOut},
    403: {"model": ErrorOut},
    404: {"model": ErrorOut},
}
space_router = APIRouter(prefix="/api/spaces", tags=["invitations"], responses=_errors)
token_router = APIRouter(prefix="/api/invitations", tags=["invitations"])


@space_router.post(
    "/{space_id}/invitations",
    status_code=201,
    response_model=InvitationEnvelope,
    responses={409: {"model": ErrorOut}, 429: {"model": ErrorOut}},
)
def create_invitation(
    space_id: str, body: InvitationCreateIn, user: CurrentUser, db: Db, tasks: BackgroundTasks
) -> InvitationEnvelope:
    role = members.parse_role(body.role)
    invitation = invitations.create_invitation(db, user, space_id, role, body.email)
    letter = invitations.invitation_mail(db, invitation) if mail.configured() else None
    db.commit()
    if letter is not None:
        # After the answer: the link is the owner's to copy whatever the mail server does.
        tasks.add_task(mail.send, letter)
    return InvitationEnvelope(invitation=InvitationOut.of(invitation))


@space_router.get("/{space_id}/invitations", response_model=InvitationsOut)
def list_invitations(space_id: str, user: CurrentUser, db: Db) -> InvitationsOut:
    rows = invitations.list_open(db, user, space_id)
    return InvitationsOut(invitations=[InvitationOut.of(inv) for inv in rows])


@space_router.delete("/{space_id}/invitations/{invitation_id}", status_code=204)
def revoke_invitation(space_id: str, invitation_id: str, user: CurrentUser, db: Db) -> Response:
    invitations.revoke(db, user, space_id, invitation_id)
    db.commit()
    return Response(status_code=204)


@token_router.get(
    "/{token}",
    response_model=InvitationPublicOut,
    responses={404: {"model": ErrorOut}, 410: {"model": ErrorOut}},
)
def read_invitation(token: str, db: Db) -> InvitationPublicOut:
    return InvitationPublicOut.of(invitations.view(db, token))


@token_router.post(
    "/{token}/accept",
    response_model=SpaceEnvelope,
    responses={
        401: {"model": ErrorOut},
        403: {"model": ErrorOut},
        404: {"model": ErrorOut},
        410: {"model": ErrorOut},
    },
)
def accept_invitation(token: str, user: CurrentUser, db: Db) -> SpaceEnvelope:
    member = invitations.accept(db, user, token)
    db.commit()
    space = db.get(Space, member.space_id)
    assert space is not None
    return SpaceEnvelope(space=SpaceOut.of(space, member.role, user.active_space_id))
