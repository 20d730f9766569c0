"""The gateway as its own process (`python -m rooms.gateway`) next to the app, both on the
same database and Redis: the app hands the host the gateway's address
(TRANSCRIPTION_WS_URL) and serves no stream itself; the captions reach a page's hub
subscription on the app through Redis; finals land once; SIGTERM of the gateway drains."""

from __future__ import annotations

import asyncio
import json
import os
import signal
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import redis
import websockets

from tests.support.api_server import free_port
from tests.support.fake_gladia import FakeGladia, speech_pcm
from tests.support.gateway import (
    Host,
    finals,
    gladia_env,
    metric,
    partials,
    refused,
    run_async,
    stored_finals,
    stream,
    stream_until_sigterm,
    wait_for_rows,
)
from tests.support.servers import ServerProcess, gateway_cmd, hub_probe_cmd, server_process

# Processes and Redis are the subject, not the database: once, on the SQLite pass.
pytestmark = pytest.mark.skipif(
    bool(os.environ.get("TEST_DATABASE_URL")), reason="database-independent, run on SQLite"
)

REDIS_URL = "redis://127.0.0.1:6379/12"  # a database of its own, flushed
GATEWAY_PORT = free_port()
GATEWAY_WS = f"ws://127.0.0.1:{GATEWAY_PORT}"
ACCEPTED = "rooms_transcription_connections_accepted_total"


def _env(fake: FakeGladia, **extra: str) -> dict[str, str]:
    return gladia_env(fake, REDIS_URL=REDIS_URL, TRANSCRIPTION_WS_URL=GATEWAY_WS, **extra)


@pytest.fixture(scope="module")
def app(fake_gladia: FakeGladia, database: str) -> Iterator[ServerProcess]:
    r = redis.Redis.from_url(REDIS_URL)
    assert r.ping()  # no skip: a green run means it ran
    r.flushdb()
    port = free_port()
    with server_process(hub_probe_cmd(port), port, _env(fake_gladia)) as server:
        yield server


def _gateway(fake: FakeGladia, **extra: str) -> Any:
    env = _env(fake, GATEWAY_HOST="127.0.0.1", GATEWAY_PORT=str(GATEWAY_PORT), **extra)
    return server_process(gateway_cmd(), GATEWAY_PORT, env)


async def _stream_while_page_listens(
    page_ws: str, ws_url: str, pcm: bytes
) -> tuple[list[dict[str, Any]], int | None, list[dict[str, Any]]]:
    seen: list[dict[str, Any]] = []
    async with websockets.connect(page_ws, compression=None) as page:
        assert json.loads(await asyncio.wait_for(page.recv(), 10)) == {"type": "subscribed"}

        async def listen() -> None:
            async for raw in page:
                seen.append(json.loads(raw))

        listening = asyncio.create_task(listen())
        sent, code = await stream(ws_url, pcm)
        wanted = [m for m in sent if m.get("type") == "transcript"]
        for _ in range(100):  # what the gateway published last has a moment to cross Redis
            if len([m for m in seen if m.get("type") == "transcript"]) >= len(wanted):
                break
            await asyncio.sleep(0.05)
        listening.cancel()
    return sent, code, seen


def test_host_streams_to_the_gateway_and_the_apps_page_sees_it(
    app: ServerProcess, fake_gladia: FakeGladia
) -> None:
    with _gateway(fake_gladia) as gateway:
        host = Host(app.base_url)
        ws_url = host.start()["wsUrl"]
        assert ws_url.startswith(f"{GATEWAY_WS}/api/realtime/transcribe?token=")
        page_ws = app.base_url.replace("http", "ws") + f"/test/hub/{host.session_id}"
        sent, code, seen = run_async(_stream_while_page_listens(page_ws, ws_url, speech_pcm(4)))
        host.http.close()
        log = gateway.log_tail()
        assert metric(gateway.base_url, ACCEPTED) == 1
    assert metric(app.base_url, ACCEPTED) == 0, "the app served the stream itself"

    assert code == 1000, log
    assert len(finals(sent)) == 4 and partials(sent)
    assert [m for m in seen if m.get("type") == "transcript"] == [
        m for m in sent if m.get("type") == "transcript"
    ], "the app's page missed or reordered what the gateway published"
    # Once each: a second writer (the app's own gateway) would add a copy.
    got = sorted((m["utteranceId"], m["text"]) for m in finals(sent))
    assert wait_for_rows(host.session_id, 5, timeout=1) == got


def test_the_app_refuses_a_stream_on_its_own_socket(
    app: ServerProcess, fake_gladia: FakeGladia
) -> None:
    host = Host(app.base_url)
    ws_url = host.start()["wsUrl"]
    host.http.close()
    own = ws_url.replace(GATEWAY_WS, app.base_url.replace("http", "ws"))
    first, code = run_async(refused(own))
    assert first["type"] == "error" and first["code"] == "STREAMS_ELSEWHERE", first
    assert code == 4421
    # The app reports the engine it hands streams to without running one, and its pages may
    # open a socket to the gateway (Content-Security-Policy connect-src).
    res = httpx.get(f"{app.base_url}/health", timeout=10)
    assert (res.json()["engine"], res.json()["engineStatus"]) == ("gladia", "ok")
    connect = next(
        d for d in res.headers["content-security-policy"].split("; ") if d.startswith("connect-src")
    )
    assert GATEWAY_WS in connect.split(), connect


def test_the_apps_lifespan_starts_no_gateway(monkeypatch: pytest.MonkeyPatch) -> None:
    from rooms.api.realtime import gateway_lifespan
    from rooms.core.config import reset_settings
    from rooms.core.transcription import gateway

    monkeypatch.setenv("TRANSCRIPTION_WS_URL", GATEWAY_WS)
    reset_settings()

    async def during() -> bool:
        async with gateway_lifespan():
            return asyncio.get_running_loop() in gateway._gateways

    try:
        assert not run_async(during()), "a second writer and engine next to the gateway's"
    finally:
        monkeypatch.delenv("TRANSCRIPTION_WS_URL")
        reset_settings()


def test_sigterm_of_the_gateway_drains_its_streams(
    app: ServerProcess, fake_gladia: FakeGladia
) -> None:
    # A flush interval longer than the test: only the drain can write the finals.
    with _gateway(fake_gladia, TRANSCRIPT_BATCH_INTERVAL_MS="60000") as gateway:
        host = Host(app.base_url)
        ws_url = host.start()["wsUrl"]
        received, code, at_notice = run_async(
            stream_until_sigterm(ws_url, gateway, host.session_id)
        )
        host.http.close()
        assert gateway.proc.wait(timeout=40) in (0, -signal.SIGTERM), gateway.log_tail()
        assert code == 1001, (code, received[-3:], gateway.log_tail())

    assert received[-1]["type"] == "error" and received[-1]["code"] == "SERVER_SHUTTING_DOWN"
    got = sorted((m["utteranceId"], m["text"]) for m in received if m.get("isFinal"))
    assert len(got) >= 3  # two before the signal, and the utterance it cut
    assert at_notice is not None and set(got) <= set(at_notice), "told to go before written"
    assert stored_finals(host.session_id) == got
