"""The real LiveKit server (built by scripts/setup from its Go module) on free ports.

One per test run (the `livekit` fixture in tests/conftest.py); tests that kill it mid-meeting
restart it on the same ports, so every page's LIVEKIT_URL stays valid.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the repository
KEY, SECRET = "devkey", "secret"  # the app's development defaults, as `--dev` uses


def binary() -> Path:
    path = subprocess.run(
        ["bash", str(ROOT / "scripts" / "livekit"), "path"], capture_output=True, text=True
    ).stdout.strip()
    # No skip: on this kind of machine scripts/setup builds it, and a green run must mean
    # the real-server tests ran.
    assert path, "no LiveKit server in .tools/bin: run scripts/setup (it needs Go)"
    return Path(path)


def _free(kind: int) -> int:
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveKitServer:
    """`livekit-server --dev` on loopback: signal on `port`, ICE over one UDP port and one
    TCP port, webhooks (signed with the dev key) to `webhook_urls`."""

    def __init__(self, webhook_urls: list[str]) -> None:
        self.port = _free(socket.SOCK_STREAM)
        self.tcp_port = _free(socket.SOCK_STREAM)
        self.udp_port = _free(socket.SOCK_DGRAM)
        self.webhook_urls = webhook_urls
        self.log_path = Path(tempfile.mkdtemp(prefix="rooms-livekit-")) / "livekit.log"
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    @property
    def http_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def config(self) -> str:
        hooks = "".join(f"\n    - {u}" for u in self.webhook_urls)
        return (
            f"port: {self.port}\n"
            f"rtc:\n  tcp_port: {self.tcp_port}\n  udp_port: {self.udp_port}\n"
            f"keys:\n  {KEY}: {SECRET}\n"
            "logging:\n  level: info\n"
            + (f"webhook:\n  api_key: {KEY}\n  urls:{hooks}\n" if self.webhook_urls else "")
        )

    def answers(self) -> bool:
        try:
            with urllib.request.urlopen(self.http_url, timeout=1) as res:
                return res.status == 200
        except OSError:
            return False

    def start(self, timeout: float = 30) -> LiveKitServer:
        log = open(self.log_path, "ab")  # noqa: SIM115 (the child keeps it open)
        self.proc = subprocess.Popen(
            [str(binary()), "--dev", "--bind", "127.0.0.1", "--config-body", self.config()],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while not self.answers():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                tail = self.log_path.read_text(errors="replace")[-3000:]
                raise RuntimeError(f"LiveKit did not start (exit {self.proc.poll()}):\n{tail}")
            time.sleep(0.1)
        return self

    def kill(self) -> None:
        """Gone at once, as a crash would leave it: no goodbye to anyone connected."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    def restart(self) -> None:
        self.kill()
        self.start()
