"""participant_visits (every stretch of presence) and engine_sessions (a Gladia live
session id per stream, with the summary Gladia made of it)

Revision ID: 8b41c0d9e2f7
Revises: 7a41c0d2e6f3
Create Date: 2026-12-02 00:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "8b41c0d9e2f7"
down_revision: str | None = "7a41c0d2e6f3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "participant_visits",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("session_id", sa.String(length=32), nullable=False),
        sa.Column("participant_id", sa.String(length=32), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("left_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["participant_id"], ["participants.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["session_id"], ["sessions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("participant_visits", schema=None) as batch_op:
        batch_op.create_index(
            "ix_visits_session_participant", ["session_id", "participant_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_participant_visits_participant_id"), ["participant_id"], unique=False
        )
    # Participants recorded before this revision: their latest stretch is all we know.
    # A participant's id is unique, so it can serve as the id of that one visit.
    op.execute(
        "INSERT INTO participant_visits (id, session_id, participant_id, joined_at, left_at) "
        "SELECT id, session_id, id, joined_at, left_at FROM participants"
    )

    op.create_table(
        "engine_sessions",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("session_id", sa.String(length=32), nullable=False),
        sa.Column("engine", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("external_id", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column(
            "summary_status",
            sa.Enum(
                "PENDING",
                "READY",
                "UNAVAILABLE",
                name="summarystatus",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("summary_text", sa.Text(), nullable=True),
        sa.Column("summary_reason", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["sessions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("engine", "external_id", name="uq_engine_session_external"),
    )
    with op.batch_alter_table("engine_sessions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_engine_sessions_session_id"), ["session_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("engine_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_engine_sessions_session_id"))
    op.drop_table("engine_sessions")
    with op.batch_alter_table("participant_visits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_participant_visits_participant_id"))
        batch_op.drop_index("ix_visits_session_participant")
    op.drop_table("participant_visits")
