"""JavaScript each main page makes Chromium download, and whether LiveKit is in it.

Starts the app (`reflex run --env prod`, one port, a throwaway SQLite database), signs
up an account, creates a session, then opens each page in a fresh browser context (empty
cache) and adds up every script response: bytes on the wire as served, and the same
scripts gzipped (level 6) so the figure does not depend on which encoding the server
picked; and what the Reflex socket brings until the page settles, which carries the UI
catalog of the viewer's locale only (issue 18: none for English, Russian's in a Russian
browser). Prints a Markdown table.

    source scripts/env.sh && python bench/page_weight.py
"""

from __future__ import annotations

import gzip
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.support.pages import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

LIVEKIT_MARKER = "could not establish signal connection"  # a string inside livekit-client
BUDGET_KB = 260


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(port: int, db: Path) -> subprocess.Popen:
    env = {**os.environ, "APP_URL": f"http://localhost:{port}", "DATABASE_URL": f"sqlite:///{db}"}
    subprocess.run(
        ["alembic", "upgrade", "head"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    cmd = (
        f"source scripts/env.sh && exec reflex run --env prod --frontend-port {port}"
        f" --backend-port {port} --backend-host 127.0.0.1"
    )
    proc = subprocess.Popen(
        ["bash", "-c", cmd],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2):
                return proc
        except OSError:
            time.sleep(0.5)
    os.killpg(proc.pid, signal.SIGKILL)
    raise SystemExit("the app did not start")


def _measure(page: Page, path: str, ready: str) -> tuple[int, int, int, bool, int]:
    scripts: list = []
    socket_in = [0]
    page.on(
        "response", lambda r: scripts.append(r) if r.request.resource_type == "script" else None
    )

    def on_frame(payload: str | bytes) -> None:
        socket_in[0] += len(payload.encode() if isinstance(payload, str) else payload)

    def on_socket(ws) -> None:
        if "/_event" in ws.url:
            ws.on("framereceived", on_frame)

    page.on("websocket", on_socket)
    page.goto(path)
    page.get_by_test_id(ready).wait_for(timeout=30_000)
    page.wait_for_load_state("networkidle")
    wire = raw = zipped = 0
    livekit = False
    for res in scripts:
        body = res.body()
        wire += res.request.sizes()["responseBodySize"]
        raw += len(body)
        zipped += len(gzip.compress(body, compresslevel=6))
        livekit = livekit or LIVEKIT_MARKER.encode() in body
    page.wait_for_timeout(1000)  # the on_load handlers' state after the first paint
    return len(scripts), wire, zipped, livekit, socket_in[0]


def main() -> None:
    port = _free_port()
    with tempfile.TemporaryDirectory() as tmp:
        proc = _start(port, Path(tmp) / "bench.db")
        base = f"http://localhost:{port}"
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                setup = browser.new_context(base_url=base)
                account = {
                    "email": "bench@example.com",
                    "password": "bench password",
                    "name": "Bench",
                }
                setup.request.post("/api/auth/signup", data=account)
                slug = setup.request.post("/api/sessions", data={"title": "Bench"}).json()[
                    "session"
                ]["slug"]
                state = setup.storage_state()
                pages = [
                    ("/login", "login", False, "en-US"),
                    ("/login", "login", False, "ru-RU"),
                    ("/sessions", "space-switcher", True, "en-US"),
                    (f"/session/{slug}", "prejoin", True, "en-US"),
                    ("/no-such-page", "not-found", False, "en-US"),
                    ("/no-such-page", "not-found", False, "ru-RU"),
                ]
                print(
                    "| page | browser | scripts | transferred | gzip (level 6) | LiveKit"
                    " | socket in |"
                )
                print("|---|---|---:|---:|---:|---|---:|")
                for path, ready, signed_in, locale in pages:
                    ctx = browser.new_context(
                        base_url=base, storage_state=state if signed_in else None, locale=locale
                    )
                    count, wire, zipped, livekit, socket = _measure(ctx.new_page(), path, ready)
                    shown = "/session/[slug]" if path.startswith("/session/") else path
                    print(
                        f"| {shown} | {locale} | {count} | {wire / 1024:.0f} KB"
                        f" | {zipped / 1024:.0f} KB | {'yes' if livekit else 'no'}"
                        f" | {socket / 1024:.1f} KB |"
                    )
                    ctx.close()
                browser.close()
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=20)


if __name__ == "__main__":
    main()
