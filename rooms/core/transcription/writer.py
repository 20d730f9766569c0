"""The batch writer: finals only, one multi-row INSERT ... ON CONFLICT DO NOTHING per batch.

Segments wait in a bounded in-memory buffer and are written every `interval` or as soon as
`batch_size` are waiting. A failed insert is retried with backoff and the batch stays at
the head of the buffer: a database outage delays segments, never loses them. When the
buffer is full, producers wait (back-pressure, counted in metrics) instead of dropping.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from rooms.core.models import TranscriptSegment, new_id, utcnow
from rooms.core.transcription import metrics

log = logging.getLogger("rooms.transcription.writer")

_TABLE: sa.Table = TranscriptSegment.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class SegmentRow:
    session_id: str
    participant_id: str | None
    utterance_id: str
    text: str
    language: str | None
    started_at: datetime
    ended_at: datetime | None


_COLUMNS = (
    "id", "session_id", "participant_id", "utterance_id", "text", "language",
    "started_at", "ended_at", "is_final", "created_at",
)  # fmt: skip


@functools.lru_cache(maxsize=512)
def _insert_sql(paramstyle: str, n: int) -> str:
    mark = "?" if paramstyle == "qmark" else "%s"
    row = "(" + ", ".join([mark] * len(_COLUMNS)) + ")"
    return (
        f"INSERT INTO {_TABLE.name} ({', '.join(_COLUMNS)}) VALUES "
        + ", ".join([row] * n)
        + " ON CONFLICT (session_id, utterance_id) DO NOTHING"
    )


@functools.lru_cache(maxsize=8)
def _bind_processors(dialect: sa.Dialect) -> tuple[Callable[[Any], Any] | None, ...]:
    return tuple(_TABLE.c[c].type.dialect_impl(dialect).bind_processor(dialect) for c in _COLUMNS)


def insert_rows(conn: sa.Connection, rows: list[SegmentRow]) -> None:
    """One multi-row INSERT ... ON CONFLICT (session_id, utterance_id) DO NOTHING.

    The SQL text is built once per row count and the values go through the columns' own
    bind processors: SQLAlchemy does not cache the compiled form of a multi-row INSERT, and
    compiling it on every flush cost ~8 % of the gateway's CPU under load (bench/)."""
    if not rows:
        return
    now = utcnow()
    procs = _bind_processors(conn.dialect)
    params: list[Any] = []
    for r in rows:
        values = (
            new_id(),
            r.session_id,
            r.participant_id,
            r.utterance_id,
            r.text,
            r.language,
            r.started_at,
            r.ended_at,
            True,
            now,
        )  # the order of _COLUMNS
        params.extend(v if p is None else p(v) for p, v in zip(procs, values, strict=True))
    conn.exec_driver_sql(_insert_sql(conn.dialect.paramstyle, len(rows)), tuple(params))


class BatchWriter:
    def __init__(
        self,
        engine: Engine,
        *,
        interval_ms: int = 300,
        batch_size: int = 100,
        max_buffer: int = 50_000,
        max_backoff: float = 5.0,
    ) -> None:
        self.engine = engine
        self.interval = interval_ms / 1000
        self.batch_size = batch_size
        self.max_buffer = max_buffer
        self.max_backoff = max_backoff
        self._buffer: deque[SegmentRow] = deque()
        self._wake = asyncio.Event()
        self._room = asyncio.Condition()
        self._task: asyncio.Task[None] | None = None
        self._closing = False
        self.submitted = 0
        # Rows up to this count are written without waiting for the interval (flush()).
        self._urgent_until = 0
        self.written = 0
        self.statements = 0
        self.errors = 0

    @property
    def pending(self) -> int:
        return len(self._buffer)

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="transcript-batch-writer")

    async def submit(self, row: SegmentRow) -> None:
        if len(self._buffer) >= self.max_buffer:
            metrics.BACKPRESSURE.inc()
            async with self._room:
                await self._room.wait_for(lambda: len(self._buffer) < self.max_buffer)
        self._buffer.append(row)
        self.submitted += 1
        metrics.QUEUE_DEPTH.set(len(self._buffer))
        if len(self._buffer) >= self.batch_size:
            self._wake.set()

    async def _run(self) -> None:
        backoff = 0.1
        while True:
            if self._closing and not self._buffer:
                return
            urgent = self._closing or self.written < self._urgent_until
            if not self._buffer or (len(self._buffer) < self.batch_size and not urgent):
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self.interval)
                self._wake.clear()
            if not self._buffer:
                if self._closing:
                    return
                continue
            if await self._flush_once():
                backoff = 0.1
            else:
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, self.max_backoff)

    async def _flush_once(self) -> bool:
        batch = [self._buffer[i] for i in range(min(self.batch_size, len(self._buffer)))]
        started = time.perf_counter()
        try:
            await asyncio.to_thread(self._write, batch)
        except Exception as exc:  # noqa: BLE001  (any DB failure: keep the rows, retry later)
            self.errors += 1
            metrics.WRITE_ERRORS.inc()
            log.warning("batch insert of %d finals failed, will retry: %s", len(batch), exc)
            return False
        for _ in batch:
            self._buffer.popleft()
        self.written += len(batch)
        metrics.WRITTEN.inc(len(batch))
        metrics.FLUSH_SIZE.observe(len(batch))
        metrics.FLUSH_SECONDS.observe(time.perf_counter() - started)
        metrics.QUEUE_DEPTH.set(len(self._buffer))
        async with self._room:
            self._room.notify_all()
        return True

    def _write(self, batch: list[SegmentRow]) -> None:
        with self.engine.begin() as conn:
            insert_rows(conn, batch)
        self.statements += 1

    async def flush(self, timeout: float = 10.0) -> bool:
        """Write everything submitted so far now, not at the next interval; True once it
        has all landed (rows are written in the order they were submitted)."""
        target = self.submitted
        if self.written >= target:
            return True
        self._urgent_until = max(self._urgent_until, target)
        self.start()
        self._wake.set()
        try:
            async with asyncio.timeout(timeout), self._room:
                await self._room.wait_for(lambda: self.written >= target)
        except TimeoutError:
            return False
        return True

    async def close(self, timeout: float = 10.0) -> bool:
        """Write everything still buffered (retrying within `timeout`); True if all landed."""
        self._closing = True
        self._wake.set()
        task = self._task
        if task is None:
            self.start()
            task = self._task
        assert task is not None
        done, _ = await asyncio.wait({task}, timeout=timeout)
        if not done:
            task.cancel()
            log.error("writer closed with %d finals unwritten", len(self._buffer))
            return False
        return not self._buffer
