"""Two backend workers sharing the live fan-out through Redis: the host streams to server A,
a page's subscription lives in server B (a second Granian process, same REDIS_URL and
database), and B delivers every partial and final A's gateway published, in order."""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import sys
import time
from typing import Any

import pytest
import redis
import websockets

from tests.support.api_server import free_port
from tests.support.fake_gladia import speech_pcm
from tests.support.gateway import (
    FRAME,
    Host,
    finals,
    gladia_env,
    partials,
    run_async,
    stored_finals,
)
from tests.support.servers import granian_cmd, hub_probe_cmd, server_process

# Redis and the servers are the subject, not the database: once, on the SQLite pass.
pytestmark = pytest.mark.skipif(
    bool(os.environ.get("TEST_DATABASE_URL")), reason="database-independent, run on SQLite"
)

REDIS_URL = "redis://127.0.0.1:6379/0"


async def _host_and_page(
    host_ws: str, page_ws: str, pcm: bytes
) -> tuple[list[tuple[float, dict[str, Any]]], list[tuple[float, dict[str, Any]]], int | None]:
    """Stream `pcm` to A while B's page listens; every message with its arrival time."""
    at_host: list[tuple[float, dict[str, Any]]] = []
    at_page: list[tuple[float, dict[str, Any]]] = []
    async with websockets.connect(page_ws, compression=None) as page:
        assert json.loads(await asyncio.wait_for(page.recv(), 10)) == {"type": "subscribed"}

        async def listen() -> None:
            async for raw in page:
                at_page.append((time.monotonic(), json.loads(raw)))

        listening = asyncio.create_task(listen())
        async with websockets.connect(host_ws, compression=None) as ws:

            async def read() -> None:
                try:
                    async for raw in ws:
                        at_host.append((time.monotonic(), json.loads(raw)))
                except websockets.ConnectionClosed:
                    pass

            reading = asyncio.create_task(read())
            for i in range(0, len(pcm), FRAME):
                await ws.send(pcm[i : i + FRAME])
                await asyncio.sleep(0.055)
            await ws.send('{"type":"stop"}')
            await asyncio.wait_for(reading, 30)
            code = ws.close_code
        # Whatever A published last has a moment to cross Redis.
        deadline = time.monotonic() + 5
        while len(timed(at_page)) < len(timed(at_host)) and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        listening.cancel()
    return at_host, at_page, code


def timed(messages: list[tuple[float, dict[str, Any]]]) -> list[tuple[float, dict[str, Any]]]:
    """The transcripts among `messages`, each with its arrival time."""
    return [(t, m) for t, m in messages if m.get("type") == "transcript"]


def test_host_on_one_worker_page_on_another(fake_gladia, database) -> None:
    assert redis.Redis.from_url(REDIS_URL).ping()  # no skip: a green run means it ran
    env = gladia_env(fake_gladia, REDIS_URL=REDIS_URL)
    port_a, port_b = free_port(), free_port()
    with (
        server_process(granian_cmd(port_a), port_a, env) as worker_a,
        server_process(hub_probe_cmd(port_b), port_b, env) as worker_b,
    ):
        host = Host(worker_a.base_url)
        host_ws = host.start()["wsUrl"]
        page_ws = worker_b.base_url.replace("http", "ws") + f"/test/hub/{host.session_id}"
        at_host, at_page, code = run_async(_host_and_page(host_ws, page_ws, speech_pcm(4)))
        host.http.close()

    assert code == 1000
    sent, seen = [m for _, m in timed(at_host)], [m for _, m in timed(at_page)]
    assert len(finals(sent)) == 4 and partials(sent)
    assert seen == sent, "worker B's page missed or reordered what A published"
    assert stored_finals(host.session_id) == sorted(
        (m["utteranceId"], m["text"]) for m in finals(sent)
    )
    # The extra hop through Redis and the second process, per message.
    lags = [tp - th for (th, _), (tp, _) in zip(timed(at_host), timed(at_page), strict=True)]
    print(
        f"redis fan-out, worker A -> page on B: {len(lags)} messages, "
        f"median {statistics.median(lags) * 1000:.1f} ms, max {max(lags) * 1000:.1f} ms",
        file=sys.stderr,
    )
    assert statistics.median(lags) < 0.1
