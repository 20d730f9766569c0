"""Spaces, their members and roles, and each user's active space."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session as DbSession
from sqlmodel import col, func, select

from rooms.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from rooms.core.models import Space, SpaceMember, SpaceMode, SpaceRole, User, utcnow
from rooms.core.users import get_user_by_email
from rooms.core.validation import clean_email, clean_text, is_lookup_key

NAME_MAX = 100
DEFAULT_SPACE_NAME = "My space"


@dataclass(frozen=True)
class SpaceView:
    space: Space
    role: SpaceRole


def parse_mode(value: str) -> SpaceMode:
    try:
        return SpaceMode(value)
    except ValueError:
        allowed = ", ".join(m.value for m in SpaceMode)
        raise InvalidInput(
            "mode must be one of: {choices}.", code="INVALID_MODE", choices=allowed
        ) from None


def membership(db: DbSession, user_id: str, space_id: str) -> SpaceMember | None:
    return db.exec(
        select(SpaceMember).where(SpaceMember.space_id == space_id, SpaceMember.user_id == user_id)
    ).first()


def require_member(db: DbSession, user: User, space_id: str) -> SpaceView:
    """The space as this user sees it; a space they are not in does not exist for them."""
    space = db.get(Space, space_id) if is_lookup_key(space_id) else None
    member = membership(db, user.id, space_id) if space else None
    if space is None or member is None:
        raise NotFound("Space not found.", code="SPACE_NOT_FOUND")
    return SpaceView(space=space, role=member.role)


def is_owner(role: SpaceRole | None) -> bool:
    """Who manages a space: its settings (mode, glossary, language), members, and every
    session in it."""
    return role == SpaceRole.OWNER


def require_owner(db: DbSession, user: User, space_id: str) -> Space:
    view = require_member(db, user, space_id)
    if not is_owner(view.role):
        raise Forbidden("Only the space owner can do this.", code="NOT_SPACE_OWNER")
    return view.space


def list_spaces(db: DbSession, user: User) -> list[SpaceView]:
    rows = db.exec(
        select(Space, SpaceMember.role)
        .join(SpaceMember, col(SpaceMember.space_id) == col(Space.id))
        .where(SpaceMember.user_id == user.id)
        .order_by(col(Space.created_at), col(Space.id))
    ).all()
    return [SpaceView(space=space, role=role) for space, role in rows]


def _count_spaces(db: DbSession, user_id: str) -> int:
    return db.exec(
        select(func.count()).select_from(SpaceMember).where(SpaceMember.user_id == user_id)
    ).one()


def create_space(
    db: DbSession, user: User, name: str, mode: SpaceMode = SpaceMode.SESSIONS_ONLY
) -> Space:
    space = Space(name=clean_text(name, "Space name", NAME_MAX), owner_id=user.id, mode=mode)
    db.add(space)
    db.flush()
    db.add(SpaceMember(space_id=space.id, user_id=user.id, role=SpaceRole.OWNER))
    db.flush()
    return space


def ensure_user_has_active_space(db: DbSession, user: User) -> Space:
    """Every user always has at least one space, and an active one they belong to."""
    if user.active_space_id and membership(db, user.id, user.active_space_id):
        space = db.get(Space, user.active_space_id)
        if space is not None:
            return space
    views = list_spaces(db, user)
    space = views[0].space if views else create_space(db, user, DEFAULT_SPACE_NAME)
    user.active_space_id = space.id
    db.add(user)
    db.flush()
    return space


def rename_space(db: DbSession, user: User, space_id: str, name: str) -> Space:
    space = require_owner(db, user, space_id)
    space.name = clean_text(name, "Space name", NAME_MAX)
    space.updated_at = utcnow()
    db.add(space)
    db.flush()
    return space


def update_mode(db: DbSession, user: User, space_id: str, mode: SpaceMode) -> Space:
    space = require_owner(db, user, space_id)
    space.mode = mode
    space.updated_at = utcnow()
    db.add(space)
    db.flush()
    return space


def delete_space(db: DbSession, user: User, space_id: str) -> None:
    space = require_owner(db, user, space_id)
    if _count_spaces(db, user.id) <= 1:
        raise Conflict("You cannot delete your last space.", code="LAST_SPACE")
    member_ids = db.exec(select(SpaceMember.user_id).where(SpaceMember.space_id == space.id)).all()
    db.delete(space)
    db.flush()
    # Everyone who was in it keeps a valid active space (a fresh one if this was their only one).
    for member_id in member_ids:
        member = db.get(User, member_id)
        if member is not None:
            db.refresh(member)
            ensure_user_has_active_space(db, member)


def set_active_space(db: DbSession, user: User, space_id: str) -> Space:
    space = require_member(db, user, space_id).space
    user.active_space_id = space.id
    db.add(user)
    db.flush()
    return space


def list_members(db: DbSession, user: User, space_id: str) -> list[tuple[SpaceMember, User]]:
    require_member(db, user, space_id)
    rows = db.exec(
        select(SpaceMember, User)
        .join(User, col(User.id) == col(SpaceMember.user_id))
        .where(SpaceMember.space_id == space_id)
        .order_by(col(SpaceMember.created_at), col(SpaceMember.id))
    ).all()
    return [(m, u) for m, u in rows]


def add_member(
    db: DbSession, user: User, space_id: str, email: str, role: SpaceRole = SpaceRole.MEMBER
) -> tuple[SpaceMember, User]:
    require_owner(db, user, space_id)
    target = get_user_by_email(db, clean_email(email))
    if target is None:
        raise NotFound("No account uses this email yet.", code="USER_NOT_FOUND")
    if membership(db, target.id, space_id) is not None:
        raise Conflict("This person is already a member.", code="ALREADY_MEMBER")
    member = SpaceMember(space_id=space_id, user_id=target.id, role=role)
    db.add(member)
    try:
        db.flush()
    except IntegrityError as exc:
        raise Conflict("This person is already a member.", code="ALREADY_MEMBER") from exc
    return member, target


def set_up_first_space(db: DbSession, user: User, name: str, mode: SpaceMode) -> Space:
    """Onboarding: name the space a new account starts in (its active one) and pick its
    mode. Only its owner may, as for any rename or mode change."""
    space = ensure_user_has_active_space(db, user)
    rename_space(db, user, space.id, name)
    return update_mode(db, user, space.id, mode)
