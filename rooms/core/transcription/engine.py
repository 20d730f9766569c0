"""The speech engine interface every engine (Gladia, local) implements.

A stream is opened with language options, fed 16 kHz mono PCM16 frames, and yields
partial and final transcript events; `stop` asks for the remaining finals, after which
`events()` ends. An utterance that had partials ends with its final or, when it turns out
to hold no words, with a `Retraction` (never with an empty final).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

SAMPLE_RATE = 16_000
BYTES_PER_SECOND = SAMPLE_RATE * 2  # mono PCM16


@dataclass(frozen=True)
class StreamOptions:
    languages: list[str] = field(default_factory=list)  # empty: let the engine detect
    code_switching: bool = False
    sample_rate: int = SAMPLE_RATE


@dataclass(frozen=True)
class TranscriptEvent:
    utterance_id: str  # stable across partials and the final of one utterance
    text: str
    is_final: bool
    language: str | None
    start: float  # seconds since the stream started
    end: float
    speaker: int | None = None


@dataclass(frozen=True)
class Retraction:
    """The utterance whose partials were sent ended with nothing: pages drop those partials."""

    utterance_id: str


Event = TranscriptEvent | Retraction


class EngineError(Exception):
    """A failure the client is told about: `code` is the wire error code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


# Put on a stream's queue after its last event; an EngineError put there ends it with that error.
END_OF_STREAM = object()


async def drain(queue: asyncio.Queue[object]) -> AsyncIterator[Event]:
    """The `events()` of an engine whose callbacks feed a queue."""
    while True:
        item = await queue.get()
        if item is END_OF_STREAM:
            return
        if isinstance(item, EngineError):
            raise item
        yield item  # type: ignore[misc]


@runtime_checkable
class EngineStream(Protocol):
    @property
    def stream_id(self) -> str: ...

    async def feed(self, pcm: bytes) -> None: ...

    def events(self) -> AsyncIterator[Event]:
        """Transcripts (and retractions) in order; raises EngineError if the stream fails,
        ends after `stop`."""
        ...

    async def stop(self, timeout: float) -> None:
        """Finish the recording and wait (bounded) until the engine has sent its finals."""
        ...

    async def abort(self) -> None: ...


@runtime_checkable
class Engine(Protocol):
    name: str

    async def open(self, options: StreamOptions) -> EngineStream: ...

    def status(self) -> str:
        """`ok`, or a short reason why streams cannot be opened."""
        ...


class UnavailableEngine:
    """Stands in when the configured engine cannot run, so the app says so instead of crashing."""

    def __init__(self, name: str, reason: str) -> None:
        self.name = name
        self.reason = reason

    async def open(self, options: StreamOptions) -> EngineStream:
        raise EngineError("ENGINE_UNAVAILABLE", f"transcription engine unavailable: {self.reason}")

    def status(self) -> str:
        return f"unavailable: {self.reason}"


def make_engine(engine_name: str, *, api_key: str | None, api_url: str) -> Engine:
    if engine_name == "gladia":
        if not api_key:
            return UnavailableEngine("gladia", "GLADIA_API_KEY is not set")
        from rooms.core.transcription.gladia import GladiaEngine

        return GladiaEngine(api_key=api_key, api_url=api_url)
    try:
        from rooms.core.transcription import local  # type: ignore[attr-defined]
    except ImportError:
        return UnavailableEngine(engine_name, "the local engine is not installed")
    return local.make_local_engine()  # pragma: no cover  (arrives with the local engine)
