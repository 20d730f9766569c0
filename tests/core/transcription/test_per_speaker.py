"""TRANSCRIPTION_MODE=per-speaker: every participant streams their own microphone and all of
it is theirs; guests prove who they are with the LiveKit token they joined with."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import httpx
import pytest

from rooms.core import livekit
from rooms.core.db import session_scope
from rooms.core.participants import GUEST_COOKIE, mark_left, new_guest_key
from tests.support.api_server import api_server_with
from tests.support.fake_gladia import FakeGladia, speech_pcm
from tests.support.gateway import (
    Host,
    finals,
    gladia_env,
    join_as_guest,
    participant_id,
    run_async,
    speakers,
    stored_speakers,
    stream,
)


@pytest.fixture(scope="module")
def per_speaker_url(fake_gladia: FakeGladia, database: str) -> Iterator[str]:
    with api_server_with(gladia_env(fake_gladia, TRANSCRIPTION_MODE="per-speaker")) as url:
        yield url


def start(client, slug: str, bearer: str | None = None):
    headers = {"Authorization": f"Bearer {bearer}"} if bearer else {}
    return client.post(f"/api/sessions/{slug}/transcription/start", headers=headers)


def test_each_participant_streams_their_own_voice(per_speaker_url) -> None:
    host = Host(per_speaker_url)
    member = Host(per_speaker_url)  # signed in; a guest of this session, not its host
    assert (
        member.http.post(f"/api/sessions/{host.slug}/participants/join", json={}).status_code == 200
    )
    guest_http, guest = join_as_guest(per_speaker_url, host.slug, "Gus")

    urls = {}
    for who, res in (
        ("host", start(host.http, host.slug)),
        ("member", start(member.http, host.slug)),
        ("guest", start(guest_http, host.slug, bearer=guest["token"])),
    ):
        assert res.status_code == 200, (who, res.text)
        urls[who] = res.json()["wsUrl"]

    # The member's client claims the host is talking: per-speaker streams ignore that.
    host_identity = f"user-{host.user['id']}"
    lies = {0: [speakers(host_identity)], 5: [speakers()]}

    async def all_at_once():
        return await asyncio.gather(
            stream(urls["host"], speech_pcm(1)),
            stream(urls["member"], speech_pcm(2), texts=lies),
            stream(urls["guest"], speech_pcm(1)),
        )

    results = dict(zip(urls, run_async(all_at_once()), strict=True))
    pids = {
        "host": participant_id(host.session_id, host_identity),
        "member": participant_id(host.session_id, f"user-{member.user['id']}"),
        "guest": participant_id(host.session_id, guest["identity"]),
    }
    names = {"host": "Host", "member": "Host", "guest": "Gus"}
    for who, (messages, code) in results.items():
        assert code == 1000, (who, messages)
        assert not [m for m in messages if m["type"] == "error"], messages
        got = finals(messages)
        assert got and {(m["participantId"], m["speaker"]) for m in got} == {
            (pids[who], names[who])
        }, who
    stored = stored_speakers(host.session_id, 4)
    assert sorted(pid for _, pid in stored) == sorted(
        [pids["host"], pids["member"], pids["member"], pids["guest"]]
    )
    # Usage is counted per stream, as in host mode.
    usage = host.http.get(f"/api/sessions/{host.slug}/transcription/usage").json()
    assert usage["streams"] == 3
    for client in (host.http, member.http, guest_http):
        client.close()


def test_who_may_not_stream(per_speaker_url) -> None:
    host = Host(per_speaker_url)
    guest_http, guest = join_as_guest(per_speaker_url, host.slug, "Gus")
    other = Host(per_speaker_url)

    # Without its browser's key, a guest must show its LiveKit token.
    with httpx.Client(base_url=per_speaker_url, timeout=30) as keyless:
        assert start(keyless, host.slug).status_code == 401
        assert start(keyless, host.slug, bearer="not-a-token").status_code == 401
        # A LiveKit token for another room says nothing about this one.
        elsewhere = livekit.mint_token(room=other.slug, identity=guest["identity"], name="Gus")
        assert start(keyless, host.slug, bearer=elsewhere).status_code == 401
        # Another browser's key is someone else, who never joined.
        keyless.cookies.set(GUEST_COOKIE, new_guest_key())
        res = start(keyless, host.slug)
        assert res.status_code == 403 and res.json()["error"] == "NOT_A_PARTICIPANT"
    # The browser that joined is known by its key, however old its join token is: the
    # token lasts 10 minutes, the meeting longer.
    res = start(guest_http, host.slug, bearer="an-expired-or-missing-token")
    assert res.status_code == 200, res.text
    # Signed in but never joined this session.
    res = start(other.http, host.slug)
    assert res.status_code == 403 and res.json()["error"] == "NOT_A_PARTICIPANT"

    # Someone who left can neither get a token nor use the one they had.
    ws_url = start(guest_http, host.slug, bearer=guest["token"]).json()["wsUrl"]
    with session_scope() as db:
        mark_left(db, host.slug, guest["identity"])
    res = start(guest_http, host.slug, bearer=guest["token"])
    assert res.status_code == 403 and res.json()["error"] == "NOT_A_PARTICIPANT"
    messages, code = run_async(stream(ws_url, speech_pcm(1)))
    assert code == 4403 and messages[0]["code"] == "NOT_A_PARTICIPANT"
    for client in (host.http, guest_http, other.http):
        client.close()
