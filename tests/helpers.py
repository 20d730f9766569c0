"""Small helpers shared by test modules (conftest itself is not importable twice)."""

from __future__ import annotations

import uuid


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}@example.com"
