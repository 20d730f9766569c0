"""Reflex configuration: everything comes from the one settings object in rooms.core."""

import os
from pathlib import Path

import reflex as rx

from rooms.api import granian_env
from rooms.core import runtime_files
from rooms.core.config import get_settings
from rooms.core.security import allowed_origins

_settings = get_settings()
# Reflex runs from the project root, where SQLite resolves relative paths too.
_root = Path.cwd()
runtime_files.move_legacy_database(_settings, _root)
runtime_files.prepare(_settings, _root)
# `reflex run` (development) reloads on code changes only, not on the app's own writes.
# Reflex reads this variable after loading this file; a value you set is kept.
_excluded = os.environ.get("REFLEX_HOT_RELOAD_EXCLUDE_PATHS", "").split(":")
_excluded += map(str, runtime_files.reload_excludes(_settings, _root))
os.environ["REFLEX_HOT_RELOAD_EXCLUDE_PATHS"] = ":".join(dict.fromkeys(p for p in _excluded if p))
# Before `reflex run` builds its Granian server: GRANIAN_BACKLOG and GRANIAN_BACKPRESSURE
# reach it as they would reach Granian's own command line (scripts/run sets them).
granian_env.apply()


config = rx.Config(
    app_name="rooms",
    # No db_url: the app opens its database itself (rooms.core.db) and Alembic migrates it.
    # Given one, Reflex compares the models with the database at every start without
    # alembic/env.py's filter, sees the full-text tables and advises a migration that
    # would drop them.
    # Reflex only shares state through Redis when it is given the URL explicitly.
    redis_url=_settings.redis_url or None,
    telemetry_enabled=False,
    show_built_with_reflex=False,
    # Reflex's default is every origin ("*", with credentials); the app's own public URL is
    # enough. When REFLEX_CORS_ALLOWED_ORIGINS is set Reflex uses it instead of this list.
    cors_allowed_origins=allowed_origins(_settings),
    plugins=[
        rx.plugins.RadixThemesPlugin(
            theme=rx.theme(accent_color="indigo", gray_color="slate", radius="large"),
        ),
    ],
    # The app lives behind sign-in: a sitemap would only list the login page.
    disable_plugins=[rx.plugins.SitemapPlugin],
    # The app has no dynamic (server-evaluated) components: without this every page
    # imported all of Radix Themes for them (bench/page_weight.py, docs/benchmarks.md).
    frontend_lazy_bundled_libraries=True,
)
