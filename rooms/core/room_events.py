"""What LiveKit tells us and what we tell LiveKit: webhook events update participants and
sessions; the space owner removes someone from a room, which bans that identity from the
session until the owner lifts it (LiveKit tokens cannot be revoked, so a banned identity
that connects with a token it still holds is dropped again when LiveKit reports it)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from livekit.protocol.models import DisconnectReason
from sqlmodel import Session as DbSession
from sqlmodel import col, select

from rooms.core import livekit, lobby, participants, presence, sessions
from rooms.core.errors import DomainError, Forbidden, InvalidInput, NotFound
from rooms.core.models import Participant, Session, SpaceRole, User, utcnow
from rooms.core.spaces import membership

log = logging.getLogger("rooms.livekit")


class LiveKitUnavailable(DomainError):
    status = 502
    code = "LIVEKIT_UNAVAILABLE"


# --- removing someone ------------------------------------------------------------


def check_moderator(db: DbSession, user: User | None, slug: str) -> Session:
    """Only the owner of the session's space may remove people or lift a removal; others
    learn nothing."""
    session = sessions.get_by_slug(db, slug)
    member = membership(db, user.id, session.space_id) if user is not None else None
    if member is None:
        raise NotFound("Session not found.", code="SESSION_NOT_FOUND")
    if member.role != SpaceRole.OWNER:
        raise Forbidden("Only the space owner can remove participants.", code="NOT_SPACE_OWNER")
    return session


def may_moderate(db: DbSession, user: User | None, slug: str) -> bool:
    try:
        check_moderator(db, user, slug)
    except DomainError:
        return False
    return True


def check_removal(db: DbSession, user: User, slug: str, identity: str) -> Participant:
    check_moderator(db, user, slug)
    return participants.get_participant(db, slug, identity)


async def disconnect(slug: str, identity: str) -> None:
    """Ask LiveKit to drop the participant; someone LiveKit no longer knows is gone already."""
    try:
        await livekit.remove_participant(slug, identity)
    except livekit.ServiceError as exc:
        if livekit.not_found(exc):
            return
        log.warning("LiveKit did not remove a participant: %s", exc)
        raise LiveKitUnavailable("The video server cannot be reached right now.") from None


def remove(db: DbSession, user: User, slug: str, identity: str) -> Participant:
    """Ban them from the session and drop them from the room. If LiveKit cannot be reached
    this raises before anything is committed: the caller's transaction rolls back and the
    owner learns that nothing happened."""
    participant = check_removal(db, user, slug, identity)
    if participant.user_id == user.id:
        raise InvalidInput("You cannot remove yourself; leave instead.", code="CANNOT_REMOVE_SELF")
    participant.removed_at = participant.removed_at or utcnow()
    db.add(participant)
    participants.mark_left(db, slug, identity)
    livekit.blocking(disconnect(slug, identity))
    return participant


def lift_ban(db: DbSession, user: User, slug: str, identity: str) -> Participant:
    """They may join again with the link (a new join, a new token)."""
    participant = check_removal(db, user, slug, identity)
    participant.removed_at = None
    db.add(participant)
    db.flush()
    return participant


# --- what the page does when LiveKit drops it -----------------------------------------


_PHASE_AFTER_DISCONNECT = {
    DisconnectReason.CLIENT_INITIATED: "left",
    DisconnectReason.PARTICIPANT_REMOVED: "removed",
    DisconnectReason.ROOM_DELETED: "ended",
    DisconnectReason.ROOM_CLOSED: "ended",
}


def phase_after_disconnect(reason: int) -> str | None:
    """The room page's phase for LiveKit's DisconnectReason; None means the connection was
    lost (the page offers to reconnect)."""
    return _PHASE_AFTER_DISCONNECT.get(reason)  # type: ignore[call-overload]


# --- webhook events ----------------------------------------------------------------


def _session_for_room(db: DbSession, room: str) -> Session | None:
    try:
        return sessions.get_by_slug(db, room)
    except NotFound:
        return None


@dataclass(frozen=True)
class Applied:
    changed: bool
    # A banned identity (or one the lobby holds back) connected: drop it from the room at once.
    eject: bool = False


def apply_event(db: DbSession, event: str, room: str, identity: str | None) -> Applied:
    """Apply one LiveKit webhook event. `changed` says whether it changed anything; events
    about rooms or people we never issued a token for are ignored, not errors (LiveKit
    would only retry them)."""
    session = _session_for_room(db, room) if room else None
    if session is None:
        return Applied(False)
    if event == "participant_joined" and identity:
        participant = participants.find(db, session.id, identity)
        if participant is None:
            return Applied(False)
        if participant.removed_at is not None or lobby.blocks_connection(participant):
            log.info("a removed or waiting participant connected to %s: dropping them", room)
            return Applied(False, eject=True)
        participant.left_at = None
        db.add(participant)
        db.flush()
        presence.arrived(db, participant)
        if participants.current_transcription_host(db, session) is None:
            participants.select_transcription_host(db, session)
        return Applied(True)
    if event == "participant_left" and identity:
        participant = participants.find(db, session.id, identity)
        if participant is None or participant.left_at is not None:
            return Applied(False)
        participants.mark_left(db, session.slug, identity)
        return Applied(True)
    if event == "room_finished":
        return Applied(finish_session(db, session))
    return Applied(False)


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
    db.flush()
    presence.departed(db, [p.id for p in present], now)
    ended = sessions.mark_ended(db, session, room_gone=True)
    return bool(present) or ended
