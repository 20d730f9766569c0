"""N hosts streaming real-time audio through the gateway vs a bare `websockets` relay.

Each host sends 3 200-byte frames (100 ms of 16 kHz PCM16) every 100 ms; the fake engine
(tests/support/fake_gladia.py --echo, the Gladia v2 protocol) answers every frame
with a transcript naming its sequence number, so the round trip host -> server -> engine ->
server -> host is measured per frame. The server under test runs alone on core 0; the
engine and this load generator share core 1, ahead of other work on the machine (nice
-10, see `stand_in`). Loopback only, bounded in time.

    python bench/gateway_load.py --streams 200 --seconds 20
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FRAME = 3200


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, timeout: float = 60) -> None:
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on {port}")


def prepare_db(url: str, n: int) -> list[str]:
    """Migrate a fresh database and create n sessions with a host each; return tokens."""
    os.environ["DATABASE_URL"] = url
    from alembic import command
    from alembic.config import Config

    from rooms.core.config import reset_settings
    from rooms.core.db import get_engine, reset_engine

    reset_settings()
    reset_engine()
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "alembic"))
    cfg.attributes["configure_logger"] = False
    with get_engine().begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    from rooms.core.db import session_scope
    from rooms.core.models import Participant, ParticipantRole, Session, Space, User
    from rooms.core.transcription.tokens import issue

    tokens = []
    with session_scope() as db:
        user = User(email=f"bench-{time.time_ns()}@example.com", name="Bench")
        db.add(user)
        db.flush()
        space = Space(name="Bench", owner_id=user.id)
        db.add(space)
        db.flush()
        created = [Session(slug=f"bench-{i}-{time.time_ns()}", space_id=space.id) for i in range(n)]
        db.add_all(created)
        db.flush()
        for s in created:
            p = Participant(
                session_id=s.id, user_id=user.id, identity=f"user-{user.id}",
                role=ParticipantRole.HOST, is_transcription_host=True,
            )  # fmt: skip
            db.add(p)
            tokens.append((s.id, p.id, user.id))
        db.flush()
    return [issue(sid, pid, uid) for sid, pid, uid in tokens]


# --- the bare relay -------------------------------------------------------------------


async def relay_main(port: int, upstream: str) -> None:
    import httpx
    import websockets

    http = httpx.AsyncClient(base_url=upstream, headers={"x-gladia-key": "fake-gladia-key"})

    async def handle(client) -> None:
        res = await http.post("/v2/live", json={"encoding": "wav/pcm", "sample_rate": 16000})
        async with websockets.connect(res.json()["url"], compression=None) as engine:

            async def up() -> None:
                async for frame in client:
                    await engine.send(frame)
                await engine.send('{"type":"stop_recording"}')

            async def down() -> None:
                async for raw in engine:
                    msg = json.loads(raw)
                    if msg["type"] == "transcript":
                        d = msg["data"]
                        await client.send(json.dumps({
                            "type": "transcript", "utteranceId": d["id"],
                            "text": d["utterance"]["text"], "isFinal": d["is_final"],
                        }))  # fmt: skip

            await asyncio.gather(up(), down(), return_exceptions=True)

    async with websockets.serve(handle, "127.0.0.1", port, compression=None, max_queue=64):
        await asyncio.Future()


# --- the load generator ---------------------------------------------------------------


async def host(url: str, seconds: float, start_at: float, lat: list[float], stats: dict) -> None:
    import websockets

    await asyncio.sleep(max(0.0, start_at - time.monotonic()))
    sent: dict[int, float] = {}
    try:
        async with websockets.connect(url, compression=None, open_timeout=60) as ws:
            stats["connected"] += 1

            async def reader() -> None:
                try:
                    await read_all()
                except websockets.ConnectionClosed as closed:
                    code = closed.rcvd.code if closed.rcvd else 1006
                    stats["closed"][code] = stats["closed"].get(code, 0) + 1
                    if closed.rcvd is None:  # who dropped it: a close we sent, or neither
                        sent = closed.sent.code if closed.sent else None
                        key = f"{sent}:{closed.sent.reason if closed.sent else str(closed)[:60]}"
                        stats["no_close"][key] = stats["no_close"].get(key, 0) + 1

            async def read_all() -> None:
                async for raw in ws:
                    msg = json.loads(raw)
                    text = msg.get("text", "")
                    if text.startswith("seq:"):
                        t0 = sent.pop(int(text[4:]), None)
                        if t0 is not None and stats["measuring"]:
                            lat.append(time.perf_counter() - t0)
                    elif msg.get("type") == "error":
                        stats["errors"] += 1

            task = asyncio.create_task(reader())
            payload = bytearray(FRAME)
            next_at = time.monotonic()
            end = next_at + seconds
            seq = 0
            while time.monotonic() < end:
                payload[:4] = seq.to_bytes(4, "little")
                sent[seq] = time.perf_counter()
                await ws.send(bytes(payload))
                seq += 1
                next_at += 0.1
                await asyncio.sleep(max(0.0, next_at - time.monotonic()))
            stats["frames"] += seq
            await asyncio.sleep(0.5)
            task.cancel()
    except Exception as exc:  # noqa: BLE001  (a failed stream is counted, not fatal)
        stats["failed"] += 1
        stats.setdefault("why", repr(exc)[:120])


def cpu_of(procs) -> float:
    return sum(t.user + t.system for t in (q.cpu_times() for q in procs))


async def load(urls: list[str], ramp: float, seconds: float, proc, fake) -> dict:
    import psutil

    lat: list[float] = []
    stats: dict = {"connected": 0, "errors": 0, "failed": 0, "frames": 0, "measuring": False}
    stats["closed"] = {}
    stats["no_close"] = {}
    t0 = time.monotonic() + 0.5
    n = len(urls)
    tasks = [
        asyncio.create_task(host(u, seconds + ramp - i * ramp / n, t0 + i * ramp / n, lat, stats))
        for i, u in enumerate(urls)
    ]
    p = psutil.Process(proc.pid)
    await asyncio.sleep(ramp + 1.5)
    stats["measuring"] = True
    tree = [p, *p.children(recursive=True)]  # Granian serves from a worker process
    # The fake engine and this load generator share core 1: their CPU says whether they
    # kept up, i.e. whether the figures measure the server under test.
    others = [psutil.Process(fake.pid), psutil.Process()]
    cpu0, w0, o0 = cpu_of(tree), time.monotonic(), [cpu_of([q]) for q in others]
    await asyncio.sleep(seconds - 2)
    cpu1, w1, o1 = cpu_of(tree), time.monotonic(), [cpu_of([q]) for q in others]
    stats["measuring"] = False
    rss = sum(q.memory_info().rss for q in tree)
    await asyncio.gather(*tasks)
    q = statistics.quantiles(lat, n=100) if len(lat) > 100 else [float("nan")] * 99
    return {
        "streams": n, "connected": stats["connected"], "failed": stats["failed"],
        "errors": stats["errors"], "samples": len(lat),
        "p50_ms": q[49] * 1000, "p95_ms": q[94] * 1000, "p99_ms": q[98] * 1000,
        "cpu_pct": 100 * (cpu1 - cpu0) / (w1 - w0),
        "fake_cpu_pct": 100 * (o1[0] - o0[0]) / (w1 - w0),
        "gen_cpu_pct": 100 * (o1[1] - o0[1]) / (w1 - w0),
        "rss_mb": rss / 2**20,
        "why": stats.get("why", "") + (f" closed: {stats['closed']}" if stats["closed"] else "")
        + (f" unanswered: {stats['no_close']}" if stats["no_close"] else ""),
    }  # fmt: skip


# The fake engine stands in for Gladia's servers and the load generator for 200 browsers,
# none of which shares the server's CPU in production. On a machine loaded by other work
# they starved (engine sessions took over 10 s to start, so streams were refused with
# ENGINE_UNAVAILABLE, and the relay's own latency reached seconds): they run ahead of that
# work, while the server under test competes with it at normal priority.
STAND_IN_NICE = -10


def stand_in() -> None:
    try:
        os.setpriority(os.PRIO_PROCESS, 0, STAND_IN_NICE)
    except PermissionError:  # not root: the figures then include the stand-ins' starving
        print("bench: cannot raise the engine's and load generator's priority", flush=True)


def under_test() -> None:
    os.setpriority(os.PRIO_PROCESS, 0, 0)  # not the stand-ins' priority it would inherit


def server_said(port: int) -> str:
    """What the gateway counted (its /metrics): the errors it sent, by code, and engine
    sockets it resumed, so a cut stream is told from one the network lost."""
    import httpx

    try:
        text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=30).text
    except httpx.HTTPError as exc:
        return f" metrics: {exc!r}"
    said = []
    for line in text.splitlines():
        if line.startswith(("rooms_transcription_errors_total{", "rooms_transcription_engine_")):
            name, _, value = line.rpartition(" ")
            if float(value) > 0 and "_created" not in name:
                said.append(f"{name.removeprefix('rooms_transcription_')}={float(value):g}")
    return f" server: {', '.join(said)}" if said else ""


def run(kind: str, n: int, seconds: float, ramp: float, db_url: str) -> dict:
    engine_port, sut_port = free_port(), free_port()
    py = sys.executable
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    tokens = [] if kind.startswith("relay") else prepare_db(db_url, n)
    fake = subprocess.Popen(
        ["taskset", "-c", "1", py, "-m", "tests.support.fake_gladia",
         "--port", str(engine_port), "--echo"], cwd=ROOT, env=env, preexec_fn=stand_in,
    )  # fmt: skip
    engine_url = f"http://127.0.0.1:{engine_port}"
    base, _, loop = kind.partition("+")
    loop = loop or "asyncio"
    if base != "relay":
        env = env | {
            "DATABASE_URL": db_url, "GLADIA_API_KEY": "fake-gladia-key",
            "GLADIA_API_URL": engine_url, "TRANSCRIPTION_ENGINE": "gladia",
            "TRANSCRIPTION_FALLBACK": "none",
        }  # fmt: skip
        prof = ["-m", "cProfile", "-o", os.environ["BENCH_PROFILE"]] if os.environ.get(
            "BENCH_PROFILE") else []  # fmt: skip
        if base == "granian":  # what `reflex run --env prod` serves with
            cmd = ["taskset", "-c", "0", py, *prof, "-m", "granian", "--interface", "asgi",
                   "--factory", "rooms.api.app:make_api", "--host", "127.0.0.1",
                   "--port", str(sut_port), "--loop", loop, "--log-level", "warning",
                   "--backlog", "4096"]  # fmt: skip
        else:
            cmd = ["taskset", "-c", "0", py, *prof, "-m", "uvicorn", "rooms.api.app:make_api",
                   "--factory", "--loop", loop,
                   "--host", "127.0.0.1", "--port", str(sut_port), "--ws-per-message-deflate",
                   "false", "--no-access-log", "--log-level", "warning",
                   "--backlog", "4096"]  # fmt: skip
        urls = [f"ws://127.0.0.1:{sut_port}/api/realtime/transcribe?token={t}" for t in tokens]
    else:
        cmd = ["taskset", "-c", "0", py, __file__, "--serve-relay", str(sut_port),
               "--upstream", engine_url, "--loop", loop]  # fmt: skip
        urls = [f"ws://127.0.0.1:{sut_port}/" for _ in range(n)]
    sut = subprocess.Popen(cmd, cwd=ROOT, env=env, preexec_fn=under_test)
    try:
        wait_port(engine_port)
        wait_port(sut_port)
        time.sleep(0.5)
        result = asyncio.run(load(urls, ramp, seconds, sut, fake))
        if base != "relay":
            result["why"] += server_said(sut_port)
        return result
    finally:
        if os.environ.get("BENCH_PROFILE"):
            sut.send_signal(signal.SIGINT)  # cProfile writes its file on an exception only
            sut.wait(30)
        for proc in (sut, fake):
            proc.terminate()
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--streams", type=int, nargs="+", default=[100])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--ramp", type=float, default=10)
    # relay: a bare `websockets` relay; gateway: make_api() under uvicorn; granian: under
    # Granian, as `reflex run --env prod` serves it. "+uvloop" runs that one on uvloop.
    parser.add_argument("--servers", nargs="+", default=["relay", "gateway"])
    parser.add_argument("--db", default=None, help="DATABASE_URL (default: a temp SQLite file)")
    parser.add_argument("--serve-relay", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--upstream", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--loop", default="asyncio", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_relay:
        if args.loop == "uvloop":
            import uvloop

            uvloop.run(relay_main(args.serve_relay, args.upstream))
        else:
            asyncio.run(relay_main(args.serve_relay, args.upstream))
        return
    os.sched_setaffinity(0, {1})
    stand_in()
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    print(f"{'server':15} {'streams':>7} {'ok':>5} {'fail':>4} {'p50 ms':>7} {'p95 ms':>7} "
          f"{'p99 ms':>7} {'cpu %':>6} {'rss MB':>7} {'engine%':>7} {'gen%':>5}")  # fmt: skip
    for n in args.streams:
        for kind in args.servers:
            db = args.db or f"sqlite:///{tempfile.mkdtemp(prefix='rooms-bench-')}/bench.db"
            r = run(kind, n, args.seconds, args.ramp, db)
            print(f"{kind:15} {n:7d} {r['connected']:5d} {r['failed']:4d} {r['p50_ms']:7.1f} "
                  f"{r['p95_ms']:7.1f} {r['p99_ms']:7.1f} {r['cpu_pct']:6.1f} {r['rss_mb']:7.1f} "
                  f"{r['fake_cpu_pct']:7.1f} {r['gen_cpu_pct']:5.1f} {r['why']}",
                  flush=True)  # fmt: skip
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)


if __name__ == "__main__":
    main()
