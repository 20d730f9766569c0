"""Small helpers shared by test modules (conftest itself is not importable twice)."""

from __future__ import annotations

import uuid


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}@example.com"


def with_search_path(pg_url: str, schema: str) -> str:
    """The same PostgreSQL database, with every unqualified table living in `schema`."""
    sep = "&" if "?" in pg_url else "?"
    return f"{pg_url}{sep}options=-csearch_path%3D{schema}"
