"""The app as a separate server process, started the ways production starts it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import httpx

from tests.support.helpers import ROOT

START_TIMEOUT_S = 90.0  # a cold import on a busy machine can take a while


def uvicorn_cmd(port: int) -> list[str]:
    return [
        sys.executable, "-m", "uvicorn", "rooms.api.app:make_api", "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--ws-per-message-deflate", "false",
        "--log-level", "warning",
    ]  # fmt: skip


def granian_cmd(port: int, workers: int = 1) -> list[str]:
    """What Reflex's production backend is: Granian, ASGI, the app from a factory."""
    return [
        sys.executable, "-m", "granian", "--interface", "asgi", "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
        "--log-level", "warning", "rooms.api.app:make_api",
    ]  # fmt: skip


def hub_probe_cmd(port: int) -> list[str]:
    """The app under Granian, plus a test socket that stands in for a page (hub_probe.py)."""
    return [*granian_cmd(port)[:-1], "tests.support.hub_probe:make_app"]


def gateway_cmd() -> list[str]:
    """The gateway on its own; its address comes from GATEWAY_HOST and GATEWAY_PORT."""
    return [sys.executable, "-m", "rooms.gateway"]


def reflex_backend_cmd(port: int) -> list[str]:
    """The real Reflex app (rooms/rooms.py and its lifespan tasks) under `reflex run --env
    prod`'s own Granian; backend only, so no frontend build and nothing written to .web."""
    reflex = str(Path(sys.executable).with_name("reflex"))
    return [
        reflex, "run", "--env", "prod", "--backend-only", "--loglevel", "warning",
        "--backend-port", str(port), "--backend-host", "127.0.0.1",
    ]  # fmt: skip


class ServerProcess:
    def __init__(self, proc: subprocess.Popen[bytes], base_url: str, log: Path) -> None:
        self.proc = proc
        self.base_url = base_url
        self.log = log

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]

    def terminate(self) -> None:
        """SIGTERM to the server's main process, as a process manager sends it."""
        self.proc.send_signal(signal.SIGTERM)


@contextmanager
def server_process(cmd: list[str], port: int, env: dict[str, str]) -> Iterator[ServerProcess]:
    """Start `cmd`, wait for /health, and make sure every process of it is gone afterwards."""
    log = Path(tempfile.mkstemp(prefix="rooms-server-", suffix=".log")[1])
    full_env = os.environ | {"REFLEX_TELEMETRY_ENABLED": "false"} | env
    with log.open("wb") as out:
        proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=full_env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: the teardown reaches workers
        )
    server = ServerProcess(proc, f"http://127.0.0.1:{port}", log)
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                if httpx.get(f"{server.base_url}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"server did not start:\n{server.log_tail()}")
            time.sleep(0.1)
        yield server
    finally:
        for sig, wait_s in ((signal.SIGTERM, 20), (signal.SIGKILL, 5)):
            if proc.poll() is not None:
                break
            try:
                os.killpg(proc.pid, sig)
                proc.wait(timeout=wait_s)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                continue
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # a worker its supervisor left behind
        log.unlink(missing_ok=True)
