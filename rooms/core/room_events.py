"""What LiveKit tells us and what we tell LiveKit: webhook events update participants and
sessions; the space owner can remove someone from a room."""

from __future__ import annotations

import logging

import aiohttp
from livekit import api
from sqlmodel import Session as DbSession
from sqlmodel import col, select

from rooms.core import livekit, participants, sessions
from rooms.core.errors import DomainError, Forbidden, NotFound
from rooms.core.models import Participant, Session, SessionStatus, SpaceRole, User, utcnow
from rooms.core.spaces import membership
from rooms.core.transcription import streams

log = logging.getLogger("rooms.livekit")


class LiveKitUnavailable(DomainError):
    status = 502
    code = "LIVEKIT_UNAVAILABLE"


# --- removing someone ------------------------------------------------------------


def check_removal(db: DbSession, user: User, slug: str, identity: str) -> Participant:
    """Only the owner of the session's space may remove people; others learn nothing."""
    session = sessions.get_by_slug(db, slug)
    member = membership(db, user.id, session.space_id)
    if member is None:
        raise NotFound("Session not found.", code="SESSION_NOT_FOUND")
    if member.role != SpaceRole.OWNER:
        raise Forbidden("Only the space owner can remove participants.", code="NOT_SPACE_OWNER")
    return participants.get_participant(db, slug, identity)


async def disconnect(slug: str, identity: str) -> None:
    """Ask LiveKit to drop the participant; someone LiveKit no longer knows is gone already."""
    try:
        await livekit.remove_participant(slug, identity)
    except api.twirp_client.ServerError as exc:
        if exc.code == "not_found":
            return
        log.warning("LiveKit refused to remove a participant: %s", exc.code)
        raise LiveKitUnavailable("The video server refused the request.") from None
    except (TimeoutError, aiohttp.ClientError, OSError) as exc:
        log.warning("LiveKit unreachable: %s", type(exc).__name__)
        raise LiveKitUnavailable("The video server cannot be reached right now.") from None


# --- webhook events ----------------------------------------------------------------


def _session_for_room(db: DbSession, room: str) -> Session | None:
    try:
        return sessions.get_by_slug(db, room)
    except NotFound:
        return None


def _participant(db: DbSession, session: Session, identity: str) -> Participant | None:
    return db.exec(
        select(Participant).where(
            Participant.session_id == session.id, Participant.identity == identity
        )
    ).first()


def apply_event(db: DbSession, event: str, room: str, identity: str | None) -> bool:
    """Apply one LiveKit webhook event. Returns whether it changed anything; events about
    rooms or people we never issued a token for are ignored, not errors (LiveKit would
    only retry them)."""
    session = _session_for_room(db, room) if room else None
    if session is None:
        return False
    if event == "participant_joined" and identity:
        participant = _participant(db, session, identity)
        if participant is None:
            return False
        participant.left_at = None
        db.add(participant)
        db.flush()
        if participants.current_transcription_host(db, session) is None:
            participants.select_transcription_host(db, session)
        return True
    if event == "participant_left" and identity:
        if _participant(db, session, identity) is None:
            return False
        participants.mark_left(db, session.slug, identity)
        return True
    if event == "room_finished":
        return finish_session(db, session)
    return False


def finish_session(db: DbSession, session: Session) -> bool:
    """The room is over: the session ends and nobody is present any longer."""
    now = utcnow()
    present = db.exec(
        select(Participant).where(
            Participant.session_id == session.id, col(Participant.left_at).is_(None)
        )
    ).all()
    for p in present:
        p.left_at = now
        p.is_transcription_host = False
        db.add(p)
    changed = bool(present)
    if session.status != SessionStatus.ENDED:
        session.status = SessionStatus.ENDED
        session.ended_at = now
        db.add(session)
        changed = True
    db.flush()
    streams.close_streams(session.id, "SESSION_ENDED")
    return changed
