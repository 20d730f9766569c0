"""The lobby: with `Session.lobby` on, someone outside the session's space waits until a
member lets them in. `decide` is the one rule; the join and token paths
(rooms.core.participants), the room page and the LiveKit webhook all go through it.

A participant row's `lobby_status` says where they stand: NULL for someone who came in
while there was no lobby (they stay in when it is turned on), WAITING, ADMITTED or DENIED.
A waiting or denied row is never present (`left_at` is set), so the roster, transcript
access and transcription-host election, which all count present rows, leave them out.
"""

from __future__ import annotations

import enum
import logging

from sqlmodel import Session as DbSession

from rooms.core.errors import Forbidden
from rooms.core.models import LobbyStatus, Participant, Session, User, utcnow
from rooms.core.transcription.hub import get_hub

log = logging.getLogger("rooms.lobby")

# Hub key prefix: members' pages and waiting guests' pages of a session listen on it.
HUB_PREFIX = "lobby:"


class Decision(enum.StrEnum):
    ENTER = "ENTER"
    WAIT = "WAIT"


def decide(session: Session, member: bool, participant: Participant | None) -> Decision:
    """Whether this viewer (a space member or not, with their row if they have one) may
    have a LiveKit token now. Members never wait; someone denied is refused (403
    LOBBY_DENIED) until a member admits them after all."""
    if member:
        return Decision.ENTER
    status = participant.lobby_status if participant is not None else None
    if status == LobbyStatus.DENIED:
        raise Forbidden(
            "The host did not let you into this session.",
            code="LOBBY_DENIED",
        )
    if not session.lobby or status == LobbyStatus.ADMITTED:
        return Decision.ENTER
    if participant is not None and status is None:
        return Decision.ENTER  # in before the lobby was turned on
    return Decision.WAIT


def blocks_connection(participant: Participant) -> bool:
    """A connection LiveKit reports for someone still waiting or denied (with a token they
    got before) is dropped, like a removed participant's."""
    return participant.lobby_status in (LobbyStatus.WAITING, LobbyStatus.DENIED)


def enqueue(
    db: DbSession,
    session: Session,
    participant: Participant | None,
    identity: str,
    name: str,
    user: User | None,
) -> Participant:
    """Record (or refresh) someone waiting. They are not in the room: `left_at` is set."""
    now = utcnow()
    if participant is None:
        participant = Participant(
            session_id=session.id, user_id=user.id if user else None, identity=identity
        )
        participant.joined_at = now
    participant.name = name
    participant.lobby_status = LobbyStatus.WAITING
    participant.left_at = participant.left_at or now
    db.add(participant)
    db.flush()
    return participant


def entered(participant: Participant) -> None:
    """Someone the rule let in: a wait that ends (admitted, or the lobby turned off) is
    over for good."""
    if participant.lobby_status == LobbyStatus.WAITING:
        participant.lobby_status = LobbyStatus.ADMITTED


def announce(session_id: str) -> None:
    """Tell every open page of the session that the lobby changed (someone waits, was let
    in or refused, the lobby was turned on or off). Call it after the change is committed;
    pages then read the new state themselves, so the message carries nothing."""
    try:
        get_hub().publish_now(HUB_PREFIX + session_id, {"type": "lobby"})
    except Exception:  # a page that misses it re-checks on its own timer
        log.exception("lobby announcement failed")
