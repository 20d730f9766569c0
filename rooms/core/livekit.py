"""LiveKit: access tokens for the browser and the server-side room service."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any, TypeVar

import aiohttp
import httpx
import jwt
from livekit import api

from rooms.core.config import Settings, get_settings

# LiveKit checks a token only when someone connects, and cannot revoke one: a short life
# bounds how long a token handed to someone later removed stays usable. A connected client
# keeps going past it (the server sends it fresh tokens to resume with); the page mints a
# new one for "Try again". Removal itself is enforced by the participant_joined webhook.
TOKEN_TTL = timedelta(minutes=10)
T = TypeVar("T")
# What a room-service call raises: LiveKit's refusal (a Twirp error with a code), or no
# answer at all.
ServiceError = (api.twirp_client.ServerError, TimeoutError, aiohttp.ClientError, OSError)


def not_found(exc: BaseException) -> bool:
    """LiveKit does not know that room or participant (any longer)."""
    return isinstance(exc, api.twirp_client.ServerError) and exc.code == "not_found"


def mint_token(
    *,
    room: str,
    identity: str,
    name: str,
    metadata: dict[str, str | None] | None = None,
    settings: Settings | None = None,
) -> str:
    """A join token for one room: publish, subscribe and data, nothing administrative."""
    settings = settings or get_settings()
    grants = api.VideoGrants(
        room_join=True,
        room=room,
        can_publish=True,
        can_subscribe=True,
        can_publish_data=True,
    )
    return (
        api.AccessToken(settings.livekit_api_key, settings.livekit_api_secret)
        .with_identity(identity)
        .with_name(name)
        .with_metadata(json.dumps(metadata or {}))
        .with_ttl(TOKEN_TTL)
        .with_grants(grants)
        .to_jwt()
    )


def joined_identity(token: str, room: str, settings: Settings | None = None) -> str | None:
    """The identity one of our join tokens for `room` was minted for; None if it is not one
    (wrong signature, expired, another room)."""
    settings = settings or get_settings()
    verifier = api.TokenVerifier(settings.livekit_api_key, settings.livekit_api_secret)
    try:
        claims = verifier.verify(token)
    except (jwt.PyJWTError, ValueError, TypeError):
        return None
    video = claims.video
    if video is None or not video.room_join or video.room != room:
        return None
    return claims.identity or None


def http_url(settings: Settings | None = None) -> str:
    """The room service speaks HTTP (Twirp) on the same host the browsers reach by WebSocket."""
    url = (settings or get_settings()).livekit_url
    if url.startswith("ws://"):
        return "http://" + url[len("ws://") :]
    if url.startswith("wss://"):
        return "https://" + url[len("wss://") :]
    return url


# Room-service calls run while someone waits (the owner removing someone, ending a session):
# a server that does not answer is reported quickly rather than after aiohttp's minutes.
SERVICE_TIMEOUT = aiohttp.ClientTimeout(total=5)


def _service(settings: Settings) -> api.LiveKitAPI:
    return api.LiveKitAPI(
        http_url(settings),
        settings.livekit_api_key,
        settings.livekit_api_secret,
        timeout=SERVICE_TIMEOUT,
        failover=False,
    )


async def remove_participant(room: str, identity: str, settings: Settings | None = None) -> None:
    async with _service(settings or get_settings()) as lk:
        await lk.room.remove_participant(api.RoomParticipantIdentity(room=room, identity=identity))


async def delete_room(room: str, settings: Settings | None = None) -> None:
    """Everyone in it is disconnected (reason ROOM_DELETED) and LiveKit sends room_finished."""
    async with _service(settings or get_settings()) as lk:
        await lk.room.delete_room(api.DeleteRoomRequest(room=room))


def blocking(coro: Coroutine[Any, Any, T]) -> T:
    """Run a room-service call from the worker threads that domain services run in (REST
    handlers in the thread pool, Reflex handlers through asyncio.to_thread): the livekit
    API is asyncio-only, and such a thread has no loop of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    # Called on a loop's thread after all (a commit there): run it on a thread of its own.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


async def server_reachable(settings: Settings | None = None, timeout: float = 1.0) -> bool:
    """Whether the video server answers at all (LiveKit serves a plain "OK" on /)."""
    try:
        async with httpx.AsyncClient(timeout=timeout) as client:
            res = await client.get(http_url(settings))
    except httpx.HTTPError:
        return False
    return res.status_code < 500
