"""The host's caption-health indicator on the real app (issue 14): the host streams speech to
the local engine; its own page (the Reflex socket of the signed-in host) is told which engine
makes the captions and their typical delay; a guest's page of the same meeting is not (the
figures reach every page's hub subscription; only a page that may stream keeps them)."""

from __future__ import annotations

import asyncio
import json
import re

import httpx
import websockets

from rooms.state.transcript import TranscriptState
from tests.support.helpers import unique_email
from tests.support.reflex_socket import ReflexSocket, handler_name
from tests.support.socket_steps import join
from tests.support.speech import FRAME, SENTENCES, speech_track

ENGINE = '"caption_engine_rx_state_":"offline engine"'
DELAY = re.compile(r'"caption_delay_rx_state_":"(\d+\.\d) s"')


async def _stream(ws_url: str, pcm: bytes) -> list[dict]:
    """What the host's client hears while it streams `pcm` in real time, until the close."""
    got: list[dict] = []
    async with websockets.connect(ws_url, max_size=None) as ws:
        loop = asyncio.get_running_loop()
        t0 = loop.time()
        for i in range(0, len(pcm), FRAME):  # real time: the delay is counted from arrival
            await asyncio.sleep(max(0.0, t0 + (i + FRAME) / 32_000 - loop.time()))
            await ws.send(pcm[i : i + FRAME])
        await ws.send('{"type":"stop"}')
        async for raw in ws:
            got.append(json.loads(raw))
    return got


def test_host_page_gets_engine_and_typical_delay(socket_app: str) -> None:
    app_url = socket_app
    owner = httpx.Client(base_url=app_url, timeout=30)
    body = {"email": unique_email("health"), "password": "correct horse battery", "name": "Hal"}
    assert owner.post("/api/auth/signup", json=body).status_code == 201
    slug = owner.post("/api/sessions", json={"title": "Health"}).json()["session"]["slug"]
    cookie = "; ".join(f"{k}={v}" for k, v in owner.cookies.items())
    pcm, _ = speech_track(SENTENCES[3:5], gap=1.2)
    room = f"/session/{slug}"

    async def go() -> tuple[list[dict], str, str]:
        async with ReflexSocket(app_url, cookie) as host, ReflexSocket(app_url) as guest:
            await join(host, slug)
            await join(guest, slug, guest_name="Gwen")
            for page in (host, guest):
                await page.emit(handler_name(TranscriptState, "load_transcript"), {}, room)
            assert await host.wait_for('"can_transcribe_rx_state_":true'), host.received[-800:]
            await asyncio.sleep(1.0)  # both listeners subscribed
            res = owner.post(f"/api/sessions/{slug}/transcription/start")
            assert res.status_code == 200, res.text
            messages = await _stream(res.json()["wsUrl"], pcm)
            assert await host.wait_for('"caption_delay_rx_state_":"'), host.received[-800:]
            await guest.settle(quiet=1.5)
            return messages, host.received, guest.received

    messages, host_seen, guest_seen = asyncio.run(go())
    assert [m for m in messages if m["type"] == "transcript" and m["isFinal"]], messages
    assert ENGINE in host_seen
    delays = [float(d) for d in DELAY.findall(host_seen)]
    assert delays and all(0 < d < 5 for d in delays), delays
    # the guest sees the captions, not the health
    assert "offline engine" not in guest_seen and not DELAY.search(guest_seen)
    assert '"isFinal":true' in guest_seen, "control: the guest did get the finals"
    owner.close()
