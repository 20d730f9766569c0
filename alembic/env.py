"""Alembic environment: the schema is SQLModel.metadata, the URL is the app's DATABASE_URL."""

from __future__ import annotations

from logging.config import fileConfig
from pathlib import Path

from alembic import context
from sqlmodel import SQLModel

import rooms.core.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from rooms.core import runtime_files
from rooms.core.config import get_settings
from rooms.core.db import make_engine
from rooms.core.search import include_name

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = SQLModel.metadata


def _configure(**kwargs: object) -> None:
    context.configure(
        target_metadata=target_metadata,
        compare_type=True,
        # SQLite cannot ALTER most things in place; batch mode rebuilds the table instead.
        render_as_batch=True,
        # The full-text objects (SQLite FTS5 tables, PostgreSQL's tsvector column and GIN
        # index) are made by raw SQL in their migration; the models do not describe them.
        include_name=include_name,
        **kwargs,
    )


def run_migrations_offline() -> None:
    _configure(url=get_settings().database_url, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:  # handed in by a caller (tests) that owns the connection
        _configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    settings = get_settings()
    # `alembic upgrade head` (scripts/setup) is the first thing to open the database.
    runtime_files.move_legacy_database(settings, Path.cwd())
    runtime_files.prepare(settings, Path.cwd())
    engine = make_engine(settings.database_url)
    with engine.connect() as conn:
        _configure(connection=conn)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
