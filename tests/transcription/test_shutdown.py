"""SIGTERM mid-utterance: the app runs as a separate process (uvicorn serving make_api(),
whose lifespan is the hook the Reflex app registers); every final the client received, and
the utterance in progress, end up in the database."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time

import httpx
import websockets

from tests.conftest import ROOT, free_port
from tests.helpers import unique_email
from tests.transcription.conftest import FRAME, run_async, session_id, stored_finals
from tests.transcription.fake_gladia import API_KEY, speech_pcm


def test_sigterm_mid_utterance_keeps_every_final(fake_gladia, database) -> None:
    port = free_port()
    env = os.environ | {
        "GLADIA_API_KEY": API_KEY,
        "GLADIA_API_URL": fake_gladia.base_url,
        "TRANSCRIPTION_ENGINE": "gladia",
        # Longer than the test: only the shutdown flush can write the last finals.
        "TRANSCRIPT_BATCH_INTERVAL_MS": "60000",
    }
    cmd = [
        sys.executable, "-m", "uvicorn", "rooms.api.app:make_api", "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--ws-per-message-deflate", "false",
        "--log-level", "warning",
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90  # a cold import on a busy machine can take a while
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline and proc.poll() is None, "server did not start"
            time.sleep(0.1)
        http = httpx.Client(base_url=base, timeout=30)
        body = {"email": unique_email("drain"), "password": "correct horse battery", "name": "D"}
        assert http.post("/api/auth/signup", json=body).status_code == 201
        slug = http.post("/api/sessions", json={}).json()["session"]["slug"]
        assert http.get(f"/api/sessions/{slug}/token").status_code == 200
        ws_url = http.post(f"/api/sessions/{slug}/transcription/start").json()["wsUrl"]

        async def run() -> tuple[list[dict], int | None]:
            received: list[dict] = []
            pcm = speech_pcm(8)
            async with websockets.connect(ws_url, compression=None) as ws:

                async def reader() -> None:
                    try:
                        async for raw in ws:
                            received.append(json.loads(raw))
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
                        # Mid-utterance: two finals in, and a partial of the third.
                        if not sent_term and len(fin) >= 2 and last.get("isFinal") is False:
                            proc.send_signal(signal.SIGTERM)
                            sent_term = True
                except websockets.ConnectionClosed:
                    pass
                await asyncio.wait_for(task, 30)
                assert sent_term
                return received, ws.close_code

        received, code = run_async(run())
        # uvicorn re-raises the signal once its graceful shutdown has finished.
        assert proc.wait(timeout=30) in (0, -signal.SIGTERM)
        assert code in (1001, 1012)
        got = [(m["utteranceId"], m["text"]) for m in received if m.get("isFinal")]
        stored = stored_finals(session_id(slug))
        assert len(got) >= 2
        assert set(got) <= set(stored), "a final the client saw is missing"
        # The utterance cut by the shutdown was finalised by the engine and written too.
        assert len(stored) == len(got) + 1
        http.close()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
