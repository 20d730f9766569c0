"""Video sessions: readable slugs, the per-space list, ending and deleting."""

from __future__ import annotations

import base64
import binascii
import logging
import secrets
import string
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session as DbSession
from sqlmodel import and_, col, or_, select

from rooms.core import livekit, spaces
from rooms.core.errors import Forbidden, Gone, InvalidInput, NotFound
from rooms.core.i18n import N_
from rooms.core.models import Session, SessionStatus, SpaceRole, User, utcnow
from rooms.core.transcription import streams
from rooms.core.transcription.hub import get_hub
from rooms.core.validation import clean_optional_text, is_lookup_key

log = logging.getLogger("rooms.sessions")

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
    db: DbSession,
    user: User,
    *,
    title: str | None = None,
    space_id: str | None = None,
    lobby: bool = False,
) -> Session:
    if space_id is None:
        space_id = spaces.ensure_user_has_active_space(db, user).id
    spaces.require_member(db, user, space_id)
    clean_title = clean_optional_text(title, "Title", TITLE_MAX)
    for _ in range(5):
        session = Session(
            slug=new_slug(),
            title=clean_title,
            created_by_user_id=user.id,
            space_id=space_id,
            lobby=lobby,
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


def may_run(role: SpaceRole | None, session: Session, user_id: str) -> bool:
    """The session's creator or its space's owner ends it, edits it, runs its lobby."""
    return spaces.is_owner(role) or (role is not None and session.created_by_user_id == user_id)


def _require_manager(
    db: DbSession,
    user: User,
    session: Session,
    *,
    owner_only: bool,
    refusal: str = N_("Only the session's creator or the space owner can end it."),
) -> None:
    member = spaces.membership(db, user.id, session.space_id)
    if member is None:
        raise NotFound("Session not found.", code="SESSION_NOT_FOUND")
    if spaces.is_owner(member.role) if owner_only else may_run(member.role, session, user.id):
        return
    if owner_only:
        raise Forbidden("Only the space owner can do this.", code="NOT_ALLOWED")
    raise Forbidden(refusal, code="NOT_ALLOWED")


def require_joinable(session: Session) -> Session:
    if session.status == SessionStatus.ENDED:
        raise Gone("This session has ended.")
    return session


def end_session(db: DbSession, user: User, slug: str) -> Session:
    session = get_by_slug(db, slug)
    _require_manager(db, user, session, owner_only=False)
    require_joinable(session)
    mark_ended(db, session)
    return session


def may_manage(db: DbSession, user: User | None, session: Session) -> bool:
    """Whether `user` may end the session or turn its lobby on or off."""
    try:
        if user is None:
            return False
        _require_manager(db, user, session, owner_only=False)
    except (Forbidden, NotFound):
        return False
    return True


def set_lobby(db: DbSession, user: User, slug: str, on: bool) -> Session:
    """Turn the lobby on or off (its creator or the space owner). Turning it off lets
    whoever waits in on their next try; people already in stay in either way."""
    session = get_by_slug(db, slug)
    _require_manager(
        db,
        user,
        session,
        owner_only=False,
        refusal=N_("Only the session's creator or the space owner can change its lobby."),
    )
    require_joinable(session)
    session.lobby = on
    db.add(session)
    db.flush()
    return session


# --- what ending a session sets off ---------------------------------------------------

EndedListener = Callable[[str], None]
_ended_listeners: list[EndedListener] = []
_PENDING = "rooms.sessions.status"
STATUS_TOPIC = "session:"


def on_session_ended(listener: EndedListener) -> EndedListener:
    """Register `listener(slug)`, called once a session's end is committed, however it ended
    (ended by its creator or owner, or its LiveKit room finished). It runs in the thread
    that committed, usually a worker thread: a listener that lives on an event loop hands
    over with `loop.call_soon_threadsafe`. It must not raise (errors are logged)."""
    _ended_listeners.append(listener)
    return listener


def remove_session_ended_listener(listener: EndedListener) -> None:
    _ended_listeners.remove(listener)


def status_topic(session_id: str) -> str:
    """The hub topic on which every open page of a session hears its status change."""
    return STATUS_TOPIC + session_id


def _announce_status(session_id: str, status: str) -> None:
    # `status` is what the pages show next: ENDED, or "" once the session is deleted.
    try:
        get_hub().publish_now(status_topic(session_id), {"type": "status", "status": status})
    except Exception:  # the hub is best effort; the LiveKit room's end still reaches the room
        log.exception("session status announcement failed")


def mark_ended(db: DbSession, session: Session, *, room_gone: bool = False) -> bool:
    """The one place a session ends: status and time now; once that is committed, its
    LiveKit room is deleted (everyone in it is disconnected with ROOM_DELETED) unless
    LiveKit said it is gone already, and the listeners hear of it. Nothing happens outside
    the database if the change rolls back, nor for a session that had ended already."""
    if session.status == SessionStatus.ENDED:
        return False
    session.status = SessionStatus.ENDED
    session.ended_at = utcnow()
    db.add(session)
    db.flush()
    _pending(db)[session.slug] = (session.id, not room_gone, SessionStatus.ENDED.value)
    return True


def _pending(db: DbSession) -> dict[str, tuple[str, bool, str]]:
    """What to announce once this db session commits: slug -> (id, delete its LiveKit
    room, new status)."""
    if _PENDING not in db.info:
        # Listened to for the life of this db session (removing a listener from inside the
        # event it serves is not allowed); with nothing pending they do nothing.
        sa.event.listen(db, "after_commit", _announce_committed)
        sa.event.listen(db, "after_rollback", _forget_ended)
        db.info[_PENDING] = {}
    return db.info[_PENDING]


def _forget_ended(db: DbSession) -> None:
    db.info[_PENDING].clear()


def _announce_committed(db: DbSession) -> None:
    pending = dict(db.info[_PENDING])
    db.info[_PENDING].clear()
    for slug, (session_id, delete_room, status) in sorted(pending.items()):
        if status == SessionStatus.ENDED.value:
            _close_ended(slug, session_id, delete_room)
        _announce_status(session_id, status)


def _close_ended(slug: str, session_id: str, delete_room: bool) -> None:
    # Open transcription streams stop first: nothing is transcribed after the end.
    streams.close_streams(session_id, "SESSION_ENDED")
    if delete_room:
        close_room(slug)
    for listener in list(_ended_listeners):
        try:
            listener(slug)
        except Exception:  # one failing listener must not stop the others
            log.exception("session-ended listener failed for %s", slug)


def close_room(slug: str) -> None:
    """Delete the LiveKit room. The session has ended whatever LiveKit says: a room it does
    not know is closed already, and one it cannot reach is logged, not raised."""
    try:
        livekit.blocking(livekit.delete_room(slug))
    except livekit.ServiceError as exc:
        if not livekit.not_found(exc):
            log.warning("LiveKit did not delete room %s: %s", slug, exc)


def delete_session(db: DbSession, user: User, slug: str) -> None:
    session = get_by_slug(db, slug)
    _require_manager(db, user, session, owner_only=True)
    streams.close_streams(session.id, "SESSION_ENDED")
    _pending(db)[session.slug] = (session.id, False, "")
    db.delete(session)
    db.flush()
