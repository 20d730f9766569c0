"""The gateway: the engine, the batch writer, the hub and the audio trackers one server
loop shares among its host connections (rooms/core/transcription/connection.py), which it
admits, counts and drains.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rooms.core import db as core_db
from rooms.core.config import Settings, get_settings
from rooms.core.transcription import metrics
from rooms.core.transcription.audio import AudioTrackers
from rooms.core.transcription.connection import (
    FLUSH_TIMEOUT,
    STOP_TIMEOUT,
    Client,
    HostConnection,
    HostGrant,
)
from rooms.core.transcription.engines.base import ClosableEngine, Engine
from rooms.core.transcription.engines.registry import create_speech_engine
from rooms.core.transcription.hub import LocalHub, get_hub
from rooms.core.transcription.load import LoopLag
from rooms.core.transcription.writer import BatchWriter

log = logging.getLogger("rooms.transcription")


class Gateway:
    def __init__(self, settings: Settings, engine: Engine | None = None) -> None:
        self.settings = settings
        self.engine = engine or create_speech_engine(settings)
        self.writer = BatchWriter(
            core_db.get_engine(),
            interval_ms=settings.transcript_batch_interval_ms,
            batch_size=settings.transcript_batch_size,
        )
        self.trackers = AudioTrackers(settings.audio_max_frame_bytes)
        self.hub: LocalHub = get_hub()
        self.draining = asyncio.Event()
        self.connections: set[asyncio.Task[Any]] = set()
        self._sweeper: asyncio.Task[None] | None = None
        self.lag = LoopLag()
        self._lag_task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self.writer.start()
        await self.hub.start()
        if self._sweeper is None:
            self._sweeper = asyncio.create_task(self._sweep())
        if self._lag_task is None:
            self._lag_task = asyncio.create_task(self.lag.run())

    def busy(self, *, counted: bool = False) -> bool:
        """Whether a new stream would degrade the held ones: this process holds its maximum,
        or its event loop is behind. `counted`: the asking stream is among the connections."""
        most = self.settings.transcription_max_streams
        if most and len(self.connections) - counted >= most:
            return True
        return self.lag.recent() * 1000 >= self.settings.transcription_busy_lag_ms

    async def _sweep(self) -> None:
        while True:
            await asyncio.sleep(30)
            gone = self.trackers.sweep(idle_seconds=120)
            if gone:
                log.info("released %d audio trackers of vanished clients", gone)

    def status(self) -> dict[str, Any]:
        return {
            "engine": self.engine.name,
            "engineStatus": self.engine.status(),
            "connections": len(self.connections),
            "writerPending": self.writer.pending,
        }

    async def drain(self, timeout: float = FLUSH_TIMEOUT) -> None:
        """Stop accepting streams and end every open one: its engine's last finals sent and
        written, then a SERVER_SHUTTING_DOWN notice and its close (bounded)."""
        self.draining.set()
        if self.connections:
            await asyncio.wait(set(self.connections), timeout=STOP_TIMEOUT + 2 + timeout)
        await self.writer.flush(timeout)

    async def shutdown(self, timeout: float = 15.0) -> None:
        """Drain (a no-op when a stop signal already did), then close the writer."""
        await self.drain()
        for task in (self._sweeper, self._lag_task):
            if task is not None:
                task.cancel()
        if isinstance(self.engine, ClosableEngine):  # fail-over's health probe
            await self.engine.aclose()
        await self.writer.close(timeout=timeout)

    async def serve(self, client: Client, grant: HostGrant) -> None:
        task = asyncio.current_task()
        assert task is not None
        self.connections.add(task)
        metrics.CONNECTIONS.inc()
        metrics.CONNECTIONS_TOTAL.inc()
        try:
            await HostConnection(self, client, grant).run()
        finally:
            self.connections.discard(task)
            metrics.CONNECTIONS.dec()


_gateways: dict[asyncio.AbstractEventLoop, Gateway] = {}


async def get_gateway() -> Gateway:
    """The gateway of the running event loop (each server loop gets its own writer)."""
    loop = asyncio.get_running_loop()
    gw = _gateways.get(loop)
    if gw is None:
        gw = _gateways[loop] = Gateway(get_settings())
        await gw.start()
    return gw


async def drain_gateway() -> None:
    """Drain the running loop's gateway, if it has one (a stop signal's first step)."""
    gw = _gateways.get(asyncio.get_running_loop())
    if gw is not None:
        await gw.drain()


async def shutdown_gateway() -> None:
    loop = asyncio.get_running_loop()
    gw = _gateways.pop(loop, None)
    if gw is not None:
        await gw.shutdown()


async def engine_report() -> tuple[str, str]:
    """The speech engine's name and status, as this process can tell them. The app whose
    streams a separate gateway serves runs no engine: it names the configured one as ok,
    and the gateway says otherwise where it can (its /health, ENGINE_UNAVAILABLE on its
    socket)."""
    settings = get_settings()
    if settings.streams_elsewhere:
        return settings.effective_transcription_engine, "ok"
    gw = await get_gateway()
    return gw.engine.name, gw.engine.status()


async def engine_translates() -> bool:
    """Whether this server's captions can be translated live (Gladia's real-time
    translation; the local engine has none). With a separate gateway: whether the
    configured engine is one that translates."""
    settings = get_settings()
    if settings.streams_elsewhere:
        return settings.effective_transcription_engine == "gladia"
    gw = await get_gateway()
    return gw.engine.capabilities.translation and gw.engine.status() == "ok"
