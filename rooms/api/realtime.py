"""The transcription WebSocket, `/api/realtime/transcribe?token=JWT`, and the lifespan hook
that drains it on shutdown (the same hook under Reflex and under plain uvicorn)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

import orjson
from fastapi import APIRouter, WebSocket
from starlette.concurrency import run_in_threadpool
from starlette.websockets import WebSocketDisconnect, WebSocketState

from rooms.api.stop_signals import drain_before_server_stops
from rooms.core import caption_languages, glossary, space_language, summaries
from rooms.core import db as core_db
from rooms.core.config import get_settings
from rooms.core.errors import DomainError
from rooms.core.models import Participant, Session
from rooms.core.security import origin_allowed
from rooms.core.transcription import policy, roster
from rooms.core.transcription.connection import HostGrant, error_message
from rooms.core.transcription.gateway import get_gateway, shutdown_gateway
from rooms.core.transcription.protocol import close_code
from rooms.core.transcription.tokens import TokenRefused, spend, verify

log = logging.getLogger("rooms.realtime")
router = APIRouter()


class _Socket:
    """Adapts Starlette's WebSocket to the gateway's Client protocol."""

    def __init__(self, ws: WebSocket) -> None:
        self.ws = ws

    async def receive(self) -> bytes | str | None:
        try:
            msg = await self.ws.receive()
        except (WebSocketDisconnect, RuntimeError):
            return None
        if msg["type"] == "websocket.disconnect":
            return None
        if msg.get("bytes") is not None:
            return msg["bytes"]
        return msg.get("text") or ""

    async def send_json(self, message: dict[str, Any]) -> None:
        # orjson: a transcript message is encoded in <1 us instead of ~10 us (bench/)
        await self.ws.send_text(orjson.dumps(message).decode())

    async def close(self, code: int, reason: str = "") -> None:
        if self.ws.client_state != WebSocketState.DISCONNECTED:
            await self.ws.close(code, reason)


def _grant(token: str | None) -> HostGrant:
    claims = verify(token)
    with core_db.session_scope() as db:
        session = db.get(Session, claims.session_id)
        participant = db.get(Participant, claims.participant_id)
        if session is None or participant is None or participant.session_id != session.id:
            raise TokenRefused("TOKEN_INVALID", "The transcription token is not valid.")
        mode = policy.mode_of(get_settings())
        try:
            grant = policy.authorize_stream(
                db, session, policy.Caller(participant_id=participant.id), mode
            )
        except DomainError as err:
            raise TokenRefused(err.code, err.message) from None
        spend(claims)  # last: a handshake refused above leaves the token usable
        language = space_language.for_space(db, session.space_id)
        return HostGrant(
            session_id=grant.session_id,
            participant_id=grant.participant_id,
            user_id=grant.user_id,
            allowance_seconds=grant.allowance_seconds,
            languages=language.languages,
            code_switching=language.code_switching,
            vocabulary=glossary.terms_for_space(db, session.space_id),
            owner=roster.participant_speaker(db, session.id, participant.id),
            exact=grant.per_speaker,
            translate_to=caption_languages.needed(db, session.id),
        )


async def _refuse(ws: WebSocket, code: str, message: str) -> None:
    """Accepted first: only an open socket can say why it closes."""
    client = _Socket(ws)
    with contextlib.suppress(Exception):
        await client.send_json(error_message(code, message))
    await client.close(close_code(code), code)


TRANSCRIBE_PATH = "/api/realtime/transcribe"
ELSEWHERE = "This server's streams go to its transcription gateway; ask for a new token."
# The gateway process's own route: the same socket, always served (rooms/api/gateway_app.py).
gateway_router = APIRouter()


@router.websocket(TRANSCRIBE_PATH)
async def transcribe(ws: WebSocket) -> None:
    await ws.accept()
    # A page from before the switch to a separate gateway must not start a second writer
    # and engine here: it reconnects through transcription/start, which names the gateway.
    if get_settings().streams_elsewhere:
        await _refuse(ws, "STREAMS_ELSEWHERE", ELSEWHERE)
        return
    await _serve(ws)


@gateway_router.websocket(TRANSCRIBE_PATH)
async def gateway_transcribe(ws: WebSocket) -> None:
    await ws.accept()
    await _serve(ws)


async def _serve(ws: WebSocket) -> None:
    """On an accepted socket: the origin, the token and the grant, then the stream."""
    # Browsers do not apply CORS to WebSockets: a page elsewhere holding a token (leaked
    # link, logs) must not stream into a session. Clients that send no Origin still pass.
    if not origin_allowed(ws.headers.get("origin"), get_settings()):
        await _refuse(ws, "ORIGIN_NOT_ALLOWED", "This page's origin may not stream here.")
        return
    try:
        grant = await run_in_threadpool(_grant, ws.query_params.get("token"))
    except TokenRefused as refused:
        await _refuse(ws, refused.code, refused.message)
        return
    client = _Socket(ws)
    gateway = await get_gateway()
    try:
        await gateway.serve(client, grant)
    except Exception:  # logged; the client must hear a close, not a dropped connection
        log.exception("transcription stream of session %s failed", grant.session_id)
        await _refuse(ws, "INTERNAL_ERROR", "The transcription stream failed; reconnecting.")


@contextlib.asynccontextmanager
async def gateway_lifespan(*_args: Any, **_kwargs: Any) -> AsyncIterator[None]:
    """The app's: summaries, and its own gateway unless a separate process serves the
    streams (TRANSCRIPTION_WS_URL)."""
    # Summaries are fetched when a session ends, whichever path ended it: sessions end in
    # the app (REST, pages), so the app fetches them, never the separate gateway as well.
    # Installed here, in the serving process: a thread started at import would run while
    # Granian forks its workers, and a lock it held at that moment would stay held in the
    # child for good.
    summaries.install()
    if get_settings().streams_elsewhere:
        yield
        return
    async with serving_lifespan():
        yield


@contextlib.asynccontextmanager
async def serving_lifespan(*_args: Any, **_kwargs: Any) -> AsyncIterator[None]:
    """Start the gateway with the server; a stop signal drains every stream before the
    server cuts the sockets (stop_signals), and the shutdown flushes what is left."""
    await get_gateway()
    try:
        with drain_before_server_stops(asyncio.get_running_loop()):
            yield
    finally:
        await shutdown_gateway()
