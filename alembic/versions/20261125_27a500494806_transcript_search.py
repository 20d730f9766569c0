"""full-text search over transcript segments

SQLite: an FTS5 table whose content is transcript_segments (external content, keyed by the
rowid), kept in step by triggers. PostgreSQL: a stored generated tsvector column with a GIN
index, kept in step by the database itself. Both stem English ("porter" / 'english')
and keep diacritics (PostgreSQL has no accent folding without the unaccent extension).

Revision ID: 27a500494806
Revises: e20793d32734
Create Date: 2026-11-25 19:35:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "27a500494806"
down_revision: str | None = "e20793d32734"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_UP = [
    """CREATE VIRTUAL TABLE transcript_fts USING fts5(
        text,
        content='transcript_segments',
        content_rowid='rowid',
        tokenize='porter unicode61 remove_diacritics 0'
    )""",
    """CREATE TRIGGER transcript_fts_ai AFTER INSERT ON transcript_segments BEGIN
        INSERT INTO transcript_fts(rowid, text) VALUES (new.rowid, new.text);
    END""",
    """CREATE TRIGGER transcript_fts_ad AFTER DELETE ON transcript_segments BEGIN
        INSERT INTO transcript_fts(transcript_fts, rowid, text)
        VALUES ('delete', old.rowid, old.text);
    END""",
    """CREATE TRIGGER transcript_fts_au AFTER UPDATE OF text ON transcript_segments BEGIN
        INSERT INTO transcript_fts(transcript_fts, rowid, text)
        VALUES ('delete', old.rowid, old.text);
        INSERT INTO transcript_fts(rowid, text) VALUES (new.rowid, new.text);
    END""",
    # Segments written before this migration.
    "INSERT INTO transcript_fts(transcript_fts) VALUES ('rebuild')",
]

SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS transcript_fts_au",
    "DROP TRIGGER IF EXISTS transcript_fts_ad",
    "DROP TRIGGER IF EXISTS transcript_fts_ai",
    "DROP TABLE IF EXISTS transcript_fts",
]

POSTGRES_UP = [
    """ALTER TABLE transcript_segments ADD COLUMN search_vector tsvector
        GENERATED ALWAYS AS (to_tsvector('english'::regconfig, text)) STORED""",
    "CREATE INDEX ix_segments_search ON transcript_segments USING gin (search_vector)",
]

POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS ix_segments_search",
    "ALTER TABLE transcript_segments DROP COLUMN IF EXISTS search_vector",
]


def _run(statements: dict[str, list[str]]) -> None:
    dialect = op.get_bind().dialect.name
    if dialect not in statements:
        raise NotImplementedError(f"full-text search is not set up for {dialect}")
    for statement in statements[dialect]:
        op.execute(statement)


def upgrade() -> None:
    _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP})


def downgrade() -> None:
    _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN})
