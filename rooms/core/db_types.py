"""Column types the models share.

`UTCDateTime` is `DateTime(timezone=True)` in the schema (so the migrations do not change)
that always hands back an aware UTC datetime: SQLite has no time zones and returns naive
values, PostgreSQL returns them in the connection's zone. Code above the database never
checks `tzinfo`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa


class UTCDateTime(sa.TypeDecorator[datetime]):
    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        # Naive values come from older code paths and tests; they have always meant UTC.
        return as_utc(value)

    def process_result_value(self, value: Any, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):  # a textual query on SQLite, typed with this column type
            value = datetime.fromisoformat(value)
        return as_utc(value)


def as_utc(value: datetime) -> datetime:
    """`value` in UTC; a naive value is taken to be UTC already."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
