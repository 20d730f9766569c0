"""Runtime files (the database, uploads) live under data/, which `reflex run` does not watch."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from rooms.core import runtime_files
from rooms.core.config import DEFAULT_DATABASE_URL, Settings


def _settings(**kw: str) -> Settings:
    # The suite's own DATABASE_URL is in the environment: name the default explicitly.
    return Settings(_env_file=None, **{"database_url": DEFAULT_DATABASE_URL, **kw})


# A process that dies with the database open leaves the -wal holding its last writes.
STOPPED_RUN = """
import os, sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
conn.execute("PRAGMA journal_mode=WAL")
conn.execute("CREATE TABLE t (x TEXT)")
conn.execute("INSERT INTO t VALUES ('kept')")
conn.commit()
os._exit(0)
"""


def _legacy_install(root: Path) -> None:
    """A database at the old default place, as a run that stopped leaves it."""
    subprocess.run([sys.executable, "-c", STOPPED_RUN, str(root / "rooms.db")], check=True)


def test_an_old_install_keeps_its_data_in_data(tmp_path: Path) -> None:
    _legacy_install(tmp_path)
    assert (tmp_path / "rooms.db-wal").stat().st_size > 0
    assert runtime_files.move_legacy_database(_settings(), tmp_path)
    assert not list(tmp_path.glob("rooms.db*"))
    moved = sqlite3.connect(tmp_path / "data/rooms.db")
    assert moved.execute("SELECT x FROM t").fetchall() == [("kept",)]


def test_nothing_moves_over_an_existing_database_or_an_explicit_url(tmp_path: Path) -> None:
    _legacy_install(tmp_path)
    (tmp_path / "data").mkdir()
    (tmp_path / "data/rooms.db").write_bytes(b"")
    assert not runtime_files.move_legacy_database(_settings(), tmp_path)
    (tmp_path / "data/rooms.db").unlink()
    explicit = _settings(database_url="sqlite:///rooms.db")
    assert not runtime_files.move_legacy_database(explicit, tmp_path)
    assert (tmp_path / "rooms.db").exists()


def test_the_reloader_is_told_to_skip_every_runtime_entry(tmp_path: Path) -> None:
    settings = _settings(upload_dir="uploads")
    runtime_files.prepare(settings, tmp_path)
    (tmp_path / "uploads").mkdir()
    assert runtime_files.reload_excludes(settings, tmp_path) == [
        tmp_path.resolve() / "data",
        tmp_path.resolve() / "uploads",
    ]
    # A database named explicitly in the root: its side files, as they exist at start.
    (tmp_path / "x.db-wal").write_bytes(b"")
    root_db = _settings(database_url="sqlite:///x.db", upload_dir="/elsewhere")
    assert runtime_files.reload_excludes(root_db, tmp_path) == [
        tmp_path.resolve() / "data",
        tmp_path.resolve() / "x.db-wal",
    ]
    postgres = _settings(database_url="postgresql://h/db", upload_dir="/elsewhere")
    assert runtime_files.reload_excludes(postgres, tmp_path) == [tmp_path.resolve() / "data"]
