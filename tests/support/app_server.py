"""The real app as a child process: production mode (`reflex run --env prod`, one port), or
development mode (`reflex run`) in a copy of the project.

The database comes from the environment: the top-level conftest points DATABASE_URL at a
migrated SQLite file or PostgreSQL database before any app starts.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]  # the repository
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
def running_app(port: int, log_path: Path, env: dict[str, str], cwd: Path = ROOT) -> Iterator[str]:
    """Serve the app on `port` with `env` on top of this process's environment; yields its
    base URL (localhost, so the sign-in cookie and secure-context APIs both work). A second
    app beside the package's runs in a `project_copy`: two `reflex run`s in one tree
    rebuild the same `.web` under each other."""
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
            cwd=cwd,
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


# What a project copy shares with this checkout instead of copying (installed, large).
SHARED_INSTALLS = (".venv", "node_modules", ".tools")


def project_copy(dest: Path) -> Path:
    """The project as a fresh clone has it (tracked and new, not ignored, files) in `dest`,
    with this checkout's installs linked in: a tree of its own to run `reflex run` in, which
    no edit to the checkout reloads and whose runtime files the checkout never sees."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        src = ROOT / name
        if src.is_file():  # listed but deleted in the work tree: not in the copy either
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    for name in SHARED_INSTALLS:
        if (ROOT / name).exists():
            (dest / name).symlink_to((ROOT / name).resolve())
    return dest


def without_suite_database(env: dict[str, str]) -> dict[str, str]:
    """The environment with the suite's database and upload settings removed, so the app
    uses its own defaults as a new user's `reflex run` does."""
    dropped = {"DATABASE_URL", "TEST_DATABASE_URL", "UPLOAD_DIR", "REDIS_URL", "APP_ENV"}
    return {k: v for k, v in env.items() if k not in dropped}


@contextmanager
def _running(
    command: str, root: Path, log_path: Path, env: dict[str, str], ready: list[str]
) -> Iterator[subprocess.Popen]:
    """`command` (bash, after scripts/env.sh) in `root`, until every `ready` URL answers."""
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            ["bash", "-c", f"source scripts/env.sh && {command}"],
            cwd=root,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        for url in ready:
            while not answers(url):
                if proc.poll() is not None or time.monotonic() > deadline:
                    tail = log_path.read_text(errors="replace")[-4000:]
                    pytest.fail(f"{command} did not start (exit {proc.poll()}):\n{tail}")
                time.sleep(0.25)
        yield proc
    finally:
        stop(proc)


@contextmanager
def running_dev_app(
    root: Path, frontend_port: int, backend_port: int, log_path: Path, env: dict[str, str]
) -> Iterator[str]:
    """`reflex run` in development mode (Vite on one port, the backend with its hot reloader
    on another) in the project at `root`; yields the pages' URL once both answer."""
    base = f"http://localhost:{frontend_port}"
    command = (
        "exec reflex run --loglevel info"
        f" --frontend-port {frontend_port} --backend-port {backend_port}"
    )
    ready = [f"http://127.0.0.1:{backend_port}/health", f"{base}/login/"]
    with _running(command, root, log_path, {**env, "APP_URL": base}, ready):
        yield base


@contextmanager
def served_by_scripts(
    root: Path, port: int, log_path: Path, env: dict[str, str]
) -> Iterator[subprocess.Popen]:
    """The app as scripts/run serves it (`scripts/serve`: build, then Reflex's production
    server) in the project at `root`; yields the process, whose tree is the server."""
    base = f"http://localhost:{port}"
    command = f"exec bash scripts/serve {port} 127.0.0.1"
    ready = [f"http://127.0.0.1:{port}/health"]
    with _running(command, root, log_path, {**env, "APP_URL": base}, ready) as proc:
        yield proc


# What Reflex (console.deprecate), Python's warnings and libraries print when something is
# going away: the start-up log of the app must have none of them.
DEPRECATION = re.compile(r"deprecat|will be (?:completely )?removed", re.IGNORECASE)


def deprecations(log_text: str) -> list[str]:
    """Every deprecation line in a start-up log, with the line after it (Reflex wraps)."""
    lines = log_text.splitlines()
    return [
        " ".join(lines[i : i + 2]).strip()
        for i, line in enumerate(lines)
        if DEPRECATION.search(line)
    ]


def start_log(log_path: Path) -> Path:
    """Where a fixture keeps a copy of `log_path` as it was when the app first answered."""
    return log_path.with_name("start.log")
