"""Which database errors a row causes (retrying cannot help) and which the database causes.

The writer retries the second kind with backoff and isolates the rows behind the first kind,
so one bad final (its session deleted mid-stream, a value the column refuses) costs only
itself. Anything not known to be a row's fault counts as transient: retrying a broken row
for a while is better than dropping good rows because the database hiccuped oddly.
"""

from __future__ import annotations

import sqlalchemy as sa

# SQLSTATE class 23 (PostgreSQL) and SQLite's extended result names, to one label each.
_PG_INTEGRITY = {"23503": "foreign_key", "23502": "not_null", "23514": "check", "23505": "unique"}
_SQLITE_INTEGRITY = {
    "SQLITE_CONSTRAINT_FOREIGNKEY": "foreign_key",
    "SQLITE_CONSTRAINT_NOTNULL": "not_null",
    "SQLITE_CONSTRAINT_CHECK": "check",
    "SQLITE_CONSTRAINT_UNIQUE": "unique",
    "SQLITE_CONSTRAINT_PRIMARYKEY": "unique",
}
REASONS = ("foreign_key", "not_null", "check", "unique", "integrity", "data")


def rejection_reason(exc: BaseException) -> str | None:
    """The label of a permanent, row-caused failure, or None when a retry may succeed."""
    if isinstance(exc, sa.exc.IntegrityError):
        orig = exc.orig
        code = getattr(orig, "sqlstate", None) or getattr(orig, "sqlite_errorname", None)
        return _PG_INTEGRITY.get(code or "") or _SQLITE_INTEGRITY.get(code or "") or "integrity"
    if isinstance(exc, sa.exc.DataError):  # too long, out of range, NUL or invalid bytes
        return "data"
    # Raised while binding a value, before the database sees it (a lone surrogate cannot be
    # encoded as UTF-8 by either driver); SQLAlchemy passes these through unwrapped.
    if isinstance(exc, ValueError | TypeError):
        return "data"
    if isinstance(exc, sa.exc.StatementError) and isinstance(exc.orig, ValueError | TypeError):
        return "data"
    return None


def first_line(exc: BaseException) -> str:
    """The driver's message without SQLAlchemy's appended statement and links."""
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else type(exc).__name__
