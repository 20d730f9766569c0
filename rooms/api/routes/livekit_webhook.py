"""LiveKit calls us: participant joined/left and room finished, signed with our API key."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from livekit import api
from sqlmodel import Session as DbSession
from starlette.concurrency import run_in_threadpool

from rooms.api.deps import Db
from rooms.api.schemas import ErrorOut, Out
from rooms.core import limits, room_events
from rooms.core.config import get_settings
from rooms.core.errors import DomainError, Unauthorized

log = logging.getLogger("rooms.livekit")
router = APIRouter(tags=["livekit"])
MAX_BODY = limits.WEBHOOK_MAX_BYTES  # BodyLimitMiddleware cuts larger bodies before this


class WebhookOut(Out):
    event: str
    applied: bool


@router.post(
    "/api/livekit/webhook",
    response_model=WebhookOut,
    responses={400: {"model": ErrorOut}, 401: {"model": ErrorOut}},
)
async def livekit_webhook(request: Request, db: Db) -> WebhookOut:
    """Verified with LiveKit's WebhookReceiver: the Authorization header is a JWT signed
    with LIVEKIT_API_SECRET that carries the body's SHA-256."""
    body = (await request.body())[: MAX_BODY + 1]
    auth = request.headers.get("authorization", "")
    auth = auth[7:] if auth.lower().startswith("bearer ") else auth
    settings = get_settings()
    receiver = api.WebhookReceiver(
        api.TokenVerifier(settings.livekit_api_key, settings.livekit_api_secret)
    )
    try:
        if not auth or len(body) > MAX_BODY:
            raise ValueError("missing signature or oversized body")
        event = receiver.receive(body.decode("utf-8"), auth)
    except Exception as exc:  # noqa: BLE001  (jwt, hash mismatch, UTF-8 and protobuf errors alike)
        log.info("webhook refused: %s", type(exc).__name__)
        raise Unauthorized(
            "The webhook signature is missing or does not match.", code="INVALID_WEBHOOK"
        ) from None
    identity = event.participant.identity if event.HasField("participant") else None
    room = event.room.name
    applied = await run_in_threadpool(_apply, db, event.event, room, identity)
    if applied.eject and identity:
        # LiveKit retries a failed delivery, and the next attempt tries again.
        try:
            await room_events.disconnect(room, identity)
        except DomainError:
            raise room_events.LiveKitUnavailable(
                "A removed participant connected and could not be dropped yet."
            ) from None
    return WebhookOut(event=event.event, applied=applied.changed or applied.eject)


def _apply(db: DbSession, event: str, room: str, identity: str | None) -> room_events.Applied:
    applied = room_events.apply_event(db, event, room, identity)
    db.commit()
    return applied
