"""Video sessions: readable slugs, the per-space list, ending and deleting."""

from __future__ import annotations

import base64
import binascii
import secrets
import string
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session as DbSession
from sqlmodel import and_, col, or_, select

from rooms.core import spaces
from rooms.core.errors import Forbidden, Gone, InvalidInput, NotFound
from rooms.core.models import Session, SessionStatus, SpaceRole, User, utcnow
from rooms.core.transcription import streams
from rooms.core.validation import clean_optional_text, is_lookup_key

TITLE_MAX = 200
SLUG_MAX = 64
_SLUG_ALPHABET = string.ascii_lowercase


def new_slug() -> str:
    """`abc-defg-hij`: easy to read aloud, 26^10 possibilities."""
    parts = (3, 4, 3)
    return "-".join("".join(secrets.choice(_SLUG_ALPHABET) for _ in range(n)) for n in parts)


@dataclass(frozen=True)
class SessionPage:
    sessions: list[Session]
    next_cursor: str | None


def _encode_cursor(session: Session) -> str:
    raw = f"{session.created_at.isoformat()}|{session.id}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        stamp, session_id = raw.split("|", 1)
        if not (session_id.isascii() and session_id.isalnum()):
            raise ValueError(session_id)
        return datetime.fromisoformat(stamp), session_id
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidInput("cursor is not valid.", code="INVALID_CURSOR") from None


def list_sessions(
    db: DbSession,
    user: User,
    *,
    space_id: str | None = None,
    limit: int = 20,
    cursor: str | None = None,
) -> SessionPage:
    """Sessions of one space (the active one by default), newest first."""
    if space_id is None:
        space_id = spaces.ensure_user_has_active_space(db, user).id
    spaces.require_member(db, user, space_id)
    query = select(Session).where(Session.space_id == space_id)
    if cursor:
        created_at, last_id = _decode_cursor(cursor)
        query = query.where(
            or_(
                col(Session.created_at) < created_at,
                and_(col(Session.created_at) == created_at, col(Session.id) < last_id),
            )
        )
    query = query.order_by(col(Session.created_at).desc(), col(Session.id).desc())
    rows = list(db.exec(query.limit(limit + 1)).all())
    has_more = len(rows) > limit
    rows = rows[:limit]
    return SessionPage(rows, _encode_cursor(rows[-1]) if has_more and rows else None)


def create_session(
    db: DbSession, user: User, *, title: str | None = None, space_id: str | None = None
) -> Session:
    if space_id is None:
        space_id = spaces.ensure_user_has_active_space(db, user).id
    spaces.require_member(db, user, space_id)
    clean_title = clean_optional_text(title, "Title", TITLE_MAX)
    for _ in range(5):
        session = Session(
            slug=new_slug(), title=clean_title, created_by_user_id=user.id, space_id=space_id
        )
        try:
            with db.begin_nested():
                db.add(session)
                db.flush()
            return session
        except IntegrityError:  # a slug collision: vanishingly rare, so just draw again
            continue
    raise RuntimeError("could not find a free session slug")


def get_by_slug(db: DbSession, slug: str) -> Session:
    session = None
    if is_lookup_key(slug, SLUG_MAX):
        session = db.exec(select(Session).where(Session.slug == slug.lower())).first()
    if session is None:
        raise NotFound("Session not found.", code="SESSION_NOT_FOUND")
    return session


def is_member(db: DbSession, user: User | None, session: Session) -> bool:
    return user is not None and spaces.membership(db, user.id, session.space_id) is not None


def _require_manager(db: DbSession, user: User, session: Session, *, owner_only: bool) -> None:
    member = spaces.membership(db, user.id, session.space_id)
    if member is None:
        raise NotFound("Session not found.", code="SESSION_NOT_FOUND")
    if member.role == SpaceRole.OWNER:
        return
    if not owner_only and session.created_by_user_id == user.id:
        return
    raise Forbidden(
        "Only the space owner can do this."
        if owner_only
        else "Only the session's creator or the space owner can end it.",
        code="NOT_ALLOWED",
    )


def require_joinable(session: Session) -> Session:
    if session.status == SessionStatus.ENDED:
        raise Gone("This session has ended.")
    return session


def end_session(db: DbSession, user: User, slug: str) -> Session:
    session = get_by_slug(db, slug)
    _require_manager(db, user, session, owner_only=False)
    require_joinable(session)
    session.status = SessionStatus.ENDED
    session.ended_at = utcnow()
    db.add(session)
    db.flush()
    streams.close_streams(session.id, "SESSION_ENDED")
    return session


def delete_session(db: DbSession, user: User, slug: str) -> None:
    session = get_by_slug(db, slug)
    _require_manager(db, user, session, owner_only=True)
    streams.close_streams(session.id, "SESSION_ENDED")
    db.delete(session)
    db.flush()
