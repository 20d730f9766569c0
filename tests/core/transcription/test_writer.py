"""The batch writer: few statements, no duplicates, and nothing lost while the database is
unavailable (a held lock and killed connections), on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import time

from rooms.core.db import make_engine
from rooms.core.transcription import metrics
from rooms.core.transcription.writer import BatchWriter
from tests.support.database import DATABASE_URL, PG_SCHEMA
from tests.support.db_outage import database_unavailable_for, rows, short_waits
from tests.support.fake_gladia import speech_pcm
from tests.support.gateway import finals, run_async, stored_finals, stream


def test_batches_and_duplicates(host) -> None:
    engine = make_engine(DATABASE_URL)

    async def run() -> BatchWriter:
        writer = BatchWriter(engine, interval_ms=50, batch_size=100)
        writer.start()
        for row in rows(host.session_id, 250) + rows(host.session_id, 50):  # 50 repeats
            await writer.submit(row)
        assert await writer.close(10)
        return writer

    writer = run_async(run())
    assert writer.statements == 3 and writer.errors == 0
    stored = stored_finals(host.session_id)
    assert len(stored) == 250 and len({u for u, _ in stored}) == 250
    engine.dispose()


def test_flush_writes_now_not_at_the_interval(host) -> None:
    """A drain's flush: everything submitted so far, in more than one batch, without waiting
    for an interval longer than the test."""
    engine = make_engine(DATABASE_URL)

    async def run() -> tuple[BatchWriter, float]:
        writer = BatchWriter(engine, interval_ms=60_000, batch_size=100)
        writer.start()
        for row in rows(host.session_id, 130, prefix="f"):
            await writer.submit(row)
        started = time.monotonic()
        assert await writer.flush(10)
        took = time.monotonic() - started
        assert await writer.flush(0.01)  # nothing new: at once
        assert await writer.close(5)
        return writer, took

    writer, took = run_async(run())
    assert writer.written == 130 and writer.statements == 2 and took < 5
    assert len(stored_finals(host.session_id)) == 130
    engine.dispose()


def test_outage_loses_nothing(host) -> None:
    engine = short_waits(make_engine(DATABASE_URL))

    async def run() -> BatchWriter:
        writer = BatchWriter(engine, interval_ms=30, batch_size=20, max_backoff=0.3)
        writer.start()
        task = asyncio.ensure_future(
            asyncio.to_thread(database_unavailable_for, 2.0, lambda: writer.errors > 0)
        )
        for row in rows(host.session_id, 300, prefix="o"):
            await writer.submit(row)
            await asyncio.sleep(0.01)
        await task
        assert await writer.close(15)
        return writer

    writer = run_async(run())
    assert writer.errors > 0, "the outage was real"
    assert len(stored_finals(host.session_id)) == 300
    engine.dispose()


def test_outage_mid_stream_through_the_gateway(host) -> None:
    """The app's own writer (SQLite's busy timeout is 5 s, so the lock outlasts it)."""
    errors = metrics.WRITE_ERRORS._value.get()
    hold = 3.0 if PG_SCHEMA else 6.0
    start = host.start()

    async def run():
        streaming = asyncio.ensure_future(stream(start["wsUrl"], speech_pcm(6)))
        await asyncio.sleep(0.5)
        await asyncio.to_thread(
            database_unavailable_for, hold, lambda: metrics.WRITE_ERRORS._value.get() > errors
        )
        return await streaming

    messages, code = run_async(run())
    assert code == 1000 and len(finals(messages)) == 6
    deadline = time.monotonic() + 15
    while len(stored_finals(host.session_id)) < 6 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert stored_finals(host.session_id) == sorted(
        (m["utteranceId"], m["text"]) for m in finals(messages)
    )
    assert metrics.WRITE_ERRORS._value.get() > errors
    assert host.http.get("/health").status_code == 200  # still serving
