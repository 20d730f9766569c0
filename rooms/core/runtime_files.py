"""Where the files the app writes while it runs live: `data/` by default.

Reflex's development reloader watches every top-level entry of the project except hidden
ones and a few names; a database or an upload inside the watched tree restarts the backend
on every write (SQLite's `-wal`/`-shm` side files have no extension it ignores). Keeping
them in one directory that `rxconfig.py` excludes from reload makes `reflex run` reload on
code changes only.
"""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy.engine import make_url

from rooms.core.config import DEFAULT_DATABASE_URL, Settings

DATA_DIR = Path("data")
# The default before runtime files moved to data/: installs made then have it at the root.
LEGACY_SQLITE_FILE = Path("rooms.db")
SQLITE_SIDE_SUFFIXES = ("-wal", "-shm", "-journal")

log = logging.getLogger("rooms.runtime_files")


def sqlite_file(database_url: str) -> Path | None:
    """The database file of a SQLite URL (None for other databases and in-memory ones)."""
    url = make_url(database_url)
    if not url.drivername.startswith("sqlite") or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)


def _with_side_files(db_file: Path) -> list[Path]:
    return [db_file, *(db_file.with_name(db_file.name + s) for s in SQLITE_SIDE_SUFFIXES)]


def move_legacy_database(settings: Settings, root: Path) -> bool:
    """An install whose database is the old default `rooms.db` at the root, still running
    on the default URL, keeps its data: the file and its side files move into `data/`.

    Only when nothing is there yet, so it never overwrites a database. Call it before
    anything opens the database (rxconfig.py and alembic/env.py do).
    """
    if settings.database_url != DEFAULT_DATABASE_URL:
        return False
    target = sqlite_file(DEFAULT_DATABASE_URL)
    assert target is not None
    old, new = root / LEGACY_SQLITE_FILE, root / target
    if not old.is_file() or new.exists():
        return False
    new.parent.mkdir(parents=True, exist_ok=True)
    # Side files first: a -wal without its database would be replayed into nothing.
    for src, dst in reversed(list(zip(_with_side_files(old), _with_side_files(new), strict=True))):
        if src.exists():
            src.rename(dst)
    log.warning("moved the SQLite database %s to %s (the new default location)", old, new)
    return True


def prepare(settings: Settings, root: Path) -> None:
    """Create the directories the app writes into, so SQLite can open its file there."""
    (root / DATA_DIR).mkdir(exist_ok=True)
    db_file = sqlite_file(settings.database_url)
    if db_file is not None:
        (root / db_file).parent.mkdir(parents=True, exist_ok=True)


def reload_excludes(settings: Settings, root: Path) -> list[Path]:
    """Top-level entries of `root` that hold runtime files: the reloader must not watch them.

    Reflex compares each excluded path with the entries it would watch, so only existing
    entries directly under the root count; a database directly in the root (an explicit
    `DATABASE_URL=sqlite:///x.db`) contributes its side files as they exist at start.
    """
    root = root.resolve()
    candidates = [root / DATA_DIR, root / settings.upload_dir]
    db_file = sqlite_file(settings.database_url)
    if db_file is not None:
        candidates.extend(_with_side_files(root / db_file))
    found: list[Path] = []
    for path in candidates:
        try:
            relative = path.resolve().relative_to(root)
        except ValueError:
            continue  # outside the project: nothing watches it
        if not relative.parts:
            continue  # the root itself: excluding it would stop code reloads too
        top = root / relative.parts[0]
        if top.exists() and top not in found:
            found.append(top)
    return found
