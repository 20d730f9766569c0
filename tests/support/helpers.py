"""Small helpers shared by test modules."""

from __future__ import annotations

import secrets
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa

from rooms.core.db import make_engine

ROOT = Path(__file__).resolve().parents[2]  # the repository


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}@example.com"


def with_search_path(pg_url: str, schema: str) -> str:
    """The same PostgreSQL database, with every unqualified table living in `schema`."""
    sep = "&" if "?" in pg_url else "?"
    return f"{pg_url}{sep}options=-csearch_path%3D{schema}"


def scratch_database(pg_url: str | None) -> tuple[str, Callable[[], None]]:
    """An empty database (a benchmark's, a migration test's): a temporary SQLite file, or
    a fresh schema in `pg_url` (the returned callable drops it)."""
    if not pg_url:
        path = Path(tempfile.mkdtemp(prefix="rooms-bench-")) / "bench.db"
        return f"sqlite:///{path}", lambda: None
    schema = f"bench_{secrets.token_hex(4)}"
    admin = make_engine(pg_url)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))

    def drop() -> None:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    return with_search_path(pg_url, schema), drop
