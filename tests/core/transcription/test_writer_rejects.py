"""Rows the database refuses for good cost only themselves; transient errors are retried.

A deleted session's finals (their foreign key fails), values a column refuses and a shutdown
with the database away, on SQLite and PostgreSQL, each mixed with good rows that must land.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections import Counter

import pytest

from rooms.core.db import make_engine
from rooms.core.transcription import metrics
from rooms.core.transcription.writer import BatchWriter, SegmentRow
from tests.support.database import DATABASE_URL, PG_SCHEMA
from tests.support.db_outage import (
    database_unavailable_for,
    rows,
    short_waits,
    transient_failure_at_insert,
)
from tests.support.fake_gladia import speech_pcm
from tests.support.gateway import Host, finals, run_async, stored_finals, stream

DEAD_LETTER = "rooms.transcription.dead_letter"


def rejected(reason: str) -> float:
    return metrics.ROWS_REJECTED.labels(reason)._value.get()


def deleted_session(gateway_url: str) -> str:
    """The id of a session that existed and was deleted through the API."""
    other = Host(gateway_url)
    try:
        assert other.http.delete(f"/api/sessions/{other.slug}").status_code == 204
        return other.session_id
    finally:
        other.http.close()


def interleave(good: list[SegmentRow], bad: list[SegmentRow]) -> list[SegmentRow]:
    """Bad rows spread among good ones: at the head, in the middle, at the tail."""
    spots = [k * len(good) // max(1, len(bad) - 1) for k in range(len(bad))]
    out: list[SegmentRow] = []
    for i in range(len(good) + 1):
        out += [row for row, spot in zip(bad, spots, strict=True) if spot == i]
        out += good[i : i + 1]
    return out


def dead_lettered(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == DEAD_LETTER]


def test_a_deleted_sessions_finals_are_dropped_and_the_rest_written(
    host, gateway_url, caplog
) -> None:
    caplog.set_level(logging.ERROR, logger=DEAD_LETTER)
    gone = deleted_session(gateway_url)
    engine = make_engine(DATABASE_URL)
    before = rejected("foreign_key")
    bad = rows(gone, 5, prefix="gone")

    async def run() -> BatchWriter:
        writer = BatchWriter(engine, interval_ms=50, batch_size=100)
        writer.start()
        for row in interleave(rows(host.session_id, 30, prefix="a"), bad):
            await writer.submit(row)
        assert await writer.flush(10), "the deleted session's finals held up the others"
        for row in rows(host.session_id, 10, prefix="later"):
            await writer.submit(row)
        assert await writer.flush(10), "finals after the refused ones are still written"
        assert await writer.close(5)
        return writer

    writer = run_async(run())
    assert len(stored_finals(host.session_id)) == 40
    assert stored_finals(gone) == []
    assert (writer.written, writer.rejected) == (40, 5)
    assert rejected("foreign_key") - before == 5
    lines = dead_lettered(caplog)
    assert len(lines) == 5
    for row in bad:
        assert any(gone in line and f"utterance {row.utterance_id} " in line for line in lines)
    # Bisection of 35 rows around 5 spread-out bad ones: 15 INSERTs that succeed (not one
    # per row), then the later batch is one INSERT again.
    assert writer.statements <= 16, writer.statements
    engine.dispose()


def test_values_a_column_refuses_are_dropped_alone(host, caplog) -> None:
    caplog.set_level(logging.ERROR, logger=DEAD_LETTER)
    engine = make_engine(DATABASE_URL)
    good = rows(host.session_id, 20, prefix="ok")
    base = rows(host.session_id, 6, prefix="bad")
    bad = {
        "foreign_key": [dataclasses.replace(base[0], participant_id="no-such-participant")],
        "not_null": [dataclasses.replace(base[1], started_at=None)],
        "data": [dataclasses.replace(base[2], text="half a surrogate \ud800 is not UTF-8")],
    }
    if PG_SCHEMA is not None:  # SQLite stores these as they are
        bad["data"] += [
            dataclasses.replace(base[3], utterance_id="x" * 200),  # VARCHAR(128)
            dataclasses.replace(base[4], language="e" * 40),  # VARCHAR(16)
            dataclasses.replace(base[5], text="a NUL \x00 byte"),
        ]
    want = Counter({reason: len(v) for reason, v in bad.items()})
    before = Counter({reason: rejected(reason) for reason in want})

    async def run() -> BatchWriter:
        writer = BatchWriter(engine, interval_ms=50, batch_size=100)
        writer.start()
        for row in interleave(good, [r for v in bad.values() for r in v]):
            await writer.submit(row)
        assert await writer.flush(10), "a refused value held up the other finals"
        assert await writer.close(5)
        return writer

    writer = run_async(run())
    assert stored_finals(host.session_id) == sorted((r.utterance_id, r.text) for r in good)
    assert Counter({reason: rejected(reason) - before[reason] for reason in want}) == want
    assert writer.rejected == sum(want.values()) and writer.written == len(good)
    assert len(dead_lettered(caplog)) == sum(want.values())
    engine.dispose()


def test_a_transient_error_while_isolating_is_retried(host, gateway_url) -> None:
    """The database goes away in the middle of a bisection (PostgreSQL: the writer's own
    connection is terminated; SQLite: another connection holds the write lock): the rows not
    yet settled are retried, none is dropped for it, none is written twice."""
    gone = deleted_session(gateway_url)
    engine = short_waits(make_engine(DATABASE_URL))
    # INSERTs 1-5 narrow down to the first row (refused, settled as the 6th); the 7th, of
    # the second row, meets the failure: a prefix is settled, the rest must be retried.
    inserts = transient_failure_at_insert(engine, nth=7)
    good = rows(host.session_id, 40, prefix="t")
    bad = rows(gone, 3, prefix="gone")

    async def run() -> BatchWriter:
        writer = BatchWriter(engine, interval_ms=50, batch_size=100, max_backoff=0.3)
        writer.start()
        for row in interleave(good, bad):
            await writer.submit(row)
        assert await writer.flush(15)
        assert await writer.close(5)
        return writer

    writer = run_async(run())
    assert inserts[0] > 3, "the failure was injected"
    assert writer.errors >= 1, "the transient error was seen"
    assert (writer.written, writer.rejected) == (40, 3), "nothing dropped for an outage"
    assert stored_finals(host.session_id) == sorted((r.utterance_id, r.text) for r in good)
    engine.dispose()


def test_an_outage_with_a_refused_row_waiting_loses_nothing(host, gateway_url) -> None:
    """The whole table is locked (PostgreSQL also kills the waiting connections) while a
    batch holding a deleted session's finals waits: retried, then isolated."""
    gone = deleted_session(gateway_url)
    engine = short_waits(make_engine(DATABASE_URL))

    async def run() -> BatchWriter:
        writer = BatchWriter(engine, interval_ms=30, batch_size=20, max_backoff=0.3)
        writer.start()
        outage = asyncio.ensure_future(
            asyncio.to_thread(database_unavailable_for, 1.5, lambda: writer.errors > 0)
        )
        for row in interleave(rows(host.session_id, 120, prefix="o"), rows(gone, 4, "g")):
            await writer.submit(row)
            await asyncio.sleep(0.005)
        await outage
        assert await writer.flush(15)
        assert await writer.close(5)
        return writer

    writer = run_async(run())
    assert writer.errors > 0, "the outage was real"
    assert (writer.written, writer.rejected) == (120, 4)
    assert len(stored_finals(host.session_id)) == 120
    engine.dispose()


def test_close_writes_what_it_can_and_logs_what_it_cannot(host, gateway_url, caplog) -> None:
    caplog.set_level(logging.ERROR, logger=DEAD_LETTER)
    gone = deleted_session(gateway_url)
    engine = short_waits(make_engine(DATABASE_URL))
    unwritten = metrics.ROWS_UNWRITTEN._value.get()

    async def refused_at_the_head() -> bool:
        writer = BatchWriter(engine, interval_ms=60_000, batch_size=100)
        for row in rows(gone, 2, prefix="g") + rows(host.session_id, 10, prefix="c"):
            await writer.submit(row)
        return await writer.close(10)

    started = time.monotonic()
    assert run_async(refused_at_the_head()), "a refused row at the head does not stop close"
    assert time.monotonic() - started < 5
    assert len(stored_finals(host.session_id)) == 10

    async def database_away() -> tuple[bool, float]:
        writer = BatchWriter(engine, interval_ms=60_000, batch_size=100, max_backoff=0.2)
        writer.start()
        outage = asyncio.ensure_future(
            asyncio.to_thread(database_unavailable_for, 4.0, lambda: writer.errors > 0)
        )
        await asyncio.sleep(0.3)  # the lock is taken
        for row in rows(host.session_id, 7, prefix="away"):
            await writer.submit(row)
        began = time.monotonic()
        ok = await writer.close(1.5)
        took = time.monotonic() - began
        await outage
        return ok, took

    ok, took = run_async(database_away())
    assert not ok and took < 3, "close gives up in bounded time"
    assert metrics.ROWS_UNWRITTEN._value.get() - unwritten == 7
    shutdown = [line for line in dead_lettered(caplog) if line.startswith("shutdown")]
    assert len(shutdown) == 1 and host.session_id in shutdown[0]
    assert all(f"away-{i}" in shutdown[0] for i in range(7))
    engine.dispose()


def test_deleting_a_session_mid_stream_keeps_other_sessions_written(host, gateway_url) -> None:
    """Through the gateway: a session deleted while its host streams does not stop the
    finals of another session on the same worker from being written."""
    doomed = Host(gateway_url)
    doomed_start = doomed.start()

    async def run() -> list[dict]:
        streaming = asyncio.ensure_future(stream(doomed_start["wsUrl"], speech_pcm(6)))
        await asyncio.sleep(1.5)  # some finals out, more to come
        deleted = await asyncio.to_thread(doomed.http.delete, f"/api/sessions/{doomed.slug}")
        assert deleted.status_code == 204
        await streaming
        messages, code = await stream(host.start()["wsUrl"], speech_pcm(3))
        assert code == 1000
        return messages

    try:
        messages = run_async(run())
    finally:
        doomed.http.close()
    want = sorted((m["utteranceId"], m["text"]) for m in finals(messages))
    assert len(want) == 3
    deadline = time.monotonic() + 15
    while stored_finals(host.session_id) != want and time.monotonic() < deadline:
        time.sleep(0.2)
    assert stored_finals(host.session_id) == want
    assert host.http.get("/health").status_code == 200
