"""The lobby against the real LiveKit server (issue 16): an admitted guest's token connects
to the room; a token got before the lobby held someone back (LiveKit tokens cannot be
revoked) is dropped by the app's participant_joined webhook, like a removed participant's."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import httpx
import pytest
from livekit import api
from livekit.protocol.models import DisconnectReason, ParticipantInfo

from tests.support.livekit_server import LiveKitServer
from tests.support.room import ScriptedParticipant

WAIT_S = 20.0  # a webhook or a disconnect under load


@pytest.fixture
def real_livekit(livekit: LiveKitServer, settings_env) -> LiveKitServer:
    settings_env(LIVEKIT_URL=livekit.url)
    return livekit


@pytest.fixture
def scripted(api_url: str):
    made: list[ScriptedParticipant] = []

    def make(slug: str, name: str, **kw) -> ScriptedParticipant:
        bot = ScriptedParticipant(api_url, slug, name, **kw)
        made.append(bot)
        return bot

    yield make
    for bot in made:
        bot.close()


def _in_room(server: LiveKitServer, slug: str, active: bool = False) -> set[str]:
    """Who the real server lists in the room; `active`: only those whose media connection is
    up (LiveKit sends participant_joined at that point)."""

    async def ask() -> set[str]:
        async with api.LiveKitAPI(server.http_url, "devkey", "secret") as lk:
            res = await lk.room.list_participants(api.ListParticipantsRequest(room=slug))
            return {
                p.identity
                for p in res.participants
                if not active or p.state == ParticipantInfo.State.ACTIVE
            }

    return asyncio.run(ask())


def _left(client: httpx.Client, slug: str, identity: str) -> bool:
    res = client.get(f"/api/sessions/{slug}/participants/{identity}")
    return res.json()["participant"]["leftAt"] is not None


def _until(check: Callable[[], bool], what: str, timeout: float = WAIT_S) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"not within {timeout} s: {what}"
        time.sleep(0.1)


def test_an_admitted_guest_connects_to_the_real_room(
    signed_in, new_client, real_livekit, scripted
) -> None:
    owner, _ = signed_in(name="Owner")
    slug = owner.post("/api/sessions", json={"lobby": True}).json()["session"]["slug"]
    guest = new_client()
    res = guest.post(f"/api/sessions/{slug}/participants/join", json={"name": "G"})
    assert res.status_code == 202, res.text
    identity = res.json()["identity"]
    assert owner.post(f"/api/sessions/{slug}/lobby/{identity}/admit").status_code == 200

    bot = scripted(slug, "G", client=guest).connect()  # the same join call, now a token
    assert bot.identity == identity
    _until(lambda: identity in _in_room(real_livekit, slug, active=True), "the guest in the room")
    # Their participant_joined webhook has been applied (they stay), rather than a fixed
    # pause a slow webhook could outlast: LiveKit delivers one room's webhooks in order, so
    # once the owner's later visit has been seen leaving, the guest's arrival was handled.
    marker = scripted(slug, "Owner", client=owner).connect()
    marker.leave()
    _until(lambda: _left(owner, slug, marker.identity), "the owner's visit applied")
    assert identity in _in_room(real_livekit, slug)
    assert not bot.disconnected.is_set()


def test_a_token_from_before_the_wait_does_not_get_past_the_lobby(
    signed_in, new_client, real_livekit, scripted
) -> None:
    owner, _ = signed_in(name="Owner")
    slug = owner.post("/api/sessions", json={}).json()["session"]["slug"]
    guest = new_client()
    early = guest.get(f"/api/sessions/{slug}/token", params={"name": "G"})  # records nothing
    assert early.status_code == 200, early.text
    assert owner.patch(f"/api/sessions/{slug}", json={"lobby": True}).status_code == 200
    res = guest.post(f"/api/sessions/{slug}/participants/join", json={"name": "G"})
    assert res.status_code == 202 and res.json()["identity"] == early.json()["identity"]

    bot = scripted(slug, "G", token_body=early.json())
    started = time.monotonic()
    bot.connect()  # LiveKit itself accepts the token...
    assert bot.disconnected.wait(WAIT_S), "the waiting guest is still connected"
    assert bot.disconnect_reason == DisconnectReason.PARTICIPANT_REMOVED  # ...the app does not
    print(f"waiting guest's old token dropped {time.monotonic() - started:.2f} s after connecting")
    _until(lambda: bot.identity not in _in_room(real_livekit, slug), "the room without them")
    # Still waiting, not in the room by the app's records either.
    waiting = owner.get(f"/api/sessions/{slug}/lobby").json()["waiting"]
    assert [w["identity"] for w in waiting] == [bot.identity]
    info = owner.get(f"/api/sessions/{slug}/participants/{bot.identity}").json()["participant"]
    assert info["leftAt"] is not None


def test_denied_guest_with_a_token_is_dropped_too(
    signed_in, new_client, real_livekit, scripted
) -> None:
    owner, _ = signed_in(name="Owner")
    slug = owner.post("/api/sessions", json={}).json()["session"]["slug"]
    guest = new_client()
    early = guest.get(f"/api/sessions/{slug}/token", params={"name": "G"}).json()
    owner.patch(f"/api/sessions/{slug}", json={"lobby": True})
    identity = guest.post(f"/api/sessions/{slug}/participants/join", json={"name": "G"}).json()[
        "identity"
    ]
    assert owner.post(f"/api/sessions/{slug}/lobby/{identity}/deny").status_code == 200
    bot = scripted(slug, "G", token_body=early).connect()
    assert bot.disconnected.wait(WAIT_S), "the denied guest is still connected"
    assert bot.disconnect_reason == DisconnectReason.PARTICIPANT_REMOVED
    res = new_client().get(f"/api/sessions/{slug}/token", params={"name": "G"})
    assert res.status_code == 202  # another browser: someone new, who waits like anyone
