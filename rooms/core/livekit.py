"""LiveKit: access tokens for the browser and the server-side room service."""

from __future__ import annotations

import json
from datetime import timedelta

import httpx
import jwt
from livekit import api

from rooms.core.config import Settings, get_settings

TOKEN_TTL = timedelta(hours=6)


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


async def remove_participant(room: str, identity: str, settings: Settings | None = None) -> None:
    settings = settings or get_settings()
    async with api.LiveKitAPI(
        http_url(settings), settings.livekit_api_key, settings.livekit_api_secret
    ) as lk:
        await lk.room.remove_participant(api.RoomParticipantIdentity(room=room, identity=identity))


async def server_reachable(settings: Settings | None = None, timeout: float = 1.0) -> bool:
    """Whether the video server answers at all (LiveKit serves a plain "OK" on /)."""
    try:
        async with httpx.AsyncClient(timeout=timeout) as client:
            res = await client.get(http_url(settings))
    except httpx.HTTPError:
        return False
    return res.status_code < 500
