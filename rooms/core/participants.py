"""Who is in a session: joining (HOST for space members, GUEST otherwise; non-members wait
in the lobby when the session has one), leaving, and the one designated transcription
host, re-selected when the host leaves."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from sqlmodel import Session as DbSession
from sqlmodel import col, select

from rooms.core import livekit, lobby, presence, sessions, spaces
from rooms.core.config import get_settings
from rooms.core.errors import Forbidden, InvalidInput, NotFound
from rooms.core.identity import display_name
from rooms.core.models import (
    LobbyStatus,
    Participant,
    ParticipantRole,
    Session,
    SpaceRole,
    User,
    utcnow,
)
from rooms.core.transcription import streams
from rooms.core.validation import clean_text, is_lookup_key

GUEST_NAME_MAX = 60
# A guest's browser keeps one random key (the GUEST_COOKIE cookie); their identity in a
# session is derived from it, so the same browser is the same guest there (and a removed
# guest stays removed), while identities, which everyone in the room sees, reveal nothing
# about the key and differ between sessions.
GUEST_COOKIE = "rooms_guest"
GUEST_KEY_MAX_AGE = 60 * 60 * 24 * 365
_GUEST_KEY = re.compile(r"[0-9a-f]{32}")


@dataclass(frozen=True)
class Joined:
    participant: Participant
    token: str
    server_url: str


@dataclass(frozen=True)
class Waiting:
    """No token yet: they wait in the lobby (rooms.core.lobby) under this identity."""

    identity: str
    session_id: str


def new_guest_key() -> str:
    return secrets.token_hex(16)


def valid_guest_key(key: str | None) -> str | None:
    return key if key and _GUEST_KEY.fullmatch(key) else None


def identity_of_user(user: User) -> str:
    # A signed-in person keeps one identity per session, so rejoining updates their row.
    return f"user-{user.id}"


def identity_for(session: Session, user: User | None, guest_key: str | None) -> str:
    """A signed-in person has one identity per session, whatever browser they use; a guest
    has one per browser key (a guest without a key is someone new every time)."""
    if user is not None:
        return identity_of_user(user)
    key = valid_guest_key(guest_key) or new_guest_key()
    secret = get_settings().auth_secret.encode()
    digest = hmac.new(secret, f"guest:{key}:{session.id}".encode(), hashlib.sha256)
    return f"guest-{digest.hexdigest()[:20]}"


def check_not_removed(participant: Participant | None) -> None:
    """The one rule for coming back after a removal: not until the owner lifts it."""
    if participant is not None and participant.removed_at is not None:
        raise Forbidden(
            "You were removed from this session. Ask its owner if you think this is a mistake.",
            code="PARTICIPANT_REMOVED",
        )


def is_removed(db: DbSession, slug: str, user: User | None, guest_key: str | None) -> bool:
    """Whether this viewer would be refused by check_not_removed (the page says so before
    asking for a name)."""
    session = sessions.get_by_slug(db, slug)
    if user is None and valid_guest_key(guest_key) is None:
        return False  # a browser never seen before
    try:
        check_not_removed(find(db, session.id, identity_for(session, user, guest_key)))
    except Forbidden:
        return True
    return False


def lobby_status(
    db: DbSession, slug: str, user: User | None, guest_key: str | None
) -> lobby.Decision:
    """Where this viewer stands (ENTER or WAIT, or 403 LOBBY_DENIED / PARTICIPANT_REMOVED)
    without recording anything: what a waiting page checks when the lobby changes."""
    session = sessions.require_joinable(sessions.get_by_slug(db, slug))
    participant = None
    if user is not None or valid_guest_key(guest_key) is not None:
        participant = find(db, session.id, identity_for(session, user, guest_key))
    check_not_removed(participant)
    return lobby.decide(session, sessions.is_member(db, user, session), participant)


def leave_lobby(db: DbSession, slug: str, user: User | None, guest_key: str | None) -> str | None:
    """Someone waiting gives up: they are no longer listed. Returns the session id to
    announce, or None when they were not waiting. A waiting row never entered the room (so
    nothing refers to it) and is deleted: no lobby status would mean "came in earlier"."""
    session = sessions.get_by_slug(db, slug)
    if user is None and valid_guest_key(guest_key) is None:
        return None
    participant = find(db, session.id, identity_for(session, user, guest_key))
    if participant is None or participant.lobby_status != LobbyStatus.WAITING:
        return None
    db.delete(participant)
    db.flush()
    return session.id


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


def join_session(
    db: DbSession,
    slug: str,
    user: User | None,
    guest_name: str | None,
    guest_key: str | None = None,
) -> Joined | Waiting:
    """Record (or refresh) a participant and mint their LiveKit token for room = slug: the
    one way in, for the REST join and the room page alike (it also elects the transcription
    host when there is none). Someone the owner removed is refused; someone the lobby
    holds back is recorded as waiting and gets no token (the caller announces it)."""
    session = sessions.require_joinable(sessions.get_by_slug(db, slug))
    identity = identity_for(session, user, guest_key)
    participant = find(db, session.id, identity)
    check_not_removed(participant)
    name, role = _who(db, session, user, guest_name)
    if lobby.decide(session, role == ParticipantRole.HOST, participant) == lobby.Decision.WAIT:
        lobby.enqueue(db, session, participant, identity, name, user)
        return Waiting(identity, session.id)
    if participant is None:
        participant = Participant(
            session_id=session.id, user_id=user.id if user else None, identity=identity
        )
    participant.name = name
    participant.role = role
    lobby.entered(participant)
    participant.joined_at = utcnow()
    participant.left_at = None
    db.add(participant)
    db.flush()
    presence.arrived(db, participant, participant.joined_at)
    if current_transcription_host(db, session) is None:
        select_transcription_host(db, session)
    token = _token(session, identity, name, role, user)
    return Joined(participant=participant, token=token, server_url=get_settings().livekit_url)


def token_only(
    db: DbSession, slug: str, user: User | None, guest_name: str | None, guest_key: str | None
) -> tuple[str, str, str] | Waiting:
    """(token, server URL, identity) for the seed's `GET /token`, recording nothing: a GET
    never changes state, and a link that any page can embed must not make a viewer's
    browser join a session. Until they join (POST), the holder is no participant: the
    transcript and the roster do not count them. Someone removed is refused here too, and
    the lobby's rule is the join's: no token until let in (joining is what queues them)."""
    session = sessions.require_joinable(sessions.get_by_slug(db, slug))
    identity = identity_for(session, user, guest_key)
    participant = find(db, session.id, identity)
    check_not_removed(participant)
    name, role = _who(db, session, user, guest_name)
    if lobby.decide(session, role == ParticipantRole.HOST, participant) == lobby.Decision.WAIT:
        return Waiting(identity, session.id)
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


@dataclass(frozen=True)
class Roster:
    present: list[Participant]
    removed: list[Participant]  # only for someone who may lift removals, else empty


def roster(db: DbSession, slug: str, viewer_identity: str, *, moderator: bool) -> Roster:
    """Who is in the room, for someone in it (or the space owner): the identity must be a
    present participant, so a page that never joined learns nothing."""
    session = sessions.get_by_slug(db, slug)
    viewer = find(db, session.id, viewer_identity) if is_lookup_key(viewer_identity, 128) else None
    in_room = viewer is not None and viewer.left_at is None and viewer.removed_at is None
    if not (in_room or moderator):
        raise NotFound("Participant not found.", code="PARTICIPANT_NOT_FOUND")
    everyone = db.exec(
        select(Participant)
        .where(Participant.session_id == session.id)
        .order_by(col(Participant.joined_at), col(Participant.id))
    ).all()
    present = [p for p in everyone if p.left_at is None and p.removed_at is None]
    removed = [p for p in everyone if p.removed_at is not None] if moderator else []
    return Roster(present=present, removed=removed)


def mark_left(db: DbSession, slug: str, identity: str) -> Participant:
    """Someone left; if they held transcription, hand it to another host who is still here."""
    participant = get_participant(db, slug, identity)
    if participant.left_at is None:
        participant.left_at = utcnow()
    presence.departed(db, [participant.id], participant.left_at)
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
