"""GRANIAN_BACKPRESSURE reaches the Granian that `reflex run --env prod` builds (Reflex itself
passes only the worker count and log level): with 3, a fourth connection waits until one
of the three ends. scripts/run relies on this to lift the default of 1 024 per worker."""

from __future__ import annotations

import os
import socket
import time

import pytest

from rooms.api import granian_env
from tests.support.api_server import free_port
from tests.support.servers import reflex_backend_cmd, server_process

# Never about the database: once, on the SQLite pass of scripts/test.
pytestmark = pytest.mark.skipif(
    bool(os.environ.get("TEST_DATABASE_URL")), reason="database-independent, run on SQLite"
)


def _ask(port: int) -> socket.socket:
    """A keep-alive connection with one request on it, left open."""
    conn = socket.create_connection(("127.0.0.1", port), timeout=5)
    conn.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    return conn


def _answered(conn: socket.socket, wait_s: float) -> bool:
    conn.settimeout(wait_s)
    try:
        return conn.recv(64).startswith(b"HTTP/1.1 200")
    except TimeoutError:
        return False


def test_backpressure_from_the_environment_under_reflex_prod(database) -> None:
    port = free_port()
    env = {"GRANIAN_WORKERS": "1", "GRANIAN_BACKPRESSURE": "3"}
    with server_process(reflex_backend_cmd(port), port, env):
        time.sleep(0.5)  # the readiness probes' connections are gone
        held = [_ask(port) for _ in range(3)]
        try:
            assert all(_answered(c, 10) for c in held)
            extra = _ask(port)  # the kernel accepts it; Granian does not take it yet
            assert not _answered(extra, 1.5)
            held.pop().close()
            assert _answered(extra, 10)
            extra.close()
        finally:
            for conn in held:
                conn.close()


@pytest.mark.parametrize("raw", ["many", "0", "-5"])
def test_bad_values_are_refused_by_name(raw: str, monkeypatch) -> None:
    monkeypatch.setenv("GRANIAN_BACKLOG", raw)
    with pytest.raises(ValueError, match="GRANIAN_BACKLOG"):
        granian_env._from_env("GRANIAN_BACKLOG")
