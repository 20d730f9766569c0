"""Idle memory of the production server, per transcription engine, side by side.

For each engine (Gladia, local Whisper) it starts the server the way given by --how
(default: `reflex run --env prod`, one worker, one port, a throwaway migrated SQLite
database), waits for /health, lets it settle with no page open, then adds up the process
tree: RSS (what `ps` shows; pages a forked worker shares with its parent count twice) and
PSS (each shared page divided among the processes that map it: the tree's real share).
Prints a Markdown table.

    source scripts/env.sh && python bench/idle_memory.py
    python bench/idle_memory.py --how scripts   # as scripts/run starts it (scripts/serve)
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.support.app_server import migrate_to_head  # noqa: E402

SETTLE_S = 10.0
ENGINES = {
    # An address where nothing listens: Gladia is only called when a stream opens.
    "gladia": {"TRANSCRIPTION_ENGINE": "gladia", "GLADIA_API_KEY": "bench", "GLADIA_API_URL": ""},
    "local": {"TRANSCRIPTION_ENGINE": "local"},
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _command(how: str, port: int) -> str:
    if how == "scripts":
        return f"exec bash scripts/serve {port} 127.0.0.1"
    return (
        "exec reflex run --env prod --loglevel warning"
        f" --frontend-port {port} --backend-port {port} --backend-host 127.0.0.1"
    )


def _label(proc: psutil.Process, root: psutil.Process) -> str:
    if proc.pid == root.pid:
        return "supervisor"
    args = " ".join(proc.cmdline())
    if "resource_tracker" in args:
        return "tracker"  # multiprocessing's, beside spawned workers
    return "worker"


# What the first stream of a worker waits for with the local engine: the model's load and
# warm-up (rooms/core/transcription/engines/local/engine.py), in a process of its own like
# a fresh worker.
FIRST_STREAM = """
import asyncio, time, psutil
from rooms.core.config import get_settings
from rooms.core.transcription.engines.local.engine import get_pool
from rooms.core.transcription.engines.local.model import default_model_path
before = psutil.Process().memory_info().rss
pool = get_pool(default_model_path(), get_settings().transcription_language)
started = time.monotonic()
asyncio.run(pool.wait_ready())
print(time.monotonic() - started, (psutil.Process().memory_info().rss - before) / 2**20)
"""


def first_stream_wait() -> tuple[float, float]:
    out = subprocess.run(
        [sys.executable, "-c", FIRST_STREAM], cwd=ROOT, check=True, capture_output=True
    )
    seconds, mb = out.stdout.split()[-2:]
    return float(seconds), float(mb)


def measure(engine: str, how: str) -> dict[str, object]:
    tmp = Path(tempfile.mkdtemp(prefix="rooms-idle-"))
    url = f"sqlite:///{tmp / 'idle.db'}"
    migrate_to_head(url)
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "APP_URL": f"http://localhost:{port}",
        "UPLOAD_DIR": str(tmp / "uploads"),
        "GRANIAN_WORKERS": "1",
        **ENGINES[engine],
    }
    if env.get("GLADIA_API_URL") == "":
        env["GLADIA_API_URL"] = f"http://127.0.0.1:{_free_port()}"
    proc = subprocess.Popen(
        ["bash", "-c", f"source scripts/env.sh && {_command(how, port)}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        started = time.monotonic()
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() - started > 300:
                raise SystemExit(f"{engine}: the server did not start")
            time.sleep(0.25)
        ready_s = time.monotonic() - started
        time.sleep(SETTLE_S)
        root = psutil.Process(proc.pid)
        rows = []
        for p in [root, *root.children(recursive=True)]:
            try:
                info = p.memory_full_info()
                rows.append((_label(p, root), info.rss, info.pss))
            except psutil.NoSuchProcess:
                continue
        return {"engine": engine, "ready_s": ready_s, "processes": rows}
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def _mb(n: int) -> str:
    return f"{n / 2**20:.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--how", choices=("reflex", "scripts"), default="reflex")
    args = parser.parse_args()
    results = [measure(engine, args.how) for engine in ENGINES]
    print(f"Started with: {_command(args.how, 0).removeprefix('exec ')} (one worker)\n")
    print("| engine | processes (RSS MB each) | RSS total MB | PSS total MB | ready s |")
    print("|---|---|---|---|---|")
    for r in results:
        procs = r["processes"]
        each = ", ".join(f"{label} {_mb(rss)}" for label, rss, _ in procs)
        rss = sum(p[1] for p in procs)
        pss = sum(p[2] for p in procs)
        print(f"| {r['engine']} | {each} | {_mb(rss)} | {_mb(pss)} | {r['ready_s']:.1f} |")
    waits = [first_stream_wait() for _ in range(3)]
    print(
        "\nLocal engine, first stream of a worker: waits "
        + ", ".join(f"{s:.2f}" for s, _ in waits)
        + f" s for the model (3 runs); it then holds {waits[-1][1]:.0f} MB more, and keeps it."
    )


if __name__ == "__main__":
    main()
