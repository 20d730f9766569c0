"""The engine and session factory, shared by the API, the Reflex states and the workers."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session as DbSession

from rooms.core.config import get_settings


def normalize_url(url: str) -> str:
    # `postgresql://` would pick psycopg2, which we do not ship; psycopg 3 is installed.
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    # SQLite ignores ON DELETE CASCADE unless foreign keys are switched on per connection.
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


def make_engine(url: str, echo: bool = False) -> Engine:
    url = normalize_url(url)
    # hide_parameters: bound values (password and token hashes) never reach a log line.
    if url.startswith("sqlite"):
        engine = sa.create_engine(
            url, echo=echo, hide_parameters=True, connect_args={"check_same_thread": False}
        )
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return sa.create_engine(
        url, echo=echo, hide_parameters=True, pool_pre_ping=True, pool_size=10, max_overflow=20
    )


@lru_cache(maxsize=1)
def get_engine() -> Engine:
    settings = get_settings()
    return make_engine(settings.database_url, echo=settings.db_log_queries)


def reset_engine() -> None:
    get_engine.cache_clear()


@contextmanager
def session_scope() -> Iterator[DbSession]:
    """A unit of work: committed on success, rolled back on any error."""
    with DbSession(get_engine(), expire_on_commit=False) as db:
        try:
            yield db
            db.commit()
        except BaseException:
            db.rollback()
            raise


def ping() -> bool:
    try:
        with get_engine().connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        return True
    except Exception:  # noqa: BLE001  (any failure to reach the database means "not healthy")
        return False
