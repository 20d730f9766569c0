"""SIGTERM mid-utterance, with the app as a separate process under each server that runs it:
uvicorn, Granian (what Reflex's production backend is), and the real Reflex app under
`reflex run --env prod` (its lifespan task is the gateway's). Every final the client
received, and the utterance the shutdown cut, are in the database before the client is told
to reconnect; then 1001."""

from __future__ import annotations

import os
import signal

import pytest

from tests.support.api_server import free_port
from tests.support.gateway import Host, gladia_env, run_async, stored_finals, stream_until_sigterm
from tests.support.servers import (
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
        received, code, at_notice = run_async(stream_until_sigterm(ws_url, srv, host.session_id))
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
