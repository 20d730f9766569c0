"""The batch writer: finals (and their translations), one multi-row INSERT ... ON CONFLICT DO
NOTHING per table and batch.

Segments wait in a bounded in-memory buffer and are written every `interval` or as soon as
`batch_size` are waiting. A transient failure (connection lost, lock timeout, database
locked) is retried with backoff and the batch stays at the head of the buffer: a database
outage delays segments, never loses them. A batch the database refuses because of its rows
(a foreign key, NOT NULL or CHECK violation, a value too long or not encodable) is bisected
until the refused rows stand alone; those are dropped, each logged on the dead-letter logger
and counted, and every other row is written. When the buffer is full, producers wait
(back-pressure, counted in metrics) instead of dropping.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from rooms.core.models import TranscriptSegment, TranscriptTranslation, new_id, utcnow
from rooms.core.transcription import db_errors, metrics

log = logging.getLogger("rooms.transcription.writer")
# One line per final that will never be stored, with its ids (never its text), so that an
# operator can route these apart and find what a session is missing.
dead_letter = logging.getLogger("rooms.transcription.dead_letter")
_LISTED = 50  # utterance ids per session in a shutdown dead-letter line

_TABLE: sa.Table = TranscriptSegment.__table__  # type: ignore[attr-defined]
_TRANSLATIONS: sa.Table = TranscriptTranslation.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class SegmentRow:
    session_id: str
    participant_id: str | None
    utterance_id: str
    text: str
    language: str | None
    started_at: datetime
    ended_at: datetime | None


@dataclass(frozen=True)
class TranslationRow:
    """A final's translation, written with the finals (same buffer, same retries, the same
    isolation of a row the database refuses). Keyed by the final's utterance id."""

    session_id: str
    utterance_id: str
    language: str
    text: str
    participant_id: None = None  # what the dead-letter lines name, as for a segment


Row = SegmentRow | TranslationRow

_TR_COLUMNS = ("id", "session_id", "utterance_id", "language", "text", "created_at")


@functools.lru_cache(maxsize=512)
def _translation_sql(paramstyle: str, n: int) -> str:
    mark = "?" if paramstyle == "qmark" else "%s"
    row = "(" + ", ".join([mark] * len(_TR_COLUMNS)) + ")"
    return (
        f"INSERT INTO {_TRANSLATIONS.name} ({', '.join(_TR_COLUMNS)}) VALUES "
        + ", ".join([row] * n)
        + " ON CONFLICT (session_id, utterance_id, language) DO NOTHING"
    )


@functools.lru_cache(maxsize=8)
def _translation_processors(dialect: sa.Dialect) -> tuple[Callable[[Any], Any] | None, ...]:
    return tuple(
        _TRANSLATIONS.c[c].type.dialect_impl(dialect).bind_processor(dialect) for c in _TR_COLUMNS
    )


def _insert_translations(conn: sa.Connection, rows: list[TranslationRow]) -> None:
    now = utcnow()
    procs = _translation_processors(conn.dialect)
    params: list[Any] = []
    for r in rows:
        values = (new_id(), r.session_id, r.utterance_id, r.language, r.text, now)
        params.extend(v if p is None else p(v) for p, v in zip(procs, values, strict=True))
    conn.exec_driver_sql(_translation_sql(conn.dialect.paramstyle, len(rows)), tuple(params))


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


def insert_rows(conn: sa.Connection, rows: list[Row]) -> None:
    """One multi-row INSERT ... ON CONFLICT (session_id, utterance_id) DO NOTHING for the
    finals, one more for the translations among `rows`, if any.

    The SQL text is built once per row count and the values go through the columns' own
    bind processors: SQLAlchemy does not cache the compiled form of a multi-row INSERT, and
    compiling it on every flush cost ~8 % of the gateway's CPU under load (bench/)."""
    translated = [r for r in rows if isinstance(r, TranslationRow)]
    if translated:
        rows = [r for r in rows if isinstance(r, SegmentRow)]
        _insert_translations(conn, translated)
    if not rows:
        return
    now = utcnow()
    procs = _bind_processors(conn.dialect)
    params: list[Any] = []
    for r in rows:
        assert isinstance(r, SegmentRow)
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


@dataclass
class _Outcome:
    """What one flush settled: `settled` leading rows of the batch were written or
    rejected; the rest wait for a retry because `transient` stopped the work."""

    settled: int = 0
    written: int = 0
    statements: int = 0
    rejected: list[tuple[Row, str, str]] = field(default_factory=list)
    transient: BaseException | None = None


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
        self._buffer: deque[Row] = deque()
        self._wake = asyncio.Event()
        self._room = asyncio.Condition()
        self._task: asyncio.Task[None] | None = None
        self._closing = False
        self.submitted = 0
        # Rows up to this count are settled without waiting for the interval (flush()).
        self._urgent_until = 0
        self.written = 0
        self.rejected = 0
        self.statements = 0
        self.errors = 0
        self._in_flight = 0  # rows of the batch a worker thread is writing right now

    @property
    def pending(self) -> int:
        return len(self._buffer)

    @property
    def settled(self) -> int:
        """Rows that left the buffer: written, or refused by the database for good."""
        return self.written + self.rejected

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="transcript-batch-writer")

    async def submit(self, row: Row) -> None:
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
            urgent = self._closing or self.settled < self._urgent_until
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
        """One batch from the head of the buffer; False when a transient error left rows to
        retry (after a backoff)."""
        batch = [self._buffer[i] for i in range(min(self.batch_size, len(self._buffer)))]
        started = time.perf_counter()
        self._in_flight = len(batch)
        try:
            out = await asyncio.to_thread(self._write, batch)
        finally:
            self._in_flight = 0
        for _ in range(out.settled):
            self._buffer.popleft()
        self.statements += out.statements
        self.written += out.written
        self.rejected += len(out.rejected)
        for row, reason, message in out.rejected:
            metrics.ROWS_REJECTED.labels(reason).inc()
            dead_letter.error(
                "final dropped, the database refused it (%s): session %s utterance %s "
                "participant %s: %s",
                reason, row.session_id, row.utterance_id, row.participant_id, message,
            )  # fmt: skip
        if out.written:
            metrics.WRITTEN.inc(out.written)
            metrics.FLUSH_SIZE.observe(out.written)
        metrics.QUEUE_DEPTH.set(len(self._buffer))
        if out.settled:
            async with self._room:
                self._room.notify_all()
        if out.transient is not None:
            self.errors += 1
            metrics.WRITE_ERRORS.inc()
            log.warning(
                "batch insert of %d finals failed, will retry: %s",
                len(batch) - out.settled, db_errors.first_line(out.transient),
            )  # fmt: skip
            return False
        metrics.FLUSH_SECONDS.observe(time.perf_counter() - started)
        return True

    def _write(self, batch: list[Row]) -> _Outcome:
        """One INSERT for the batch; if its rows are refused, bisect (depth first, left to
        right, so what is settled is always a prefix of the batch and order is kept)."""
        out = _Outcome()
        self._write_range(batch, out, whole=True)
        return out

    def _write_range(self, rows: list[Row], out: _Outcome, whole: bool = False) -> None:
        if out.transient is not None:
            return
        try:
            with self.engine.begin() as conn:
                insert_rows(conn, rows)
        except Exception as exc:  # noqa: BLE001  (classified below: retry, split or drop)
            reason = db_errors.rejection_reason(exc)
            if reason is None:
                out.transient = exc
                return
            if whole:
                log.warning(
                    "the database refused a batch of %d finals (%s), isolating the rows",
                    len(rows), reason,
                )  # fmt: skip
            if len(rows) == 1:
                out.rejected.append((rows[0], reason, db_errors.first_line(exc)))
                out.settled += 1
                return
            half = len(rows) // 2
            self._write_range(rows[:half], out)
            self._write_range(rows[half:], out)
            return
        out.statements += 1
        out.written += len(rows)
        out.settled += len(rows)

    async def flush(self, timeout: float = 10.0) -> bool:
        """Settle everything submitted so far now, not at the next interval; True once every
        row was written or refused for good (rows are settled in submission order)."""
        target = self.submitted
        if self.settled >= target:
            return True
        self._urgent_until = max(self._urgent_until, target)
        self.start()
        self._wake.set()
        try:
            async with asyncio.timeout(timeout), self._room:
                await self._room.wait_for(lambda: self.settled >= target)
        except TimeoutError:
            return False
        return True

    async def close(self, timeout: float = 10.0) -> bool:
        """Write everything still buffered (retrying transient errors within `timeout`);
        True if nothing is left. What is left is logged, row by row, as not written."""
        self._closing = True
        self._wake.set()
        task = self._task
        if task is None:
            self.start()
            task = self._task
        assert task is not None
        done, _ = await asyncio.wait({task}, timeout=timeout)
        in_flight = 0
        if not done:
            in_flight = self._in_flight
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._buffer:
            self._log_unwritten(in_flight)
            return False
        return True

    def _log_unwritten(self, in_flight: int) -> None:
        by_session: dict[str, list[str]] = {}
        for row in self._buffer:
            by_session.setdefault(row.session_id, []).append(row.utterance_id)
        metrics.ROWS_UNWRITTEN.inc(len(self._buffer))
        # A worker thread cannot be stopped: the INSERT it was running may still commit.
        note = f" (the first {in_flight} were being inserted as time ran out)" if in_flight else ""
        log.error("writer closed with %d finals unwritten%s", len(self._buffer), note)
        for sid, utterances in by_session.items():
            shown = ", ".join(utterances[:_LISTED])
            more = f" and {len(utterances) - _LISTED} more" if len(utterances) > _LISTED else ""
            dead_letter.error(
                "shutdown: %d finals of session %s not written: utterances %s%s",
                len(utterances), sid, shown, more,
            )  # fmt: skip
