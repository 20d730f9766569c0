"""The suite's database, chosen once per test process before any rooms module reads its settings.

SQLite by default; PostgreSQL when TEST_DATABASE_URL is set, with a fresh schema per run
(created and dropped by the `database` fixture in tests/conftest.py).
"""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

from tests.support.helpers import with_search_path


def _pick_database() -> tuple[str, str | None]:
    pg = os.environ.get("TEST_DATABASE_URL")
    if not pg:
        path = Path(tempfile.mkdtemp(prefix="rooms-test-")) / "test.db"
        return f"sqlite:///{path}", None
    schema = f"t_{secrets.token_hex(6)}"
    return with_search_path(pg, schema), schema


DATABASE_URL, PG_SCHEMA = _pick_database()
# Set before any rooms module reads its settings; subprocesses (the app server) inherit it.
os.environ["DATABASE_URL"] = DATABASE_URL
os.environ.setdefault("APP_ENV", "test")
os.environ.setdefault("REFLEX_TELEMETRY_ENABLED", "false")
# Every test client is 127.0.0.1: budgets no suite reaches; tests/api/test_rate_limits.py
# lowers them for itself.
for _limit in ("SESSIONS", "TOKEN", "PROFILE", "AUTH", "SPACES"):
    os.environ.setdefault(f"RATE_LIMIT_{_limit}_PER_MINUTE", "100000")
