"""When decoding cannot keep up, new streams are refused with TRANSCRIPTION_BUSY instead of
joining an ever longer queue; a stream whose own finals pile up is told so."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Iterator

import pytest

from rooms.core.transcription.engines.base import EngineError, StreamOptions
from rooms.core.transcription.engines.local.engine import LocalEngine
from rooms.core.transcription.engines.local.pool import DecodePool
from tests.support.local_engine import transcribe
from tests.support.speech import SENTENCES, speech_track

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("TEST_DATABASE_URL")), reason="database-independent, run on SQLite"
)


@pytest.fixture
def small(engine) -> Iterator:
    """Engines on pools of their own (one worker) that share the loaded model."""
    pools: list[DecodePool] = []

    def make(**limits) -> LocalEngine:
        pool = DecodePool(lambda _w, _c: engine.pool.model, workers=1, **limits)
        pools.append(pool)
        return LocalEngine(pool, engine.model_path)

    yield make
    for pool in pools:
        pool.close()


def test_stream_limit(small) -> None:
    eng = small(max_streams=1)

    async def run() -> None:
        first = await eng.open(StreamOptions())
        with pytest.raises(EngineError) as err:
            await eng.open(StreamOptions())
        assert err.value.code == "TRANSCRIPTION_BUSY" and "1 streams" in err.value.message
        await first.stop(5)
        second = await eng.open(StreamOptions())  # the slot is free again
        await second.abort()

    asyncio.run(run())


def test_backlog_refuses_new_streams_until_it_drains(small) -> None:
    eng = small(max_streams=10, busy_wait=0.3, busy_memory=1.0)
    pcm, _ = speech_track(SENTENCES[:5], gap=0.8)

    async def run() -> None:
        # 8 x 5 utterances at once, far faster than real time: enough queued finals that the
        # oldest still waits after 0.6 s even on an idle machine, where one worker decodes a
        # final in well under 0.1 s when it is behind (4 x 2 was not: an idle CI drained it).
        streams = [await eng.open(StreamOptions()) for _ in range(8)]
        for s in streams:
            for i in range(0, len(pcm), 3200):
                await s.feed(pcm[i : i + 3200])
        await asyncio.sleep(0.6)
        with pytest.raises(EngineError) as err:
            await eng.open(StreamOptions())
        assert err.value.code == "TRANSCRIPTION_BUSY" and "waits" in err.value.message
        for s in streams:  # hosts leave: their waiting finals are dropped
            await s.abort()
        deadline = time.monotonic() + 15
        while True:
            try:
                late = await eng.open(StreamOptions())
                break
            except EngineError:
                assert time.monotonic() < deadline, "still busy long after the queue drained"
                await asyncio.sleep(0.25)
        await late.abort()

    asyncio.run(run())


def test_stream_whose_finals_pile_up_is_told(small) -> None:
    eng = small(max_pending_finals=1)
    pcm, _ = speech_track(SENTENCES[:5], gap=0.8)
    run = asyncio.run(transcribe(eng, pcm, pace=0))
    assert run.error is not None and run.error.code == "TRANSCRIPTION_BUSY"
    assert all(e.text for e in run.events)
