"""The rest of the service: no engine, usage and stats, the Redis hub, tracker cleanup."""

from __future__ import annotations

import asyncio
import json

import httpx
import websockets
from sqlmodel import select

from rooms.core.db import session_scope
from rooms.core.models import Participant
from rooms.core.transcription.audio import AudioTrackers, AudioViolation
from rooms.core.transcription.hub import RedisHub
from rooms.core.transcription.tokens import issue
from tests.support.api_server import ServerThread
from tests.support.fake_gladia import speech_pcm
from tests.support.gateway import Host, run_async, stream


def test_no_engine_is_a_clear_error_not_a_crash(database, monkeypatch, tmp_path) -> None:
    """The embedded default (local engine) pointed at a directory holding no model."""
    from rooms.api.app import make_api
    from rooms.core.config import reset_settings

    monkeypatch.setenv("TRANSCRIPTION_ENGINE", "local")
    monkeypatch.setenv("TRANSCRIPTION_MODEL_PATH", str(tmp_path))
    monkeypatch.delenv("GLADIA_API_KEY", raising=False)
    reset_settings()
    with ServerThread(make_api()) as server:
        reset_settings()
        client = Host(server.url)
        res = client.http.post(f"/api/sessions/{client.slug}/transcription/start")
        assert res.status_code == 403 and res.json()["error"] == "ENGINE_UNAVAILABLE"
        assert "transcription engine unavailable" in res.json()["message"]
        health = httpx.get(f"{server.url}/health").json()
        assert health["engine"] == "local" and health["engineStatus"].startswith("unavailable")

        with session_scope() as db:
            pid = (
                db.exec(select(Participant).where(Participant.session_id == client.session_id))
                .one()
                .id
            )
        token = issue(client.session_id, pid, None)
        url = server.url.replace("http", "ws") + f"/api/realtime/transcribe?token={token}"

        async def run() -> tuple[dict, int | None]:
            async with websockets.connect(url) as ws:
                msg = json.loads(await ws.recv())
                await ws.wait_closed()
                return msg, ws.close_code

        msg, code = run_async(run())
        assert msg["code"] == "ENGINE_UNAVAILABLE" and code == 4503
        assert httpx.get(f"{server.url}/health").status_code == 200
        client.http.close()


def test_usage_save_and_stats(host, gateway_url) -> None:
    _, close = run_async(stream(host.start()["wsUrl"], speech_pcm(1)))
    assert close == 1000
    # The client's own report is kept, up to what the server measured (1.8 s of audio).
    res = host.http.post(
        "/api/transcription/usage/save", json={"slug": host.slug, "durationSeconds": 42.5}
    )
    assert res.status_code == 201 and 1.7 < res.json()["durationSeconds"] < 1.9
    usage = host.http.get(f"/api/sessions/{host.slug}/transcription/usage").json()
    assert 1.7 < usage["seconds"] < 1.9 and usage["streams"] == 1 and usage["enabled"] is True
    stats = host.http.get("/api/transcription/stats").json()
    assert stats["seconds"] >= 1.7 and stats["sessions"] >= 1
    assert stats["engine"] == "gladia" and stats["engineStatus"] == "ok"
    for bad in ({"slug": host.slug, "durationSeconds": -1}, {"slug": host.slug}, {}):
        res = host.http.post("/api/transcription/usage/save", json=bad)
        assert res.status_code == 400, bad
    res = host.http.post(
        "/api/transcription/usage/save", json={"slug": "nope-nope-nop", "durationSeconds": 1}
    )
    assert res.status_code == 404
    anon = httpx.get(f"{gateway_url}/api/transcription/stats")
    assert anon.status_code == 401


def test_redis_hub_reaches_another_worker() -> None:
    async def run() -> list[dict]:
        worker_a, worker_b = (
            RedisHub("redis://127.0.0.1:6379/0"),
            RedisHub("redis://127.0.0.1:6379/0"),
        )
        await worker_a.start()
        await worker_b.start()
        sub = worker_b.subscribe("session-x")
        try:
            for i in range(3):
                await worker_a.publish("session-x", {"type": "transcript", "n": i})
            await worker_a.publish("other", {"type": "transcript", "n": 99})
            got = [await asyncio.wait_for(sub.get(), 5) for _ in range(3)]
            await asyncio.sleep(0.1)
            assert sub.queue.empty()
            return got
        finally:
            sub.close()
            await worker_a.close()
            await worker_b.close()

    assert [m["n"] for m in run_async(run())] == [0, 1, 2]


def test_trackers_rate_and_cleanup() -> None:
    now = [0.0]
    trackers = AudioTrackers(max_frame_bytes=64 * 1024, clock=lambda: now[0])
    t = trackers.open("a", max_seconds=60)
    trackers.open("b", max_seconds=60)
    frame = bytes(3200)
    sent = 0
    try:
        while True:  # 10 s of audio over 5 s (2x), then frames with no time passing
            t.check(frame)
            sent += 1
            now[0] += 0.05 if sent < 100 else 0.0
    except AudioViolation as v:
        assert v.code == "AUDIO_RATE_LIMITED"
    assert 135 <= sent <= 140  # 2x for as long as you like, plus a 4 s burst, no more
    # A real-time client whose frames were held up for 3 s (a stall) is not cut off.
    honest = trackers.open("d", max_seconds=600)
    for _ in range(100):
        honest.check(frame)
        now[0] += 0.1
    for _ in range(30):
        honest.check(frame)
    now[0] += 300
    trackers.open("c", max_seconds=60)
    assert trackers.sweep(idle_seconds=120) == 3 and len(trackers) == 1
    trackers.release("c")
    assert len(trackers) == 0
