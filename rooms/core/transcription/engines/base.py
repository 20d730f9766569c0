"""The speech-engine interface every engine (Gladia, local) implements, and the base stream
they build on.

A stream is opened with language options, fed 16 kHz mono PCM16 frames, and yields
partial and final transcript events; `stop` asks for the remaining finals, after which
`events()` ends. An utterance that had partials ends with its final or, when it turns out
to hold no words, with a `Retraction` (never with an empty final). `BaseStream` keeps that
promise for every engine: it owns the event queue, the end of the stream and which
utterances have partials out.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from rooms.core.transcription.protocol import ProtocolError

SAMPLE_RATE = 16_000
BYTES_PER_SECOND = SAMPLE_RATE * 2  # mono PCM16


@dataclass(frozen=True)
class StreamOptions:
    languages: list[str] = field(default_factory=list)  # empty: let the engine detect
    code_switching: bool = False
    sample_rate: int = SAMPLE_RATE
    # Names and terms to expect (the space's glossary, rooms/core/glossary.py): a hint, so
    # an engine without `custom_vocabulary` ignores it rather than refusing the stream.
    vocabulary: tuple[str, ...] = ()
    # Languages to translate the captions into as they are made (what the session's viewers
    # read them in, rooms/core/caption_languages.py); empty: no translation.
    translate_to: tuple[str, ...] = ()


@dataclass(frozen=True)
class Capabilities:
    """What an engine can do, so callers choose and check instead of trying and failing."""

    languages: frozenset[str] | None  # None: any language (it detects)
    partials: bool
    sample_rates: tuple[int, ...]
    custom_vocabulary: bool
    translation: bool = False  # live translation of the captions (`translate_to`)

    def refusal(self, options: StreamOptions) -> str | None:
        """Why a stream with these options cannot be opened, or None."""
        if options.sample_rate not in self.sample_rates:
            rates = ", ".join(f"{r // 1000} kHz" for r in self.sample_rates)
            return f"This engine takes {rates} audio only."
        if self.languages is not None:
            unknown = [lang for lang in options.languages if lang not in self.languages]
            if unknown:
                return f"This engine does not transcribe {', '.join(unknown)}."
        if options.translate_to and not self.translation:
            return "This engine does not translate captions."
        return None


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
class Translation:
    """A final's text in another language, sent after that final (same `utterance_id`)."""

    utterance_id: str
    language: str
    text: str


@dataclass(frozen=True)
class Retraction:
    """The utterance whose partials were sent ended with nothing: pages drop those partials."""

    utterance_id: str


@dataclass(frozen=True)
class EngineSwitch:
    """The stream goes on on another engine (a mid-stream fail-over): said once, before that
    engine's first transcript. `code`: the primary's error that caused it."""

    engine: str
    code: str


@dataclass(frozen=True)
class EngineSession:
    """The stream goes on in a new session of the same engine (Gladia's rotation before its
    cap): its id is kept like the first one's, so the meeting's summary covers every session."""

    stream_id: str


Event = TranscriptEvent | Retraction | EngineSwitch | EngineSession | Translation


class EngineError(ProtocolError):
    """A failure the client is told about: `code` is the wire error code. `retryable`: a new
    attempt (later, or on another engine) may succeed; by default what the table says."""

    def __init__(self, code: str, message: str, *, retryable: bool | None = None) -> None:
        super().__init__(code, message)
        self._retryable = retryable

    @property
    def retryable(self) -> bool:
        return super().retryable if self._retryable is None else self._retryable


_END_OF_STREAM = object()


class BaseStream:
    """The queue an engine's callbacks feed and `events()` reads, with the bookkeeping every
    engine owes its consumer: partials of an utterance that ends without words are retracted,
    and so are those still out when the stream ends or fails. Call on the event loop."""

    engine = ""  # the name of the engine that runs this stream

    def __init__(self, stream_id: str = "") -> None:
        self._stream_id = stream_id
        self._queue: asyncio.Queue[object] = asyncio.Queue()
        self._shown: dict[str, None] = {}  # utterances with partials out, in order
        self._over = False

    @property
    def stream_id(self) -> str:
        return self._stream_id

    @property
    def over(self) -> bool:
        """No event will be queued any more (ended or failed)."""
        return self._over

    def emit(self, event: TranscriptEvent) -> None:
        """A partial or final; an empty final retracts the utterance's partials."""
        if self._over:
            return
        uid = event.utterance_id
        if not event.text:
            if event.is_final:
                self.retract(uid)
            return
        if event.is_final:
            self._shown.pop(uid, None)
        else:
            self._shown[uid] = None
        self._queue.put_nowait(event)

    def retract(self, utterance_id: str) -> None:
        """This utterance ends without words: its partials go (nothing if none were out)."""
        if self._over or utterance_id not in self._shown:
            return
        del self._shown[utterance_id]
        self._queue.put_nowait(Retraction(utterance_id))

    def announce(self, news: EngineSwitch | EngineSession | Translation) -> None:
        """Queued in order with the transcripts: what came before is the old engine's (or
        session's); a translation follows the final it translates."""
        if not self._over:
            self._queue.put_nowait(news)

    def _retract_unfinished(self) -> None:
        for utterance_id in list(self._shown):
            self.retract(utterance_id)

    def fail(self, err: EngineError) -> None:
        """End with an error: finals that will never come take their partials with them."""
        if self._over:
            return
        self._retract_unfinished()
        self._over = True
        self._queue.put_nowait(err)

    def end(self) -> None:
        """The last event has been queued."""
        if self._over:
            return
        self._retract_unfinished()
        self._over = True
        self._queue.put_nowait(_END_OF_STREAM)

    async def events(self) -> AsyncIterator[Event]:
        """Transcripts (and retractions) in order; raises EngineError if the stream failed."""
        while True:
            item = await self._queue.get()
            if item is _END_OF_STREAM:
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

    @property
    def capabilities(self) -> Capabilities: ...

    async def open(self, options: StreamOptions) -> EngineStream: ...

    def status(self) -> str:
        """`ok`, or a short reason why streams cannot be opened."""
        ...


@runtime_checkable
class ClosableEngine(Protocol):
    """An engine that runs background work of its own (fail-over's health probe)."""

    async def aclose(self) -> None: ...


@runtime_checkable
class Retargetable(Protocol):
    """A stream whose translation languages can change while it runs (Gladia's, through a
    fresh session: rooms/core/transcription/engines/gladia_rotation.py)."""

    def retarget(self, translate_to: tuple[str, ...]) -> bool:
        """Ask for these languages from here on; False if this stream cannot."""
        ...


NO_CAPABILITIES = Capabilities(
    languages=frozenset(), partials=False, sample_rates=(), custom_vocabulary=False
)


class UnavailableEngine:
    """Stands in when the configured engine cannot run, so the app says so instead of crashing."""

    def __init__(self, name: str, reason: str) -> None:
        self.name = name
        self.reason = reason

    @property
    def capabilities(self) -> Capabilities:
        return NO_CAPABILITIES

    async def open(self, options: StreamOptions) -> EngineStream:
        raise EngineError("ENGINE_UNAVAILABLE", f"transcription engine unavailable: {self.reason}")

    def status(self) -> str:
        return f"unavailable: {self.reason}"
