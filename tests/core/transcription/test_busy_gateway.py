"""Overload: a gateway at its capacity refuses NEW streams with TRANSCRIPTION_BUSY (1013,
the client retries) and the streams it holds go on untouched."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import pytest
import websockets

from rooms.core.transcription import protocol
from tests.support.api_server import api_server_with
from tests.support.fake_gladia import FakeGladia, speech_pcm
from tests.support.gateway import Host, finals, gladia_env, pump, run_async


@pytest.fixture(scope="module")
def one_stream_url(fake_gladia: FakeGladia, database: str) -> Iterator[str]:
    with api_server_with(gladia_env(fake_gladia, TRANSCRIPTION_MAX_STREAMS="1")) as url:
        yield url


def test_a_full_gateway_refuses_new_streams_and_keeps_the_held_one(one_stream_url) -> None:
    held, late = Host(one_stream_url), Host(one_stream_url)
    late_url = late.start()["wsUrl"]  # a token taken while there was room

    async def run() -> tuple[list, int | None, dict, int | None]:
        ws = await websockets.connect(held.start()["wsUrl"], compression=None)
        assert json.loads(await asyncio.wait_for(ws.recv(), 10))["type"] == "ready"
        streaming = asyncio.create_task(pump(ws, speech_pcm(2), pace=0.1))
        await asyncio.sleep(0.5)
        # Asking for a token now is refused before any socket opens (the page retries).
        res = await asyncio.to_thread(
            late.http.post, f"/api/sessions/{late.slug}/transcription/start"
        )
        assert res.status_code == 503 and res.json()["error"] == "TRANSCRIPTION_BUSY", res.text
        async with websockets.connect(late_url, compression=None) as other:
            refusal = json.loads(await asyncio.wait_for(other.recv(), 10))
            with pytest.raises(websockets.ConnectionClosed):
                await asyncio.wait_for(other.recv(), 10)
        messages, code = await streaming
        return messages, code, refusal, other.close_code

    messages, code, refusal, refused_code = run_async(run())
    assert refusal["type"] == "error" and refusal["code"] == "TRANSCRIPTION_BUSY"
    assert refused_code == protocol.close_code("TRANSCRIPTION_BUSY")
    assert refused_code in protocol.retry_closes()  # the page comes back later by itself
    assert [m for m in messages if m["type"] == "error"] == [] and code == 1000
    assert len(finals(messages)) == 2
    # Once the held stream has ended there is room again.
    messages, code = run_async(_one(late.start()["wsUrl"]))
    assert code == 1000 and len(finals(messages)) == 1
    held.http.close()
    late.http.close()


async def _one(url: str) -> tuple[list, int | None]:
    await asyncio.sleep(0.5)  # the held stream's server side finishes after its close
    ws = await websockets.connect(url, compression=None)
    assert json.loads(await asyncio.wait_for(ws.recv(), 10))["type"] == "ready"
    return await pump(ws, speech_pcm(1))
