"""A driver that feeds the local engine audio the way the gateway does: 100 ms frames, at
real-time pace or faster."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

from rooms.core.transcription.engines.base import (
    EngineError,
    Retraction,
    StreamOptions,
    TranscriptEvent,
)
from rooms.core.transcription.engines.local.engine import LocalEngine
from tests.support.speech import FRAME


@dataclass
class Run:
    events: list[TranscriptEvent] = field(default_factory=list)
    retracted: list[str] = field(default_factory=list)  # utterances that ended with no words
    arrivals: list[float] = field(default_factory=list)  # seconds since the first frame
    error: EngineError | None = None

    @property
    def finals(self) -> list[TranscriptEvent]:
        return [e for e in self.events if e.is_final]

    @property
    def partials(self) -> list[TranscriptEvent]:
        return [e for e in self.events if not e.is_final]

    @property
    def text(self) -> str:
        return " ".join(e.text for e in self.finals)


async def transcribe(
    engine: LocalEngine,
    pcm: bytes,
    *,
    pace: float = 1.0,
    frame: int = FRAME,
    options: StreamOptions | None = None,
) -> Run:
    """Feed `pcm` in `frame`-byte pieces; `pace` 1.0 is real time, 0 as fast as possible.
    Then stop and collect everything the stream said."""
    stream = await engine.open(options or StreamOptions())
    run = Run()
    t0 = time.monotonic()

    async def collect() -> None:
        try:
            async for ev in stream.events():
                if isinstance(ev, Retraction):
                    run.retracted.append(ev.utterance_id)
                    continue
                run.events.append(ev)
                run.arrivals.append(time.monotonic() - t0)
        except EngineError as err:
            run.error = err

    reader = asyncio.create_task(collect())
    for i in range(0, len(pcm), frame):
        await stream.feed(pcm[i : i + frame])
        wait = t0 + pace * (i + frame) / 32_000 - time.monotonic()
        await asyncio.sleep(max(0.0, wait))
    await stream.stop(timeout=30)
    await asyncio.wait_for(reader, 5)
    return run
