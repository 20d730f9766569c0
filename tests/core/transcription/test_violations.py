"""Every refused token and every audio violation gets its own code and a 4xxx close, and the
server keeps serving other hosts meanwhile."""

from __future__ import annotations

import asyncio
import json
import time

import jwt
import pytest
import websockets

from rooms.core.config import get_settings
from rooms.core.transcription.tokens import AUDIENCE
from tests.support.fake_gladia import speech_pcm
from tests.support.gateway import Host, finals, refused, run_async, stream


def ws_base(gateway_url: str) -> str:
    return gateway_url.replace("http://", "ws://") + "/api/realtime/transcribe"


def forge(claims: dict, secret: str | None = None) -> str:
    now = int(time.time())
    body = {"aud": AUDIENCE, "iat": now, "exp": now + 60, "uid": None} | claims
    return jwt.encode(body, secret or get_settings().transcription_jwt_secret, algorithm="HS256")


def test_handshake_from_another_sites_page_is_refused(gateway_url, host) -> None:
    """Browsers apply no CORS to WebSockets: the Origin is checked, before the token."""
    url = host.start()["wsUrl"]
    for origin in ("https://evil.example", "null", "http://localhost:1"):
        msg, code = run_async(refused(url, origin=origin))
        assert (msg["type"], msg["code"], code) == ("error", "ORIGIN_NOT_ALLOWED", 4403), origin
        assert msg["message"]

    async def first_message(url: str, origin: str | None) -> dict:
        async with websockets.connect(url, compression=None, origin=origin) as ws:
            return json.loads(await asyncio.wait_for(ws.recv(), 10))

    # APP_URL's own pages, and clients that send no Origin at all (not browsers); a token
    # opens one stream, so each gets its own.
    for origin in (get_settings().app_url.rstrip("/"), None):
        fresh = host.start()["wsUrl"]
        assert run_async(first_message(fresh, origin))["type"] == "ready", origin


def test_token_refusals(gateway_url, host) -> None:
    base = ws_base(gateway_url)
    start = host.start()
    claims = jwt.decode(start["token"], options={"verify_signature": False})
    other = Host(gateway_url)
    other_claims = jwt.decode(other.start()["token"], options={"verify_signature": False})
    cases = {
        "TOKEN_MISSING": (base, 4401),
        "TOKEN_INVALID": (f"{base}?token=not.a.jwt", 4401),
        "forged": (f"{base}?token={forge(claims, secret='x' * 40)}", 4401),
        "TOKEN_EXPIRED": (f"{base}?token={forge(claims | {'exp': int(time.time()) - 5})}", 4401),
        # A participant of one session presented with another session's id.
        "foreign": (
            f"{base}?token={forge({'sid': other_claims['sid'], 'pid': claims['pid']})}",
            4401,
        ),
    }
    expected_code = {"forged": "TOKEN_INVALID", "foreign": "TOKEN_INVALID"}

    async def run() -> None:
        # A healthy host streams the whole time: refusals must not disturb it.
        ok = asyncio.create_task(stream(start["wsUrl"], speech_pcm(2)))
        for name, (url, close) in cases.items():
            msg, code = await refused(url)
            assert msg["type"] == "error" and msg["code"] == expected_code.get(name, name), name
            assert msg["message"] and code == close, (name, code)
        messages, code = await ok
        assert code == 1000 and len(finals(messages)) == 2

    run_async(run())

    # The host hands over: the old token is refused, the new host's token works.
    res = host.http.post(
        f"/api/sessions/{host.slug}/transcription-host",
        json={"excludeIdentity": f"user-{host.user['id']}"},
    )
    assert res.status_code == 200 and res.json()["host"] is None  # nobody else is present
    msg, code = run_async(refused(start["wsUrl"]))
    assert (msg["code"], code) == ("NOT_TRANSCRIPTION_HOST", 4403)
    assert host.http.post(f"/api/sessions/{host.slug}/transcription/start").status_code == 403

    # Ended session: the token of the still-designated host is refused with 4410.
    token = other.start()
    assert other.http.post(f"/api/sessions/{other.slug}/end").status_code == 200
    msg, code = run_async(refused(token["wsUrl"]))
    assert (msg["code"], code) == ("SESSION_ENDED", 4410)
    res = other.http.post(f"/api/sessions/{other.slug}/transcription/start")
    assert res.status_code == 410 and res.json()["error"] == "SESSION_ENDED"
    other.http.close()


def test_start_only_for_the_host(gateway_url, host, signed_in) -> None:
    import httpx

    guest = httpx.Client(base_url=gateway_url, timeout=30)
    assert (
        guest.post(
            f"/api/sessions/{host.slug}/participants/join", json={"name": "Guest"}
        ).status_code
        == 200
    )
    res = guest.post(f"/api/sessions/{host.slug}/transcription/start")
    assert res.status_code == 401  # not signed in
    member = Host(gateway_url)  # signed in, but host of another session only
    res = member.http.post(f"/api/sessions/{host.slug}/transcription/start")
    assert res.status_code == 403 and res.json()["error"] == "NOT_TRANSCRIPTION_HOST"
    res = host.http.post("/api/sessions/nope-nope-nop/transcription/start")
    assert res.status_code == 404
    guest.close()
    member.http.close()


async def violation(url: str, frames: list[bytes | str], pace: float = 0.0) -> tuple[dict, int]:
    async with websockets.connect(url, compression=None, max_size=None) as ws:
        try:
            for f in frames:
                await ws.send(f)
                if pace:
                    await asyncio.sleep(pace)
        except websockets.ConnectionClosed:
            pass
        errors = []
        try:
            async for raw in ws:
                msg = json.loads(raw)
                if msg["type"] == "error":
                    errors.append(msg)
        except websockets.ConnectionClosed:
            pass
        assert len(errors) == 1, errors
        return errors[0], ws.close_code


def test_audio_violations(gateway_url, host) -> None:
    frame = bytes(3200)
    max_frame = get_settings().audio_max_frame_bytes
    cases = [
        ("AUDIO_NOT_BINARY", 4400, [frame, "hello"]),
        ("AUDIO_ODD_LENGTH", 4400, [frame, bytes(3201)]),
        ("AUDIO_FRAME_TOO_LARGE", 4413, [bytes(max_frame + 2)]),
        ("AUDIO_RATE_LIMITED", 4429, [frame] * 60),  # 6 s of audio at once
    ]

    async def run() -> None:
        ok = asyncio.create_task(stream(host.start()["wsUrl"], speech_pcm(2)))
        for code, close, frames in cases:
            other = Host(gateway_url)
            msg, got_close = await violation(other.start()["wsUrl"], frames)
            assert (msg["code"], got_close) == (code, close), msg
            assert msg["message"]
            other.http.close()
        messages, close = await ok
        assert close == 1000 and len(finals(messages)) == 2

    run_async(run())


def test_max_duration_and_minute_limits(gateway_url, host) -> None:
    from rooms.core.db import session_scope
    from rooms.core.models import utcnow
    from rooms.core.transcription import usage

    limit = get_settings().transcription_max_minutes_per_session * 60
    with session_scope() as db:
        usage.record(
            db,
            session_id=host.session_id,
            user_id=None,
            participant_id=None,
            engine="test",
            seconds=limit - 1.0,
            started_at=utcnow(),
        )
    start = host.start()
    assert 0 < start["allowanceSeconds"] <= 1.0
    msg, close = run_async(violation(start["wsUrl"], [bytes(3200)] * 15, pace=0.06))
    assert (msg["code"], close) == ("AUDIO_MAX_DURATION", 4408)
    # The stream's second was recorded: the session is now out of minutes.
    res = host.http.post(f"/api/sessions/{host.slug}/transcription/start")
    assert res.status_code == 429 and res.json()["error"] == "TRANSCRIPTION_LIMIT_REACHED"
    usage_now = host.http.get(f"/api/sessions/{host.slug}/transcription/usage").json()
    assert usage_now["seconds"] >= limit and usage_now["limitSeconds"] == limit


def test_gladia_429_and_401_become_clear_errors(host, fake_gladia) -> None:
    from rooms.core.transcription.engines.base import EngineError, StreamOptions
    from rooms.core.transcription.engines.gladia import GladiaEngine

    fake_gladia.reject_status = 429
    msg, close = run_async(violation(host.start()["wsUrl"], []))
    assert (msg["code"], close) == ("ENGINE_RATE_LIMITED", 4429)
    assert "limit" in msg["message"]

    async def bad_key() -> EngineError:
        engine = GladiaEngine(api_key="wrong", api_url=fake_gladia.base_url)
        with pytest.raises(EngineError) as err:
            await engine.open(StreamOptions())
        return err.value

    err = run_async(bad_key())
    assert err.code == "ENGINE_AUTH_FAILED"
