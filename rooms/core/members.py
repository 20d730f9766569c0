"""Who is in a space and with what role: changing a role, removing someone, leaving.

Rules, one function each:
- only an OWNER changes roles or removes people (`require_member_manager`);
- a space always keeps an owner: demoting, removing or leaving as its last one is
  LAST_OWNER (`check_keeps_an_owner`);
- someone who stops being a member loses the space at once (`_depart`): they leave its
  live sessions (so every live stream's access check refuses them from then on, see
  rooms.core.access) and their active space moves to another of theirs, or to a new one
  (every user always has one, rooms.core.spaces.ensure_user_has_active_space).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlmodel import Session as DbSession
from sqlmodel import col, select

from rooms.core import livekit, participants
from rooms.core.errors import Conflict, InvalidInput, NotFound
from rooms.core.models import (
    Participant,
    Session,
    SessionStatus,
    Space,
    SpaceMember,
    SpaceRole,
    User,
)
from rooms.core.spaces import (
    ensure_user_has_active_space,
    membership,
    require_member,
    require_owner,
)
from rooms.core.validation import is_lookup_key

log = logging.getLogger("rooms.members")


@dataclass(frozen=True)
class Departure:
    """What someone who left a space was still connected to: the rooms to drop them from."""

    user_id: str
    rooms: list[tuple[str, str]] = field(default_factory=list)  # (slug, LiveKit identity)


def parse_role(value: str) -> SpaceRole:
    try:
        return SpaceRole(value)
    except ValueError:
        allowed = ", ".join(r.value for r in SpaceRole)
        raise InvalidInput(
            "role must be one of: {choices}.", code="INVALID_ROLE", choices=allowed
        ) from None


def require_member_manager(db: DbSession, user: User, space_id: str) -> Space:
    """Who may change roles and remove people: the space's owners."""
    return require_owner(db, user, space_id)


def _target(db: DbSession, space_id: str, user_id: str) -> SpaceMember:
    member = membership(db, user_id, space_id) if is_lookup_key(user_id) else None
    if member is None:
        raise NotFound("This person is not a member of the space.", code="MEMBER_NOT_FOUND")
    return member


def _owner_count(db: DbSession, space_id: str) -> int:
    # Locked (on PostgreSQL) until the change commits: two owners demoting each other at
    # once would otherwise both see the other one still there and leave the space ownerless.
    return len(
        db.exec(
            select(SpaceMember.id)
            .where(SpaceMember.space_id == space_id, SpaceMember.role == SpaceRole.OWNER)
            .order_by(col(SpaceMember.id))
            .with_for_update()
        ).all()
    )


def check_keeps_an_owner(db: DbSession, member: SpaceMember) -> None:
    """Refuse whatever would take the space's last owner away."""
    if member.role == SpaceRole.OWNER and _owner_count(db, member.space_id) <= 1:
        raise Conflict(
            "A space always keeps an owner: make someone else an owner first.",
            code="LAST_OWNER",
        )


def _hand_over(db: DbSession, space: Space, leaving_user_id: str) -> None:
    """`Space.owner_id` names an owner who is still one: the longest-standing other owner."""
    if space.owner_id != leaving_user_id:
        return
    other = db.exec(
        select(SpaceMember)
        .where(
            SpaceMember.space_id == space.id,
            SpaceMember.role == SpaceRole.OWNER,
            SpaceMember.user_id != leaving_user_id,
        )
        .order_by(col(SpaceMember.created_at), col(SpaceMember.id))
    ).first()
    if other is not None:
        space.owner_id = other.user_id
        db.add(space)


def change_role(
    db: DbSession, user: User, space_id: str, target_user_id: str, role: SpaceRole
) -> tuple[SpaceMember, User]:
    space = require_member_manager(db, user, space_id)
    member = _target(db, space_id, target_user_id)
    if role != SpaceRole.OWNER:
        check_keeps_an_owner(db, member)
        _hand_over(db, space, member.user_id)
    member.role = role
    db.add(member)
    db.flush()
    target = db.get(User, member.user_id)
    assert target is not None  # the membership's foreign key
    return member, target


def _depart(db: DbSession, member: SpaceMember) -> Departure:
    space = db.get(Space, member.space_id)
    target = db.get(User, member.user_id)
    assert space is not None and target is not None  # the membership's foreign keys
    check_keeps_an_owner(db, member)
    _hand_over(db, space, member.user_id)
    identity = participants.identity_of_user(target)
    present = db.exec(
        select(Session.slug)
        .join(Participant, col(Participant.session_id) == col(Session.id))
        .where(
            Session.space_id == space.id,
            Session.status == SessionStatus.ACTIVE,
            Participant.identity == identity,
            col(Participant.left_at).is_(None),
        )
    ).all()
    for slug in present:
        participants.mark_left(db, slug, identity)
    db.delete(member)
    db.flush()
    db.refresh(target)
    ensure_user_has_active_space(db, target)
    return Departure(user_id=target.id, rooms=[(slug, identity) for slug in present])


def remove_member(db: DbSession, user: User, space_id: str, target_user_id: str) -> Departure:
    require_member_manager(db, user, space_id)
    return _depart(db, _target(db, space_id, target_user_id))


def leave_space(db: DbSession, user: User, space_id: str) -> Departure:
    """Any member may leave (the last owner only after handing the space over)."""
    require_member(db, user, space_id)
    departure = _depart(db, _target(db, space_id, user.id))
    db.refresh(user)
    return departure


async def drop_from_rooms(departure: Departure) -> None:
    """After the commit: LiveKit drops them from the rooms they were still in. Their pages
    stop receiving the space's data whatever LiveKit answers (the access checks run on the
    database), so a video server that cannot be reached is only logged."""
    for slug, identity in departure.rooms:
        try:
            await livekit.remove_participant(slug, identity)
        except livekit.ServiceError as exc:
            if not livekit.not_found(exc):
                log.warning("LiveKit did not drop a departed member from %s: %s", slug, exc)
