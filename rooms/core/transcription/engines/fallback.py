"""Fail-over at the start of a stream: when the primary engine (Gladia) refuses a stream for
a reason that may pass (its concurrency limit, a 5xx, the network), the stream runs on the
secondary (the local engine) instead of having no captions. Every new stream asks the
primary first, so streams go back to it as soon as it accepts again (the attempt is the
health probe: one HTTP round trip). A stream already running that loses its primary is not
moved (yet): it ends with the engine's error and the page reconnects."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from rooms.core.transcription import metrics
from rooms.core.transcription.engines.base import (
    Capabilities,
    Engine,
    EngineError,
    EngineStream,
    StreamOptions,
)

log = logging.getLogger("rooms.transcription")

SWITCHED = "Captions switched to the offline engine: the transcription service is unavailable."


class FallbackEngine:
    def __init__(self, primary: Engine, make_secondary: Callable[[], Engine]) -> None:
        self.primary = primary
        self.name = primary.name
        # Built on the first switch: the local engine loads its model then, not in every
        # process that never needs it.
        self._make_secondary = make_secondary
        self._secondary: Engine | None = None
        self._lock = threading.Lock()

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

    async def open(self, options: StreamOptions) -> EngineStream:
        try:
            return await self.primary.open(options)
        except EngineError as err:
            if not err.retryable:
                raise
            secondary = self.secondary()
            if secondary.status().startswith("unavailable") or secondary.capabilities.refusal(
                options
            ):
                raise
            log.warning("%s refused a stream (%s): using %s", self.name, err.code, secondary.name)
            stream = await secondary.open(options)
            metrics.ENGINE_SWITCHES.labels(self.name, secondary.name, err.code).inc()
            return stream
