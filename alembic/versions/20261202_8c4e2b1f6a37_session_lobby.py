"""sessions.lobby and participants.lobby_status: guests wait until someone lets them in

Revision ID: 8c4e2b1f6a37
Revises: 8b4e2f6a1c37
Create Date: 2026-12-02 00:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "8c4e2b1f6a37"
down_revision: str | None = "8b4e2f6a1c37"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sessions") as batch:
        batch.add_column(
            sa.Column("lobby", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("participants") as batch:
        batch.add_column(
            sa.Column(
                "lobby_status",
                sa.Enum(
                    "WAITING",
                    "ADMITTED",
                    "DENIED",
                    name="lobbystatus",
                    native_enum=False,
                    length=32,
                ),
                nullable=True,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("participants") as batch:
        batch.drop_column("lobby_status")
    with op.batch_alter_table("sessions") as batch:
        batch.drop_column("lobby")
