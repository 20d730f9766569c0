"""Who may read a session's transcript, live or saved: one rule for the REST export, the
transcript page, the room's caption panel (load, stream, load older) and search. And who may
read its analytics (figures, summary), which are drawn from that transcript.

- A member of the session's space: always, also after the session ended.
- Anyone else: only while the session is ACTIVE, and only while they are in it, i.e. they
  joined as a participant (guests by name, signed-in non-members through the link) and have
  not left. Their identity is the one the server recorded when they joined, never one a
  client names.
- Nobody else learns that the session has a transcript: refusal is "not found".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlmodel import Session as DbSession

from rooms.core import participants, sessions
from rooms.core.errors import NotFound
from rooms.core.models import Session, SessionStatus, User


@dataclass(frozen=True)
class Reader:
    """Who is asking: the signed-in user (if any) and the participant identity the server
    gave this viewer when they joined (if they did)."""

    user: User | None = None
    identity: str | None = None


def _present(db: DbSession, session: Session, reader: Reader) -> bool:
    identity = reader.identity
    if not identity and reader.user is not None:
        identity = participants.identity_of_user(reader.user)
    if not identity:
        return False
    me = participants.find(db, session.id, identity)
    if me is None or me.left_at is not None:
        return False
    # A signed-in viewer's row is theirs; a guest's row has no account behind it.
    return me.user_id == (reader.user.id if reader.user else None)


def can_read_transcript(db: DbSession, session: Session, reader: Reader) -> bool:
    if sessions.is_member(db, reader.user, session):
        return True
    return session.status == SessionStatus.ACTIVE and _present(db, session, reader)


def can_read_analytics(db: DbSession, session: Session, reader: Reader) -> bool:
    """The figures and the summary (issue 17) are for the space's members: being present in
    the room lets a guest read the captions, not the meeting's account. They come from the
    transcript, so they never reach further than its rule either."""
    return sessions.is_member(db, reader.user, session) and can_read_transcript(db, session, reader)


Rule = Callable[[DbSession, Session, Reader], bool]


def _session_if(db: DbSession, slug: str, reader: Reader, rule: Rule) -> Session:
    session = sessions.get_by_slug(db, slug)
    if not rule(db, session, reader):
        raise NotFound("Session not found.", code="SESSION_NOT_FOUND")
    return session


def readable_session(db: DbSession, slug: str, reader: Reader) -> Session:
    """The session if `reader` may read its transcript; otherwise it does not exist."""
    return _session_if(db, slug, reader, can_read_transcript)


def analytics_session(db: DbSession, slug: str, reader: Reader) -> Session:
    """The session if `reader` may read its analytics; otherwise it does not exist."""
    return _session_if(db, slug, reader, can_read_analytics)


def still_readable(db: DbSession, session_id: str, reader: Reader) -> bool:
    """For a stream already open: does the rule still hold (left, ended, removed)?"""
    session = db.get(Session, session_id)
    return session is not None and can_read_transcript(db, session, reader)
