"""users.locale: the language a person reads the UI in (issue 18)

Revision ID: d4a8e6c2b951
Revises: c7f2a9d4e815
Create Date: 2026-12-02 10:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d4a8e6c2b951"
down_revision: str | None = "c7f2a9d4e815"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # NULL means "not chosen": the browser's Accept-Language decides until the person picks.
    op.add_column("users", sa.Column("locale", sa.String(8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("locale")
