"""LiveKit both ways: the owner removes someone through the room service (a local server
speaking LiveKit's Twirp protocol: protobuf bodies, JSON errors, JWT auth), and signed
webhooks update participants and sessions."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator

import httpx
import pytest
from google.protobuf.json_format import MessageToJson
from livekit.api import AccessToken, TokenVerifier
from livekit.protocol.models import ParticipantInfo, Room
from livekit.protocol.room import RemoveParticipantResponse, RoomParticipantIdentity
from livekit.protocol.webhook import WebhookEvent
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from rooms.core.config import get_settings
from tests.conftest import ServerThread
from tests.helpers import unique_email


class FakeRoomService:
    """LiveKit's RoomService.RemoveParticipant as the server implements it."""

    def __init__(self) -> None:
        self.present: set[tuple[str, str]] = set()
        self.calls: list[tuple[str, str]] = []
        self.app = Starlette(
            routes=[
                Route("/twirp/livekit.RoomService/RemoveParticipant", self.remove, methods=["POST"])
            ]
        )

    async def remove(self, request: Request) -> Response:
        settings = get_settings()
        auth = request.headers.get("authorization", "")
        try:
            claims = TokenVerifier(settings.livekit_api_key, settings.livekit_api_secret).verify(
                auth.removeprefix("Bearer ")
            )
        except Exception:
            return JSONResponse({"code": "unauthenticated", "msg": "invalid token"}, 401)
        assert request.headers["content-type"] == "application/protobuf"
        req = RoomParticipantIdentity.FromString(await request.body())
        if not (claims.video.room_admin and claims.video.room == req.room):
            return JSONResponse({"code": "permission_denied", "msg": "no room admin"}, 403)
        self.calls.append((req.room, req.identity))
        if (req.room, req.identity) not in self.present:
            return JSONResponse({"code": "not_found", "msg": "participant not found"}, 404)
        self.present.discard((req.room, req.identity))
        body = RemoveParticipantResponse().SerializeToString()
        return Response(body, media_type="application/protobuf")


@pytest.fixture
def livekit_server(settings_env) -> Iterator[FakeRoomService]:
    fake = FakeRoomService()
    with ServerThread(fake.app) as server:
        settings_env(LIVEKIT_URL=f"ws://127.0.0.1:{server.port}")
        yield fake


@pytest.fixture
def room(signed_in, new_client):
    """An owner's space with a member; the member's session with the member (the
    transcription host, as its creator), the owner and a guest in the room."""
    owner, _ = signed_in(name="Owner")
    member_email = unique_email("member")
    member, _ = signed_in(name="Member", email=member_email)
    space = owner.post("/api/spaces", json={"name": "Team"}).json()["space"]["id"]
    owner.post(f"/api/spaces/{space}/members", json={"email": member_email})
    slug = member.post("/api/sessions", json={"spaceId": space}).json()["session"]["slug"]
    ids = {
        "member": member.post(f"/api/sessions/{slug}/participants/join", json={}).json()[
            "identity"
        ],
        "owner": owner.post(f"/api/sessions/{slug}/participants/join", json={}).json()["identity"],
    }
    guest = new_client()
    ids["guest"] = guest.post(f"/api/sessions/{slug}/participants/join", json={"name": "G"}).json()[
        "identity"
    ]
    return {"owner": owner, "member": member, "guest": guest, "slug": slug, "ids": ids}


def _info(client: httpx.Client, slug: str, identity: str) -> dict:
    return client.get(f"/api/sessions/{slug}/participants/{identity}").json()["participant"]


def test_owner_removes_a_participant_through_livekit(room, livekit_server) -> None:
    slug, ids, owner = room["slug"], room["ids"], room["owner"]
    livekit_server.present |= {(slug, i) for i in ids.values()}

    res = owner.delete(f"/api/sessions/{slug}/participants/{ids['guest']}")
    assert res.status_code == 200, res.text
    assert res.json()["participant"]["leftAt"] is not None
    assert livekit_server.calls == [(slug, ids["guest"])]
    assert (slug, ids["guest"]) not in livekit_server.present

    # Removing the transcription host hands transcription to another host who is present.
    assert _info(owner, slug, ids["member"])["isTranscriptionHost"] is True
    res = owner.delete(f"/api/sessions/{slug}/participants/{ids['member']}")
    assert res.status_code == 200
    assert _info(owner, slug, ids["member"])["isTranscriptionHost"] is False
    assert _info(owner, slug, ids["owner"])["isTranscriptionHost"] is True


def test_removal_rules_and_livekit_failures(
    room, livekit_server, new_client, signed_in, settings_env
) -> None:
    slug, ids = room["slug"], room["ids"]
    path = f"/api/sessions/{slug}/participants/{ids['guest']}"
    res = room["member"].delete(path)
    assert res.status_code == 403 and res.json()["error"] == "NOT_SPACE_OWNER"
    stranger, _ = signed_in()
    assert stranger.delete(path).status_code == 404
    assert new_client().delete(path).status_code == 401
    assert room["guest"].delete(path).status_code == 401
    res = room["owner"].delete(f"/api/sessions/{slug}/participants/nobody")
    assert res.status_code == 404 and res.json()["error"] == "PARTICIPANT_NOT_FOUND"
    assert livekit_server.calls == []

    # LiveKit has never seen them (they never connected): still marked as left.
    res = room["owner"].delete(path)
    assert res.status_code == 200 and livekit_server.calls == [(slug, ids["guest"])]

    # LiveKit down or refusing our key: a clear 502, and nobody is marked as left.
    owner_path = f"/api/sessions/{slug}/participants/{ids['owner']}"
    settings_env(LIVEKIT_URL="ws://127.0.0.1:1")
    res = room["owner"].delete(owner_path)
    assert res.status_code == 502 and res.json()["error"] == "LIVEKIT_UNAVAILABLE"
    assert _info(room["owner"], slug, ids["owner"])["leftAt"] is None


# --- webhooks ----------------------------------------------------------------------


def _signed(event: WebhookEvent, secret: str | None = None) -> tuple[str, str]:
    settings = get_settings()
    body = MessageToJson(event)
    digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
    token = (
        AccessToken(settings.livekit_api_key, secret or settings.livekit_api_secret)
        .with_sha256(digest)
        .to_jwt()
    )
    return body, token


def _event(kind: str, slug: str, identity: str | None = None) -> WebhookEvent:
    event = WebhookEvent(event=kind, room=Room(name=slug), id=f"EV_{kind}")
    if identity:
        event.participant.CopyFrom(ParticipantInfo(identity=identity))
    return event


def _post(client: httpx.Client, body: str, token: str | None) -> httpx.Response:
    headers = {"Content-Type": "application/webhook+json"}
    if token is not None:
        headers["Authorization"] = token
    return client.post("/api/livekit/webhook", content=body, headers=headers)


def test_webhook_updates_participants_and_sessions(room, new_client) -> None:
    slug, ids, owner = room["slug"], room["ids"], room["owner"]
    livekit = new_client()  # LiveKit has no cookie

    res = _post(livekit, *_signed(_event("participant_left", slug, ids["member"])))
    assert res.status_code == 200 and res.json() == {"event": "participant_left", "applied": True}
    assert _info(owner, slug, ids["member"])["leftAt"] is not None
    assert _info(owner, slug, ids["owner"])["isTranscriptionHost"] is True  # re-selected

    res = _post(livekit, *_signed(_event("participant_joined", slug, ids["member"])))
    assert res.json()["applied"] is True
    assert _info(owner, slug, ids["member"])["leftAt"] is None

    # Events about rooms or people we do not know are accepted and ignored.
    for event in [
        _event("participant_left", "no-such-room", "x"),
        _event("participant_joined", slug, "never-issued"),
        _event("track_published", slug, ids["owner"]),
    ]:
        res = _post(livekit, *_signed(event))
        assert res.status_code == 200 and res.json()["applied"] is False

    res = _post(livekit, *_signed(_event("room_finished", slug)))
    assert res.json() == {"event": "room_finished", "applied": True}
    session = owner.get(f"/api/sessions/{slug}").json()["session"]
    assert session["status"] == "ENDED" and session["endedAt"]
    for identity in ids.values():
        info = _info(owner, slug, identity)
        assert info["leftAt"] is not None and info["isTranscriptionHost"] is False
    assert owner.post(f"/api/sessions/{slug}/participants/join", json={}).status_code == 410
    # LiveKit retries deliveries: the same event again changes nothing.
    assert _post(livekit, *_signed(_event("room_finished", slug))).json()["applied"] is False


def test_forged_or_unsigned_webhooks_are_refused(room, new_client) -> None:
    slug, ids, owner = room["slug"], room["ids"], room["owner"]
    client = new_client()
    body, token = _signed(_event("room_finished", slug))
    forged_body, forged_token = _signed(_event("room_finished", slug), secret="not-our-secret")
    cases = [
        (body, None),  # unsigned
        (body, ""),
        (body, "garbage"),
        (forged_body, forged_token),  # signed with another secret
        (body.replace(slug, "abc-defg-hij"), token),  # body changed after signing
        ("not json", _signed(_event("room_finished", slug))[1]),
    ]
    for case_body, case_token in cases:
        res = _post(client, case_body, case_token)
        assert res.status_code == 401, (case_body[:40], res.text)
        assert res.json()["error"] == "INVALID_WEBHOOK"
    assert owner.get(f"/api/sessions/{slug}").json()["session"]["status"] == "ACTIVE"
    # "Bearer <jwt>" is accepted as well as the bare token LiveKit sends.
    res = _post(client, *_signed(_event("participant_left", slug, ids["guest"])))
    assert res.status_code == 200
    body, token = _signed(_event("participant_joined", slug, ids["guest"]))
    assert _post(client, body, f"Bearer {token}").status_code == 200
