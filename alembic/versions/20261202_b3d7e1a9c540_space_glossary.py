"""spaces.glossary: the names and terms the speech engines are told to expect (issue 14)

Revision ID: b3d7e1a9c540
Revises: 9c2e4b7a1f06
Create Date: 2026-12-02 03:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b3d7e1a9c540"
down_revision: str | None = "9c2e4b7a1f06"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A nullable column: both databases add it in place, no batch rebuild of the table.
    op.add_column("spaces", sa.Column("glossary", sa.JSON(none_as_null=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("spaces") as batch:
        batch.drop_column("glossary")
