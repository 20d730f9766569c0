"""Transcription: the designated host, its WebSocket token, usage and limits."""

from __future__ import annotations

from datetime import datetime

from anyio import from_thread
from fastapi import APIRouter, Request
from pydantic import Field
from sqlmodel import col, select

from rooms.api.deps import CurrentUser, Db, OptionalUser
from rooms.api.realtime import TRANSCRIBE_PATH
from rooms.api.schemas import Body, ErrorOut, Out, ParticipantOut
from rooms.core import livekit, participants, sessions
from rooms.core.config import get_settings
from rooms.core.errors import Busy, Forbidden, InvalidInput, NotFound, Unauthorized
from rooms.core.models import Participant, Session, User, utcnow
from rooms.core.transcription import policy, tokens, usage
from rooms.core.transcription.connection import BUSY
from rooms.core.transcription.gateway import Gateway, engine_report, get_gateway
from rooms.core.transcription.policy import Caller

router = APIRouter(
    tags=["transcription"],
    responses={
        400: {"model": ErrorOut},
        401: {"model": ErrorOut},
        403: {"model": ErrorOut},
        404: {"model": ErrorOut},
    },
)


class HostSelectIn(Body):
    exclude_identity: str | None = Field(default=None, max_length=128)


class HostOut(Out):
    host: ParticipantOut | None


class StartOut(Out):
    token: str
    ws_url: str
    expires_in: int
    allowance_seconds: float


class UsageOut(Out):
    seconds: float
    streams: int
    limit_seconds: int
    max_duration_seconds: int
    enabled: bool


class UsageSaveIn(Body):
    slug: str = Field(max_length=64)
    duration_seconds: float = Field(ge=0, le=24 * 3600)
    started_at: datetime | None = None


class UsageSavedOut(Out):
    id: str
    duration_seconds: float


class StatsOut(Out):
    seconds: float
    streams: int
    sessions: int
    limit_seconds: int
    enabled: bool
    engine: str
    engine_status: str


def _my_participant(db: Db, session: Session, user: User) -> Participant:
    me = next(
        (p for p in _present(db, session) if p.user_id == user.id),
        None,
    )
    if me is None:
        raise Forbidden("Join the session first.", code="NOT_A_PARTICIPANT")
    return me


def _present(db: Db, session: Session) -> list[Participant]:
    return list(
        db.exec(
            select(Participant).where(
                Participant.session_id == session.id, col(Participant.left_at).is_(None)
            )
        ).all()
    )


def _caller(session: Session, user: User | None, request: Request) -> Caller:
    """Who asks. Guests have no account: in per-speaker mode they prove who they are with
    the LiveKit token they joined with (`Authorization: Bearer`), or with the key their
    browser got when it joined, as joining itself does. A join token lasts 10 minutes
    (LiveKit's client refreshes its own copy, not the page's), so without the key a guest's
    reconnect after that would be refused for the rest of the meeting."""
    if user is not None:
        return Caller(user_id=user.id)
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    identity = livekit.joined_identity(token.strip(), session.slug) if scheme == "Bearer" else None
    key = participants.valid_guest_key(request.cookies.get(participants.GUEST_COOKIE))
    if identity is None and key is not None:
        identity = participants.identity_for(session, None, key)
    if identity is None:
        raise Unauthorized("Sign in, or send the LiveKit token you joined this session with.")
    return Caller(identity=identity)


@router.post("/api/sessions/{slug}/transcription-host", response_model=HostOut)
def select_host(slug: str, user: CurrentUser, db: Db, body: HostSelectIn | None = None) -> HostOut:
    """Pick a new transcription host: the session's creator if present, else a present HOST."""
    session = sessions.require_joinable(sessions.get_by_slug(db, slug))
    _my_participant(db, session, user)
    participants.require_may_move_host(db, session, user)
    host = participants.select_transcription_host(
        db, session, exclude_identity=body.exclude_identity if body else None
    )
    db.commit()
    return HostOut(host=ParticipantOut.of(host) if host else None)


def _gateway() -> Gateway:
    """The gateway of the server's event loop. These handlers are sync (they query the
    database, which must not block the loop that serves every transcription socket), so
    they run in a worker thread and reach the loop through anyio."""
    return from_thread.run(get_gateway)


def _ws_url(request: Request, token: str) -> str:
    """The separate gateway's address when there is one, else this server's."""
    base = get_settings().transcription_ws_url.rstrip("/")
    if not base:
        scheme = "wss" if request.base_url.scheme == "https" else "ws"
        base = f"{scheme}://{request.base_url.netloc}"
    return f"{base}{TRANSCRIBE_PATH}?token={token}"


@router.post(
    "/api/sessions/{slug}/transcription/start",
    response_model=StartOut,
    responses={410: {"model": ErrorOut}, 429: {"model": ErrorOut}, 503: {"model": ErrorOut}},
)
def start(slug: str, request: Request, user: OptionalUser, db: Db) -> StartOut:
    """A token bound to one participant: the current host (TRANSCRIPTION_MODE=host), or any
    participant for their own microphone (per-speaker). Limits are checked first."""
    if user is None and not get_settings().per_speaker:
        raise Unauthorized("Sign in to continue.")
    session = sessions.require_joinable(sessions.get_by_slug(db, slug))
    mode = policy.mode_of(get_settings())
    grant = policy.authorize_stream(db, session, _caller(session, user, request), mode)
    # A separate gateway checks both on its socket: this process knows neither its load
    # nor its engine.
    if not get_settings().streams_elsewhere:
        gateway = _gateway()
        if gateway.busy():  # before any socket: a refused socket may lose its close (Granian)
            raise Busy(BUSY, code="TRANSCRIPTION_BUSY")
        status = gateway.engine.status()
        if status != "ok":
            raise Forbidden(
                "transcription engine {status}", code="ENGINE_UNAVAILABLE", status=status
            )
    token = tokens.issue(session.id, grant.participant_id, grant.user_id)
    return StartOut(
        token=token,
        ws_url=_ws_url(request, token),
        expires_in=get_settings().transcription_jwt_ttl_seconds,
        allowance_seconds=grant.allowance_seconds,
    )


@router.get("/api/sessions/{slug}/transcription/usage", response_model=UsageOut)
def session_usage(slug: str, user: CurrentUser, db: Db) -> UsageOut:
    session = sessions.get_by_slug(db, slug)
    if not sessions.is_member(db, user, session):
        raise NotFound("Session not found.", code="SESSION_NOT_FOUND")
    u = usage.session_usage(db, session)
    return UsageOut(
        seconds=round(u.seconds, 3),
        streams=u.streams,
        limit_seconds=u.limit_seconds,
        max_duration_seconds=u.max_duration_seconds,
        enabled=get_settings().transcription_enabled,
    )


@router.post("/api/transcription/usage/save", status_code=201, response_model=UsageSavedOut)
def save_usage(body: UsageSaveIn, user: CurrentUser, db: Db) -> UsageSavedOut:
    """Usage reported by a client (the seed's host saves its own counter when it stops),
    recorded only up to what the server measured for this participant; limits count the
    server's own measure only."""
    session = sessions.get_by_slug(db, body.slug)
    me = _my_participant(db, session, user)
    seconds = usage.client_report_seconds(db, session.id, me.id, body.duration_seconds)
    started = body.started_at or utcnow()
    if started > utcnow():
        raise InvalidInput("startedAt is in the future.", code="INVALID_INPUT")
    row = usage.record(
        db,
        session_id=session.id,
        user_id=user.id,
        participant_id=me.id,
        engine=usage.CLIENT_ENGINE,
        seconds=seconds,
        started_at=started,
    )
    db.commit()
    return UsageSavedOut(id=row.id, duration_seconds=row.duration_seconds)


@router.get("/api/transcription/stats", response_model=StatsOut)
def stats(user: CurrentUser, db: Db) -> StatsOut:
    s = usage.stats(db, user.id)
    engine, engine_status = from_thread.run(engine_report)
    return StatsOut(
        seconds=round(s.seconds, 3),
        streams=s.streams,
        sessions=s.sessions,
        limit_seconds=s.limit_seconds,
        enabled=get_settings().transcription_enabled,
        engine=engine,
        engine_status=engine_status,
    )
