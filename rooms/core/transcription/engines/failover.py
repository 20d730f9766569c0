"""A primary-engine stream that can move to the secondary engine mid-stream.

It keeps the audio since the primary's last final (bounded), so when the primary fails for a
reason that may pass (Gladia dropped the session and the SDK's resume did not work, or it
stopped acknowledging audio) the secondary stream is opened, that audio is replayed into it
and the live audio follows: no speech is lost, and nothing already final is said twice. The
primary's partials still out are retracted (BaseStream does that when it fails), then an
`EngineSwitch` tells the consumer, once, before the secondary's first transcript.

The secondary's utterance ids get its stream id in front (they must not meet the primary's),
and its times are moved onto the primary's clock (seconds since this stream started).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace

from rooms.core.transcription import metrics
from rooms.core.transcription.engines.base import (
    BYTES_PER_SECOND,
    BaseStream,
    EngineError,
    EngineSession,
    EngineStream,
    EngineSwitch,
    Retargetable,
    Retraction,
    StreamOptions,
    Translation,
)

log = logging.getLogger("rooms.transcription")

_REPLAY_CHUNK = BYTES_PER_SECOND  # 1 s per feed: the event loop gets a turn between them

# Opens the secondary stream after the primary failed with this error (the engine's name
# and the stream), or raises EngineError.
OpenSecondary = Callable[[EngineError], Awaitable[tuple[str, EngineStream]]]


class FailoverStream(BaseStream):
    def __init__(
        self,
        primary: EngineStream,
        options: StreamOptions,
        open_secondary: OpenSecondary,
        *,
        replay_seconds: float,
    ) -> None:
        super().__init__(primary.stream_id)
        self.engine = getattr(primary, "engine", "")
        self._inner = primary
        self._options = options
        self._open_secondary = open_secondary
        self._cap = int(replay_seconds * BYTES_PER_SECOND) // 2 * 2
        self._buffer = bytearray()  # audio not yet covered by a final of the primary
        self._buffer_at = 0  # the stream byte offset of _buffer[0]
        self._received = 0  # bytes fed so far
        self._switching = False  # feed() only buffers: the replay takes the audio over
        self._switched = False
        self._offset = 0.0  # where the secondary's clock starts on this stream's
        self._settled = asyncio.Event()  # no switch in progress
        self._settled.set()
        self._stopping = False
        self._stop_timeout = 0.0
        self._aborted = False
        self._truncated = False
        self._task = asyncio.create_task(self._run())

    # --- EngineStream ---
    async def feed(self, pcm: bytes) -> None:
        if self._aborted:
            return
        self._received += len(pcm)
        if not self._switched:
            self._keep(pcm)
        if self._switching:
            return
        await self._inner.feed(pcm)

    def retarget(self, translate_to: tuple[str, ...]) -> bool:
        """New translation languages for the primary; the secondary (local) has none."""
        if self._switched or not isinstance(self._inner, Retargetable):
            return False
        return self._inner.retarget(translate_to)

    async def stop(self, timeout: float) -> None:
        self._stopping, self._stop_timeout = True, timeout
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._settled.wait(), timeout)
        await self._inner.stop(max(0.1, deadline - loop.time()))
        # A primary that failed just before the stop still moves to the secondary (and
        # _run stops that one): the audio since the last final is transcribed there.
        try:
            await asyncio.wait_for(asyncio.shield(self._task), max(0.1, deadline - loop.time()))
        except TimeoutError:
            log.warning("stream %s: fail-over did not finish within %.1fs", self.stream_id, timeout)
            await self.abort()

    async def abort(self) -> None:
        self._aborted = self._stopping = True
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await self._task
        with contextlib.suppress(Exception):
            await self._inner.abort()
        self.end()

    # --- inside ---
    def _keep(self, pcm: bytes) -> None:
        self._buffer += pcm
        excess = len(self._buffer) - self._cap
        if excess > 0:
            excess += excess % 2
            del self._buffer[:excess]
            self._buffer_at += excess
            metrics.REPLAY_DROPPED_SECONDS.inc(excess / BYTES_PER_SECOND)
            if not self._truncated:
                self._truncated = True
                log.warning("stream %s: no final for over %d s of audio", self.stream_id,
                            self._cap // BYTES_PER_SECOND)  # fmt: skip

    def _covered(self, end_seconds: float) -> None:
        """A final of the primary ends here: the audio before it will not be replayed."""
        cut = min(int(end_seconds * BYTES_PER_SECOND) // 2 * 2, self._received)
        if cut > self._buffer_at:
            del self._buffer[: cut - self._buffer_at]
            self._buffer_at = cut
            self._truncated = False

    async def _run(self) -> None:
        try:
            try:
                await self._forward(self._inner, prefix="", offset=0.0)
            except EngineError as err:
                if not err.retryable or self._aborted:
                    self.fail(err)
                    return
                if not await self._switch(err):
                    return
                if self._stopping:
                    await self._inner.stop(self._stop_timeout)
                try:
                    prefix = f"{self._inner.stream_id}-"
                    await self._forward(self._inner, prefix=prefix, offset=self._offset)
                except EngineError as err2:
                    self.fail(err2)
                    return
            self.end()
        except asyncio.CancelledError:
            self.end()

    async def _forward(self, stream: EngineStream, *, prefix: str, offset: float) -> None:
        async for ev in stream.events():
            if isinstance(ev, Retraction):
                self.retract(prefix + ev.utterance_id)
                continue
            if isinstance(ev, EngineSwitch):
                continue
            if isinstance(ev, EngineSession):
                self.announce(ev)
                continue
            if isinstance(ev, Translation):
                self.announce(replace(ev, utterance_id=prefix + ev.utterance_id))
                continue
            if prefix or offset:
                ev = replace(
                    ev,
                    utterance_id=prefix + ev.utterance_id,
                    start=ev.start + offset,
                    end=ev.end + offset,
                )
            if ev.is_final and not self._switched:
                self._covered(ev.end)
            self.emit(ev)

    async def _switch(self, err: EngineError) -> bool:
        """Open the secondary, replay the kept audio into it and hand it the live audio.
        False (the stream failed with the primary's error) if the secondary cannot take it."""
        self._switching = True
        self._settled.clear()
        began = asyncio.get_running_loop().time()
        try:
            try:
                name, stream = await self._open_secondary(err)
            except EngineError as refusal:
                log.warning("stream %s: fail-over refused (%s)", self.stream_id, refusal.code)
                self.fail(err)
                return False
            if self._aborted:
                await stream.abort()
                return False
            self._inner = stream
            self._offset = self._buffer_at / BYTES_PER_SECOND
            self.engine = name
            self.announce(EngineSwitch(name, err.code))
            position = self._buffer_at
            while position < self._buffer_at + len(self._buffer):
                position = max(position, self._buffer_at)  # the cap may have dropped some
                start = position - self._buffer_at
                chunk = bytes(self._buffer[start : start + _REPLAY_CHUNK])
                position += len(chunk)
                await stream.feed(chunk)
                await asyncio.sleep(0)
            # From here (no await since the loop's check) feed() goes to the secondary.
            replayed = (position - self._offset * BYTES_PER_SECOND) / BYTES_PER_SECOND
            self._switched = True
            self._buffer = bytearray()
            log.warning(
                "stream %s moved to %s after %s: %.1f s replayed in %.0f ms",
                self.stream_id, name, err.code, replayed,
                (asyncio.get_running_loop().time() - began) * 1000,
            )  # fmt: skip
            return True
        finally:
            self._switching = False
            self._settled.set()
