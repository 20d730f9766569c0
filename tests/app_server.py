"""The real app in production mode (`reflex run --env prod`, one port) as a child process.

The database comes from the environment: the top-level conftest points DATABASE_URL at a
migrated SQLite file or PostgreSQL database before any app starts.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT_S = float(os.environ.get("ROOMS_TEST_START_TIMEOUT", "300"))


def migrate_to_head(url: str) -> None:
    """The schema as production gets it: Alembic's upgrade to head."""
    from alembic import command
    from alembic.config import Config

    from rooms.core.db import make_engine

    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "alembic"))
    cfg.attributes["configure_logger"] = False
    engine = make_engine(url)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    engine.dispose()


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as res:
            return res.status == 200
    except OSError:
        return False


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    for sig, wait_s in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait_s)
            return
        except subprocess.TimeoutExpired:
            continue


@contextmanager
def running_app(port: int, log_path: Path, env: dict[str, str]) -> Iterator[str]:
    """Serve the app on `port` with `env` on top of this process's environment; yields its
    base URL (localhost, so the sign-in cookie and secure-context APIs both work)."""
    base = f"http://localhost:{port}"
    full_env = {**os.environ, "APP_URL": base, **env}
    # scripts/env.sh holds the Bun path and the offline switches; keep one source for them.
    command = (
        "source scripts/env.sh && exec reflex run --env prod --loglevel info"
        f" --frontend-port {port} --backend-port {port} --backend-host 127.0.0.1"
    )
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            ["bash", "-c", command],
            cwd=ROOT,
            env=full_env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group, so teardown stops every child
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while not answers(f"http://127.0.0.1:{port}/health"):
            if proc.poll() is not None or time.monotonic() > deadline:
                tail = log_path.read_text(errors="replace")[-4000:]
                pytest.fail(f"the app did not start (exit {proc.poll()}):\n{tail}")
            time.sleep(0.25)
        yield base
    finally:
        stop(proc)
