"""Who is in a session: joining (HOST for space members, GUEST otherwise), leaving, and the
one designated transcription host, re-selected when the host leaves."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlmodel import Session as DbSession
from sqlmodel import col, select

from rooms.core import livekit, sessions, spaces
from rooms.core.config import get_settings
from rooms.core.errors import Forbidden, InvalidInput, NotFound
from rooms.core.identity import display_name
from rooms.core.models import Participant, ParticipantRole, Session, SpaceRole, User, utcnow
from rooms.core.transcription import streams
from rooms.core.validation import clean_text, is_lookup_key

GUEST_NAME_MAX = 60


@dataclass(frozen=True)
class Joined:
    participant: Participant
    token: str
    server_url: str


def _identity_for(user: User | None) -> str:
    # A signed-in person keeps one identity per session, so rejoining updates their row;
    # every guest join is someone new.
    return f"user-{user.id}" if user else f"guest-{secrets.token_hex(8)}"


def join_session(db: DbSession, slug: str, user: User | None, guest_name: str | None) -> Joined:
    """Record (or refresh) a participant and mint their LiveKit token for room = slug."""
    session = sessions.require_joinable(sessions.get_by_slug(db, slug))
    if user is None:
        if guest_name is None:
            raise InvalidInput("Guests need a name to join.", code="NAME_REQUIRED")
        name = clean_text(guest_name, "Name", GUEST_NAME_MAX)
    else:
        name = display_name(user)
    role = ParticipantRole.HOST if sessions.is_member(db, user, session) else ParticipantRole.GUEST
    identity = _identity_for(user)
    participant = find(db, session.id, identity)
    if participant is None:
        participant = Participant(
            session_id=session.id, user_id=user.id if user else None, identity=identity
        )
    participant.name = name
    participant.role = role
    participant.joined_at = utcnow()
    participant.left_at = None
    db.add(participant)
    db.flush()
    if current_transcription_host(db, session) is None:
        select_transcription_host(db, session)
    token = livekit.mint_token(
        room=session.slug,
        identity=identity,
        name=name,
        metadata={
            "role": role.value,
            "avatarUrl": user.avatar_url if user else None,
            "noAvatarColor": user.no_avatar_color if user else None,
        },
    )
    return Joined(participant=participant, token=token, server_url=get_settings().livekit_url)


def find(db: DbSession, session_id: str, identity: str) -> Participant | None:
    return db.exec(
        select(Participant).where(
            Participant.session_id == session_id, Participant.identity == identity
        )
    ).first()


def get_participant(db: DbSession, slug: str, identity: str) -> Participant:
    session = sessions.get_by_slug(db, slug)
    participant = find(db, session.id, identity) if is_lookup_key(identity, 128) else None
    if participant is None:
        raise NotFound("Participant not found.", code="PARTICIPANT_NOT_FOUND")
    return participant


def mark_left(db: DbSession, slug: str, identity: str) -> Participant:
    """Someone left; if they held transcription, hand it to another host who is still here."""
    participant = get_participant(db, slug, identity)
    if participant.left_at is None:
        participant.left_at = utcnow()
    was_host = participant.is_transcription_host
    participant.is_transcription_host = False
    db.add(participant)
    db.flush()
    if was_host:
        session = db.get(Session, participant.session_id)
        if session is not None:
            select_transcription_host(db, session, exclude_identity=identity)
    return participant


def current_transcription_host(db: DbSession, session: Session) -> Participant | None:
    return db.exec(
        select(Participant).where(
            Participant.session_id == session.id,
            col(Participant.is_transcription_host).is_(True),
            col(Participant.left_at).is_(None),
        )
    ).first()


def select_transcription_host(
    db: DbSession, session: Session, exclude_identity: str | None = None
) -> Participant | None:
    """The session's creator if present, else the longest-present HOST; guests never host."""
    present = db.exec(
        select(Participant)
        .where(
            Participant.session_id == session.id,
            Participant.role == ParticipantRole.HOST,
            col(Participant.left_at).is_(None),
        )
        .order_by(col(Participant.joined_at), col(Participant.id))
    ).all()
    candidates = [p for p in present if p.identity != exclude_identity]
    chosen = next((p for p in candidates if p.user_id == session.created_by_user_id), None)
    chosen = chosen or (candidates[0] if candidates else None)
    demoted = False
    for p in db.exec(select(Participant).where(Participant.session_id == session.id)).all():
        should = chosen is not None and p.id == chosen.id
        if p.is_transcription_host != should:
            demoted = demoted or p.is_transcription_host
            p.is_transcription_host = should
            db.add(p)
    db.flush()
    if demoted and not get_settings().per_speaker:
        # The old host's open stream must not keep transcribing for the session.
        streams.close_streams(
            session.id, "NOT_TRANSCRIPTION_HOST", keep_participant_id=chosen.id if chosen else None
        )
    return chosen


def require_may_move_host(db: DbSession, session: Session, user: User) -> None:
    """Who may hand transcription to someone else by hand: the current host, the session's
    creator or the owner of its space. (Re-election when the host leaves needs nobody.)"""
    host = current_transcription_host(db, session)
    if host is not None and host.user_id == user.id:
        return
    if session.created_by_user_id == user.id:
        return
    member = spaces.membership(db, user.id, session.space_id)
    if member is not None and member.role == SpaceRole.OWNER:
        return
    raise Forbidden(
        "Only the transcription host, the session's creator or the space owner can move "
        "transcription.",
        code="NOT_ALLOWED",
    )
