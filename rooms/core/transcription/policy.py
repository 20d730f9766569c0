"""Who may stream a session's audio to transcription: the one rule, asked by the REST start
route, the WebSocket handshake, the Reflex page (whether to offer the button) and the
gateway's periodic re-check of a running stream.

Host mode: only the session's current transcription host. Per-speaker mode: anyone still in
the session, for their own microphone. Either way within the session's and the user's
transcription allowance.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlmodel import Session as DbSession
from sqlmodel import col, select

from rooms.core import participants, sessions
from rooms.core.config import Settings
from rooms.core.errors import DomainError, Forbidden
from rooms.core.i18n import N_
from rooms.core.models import Participant, Session
from rooms.core.transcription import usage

Mode = Literal["host", "per-speaker"]

NOT_HOST = N_("Only the session's transcription host can stream to transcription.")
NOT_PRESENT = N_("Join the session first.")
# Refusals about the session's budget or the server, not about who is asking: the page
# still offers the button, and pressing it says why.
NOT_ABOUT_THE_CALLER = frozenset({"TRANSCRIPTION_LIMIT_REACHED", "TRANSCRIPTION_DISABLED"})


@dataclass(frozen=True)
class Caller:
    """Who asks, as the path knows it: a token's participant, the identity the server
    recorded when this viewer joined (or a guest proved with its LiveKit token), or only the
    signed-in user."""

    user_id: str | None = None
    identity: str | None = None
    participant_id: str | None = None


@dataclass(frozen=True)
class StreamGrant:
    session_id: str
    participant_id: str
    user_id: str | None
    allowance_seconds: float
    per_speaker: bool


def mode_of(settings: Settings) -> Mode:
    return "per-speaker" if settings.per_speaker else "host"


def _present(db: DbSession, session: Session, caller: Caller) -> Participant | None:
    if caller.participant_id:
        me = db.get(Participant, caller.participant_id)
        me = me if me is not None and me.session_id == session.id else None
    elif caller.identity:
        me = participants.find(db, session.id, caller.identity)
    elif caller.user_id:
        me = db.exec(
            select(Participant).where(
                Participant.session_id == session.id,
                Participant.user_id == caller.user_id,
                col(Participant.left_at).is_(None),
            )
        ).first()
    else:
        me = None
    return me if me is not None and me.left_at is None else None


def _is_host(caller: Caller, host: Participant) -> bool:
    if caller.participant_id:
        return host.id == caller.participant_id
    if caller.identity:
        return host.identity == caller.identity
    return caller.user_id is not None and host.user_id == caller.user_id


def streaming_participant(
    db: DbSession, session: Session, caller: Caller, mode: Mode
) -> Participant:
    """The participant whose audio `caller` may stream; DomainError (its code) if none."""
    sessions.require_joinable(session)
    if mode == "per-speaker":
        me = _present(db, session, caller)
        if me is None:
            raise Forbidden(NOT_PRESENT, code="NOT_A_PARTICIPANT")
        return me
    host = participants.current_transcription_host(db, session)
    if host is None or not _is_host(caller, host):
        raise Forbidden(NOT_HOST, code="NOT_TRANSCRIPTION_HOST")
    return host


def authorize_stream(db: DbSession, session: Session, caller: Caller, mode: Mode) -> StreamGrant:
    """Whether `caller` may stream now, and for how long; DomainError (its code) if not."""
    me = streaming_participant(db, session, caller, mode)
    return StreamGrant(
        session_id=session.id,
        participant_id=me.id,
        user_id=me.user_id,
        allowance_seconds=usage.allowance_seconds(db, session, me.user_id),
        per_speaker=mode == "per-speaker",
    )


def refusal(db: DbSession, session: Session, caller: Caller, mode: Mode) -> DomainError | None:
    """authorize_stream's refusal, or None when `caller` may stream."""
    try:
        authorize_stream(db, session, caller, mode)
    except DomainError as err:
        return err
    return None


def may_offer(db: DbSession, session: Session, caller: Caller, mode: Mode) -> bool:
    """Whether a page offers `caller` the stream: allowed, or refused only for now (the
    session's budget, the server's switch), where pressing start says why."""
    refused = refusal(db, session, caller, mode)
    return refused is None or refused.code in NOT_ABOUT_THE_CALLER
