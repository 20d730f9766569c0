"""Fail-over from the primary engine (Gladia) to the secondary (the local engine), as
livekit agents' FallbackAdapter does, with the audio kept so the switch loses no speech.

- At the start: the primary refuses a stream for a reason that may pass (its concurrency
  limit, a 5xx, the network): the stream runs on the secondary instead.
- Mid-stream: a primary stream that fails that way (dropped and not resumed) goes on on the
  secondary, the audio since its last final replayed (failover.py).
- After either, the primary is taken for down: new streams go straight to the secondary
  (no one waits for a refusal, nobody hammers a service that is down) until a background
  probe, a real session start every TRANSCRIPTION_PROBE_SECONDS, sees it accept again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Callable
from dataclasses import replace

from rooms.core.i18n import N_
from rooms.core.transcription import metrics
from rooms.core.transcription.engines.base import (
    Capabilities,
    Engine,
    EngineError,
    EngineStream,
    StreamOptions,
)
from rooms.core.transcription.engines.failover import FailoverStream

log = logging.getLogger("rooms.transcription")

SWITCHED = N_("Captions switched to the offline engine: the transcription service is unavailable.")


def _untranslated(options: StreamOptions) -> StreamOptions:
    """Captions untranslated beat no captions: the secondary (local) does not translate."""
    return replace(options, translate_to=()) if options.translate_to else options


class FallbackEngine:
    def __init__(
        self,
        primary: Engine,
        make_secondary: Callable[[], Engine],
        *,
        probe_seconds: float = 30.0,
        replay_seconds: float = 30.0,
    ) -> None:
        self.primary = primary
        self.name = primary.name
        # Built on the first stream: the local engine loads its model on its first open, not
        # in every process that never needs it.
        self._make_secondary = make_secondary
        self._secondary: Engine | None = None
        self._lock = threading.Lock()
        self._probe_seconds = probe_seconds
        self._replay_seconds = replay_seconds
        self.down: str | None = None  # the primary's error code while it is taken for down
        self._probe: asyncio.Task[None] | None = None
        metrics.PRIMARY_UP.labels(self.name).set(1)

    @property
    def capabilities(self) -> Capabilities:
        return self.primary.capabilities

    def status(self) -> str:
        return self.primary.status()

    def secondary(self) -> Engine:
        with self._lock:
            if self._secondary is None:
                self._secondary = self._make_secondary()
            return self._secondary

    def _secondary_takes(self, options: StreamOptions) -> bool:
        secondary = self.secondary()
        return not (
            secondary.status().startswith("unavailable")
            or secondary.capabilities.refusal(_untranslated(options))
        )

    async def open(self, options: StreamOptions) -> EngineStream:
        can_switch = self._secondary_takes(options)
        if self.down is not None and can_switch:
            try:
                return await self._open_secondary(options, self.down, "start")
            except EngineError as busy:
                # The local engine holds a few streams; past those, asking the primary
                # (perhaps back already) beats refusing outright.
                if not busy.retryable:
                    raise
                can_switch = False
        try:
            stream = await self.primary.open(options)
        except EngineError as err:
            if not err.retryable or not can_switch:
                raise
            log.warning("%s refused a stream (%s): using the fallback", self.name, err.code)
            self._taken_down(err.code)
            return await self._open_secondary(options, err.code, "start")
        if not can_switch:
            return stream

        async def switch(err: EngineError) -> tuple[str, EngineStream]:
            self._taken_down(err.code)
            moved = await self._open_secondary(options, err.code, "midstream")
            return self.secondary().name, moved

        return FailoverStream(stream, options, switch, replay_seconds=self._replay_seconds)

    async def _open_secondary(self, options: StreamOptions, code: str, phase: str) -> EngineStream:
        secondary = self.secondary()
        stream = await secondary.open(_untranslated(options))
        metrics.ENGINE_SWITCHES.labels(self.name, secondary.name, code, phase).inc()
        return stream

    def _taken_down(self, code: str) -> None:
        if self.down is None:
            log.warning("%s taken for down (%s): new streams use the fallback", self.name, code)
        self.down = code
        metrics.PRIMARY_UP.labels(self.name).set(0)
        if self._probe is None or self._probe.done():
            self._probe = asyncio.create_task(self._watch())

    async def _watch(self) -> None:
        """Until the primary accepts a session again: then it gets the new streams back."""
        while self.down is not None:
            await asyncio.sleep(self._probe_seconds)
            try:
                stream = await self.primary.open(StreamOptions())
            except EngineError as err:
                metrics.PROBES.labels(self.name, "down").inc()
                log.info("%s still down (%s)", self.name, err.code)
                continue
            with contextlib.suppress(Exception):  # it was only a probe: close what it opened
                await stream.abort()
            metrics.PROBES.labels(self.name, "up").inc()
            log.warning("%s accepts sessions again: new streams use it", self.name)
            self.down = None
            metrics.PRIMARY_UP.labels(self.name).set(1)

    async def aclose(self) -> None:
        if self._probe is not None:
            self._probe.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._probe
            self._probe = None
