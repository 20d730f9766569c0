"""A stream whose engine takes seconds to open (the local model's first load since it is
loaded on the first stream, or a slow Gladia session) keeps its audio: what the client sent
in real time while the server was not reading yet is one burst, not a client streaming
faster than real time (AUDIO_RATE_LIMITED)."""

from __future__ import annotations

import asyncio

from rooms.core.transcription.engines.base import StreamOptions
from tests.support.fake_gladia import FakeGladia, speech_pcm
from tests.support.gateway import finals, run_async, stream

OPEN_DELAY_S = 6.0  # above the rate limiter's burst (audio.BURST_SECONDS, 4 s)
REAL_TIME = 0.1  # one 100 ms frame every 100 ms, as a browser sends them


def test_audio_sent_while_the_engine_opens_is_kept(host, fake_gladia: FakeGladia) -> None:
    started = host.start()
    fake_gladia.init_delay = OPEN_DELAY_S
    try:
        messages, code = run_async(stream(started["wsUrl"], speech_pcm(5), pace=REAL_TIME))
    finally:
        fake_gladia.init_delay = 0.0
    errors = [m for m in messages if m["type"] == "error"]
    assert errors == [] and code == 1000
    assert len(finals(messages)) == 5


def test_an_engine_socket_slow_to_open_is_retried_not_dropped(fake_gladia: FakeGladia) -> None:
    """The engine's WebSocket answers its first handshake after the client's timeout (a
    loaded engine): the next attempt opens it and the stream loses nothing. The SDK alone
    gave up at the first timeout (closed 3008: ENGINE_DISCONNECTED for the client)."""
    from rooms.core.transcription.engines.base import TranscriptEvent
    from rooms.core.transcription.engines.gladia import GladiaEngine
    from tests.support.fake_gladia import API_KEY

    async def run() -> list[TranscriptEvent]:
        engine = GladiaEngine(api_key=API_KEY, api_url=fake_gladia.base_url, ws_timeout=0.5)
        stream = await engine.open(StreamOptions())
        got: list[TranscriptEvent] = []

        async def read() -> None:
            async for ev in stream.events():
                if isinstance(ev, TranscriptEvent) and ev.is_final:
                    got.append(ev)

        reader = asyncio.create_task(read())
        pcm = speech_pcm(2)
        for i in range(0, len(pcm), 3200):
            await stream.feed(pcm[i : i + 3200])
            await asyncio.sleep(0.02)
        await stream.stop(10)
        await asyncio.wait_for(reader, 10)  # raises the stream's EngineError, if any
        return got

    fake_gladia.accept_delays = [1.5]
    try:
        got = run_async(run())
    finally:
        fake_gladia.accept_delays = []
    assert len(got) == 2
