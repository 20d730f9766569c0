"""spaces.transcription_language and spaces.code_switching: the language a space's streams
are transcribed in (issue 18)

Revision ID: c7f2a9d4e815
Revises: b3d7e1a9c540
Create Date: 2026-12-02 04:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c7f2a9d4e815"
down_revision: str | None = "b3d7e1a9c540"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A nullable column and one with a server default: both databases add them in place,
    # existing spaces keep auto-detect without code switching.
    op.add_column("spaces", sa.Column("transcription_language", sa.String(8), nullable=True))
    op.add_column(
        "spaces",
        sa.Column("code_switching", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    with op.batch_alter_table("spaces") as batch:
        batch.drop_column("code_switching")
        batch.drop_column("transcription_language")
