"""rooms/core/transcription/usage_meter.py on the real database: a stream's seconds go into
one row per engine (updated as they grow, never double-counted), a fail-over closes the
old engine's row at the switch, and writers racing from two threads leave one row each."""

from __future__ import annotations

import threading

from sqlmodel import col, select

from rooms.core.db import session_scope
from rooms.core.models import TranscriptionUsage, utcnow
from rooms.core.transcription.usage_meter import StreamUsage
from tests.support.seed import add_participant


def _meter(signed_in) -> StreamUsage:
    client, user = signed_in("Uma Usage")
    session = client.post("/api/sessions", json={}).json()["session"]
    participant = add_participant(session["slug"], None, user_id=user["id"])
    return StreamUsage(
        session_id=session["id"],
        user_id=user["id"],
        participant_id=participant,
        engine="gladia",
        started_at=utcnow(),
    )


def _rows(session_id: str) -> list[tuple[str, float]]:
    with session_scope() as db:
        rows = db.exec(
            select(TranscriptionUsage)
            .where(TranscriptionUsage.session_id == session_id)
            .order_by(col(TranscriptionUsage.started_at))
        ).all()
        return [(r.engine, r.duration_seconds) for r in rows]


def test_one_row_per_engine_and_the_switch_splits_the_seconds(signed_in) -> None:
    meter = _meter(signed_in)
    meter.accrue(4.0)
    meter.accrue(9.0)
    assert _rows(meter.session_id) == [("gladia", 9.0)]

    meter.switch("local", 12.0)  # Gladia carried 12 s, the local engine the rest
    meter.accrue(11.0)  # a check that read the clock before the switch: nothing
    meter.accrue(20.0)
    assert _rows(meter.session_id) == [("gladia", 12.0), ("local", 8.0)]


def test_writers_in_two_threads_update_one_row(signed_in) -> None:
    meter = _meter(signed_in)
    go = threading.Barrier(2)

    def write(seconds: float) -> None:
        go.wait()
        for step in range(10):
            meter.accrue(seconds + step)

    threads = [threading.Thread(target=write, args=(s,)) for s in (1.0, 2.0)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert _rows(meter.session_id) == [("gladia", 11.0)]
