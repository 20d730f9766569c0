"""Live fan-out of transcripts to every page of a session.

In one process: one bounded asyncio.Queue per subscriber, filled with `put_nowait` on the
subscriber's own loop. With REDIS_URL, publishing goes through Redis pub/sub and one
reader per process hands messages to its local subscribers, so several backend workers
share the stream.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any

from rooms.core.config import get_settings
from rooms.core.transcription import metrics

log = logging.getLogger("rooms.transcription.hub")

CHANNEL_PREFIX = "rooms:transcript:"
QUEUE_MAX = 1000


class Subscription:
    def __init__(self, hub: LocalHub, session_id: str) -> None:
        self.hub = hub
        self.session_id = session_id
        self.loop = asyncio.get_running_loop()
        self.queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(QUEUE_MAX)

    def deliver(self, message: dict[str, Any]) -> None:
        try:
            self.queue.put_nowait(message)
        except asyncio.QueueFull:
            metrics.HUB_DROPPED.inc()

    async def get(self) -> dict[str, Any]:
        return await self.queue.get()

    def close(self) -> None:
        self.hub.unsubscribe(self)


class LocalHub:
    def __init__(self) -> None:
        self._subs: dict[str, set[Subscription]] = {}

    def subscribe(self, session_id: str) -> Subscription:
        sub = Subscription(self, session_id)
        self._subs.setdefault(session_id, set()).add(sub)
        return sub

    def unsubscribe(self, sub: Subscription) -> None:
        subs = self._subs.get(sub.session_id)
        if subs is not None:
            subs.discard(sub)
            if not subs:
                del self._subs[sub.session_id]

    def subscribers(self, session_id: str) -> int:
        return len(self._subs.get(session_id, ()))

    def deliver_local(self, session_id: str, message: dict[str, Any]) -> None:
        try:
            here = asyncio.get_running_loop()
        except RuntimeError:
            here = None
        for sub in list(self._subs.get(session_id, ())):
            if sub.loop is here:
                sub.deliver(message)
            elif not sub.loop.is_closed():
                sub.loop.call_soon_threadsafe(sub.deliver, message)

    async def publish(self, session_id: str, message: dict[str, Any]) -> None:
        self.deliver_local(session_id, message)

    def publish_now(self, session_id: str, message: dict[str, Any]) -> None:
        """`publish` for code without an event loop (a worker thread, a sync route)."""
        self.deliver_local(session_id, message)

    async def start(self) -> None:
        return None

    async def close(self) -> None:
        return None


class RedisHub(LocalHub):
    def __init__(self, url: str) -> None:
        super().__init__()
        import redis.asyncio as redis

        self._redis = redis.from_url(url)
        self._url = url
        self._sync: Any = None
        self._reader: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()

    async def start(self) -> None:
        if self._reader is None:
            self._reader = asyncio.create_task(self._read(), name="transcript-hub-redis")
            await asyncio.wait_for(self._ready.wait(), 5)

    async def _read(self) -> None:
        while True:
            pubsub = self._redis.pubsub()
            try:
                await pubsub.psubscribe(CHANNEL_PREFIX + "*")
                self._ready.set()
                async for item in pubsub.listen():
                    if item.get("type") != "pmessage":
                        continue
                    channel = item["channel"].decode()
                    message = json.loads(item["data"])
                    self.deliver_local(channel[len(CHANNEL_PREFIX) :], message)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001  (keep the reader alive across Redis restarts)
                log.warning("redis hub reader failed, reconnecting: %s", exc)
                await asyncio.sleep(1)
            finally:
                with contextlib.suppress(Exception):
                    await pubsub.aclose()

    async def publish(self, session_id: str, message: dict[str, Any]) -> None:
        try:
            await self._redis.publish(CHANNEL_PREFIX + session_id, json.dumps(message))
        except Exception as exc:  # noqa: BLE001  (Redis down: still reach this worker's pages)
            log.warning("redis publish failed, delivering locally only: %s", exc)
            self.deliver_local(session_id, message)

    def publish_now(self, session_id: str, message: dict[str, Any]) -> None:
        import redis

        try:
            if self._sync is None:
                self._sync = redis.from_url(self._url)
            self._sync.publish(CHANNEL_PREFIX + session_id, json.dumps(message))
        except Exception as exc:  # noqa: BLE001  (Redis down: still reach this worker's pages)
            log.warning("redis publish failed, delivering locally only: %s", exc)
            self.deliver_local(session_id, message)

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader
            self._reader = None
        await self._redis.aclose()


_hub: LocalHub | None = None


def get_hub() -> LocalHub:
    """The process's hub (Redis-backed when REDIS_URL is set)."""
    global _hub
    if _hub is None:
        url = get_settings().redis_url
        _hub = RedisHub(url) if url else LocalHub()
    return _hub


def reset_hub() -> None:
    global _hub
    _hub = None
