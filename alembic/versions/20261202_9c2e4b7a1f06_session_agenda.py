"""sessions.agenda: a short agenda the session's creator writes (docs/extending.md)

Revision ID: 9c2e4b7a1f06
Revises: 8b41c0d9e2f7
Create Date: 2026-12-02 00:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "9c2e4b7a1f06"
down_revision: str | None = "8b41c0d9e2f7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A nullable column: both databases add it in place, no batch rebuild of the table.
    op.add_column("sessions", sa.Column("agenda", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sessions") as batch:
        batch.drop_column("agenda")
