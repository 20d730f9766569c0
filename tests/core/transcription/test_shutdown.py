"""SIGTERM mid-utterance, with the app as a separate process under each server that runs it:
uvicorn, Granian (what Reflex's production backend is), and the real Reflex app under
`reflex run --env prod` (its lifespan task is the gateway's). Every final the client
received, and the utterance the shutdown cut, are in the database before the client is told
to reconnect; then 1001."""

from __future__ import annotations

import asyncio
import json
import os
import signal
from typing import Any

import pytest
import websockets

from tests.support.api_server import free_port
from tests.support.fake_gladia import speech_pcm
from tests.support.gateway import FRAME, Host, gladia_env, run_async, stored_finals
from tests.support.servers import (
    ServerProcess,
    granian_cmd,
    reflex_backend_cmd,
    server_process,
    uvicorn_cmd,
)

SERVERS = {"uvicorn": uvicorn_cmd, "granian": granian_cmd, "reflex-prod": reflex_backend_cmd}
# Bare Granian once: on PostgreSQL, reflex-prod is the same server with the real app.
ONCE = pytest.mark.skipif(
    bool(os.environ.get("TEST_DATABASE_URL")), reason="reflex-prod covers it on PostgreSQL"
)


async def _stream_until_sigterm(
    ws_url: str, server: ServerProcess, session_id: str
) -> tuple[list[dict[str, Any]], int | None, list[tuple[str, str]] | None]:
    """Stream speech; SIGTERM the server two finals in, mid-utterance. Returns every message,
    the close code, and the database's finals at the moment the shutdown notice arrived."""
    received: list[dict[str, Any]] = []
    at_notice: list[list[tuple[str, str]]] = []
    pcm = speech_pcm(8)
    async with websockets.connect(ws_url, compression=None) as ws:

        async def reader() -> None:
            try:
                async for raw in ws:
                    msg = json.loads(raw)
                    received.append(msg)
                    if msg.get("code") == "SERVER_SHUTTING_DOWN":
                        at_notice.append(await asyncio.to_thread(stored_finals, session_id))
            except websockets.ConnectionClosed:
                pass

        task = asyncio.create_task(reader())
        sent_term = False
        try:
            for i in range(0, len(pcm), FRAME):
                await ws.send(pcm[i : i + FRAME])
                await asyncio.sleep(0.055)
                fin = [m for m in received if m.get("isFinal")]
                last = received[-1] if received else {}
                if not sent_term and len(fin) >= 2 and last.get("isFinal") is False:
                    server.terminate()
                    sent_term = True
        except websockets.ConnectionClosed:
            pass
        await asyncio.wait_for(task, 30)
        assert sent_term, "no two finals before the audio ran out"
        return received, ws.close_code, at_notice[0] if at_notice else None


@pytest.mark.parametrize(
    "server", [pytest.param(name, marks=[ONCE] if name == "granian" else []) for name in SERVERS]
)
def test_sigterm_mid_utterance_keeps_every_final(server: str, fake_gladia, database) -> None:
    port = free_port()
    # A flush interval longer than the test: only the drain can write the finals.
    env = gladia_env(fake_gladia, TRANSCRIPT_BATCH_INTERVAL_MS="60000")
    with server_process(SERVERS[server](port), port, env) as srv:
        host = Host(srv.base_url)
        ws_url = host.start()["wsUrl"]
        received, code, at_notice = run_async(_stream_until_sigterm(ws_url, srv, host.session_id))
        host.http.close()
        # uvicorn re-raises the signal once its graceful shutdown has finished.
        assert srv.proc.wait(timeout=40) in (0, -signal.SIGTERM), srv.log_tail()
        assert code == 1001, (code, received[-3:], srv.log_tail())

    # The engine's last finals came first, then the notice, then the close.
    assert received[-1]["type"] == "error" and received[-1]["code"] == "SERVER_SHUTTING_DOWN"
    got = sorted((m["utteranceId"], m["text"]) for m in received if m.get("isFinal"))
    # Two finals before the signal, and the utterance it cut, finalised by the engine.
    assert len(got) >= 3
    assert at_notice is not None and set(got) <= set(at_notice), "told to go before written"
    assert stored_finals(host.session_id) == got
