"""The schema comes only from Alembic; these prove the migrations and the models agree."""

from __future__ import annotations

import os
from collections.abc import Callable

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import rooms.core.models  # noqa: F401
from rooms.core.db import get_engine, make_engine
from rooms.core.search import include_name
from tests.support.app_server import migrate_to_head
from tests.support.helpers import ROOT, scratch_database


def _diff(engine: sa.Engine) -> list:
    with engine.connect() as conn:
        opts = {"compare_type": True, "include_name": include_name}
        ctx = MigrationContext.configure(conn, opts=opts)
        return compare_metadata(ctx, SQLModel.metadata)


def test_models_and_migrations_agree() -> None:
    assert _diff(get_engine()) == []


def test_every_table_is_created_by_the_migration() -> None:
    names = set(sa.inspect(get_engine()).get_table_names())
    assert set(SQLModel.metadata.tables) <= names
    assert "alembic_version" in names


def _fresh_url() -> tuple[str, Callable[[], None]]:
    """A brand-new empty database of the kind this run tests, and how to clean it up."""
    return scratch_database(os.environ.get("TEST_DATABASE_URL"))


def test_downgrade_to_base_and_back_up() -> None:
    from alembic import command
    from alembic.config import Config

    url, cleanup = _fresh_url()
    try:
        migrate_to_head(url)
        engine = make_engine(url)
        cfg = Config(str(ROOT / "alembic.ini"))
        cfg.attributes["configure_logger"] = False
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "base")
        assert set(sa.inspect(engine).get_table_names()) <= {"alembic_version"}
        migrate_to_head(url)
        assert _diff(engine) == []
        engine.dispose()
    finally:
        cleanup()
