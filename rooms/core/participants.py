"""Who is in a session: joining (HOST for space members, GUEST otherwise), leaving, and the
one designated transcription host, re-selected when the host leaves."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlmodel import Session as DbSession
from sqlmodel import col, select

from rooms.core import livekit, sessions
from rooms.core.config import get_settings
from rooms.core.errors import InvalidInput, NotFound
from rooms.core.identity import display_name
from rooms.core.models import Participant, ParticipantRole, Session, User, utcnow
from rooms.core.validation import clean_text, is_lookup_key

GUEST_NAME_MAX = 60


@dataclass(frozen=True)
class Joined:
    participant: Participant
    token: str
    server_url: str


def identity_of_user(user: User) -> str:
    # A signed-in person keeps one identity per session, so rejoining updates their row.
    return f"user-{user.id}"


def _identity_for(user: User | None) -> str:
    # Every guest join is someone new.
    return identity_of_user(user) if user else f"guest-{secrets.token_hex(8)}"


def _who(
    db: DbSession, session: Session, user: User | None, guest_name: str | None
) -> tuple[str, ParticipantRole]:
    if user is None:
        if guest_name is None:
            raise InvalidInput("Guests need a name to join.", code="NAME_REQUIRED")
        name = clean_text(guest_name, "Name", GUEST_NAME_MAX)
    else:
        name = display_name(user)
    role = ParticipantRole.HOST if sessions.is_member(db, user, session) else ParticipantRole.GUEST
    return name, role


def _token(
    session: Session, identity: str, name: str, role: ParticipantRole, user: User | None
) -> str:
    return livekit.mint_token(
        room=session.slug,
        identity=identity,
        name=name,
        metadata={
            "role": role.value,
            "avatarUrl": user.avatar_url if user else None,
            "noAvatarColor": user.no_avatar_color if user else None,
        },
    )


def join_session(db: DbSession, slug: str, user: User | None, guest_name: str | None) -> Joined:
    """Record (or refresh) a participant and mint their LiveKit token for room = slug: the
    one way in, for the REST join and the room page alike (it also elects the transcription
    host when there is none)."""
    session = sessions.require_joinable(sessions.get_by_slug(db, slug))
    name, role = _who(db, session, user, guest_name)
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
    token = _token(session, identity, name, role, user)
    return Joined(participant=participant, token=token, server_url=get_settings().livekit_url)


def token_only(
    db: DbSession, slug: str, user: User | None, guest_name: str | None
) -> tuple[str, str, str]:
    """(token, server URL, identity) for the seed's `GET /token`, recording nothing: a GET
    never changes state, and a link that any page can embed must not make a viewer's
    browser join a session. Until they join (POST), the holder is no participant: the
    transcript and the roster do not count them."""
    session = sessions.require_joinable(sessions.get_by_slug(db, slug))
    name, role = _who(db, session, user, guest_name)
    identity = _identity_for(user)
    return _token(session, identity, name, role, user), get_settings().livekit_url, identity


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
    for p in db.exec(select(Participant).where(Participant.session_id == session.id)).all():
        should = chosen is not None and p.id == chosen.id
        if p.is_transcription_host != should:
            p.is_transcription_host = should
            db.add(p)
    db.flush()
    return chosen
