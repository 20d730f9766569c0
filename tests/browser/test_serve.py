"""The server as scripts/run starts it (scripts/serve): pages, API and /health on one port,
and idle memory within the target with the local engine (issue 15: <= 300 MB with either
engine; the Whisper model waits for the first stream, the supervisor does not hold the app).

Runs in a copy of the project: scripts/serve builds the pages into its own .web, which the
browser package's app (serving this checkout's .web) must not see rebuilt under it."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import httpx
import psutil
import pytest

from tests.support.api_server import free_port
from tests.support.app_server import project_copy, served_by_scripts

pytestmark = pytest.mark.browser

IDLE_TARGET_MB = 300
SETTLE_S = 5.0


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, psutil.Process]]:
    root = project_copy(tmp_path_factory.mktemp("clone"))
    env = {
        **os.environ,
        "UPLOAD_DIR": str(tmp_path_factory.mktemp("uploads")),
        "TRANSCRIPTION_ENGINE": "local",
        "GRANIAN_WORKERS": "1",
    }
    port = free_port()
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with served_by_scripts(root, port, log, env) as proc:
        yield f"http://localhost:{port}", psutil.Process(proc.pid)


def test_one_port_serves_the_built_pages_and_the_api(served: tuple[str, psutil.Process]) -> None:
    base, _ = served
    with httpx.Client(base_url=base, timeout=30) as client:
        for page in ("/login/", "/sessions/"):
            res = client.get(page)
            assert res.status_code == 200 and "<html" in res.text.lower(), page
        health = client.get("/health").json()
        assert (health["status"], health["engine"]) == ("ok", "local")
        assert client.get("/api/auth/providers").status_code == 200


def test_idle_memory_is_within_the_target(served: tuple[str, psutil.Process]) -> None:
    _, root = served
    time.sleep(SETTLE_S)
    tree = [root, *root.children(recursive=True)]
    rss = sum(p.memory_info().rss for p in tree) / 2**20
    assert rss <= IDLE_TARGET_MB, f"{rss:.0f} MB idle: {[p.cmdline()[:3] for p in tree]}"
