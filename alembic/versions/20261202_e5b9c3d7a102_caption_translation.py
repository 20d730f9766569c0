"""transcript_translations and caption_viewers: live caption translation (issue 18)

Revision ID: e5b9c3d7a102
Revises: d4a8e6c2b951
Create Date: 2026-12-02 10:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e5b9c3d7a102"
down_revision: str | None = "d4a8e6c2b951"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "transcript_translations",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("session_id", sa.String(length=32), nullable=False),
        sa.Column("utterance_id", sa.String(length=128), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["sessions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "session_id", "utterance_id", "language", name="uq_translation_utterance_language"
        ),
    )
    op.create_table(
        "caption_viewers",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("session_id", sa.String(length=32), nullable=False),
        sa.Column("viewer", sa.String(length=64), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=True),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["sessions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("session_id", "viewer", name="uq_caption_viewer"),
    )
    op.create_index("ix_caption_viewers_seen_at", "caption_viewers", ["seen_at"])


def downgrade() -> None:
    op.drop_index("ix_caption_viewers_seen_at", table_name="caption_viewers")
    op.drop_table("caption_viewers")
    op.drop_table("transcript_translations")
