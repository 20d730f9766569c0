"""LiveKit both ways, against the real server (the session fixture `livekit`): the owner
removes someone through the room service, which bans them from the session; ending a
session deletes its room; and the server's own signed webhooks update participants and
sessions (its webhooks go to the suite's API server, `api_url`)."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import threading
import time
from collections.abc import Callable

import httpx
import jwt
import pytest
from google.protobuf.json_format import MessageToJson
from livekit import api
from livekit.api import AccessToken
from livekit.protocol.models import DisconnectReason, Room
from livekit.protocol.webhook import WebhookEvent

from rooms.core import sessions
from rooms.core.config import get_settings
from tests.support.helpers import unique_email
from tests.support.livekit_server import LiveKitServer
from tests.support.room import ScriptedParticipant

WAIT_S = 20.0  # a webhook or a disconnect: well under a second when idle, not under load


@pytest.fixture
def real_livekit(livekit: LiveKitServer, settings_env) -> LiveKitServer:
    settings_env(LIVEKIT_URL=livekit.url)
    return livekit


@pytest.fixture
def room(signed_in, new_client, real_livekit):
    """An owner's space with a member; the member's session with the member (the
    transcription host, as its creator), the owner and a guest recorded as participants.
    The guest's client keeps its cookies: it is one browser."""
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


@pytest.fixture
def scripted(api_url: str):
    made: list[ScriptedParticipant] = []

    def make(slug: str, name: str, client: httpx.Client | None = None) -> ScriptedParticipant:
        bot = ScriptedParticipant(api_url, slug, name, client=client)
        made.append(bot)
        return bot

    yield make
    for bot in made:
        bot.close()


def _info(client: httpx.Client, slug: str, identity: str) -> dict:
    return client.get(f"/api/sessions/{slug}/participants/{identity}").json()["participant"]


def _until(check: Callable[[], bool], what: str, timeout: float = WAIT_S) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"not within {timeout} s: {what}"
        time.sleep(0.1)


def _in_room(server: LiveKitServer, slug: str) -> set[str]:
    """Who the real server says is connected to the room."""

    async def ask() -> set[str]:
        async with api.LiveKitAPI(server.http_url, "devkey", "secret") as lk:
            res = await lk.room.list_participants(api.ListParticipantsRequest(room=slug))
            return {p.identity for p in res.participants}

    return asyncio.run(ask())


def _rooms(server: LiveKitServer) -> set[str]:
    async def ask() -> set[str]:
        async with api.LiveKitAPI(server.http_url, "devkey", "secret") as lk:
            return {r.name for r in (await lk.room.list_rooms(api.ListRoomsRequest())).rooms}

    return asyncio.run(ask())


def _disconnected(bot: ScriptedParticipant, reason: int) -> None:
    assert bot.disconnected.wait(WAIT_S), f"{bot.name} is still connected"
    assert bot.disconnect_reason == reason, (bot.disconnect_reason, reason)


# --- removing someone ------------------------------------------------------------------


def test_owner_removes_a_participant_and_they_stay_out(room, real_livekit, scripted) -> None:
    slug, ids, owner, guest = room["slug"], room["ids"], room["owner"], room["guest"]
    bot = scripted(slug, "G", client=guest).connect()
    assert bot.identity == ids["guest"]  # the same browser is the same guest
    _until(lambda: ids["guest"] in _in_room(real_livekit, slug), "the guest in the room")

    res = owner.delete(f"/api/sessions/{slug}/participants/{ids['guest']}")
    assert res.status_code == 200, res.text
    body = res.json()["participant"]
    assert body["leftAt"] is not None and body["removedAt"] is not None
    _disconnected(bot, DisconnectReason.PARTICIPANT_REMOVED)
    assert ids["guest"] not in _in_room(real_livekit, slug)

    # The same link and browser: refused on both join routes, with a code pages can act on.
    for res in (
        guest.get(f"/api/sessions/{slug}/token", params={"name": "G"}),
        guest.post(f"/api/sessions/{slug}/participants/join", json={"name": "G again"}),
    ):
        assert res.status_code == 403, res.text
        assert res.json()["error"] == "PARTICIPANT_REMOVED"
    # Another browser is another guest (nothing identifies them as the same person).
    other = httpx.Client(base_url=str(guest.base_url))
    res = other.get(f"/api/sessions/{slug}/token", params={"name": "G"})
    assert res.status_code == 200 and res.json()["identity"] != ids["guest"]
    other.close()

    # Removing the transcription host hands transcription to another host who is present.
    assert _info(owner, slug, ids["member"])["isTranscriptionHost"] is True
    res = owner.delete(f"/api/sessions/{slug}/participants/{ids['member']}")
    assert res.status_code == 200  # never connected: LiveKit does not know them, still banned
    assert _info(owner, slug, ids["member"])["isTranscriptionHost"] is False
    assert _info(owner, slug, ids["owner"])["isTranscriptionHost"] is True
    res = room["member"].get(f"/api/sessions/{slug}/token")
    assert res.status_code == 403 and res.json()["error"] == "PARTICIPANT_REMOVED"

    # The owner lifts the ban: the same browser joins again, as the same guest.
    res = owner.delete(f"/api/sessions/{slug}/bans/{ids['guest']}")
    assert res.status_code == 200 and res.json()["participant"]["removedAt"] is None
    res = guest.get(f"/api/sessions/{slug}/token", params={"name": "G"})
    assert res.status_code == 200 and res.json()["identity"] == ids["guest"]


def test_a_token_minted_before_the_removal_no_longer_connects(room, real_livekit, scripted) -> None:
    """LiveKit tokens cannot be revoked: the participant_joined webhook of the real server
    reports the banned identity, and the app drops it at once."""
    slug, owner, guest = room["slug"], room["owner"], room["guest"]
    bot = scripted(slug, "G", client=guest)  # holds a valid token from before the ban
    res = owner.delete(f"/api/sessions/{slug}/participants/{bot.identity}")
    assert res.status_code == 200, res.text

    started = time.monotonic()
    bot.connect()  # LiveKit itself accepts the token...
    _disconnected(bot, DisconnectReason.PARTICIPANT_REMOVED)  # ...the app's webhook does not
    print(f"banned token dropped {time.monotonic() - started:.2f} s after connecting")
    _until(lambda: bot.identity not in _in_room(real_livekit, slug), "the room without them")
    assert _info(owner, slug, bot.identity)["leftAt"] is not None


def test_join_tokens_are_short_lived_and_the_server_refreshes_them(
    room, real_livekit, scripted
) -> None:
    """10 minutes bound a token handed to someone later removed; a connected client is
    not cut off by it: the real server sends it a fresh token on connect and every 5
    minutes (livekit-client and the Python SDK resume and reconnect with that one)."""
    bot = scripted(room["slug"], "Refreshed", client=room["guest"])
    settings = get_settings()

    def claims(token: str) -> dict:
        return jwt.decode(token, settings.livekit_api_secret, algorithms=["HS256"], leeway=60)

    minted = claims(bot.token)
    assert minted["video"]["room"] == room["slug"]
    assert minted["exp"] - minted["nbf"] <= 15 * 60

    bot.connect()
    sdk_room = bot.room
    assert sdk_room is not None
    # The room's token itself, not its token_refreshed event: the server sends the first
    # refresh on connect, possibly before a listener added after connect() could hear it.
    _until(lambda: sdk_room._token != bot.token, "a refreshed token")
    fresh = claims(sdk_room._token)
    assert fresh["sub"] == bot.identity and fresh["video"]["room"] == room["slug"]
    assert fresh["exp"] >= minted["exp"]


def test_removal_rules_and_livekit_failures(room, new_client, signed_in, settings_env) -> None:
    slug, ids = room["slug"], room["ids"]
    for path in (
        f"/api/sessions/{slug}/participants/{ids['guest']}",
        f"/api/sessions/{slug}/bans/{ids['guest']}",
    ):
        res = room["member"].delete(path)
        assert res.status_code == 403 and res.json()["error"] == "NOT_SPACE_OWNER"
        stranger, _ = signed_in()
        assert stranger.delete(path).status_code == 404
        assert new_client().delete(path).status_code == 401
        assert room["guest"].delete(path).status_code == 401
    for kind in ("participants", "bans"):
        res = room["owner"].delete(f"/api/sessions/{slug}/{kind}/nobody")
        assert res.status_code == 404 and res.json()["error"] == "PARTICIPANT_NOT_FOUND"
    res = room["owner"].delete(f"/api/sessions/{slug}/participants/{ids['owner']}")
    assert res.status_code == 400 and res.json()["error"] == "CANNOT_REMOVE_SELF"
    assert _info(room["owner"], slug, ids["guest"])["removedAt"] is None

    # LiveKit down: a clear 502, and nobody is marked as left or removed.
    member_path = f"/api/sessions/{slug}/participants/{ids['member']}"
    settings_env(LIVEKIT_URL="ws://127.0.0.1:1")
    res = room["owner"].delete(member_path)
    assert res.status_code == 502 and res.json()["error"] == "LIVEKIT_UNAVAILABLE"
    info = _info(room["owner"], slug, ids["member"])
    assert info["leftAt"] is None and info["removedAt"] is None
    assert info["isTranscriptionHost"] is True


# --- ending a session ------------------------------------------------------------------


def test_ending_a_session_deletes_its_room(room, real_livekit, scripted) -> None:
    slug, owner, member = room["slug"], room["owner"], room["member"]
    ended: list[str] = []
    heard = threading.Event()

    def listener(s: str) -> None:
        ended.append(s)
        heard.set()

    sessions.on_session_ended(listener)
    try:
        bots = [scripted(slug, name).connect() for name in ("One", "Two")]
        _until(lambda: len(_in_room(real_livekit, slug)) == 2, "both in the room")
        res = member.post(f"/api/sessions/{slug}/end")
        assert res.status_code == 200, res.text
        for bot in bots:
            _disconnected(bot, DisconnectReason.ROOM_DELETED)
        assert slug not in _rooms(real_livekit)
        assert heard.wait(WAIT_S)
        # room_finished from the real server marks everyone gone, and does not end the
        # session a second time.
        _until(
            lambda: all(_info(owner, slug, i)["leftAt"] for i in [*room["ids"].values()]),
            "everyone marked as left",
        )
        time.sleep(0.5)
        assert ended == [slug]
    finally:
        sessions.remove_session_ended_listener(listener)
    assert owner.get(f"/api/sessions/{slug}/token").status_code == 410


def test_ending_a_session_with_livekit_down_still_ends_it(room, settings_env) -> None:
    settings_env(LIVEKIT_URL="ws://127.0.0.1:1")
    res = room["member"].post(f"/api/sessions/{room['slug']}/end")
    assert res.status_code == 200 and res.json()["session"]["status"] == "ENDED"


# --- webhooks from the real server -------------------------------------------------------


def test_real_webhooks_update_presence(room, real_livekit, scripted) -> None:
    slug, ids, owner = room["slug"], room["ids"], room["owner"]
    bot = scripted(slug, "Scripted")
    token = bot.token

    bot.connect()
    bot.leave()  # participant_left, from the server
    # Its webhook is sent once the server has let go of this identity, so the reconnect
    # below is a new join and not a resume of the old connection.
    _until(lambda: _info(owner, slug, bot.identity)["leftAt"] is not None, "marked as left")

    # The same token again: only participant_joined brings them back.
    bot.connect()
    assert bot.token == token
    _until(lambda: _info(owner, slug, bot.identity)["leftAt"] is None, "marked as present")

    # The room deleted behind the app's back: room_finished ends the session.
    async def delete() -> None:
        async with api.LiveKitAPI(real_livekit.http_url, "devkey", "secret") as lk:
            await lk.room.delete_room(api.DeleteRoomRequest(room=slug))

    asyncio.run(delete())
    _until(
        lambda: owner.get(f"/api/sessions/{slug}").json()["session"]["status"] == "ENDED",
        "the session ended by room_finished",
    )
    for identity in [*ids.values(), bot.identity]:
        info = _info(owner, slug, identity)
        assert info["leftAt"] is not None and info["isTranscriptionHost"] is False


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


def _post(client: httpx.Client, body: str, token: str | None) -> httpx.Response:
    headers = {"Content-Type": "application/webhook+json"}
    if token is not None:
        headers["Authorization"] = token
    return client.post("/api/livekit/webhook", content=body, headers=headers)


def test_forged_or_unsigned_webhooks_are_refused(room, new_client) -> None:
    slug, owner = room["slug"], room["owner"]
    client = new_client()
    finished = WebhookEvent(event="room_finished", room=Room(name=slug), id="EV_finished")
    body, token = _signed(finished)
    forged_body, forged_token = _signed(finished, secret="not-our-secret")
    cases = [
        (body, None),  # unsigned
        (body, ""),
        (body, "garbage"),
        (forged_body, forged_token),  # signed with another secret
        (body.replace(slug, "abc-defg-hij"), token),  # body changed after signing
        ("not json", token),
    ]
    for case_body, case_token in cases:
        res = _post(client, case_body, case_token)
        assert res.status_code == 401, (case_body[:40], res.text)
        assert res.json()["error"] == "INVALID_WEBHOOK"
    assert owner.get(f"/api/sessions/{slug}").json()["session"]["status"] == "ACTIVE"
    # The control: our own signature, also as "Bearer <jwt>", is accepted.
    res = _post(client, body, f"Bearer {token}")
    assert res.status_code == 200 and res.json() == {"event": "room_finished", "applied": True}


# --- issue 16: someone leaving the space leaves its rooms ------------------------------


@pytest.mark.parametrize("how", ["removed", "left"])
def test_a_departed_member_is_dropped_from_the_space_rooms(
    room, real_livekit, scripted, how: str
) -> None:
    slug, ids, owner, member = room["slug"], room["ids"], room["owner"], room["member"]
    bot = scripted(slug, "Member", client=member).connect()
    assert bot.identity == ids["member"]
    _until(lambda: ids["member"] in _in_room(real_livekit, slug), "the member in the room")
    space = member.get(f"/api/sessions/{slug}").json()["session"]["spaceId"]
    member_id = ids["member"].removeprefix("user-")

    if how == "removed":
        res = owner.delete(f"/api/spaces/{space}/members/{member_id}")
        assert res.status_code == 204, res.text
    else:
        assert member.post(f"/api/spaces/{space}/leave").status_code == 200
    _disconnected(bot, DisconnectReason.PARTICIPANT_REMOVED)
    assert ids["member"] not in _in_room(real_livekit, slug)
    info = owner.get(f"/api/sessions/{slug}/participants/{ids['member']}").json()["participant"]
    # Left, not banned from the session: a link is still a link (as a guest of the space).
    assert info["leftAt"] is not None and info["removedAt"] is None
