"""Letting people in from the lobby: who waits, admitting and denying. Any member of the
session's space may do it (they are the hosts of its room); others learn nothing. The rule
for whether someone gets in is rooms.core.lobby.decide."""

from __future__ import annotations

from sqlmodel import Session as DbSession
from sqlmodel import col, select

from rooms.core import participants, sessions
from rooms.core.errors import Conflict, NotFound
from rooms.core.models import LobbyStatus, Participant, Session, User


def require_host(db: DbSession, user: User | None, slug: str) -> Session:
    session = sessions.get_by_slug(db, slug)
    if not sessions.is_member(db, user, session):
        raise NotFound("Session not found.", code="SESSION_NOT_FOUND")
    return session


def waiting(db: DbSession, user: User | None, slug: str) -> tuple[Session, list[Participant]]:
    """Who waits, first come first."""
    session = require_host(db, user, slug)
    rows = db.exec(
        select(Participant)
        .where(
            Participant.session_id == session.id,
            Participant.lobby_status == LobbyStatus.WAITING,
            col(Participant.removed_at).is_(None),
        )
        .order_by(col(Participant.joined_at), col(Participant.id))
    ).all()
    return session, list(rows)


def _entry(db: DbSession, user: User | None, slug: str, identity: str) -> Participant:
    require_host(db, user, slug)
    participant = participants.get_participant(db, slug, identity)
    if participant.lobby_status is None:
        raise NotFound("Nobody with that identity is in the lobby.", code="NOT_IN_LOBBY")
    return participant


def admit(db: DbSession, user: User | None, slug: str, identity: str) -> Participant:
    """Their next join (or token) call gets them in. Admitting twice is harmless."""
    participant = _entry(db, user, slug, identity)
    if participant.lobby_status != LobbyStatus.ADMITTED:
        participant.lobby_status = LobbyStatus.ADMITTED
        db.add(participant)
        db.flush()
    return participant


def deny(db: DbSession, user: User | None, slug: str, identity: str) -> Participant:
    """Their join is refused (403 LOBBY_DENIED) unless a member admits them after all.
    Someone already in the room is removed instead (rooms.core.room_events)."""
    participant = _entry(db, user, slug, identity)
    if participant.left_at is None:
        raise Conflict("They are in the room already; remove them instead.", code="ALREADY_IN_ROOM")
    participant.lobby_status = LobbyStatus.DENIED
    db.add(participant)
    db.flush()
    return participant
