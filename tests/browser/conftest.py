"""The real app in production mode on a free port, and Debian's Chromium driven by Playwright.

The database comes from the environment: the top-level conftest points DATABASE_URL at
a migrated SQLite file or PostgreSQL database before this fixture starts the app.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # A synthetic camera and microphone, granted without a prompt: the pre-join preview.
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
]
START_TIMEOUT_S = float(os.environ.get("ROOMS_TEST_START_TIMEOUT", "300"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as res:
            return res.status == 200
    except OSError:
        return False


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    for sig, wait_s in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait_s)
            return
        except subprocess.TimeoutExpired:
            continue


@pytest.fixture(scope="package")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    base = f"http://localhost:{port}"
    log_path = tmp_path_factory.mktemp("app") / "reflex.log"
    # Avatars uploaded by the tests go to a temporary directory, not the checkout.
    uploads = tmp_path_factory.mktemp("uploads")
    env = {**os.environ, "APP_URL": base, "UPLOAD_DIR": str(uploads)}
    # scripts/env.sh holds the Bun path and the offline switches; keep one source for them.
    command = (
        "source scripts/env.sh && exec reflex run --env prod --loglevel info"
        f" --frontend-port {port} --backend-port {port} --backend-host 127.0.0.1"
    )
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            ["bash", "-c", command],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group, so teardown stops every child
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while not _answers(f"http://127.0.0.1:{port}/health"):
            if proc.poll() is not None or time.monotonic() > deadline:
                tail = log_path.read_text(errors="replace")[-4000:]
                pytest.fail(f"the app did not start (exit {proc.poll()}):\n{tail}")
            time.sleep(0.25)
        yield base
    finally:
        _stop(proc)


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    # No skip when Chromium is missing: a green run must mean the browser tests ran.
    assert Path(CHROMIUM).exists(), f"no Chromium at {CHROMIUM}: run scripts/setup"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
