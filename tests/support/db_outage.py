"""Real database trouble for the writer's tests: rows to write, a held lock, killed
connections (SQLite and PostgreSQL)."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from datetime import timedelta

import sqlalchemy as sa

from rooms.core.db import make_engine
from rooms.core.models import utcnow
from rooms.core.transcription.writer import SegmentRow
from tests.support.database import DATABASE_URL, PG_SCHEMA


def rows(sid: str, n: int, prefix: str = "u") -> list[SegmentRow]:
    t0 = utcnow()
    return [
        SegmentRow(
            session_id=sid,
            participant_id=None,
            utterance_id=f"{prefix}-{i}",
            text=f"segment {i}",
            language="en",
            started_at=t0 + timedelta(seconds=i),
            ended_at=t0 + timedelta(seconds=i + 1),
        )
        for i in range(n)
    ]


def short_waits(engine: sa.Engine) -> sa.Engine:
    """Fail fast instead of waiting out a lock, so an outage shows up as errors."""

    def on_connect(dbapi_conn, _record) -> None:
        cur = dbapi_conn.cursor()
        if engine.dialect.name == "sqlite":
            cur.execute("PRAGMA busy_timeout=100")
        else:
            cur.execute("SET lock_timeout = '200ms'")
            dbapi_conn.commit()
        cur.close()

    sa.event.listen(engine, "connect", on_connect)
    return engine


def _hold(seconds: float, until: Callable[[], bool] | None) -> None:
    """At least `seconds`; with `until`, on until it holds (at most 30 s) so that a loaded
    machine, where the writer reaches the lock late, still sees the outage."""
    time.sleep(seconds)
    deadline = time.monotonic() + 30
    while until is not None and not until() and time.monotonic() < deadline:
        time.sleep(0.1)


def database_unavailable_for(seconds: float, until: Callable[[], bool] | None = None) -> None:
    """Lock the transcript table; on PostgreSQL also kill every connection waiting on it."""
    stop = threading.Event()
    if PG_SCHEMA is None:
        path = DATABASE_URL.removeprefix("sqlite:///")
        conn = sqlite3.connect(path, timeout=10, isolation_level=None)
        conn.execute("BEGIN EXCLUSIVE")
        try:
            _hold(seconds, until)
        finally:
            conn.execute("ROLLBACK")
            conn.close()
        return
    admin = make_engine(DATABASE_URL)
    locker = admin.connect()
    tx = locker.begin()
    locker.execute(sa.text("LOCK TABLE transcript_segments IN ACCESS EXCLUSIVE MODE"))
    killed = [0]

    def kill() -> None:
        with admin.connect() as c:
            while not stop.is_set():
                n = c.execute(
                    sa.text(
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                        "WHERE :me = ANY(pg_blocking_pids(pid))"
                    ),
                    {"me": locker.execute(sa.text("SELECT pg_backend_pid()")).scalar()},
                ).scalar()
                killed[0] += int(n or 0)
                c.commit()
                time.sleep(0.1)

    killer = threading.Thread(target=kill)
    killer.start()
    try:
        _hold(seconds, until)
    finally:
        stop.set()
        killer.join()
        tx.rollback()
        locker.close()
        admin.dispose()


def transient_failure_at_insert(engine: sa.Engine, nth: int) -> list[int]:
    """Make the `nth` INSERT into transcript_segments meet a real transient failure at the
    moment it is sent: on PostgreSQL its own connection is terminated (pg_terminate_backend),
    on SQLite another connection takes the write lock for 0.5 s (the engine must use
    short_waits, so it gives up as "database is locked"). Returns the count of INSERTs seen."""
    seen = [0]

    @sa.event.listens_for(engine, "before_cursor_execute")
    def _before(conn, _cursor, statement, *_args) -> None:
        if not statement.startswith("INSERT INTO transcript_segments"):
            return
        seen[0] += 1
        if seen[0] != nth:
            return
        if PG_SCHEMA is not None:
            pid = conn.connection.dbapi_connection.info.backend_pid
            admin = make_engine(DATABASE_URL)
            with admin.connect() as c:  # waits (5 s at most) until the backend is gone
                c.execute(sa.text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": pid})
            admin.dispose()
            return
        locked = threading.Event()

        def hold() -> None:
            other = sqlite3.connect(DATABASE_URL.removeprefix("sqlite:///"), isolation_level=None)
            other.execute("BEGIN IMMEDIATE")
            locked.set()
            time.sleep(0.5)
            other.execute("ROLLBACK")
            other.close()

        threading.Thread(target=hold, daemon=True).start()
        locked.wait(5)

    return seen
