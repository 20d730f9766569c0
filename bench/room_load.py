"""Does a caption cost the video grid anything? One Chromium page in a session with N scripted
participants publishing video, with captions arriving at 2 per second and without, side by
side in one run.

Everything is real and local: a LiveKit server (tests/support/livekit_server.py) and the app in
production mode (tests/support/app_server.py) started here and stopped at the end, the participants
on the official real-time SDK (tests/support/room.py, 320x240 at 15 fps each), and captions
from a host streaming audio over the app's transcription WebSocket to a fake Gladia (the
production bridge), which the app fans out through its hub and the Reflex socket to the
page like any caption. The page is a guest who joined through the link, camera and
microphone off, so what it does is receive and render.

Per phase (figures per second of wall time):
- busy ms/s: the page's main-thread busy time, Performance.getMetrics TaskDuration deltas
  (Chrome DevTools Protocol). It is wall time inside tasks, so on a loaded machine it also
  counts the time the thread waited preempted;
- cpu ms/s: CPU time of the renderer's main thread (/proc), which does not;
- script, layout: ScriptDuration and LayoutDuration + RecalcStyleDuration deltas;
- rAF/s, video fps (requestVideoFrameCallback, all tiles), per tile, decoded
  (getVideoPlaybackQuality().totalVideoFrames, all tiles);
- captions/s: transcript messages the host got back (the hub sends the page the same);
  renders/s: mutations of the transcript sidebar's text or children on the page;
- tile re-renders/s: a tile or its <video> given a new React props object (React re-ran the
  component that renders it); remounts: tiles or <video> elements added or removed (a
  MutationObserver); lost: tagged <video> elements no longer in the page.

    python bench/room_load.py --participants 1,4,8 --seconds 20 --rounds 2
    python bench/room_load.py --participants 8 --history 200   # the sidebar already full

`--profile` adds a CPU profile of the page's JavaScript, off against on; BENCH_THREADS=1
prints the renderer's busiest threads per phase.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import websockets

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.app_server import migrate_to_head, running_app  # noqa: E402
from tests.support.fake_gladia import API_KEY  # noqa: E402
from tests.support.livekit_server import LiveKitServer  # noqa: E402
from tests.support.pages import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    new_page,
)
from tests.support.room import ScriptedParticipant, enter_room  # noqa: E402

FRAME = 3200  # 100 ms of 16 kHz PCM16
# The fake engine sends a partial every 300 ms of speech and a final after 300 ms of
# silence: 0.6 s of tone then 0.9 s of silence is 2 partials + 1 final per 1.5 s, 2 per s.
SPEECH_S, SILENCE_S = 0.6, 0.9
TIMEOUT_MS = 60_000

PROBE = """() => {
  if (window.__bench) return;
  const b = window.__bench = {raf: 0, frames: new Map(), captions: 0, tilesAdded: 0,
    tilesRemoved: 0, videosAdded: 0, videosRemoved: 0, tagged: new Set(), nextId: 0};
  // React re-rendering a tile gives its DOM node a new props object (React keeps it on
  // the node, "__reactProps$..."): a cheap check, per frame, that needs no DevTools hook.
  b.rerenders = 0; const lastProps = new WeakMap();
  const propsOf = (el) => { const k = Object.keys(el).find(k => k.startsWith('__reactProps$'));
    return k ? el[k] : undefined; };
  const loop = () => {
    b.raf++;
    const els = document.querySelectorAll('.lk-participant-tile, .lk-participant-tile video');
    for (const el of els) {
      const p = propsOf(el);
      if (lastProps.has(el) && lastProps.get(el) !== p) b.rerenders++;
      lastProps.set(el, p);
    }
    requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
  const watch = (v) => {
    if (v.__benchId !== undefined) return;
    v.__benchId = b.nextId++;
    b.frames.set(v.__benchId, 0);
    const tick = () => { if (!v.isConnected) return;
      b.frames.set(v.__benchId, b.frames.get(v.__benchId) + 1);
      v.requestVideoFrameCallback(tick); };
    v.requestVideoFrameCallback(tick);
  };
  const count = (nodes, sign) => {
    for (const n of nodes) {
      if (n.nodeType !== 1) continue;
      const tiles = (n.matches('.lk-participant-tile') ? 1 : 0)
        + n.querySelectorAll('.lk-participant-tile').length;
      const videos = n.tagName === 'VIDEO' ? [n] : [...n.querySelectorAll('video')];
      if (sign > 0) { b.tilesAdded += tiles; b.videosAdded += videos.length;
        videos.forEach(watch); }
      else { b.tilesRemoved += tiles; b.videosRemoved += videos.length; }
    }
  };
  new MutationObserver((records) => {
    let caption = false;
    for (const r of records) {
      count(r.addedNodes, 1); count(r.removedNodes, -1);
      const el = r.target.nodeType === 1 ? r.target : r.target.parentElement;
      if (el && el.closest('#transcript-sidebar')) caption = true;
    }
    if (caption) b.captions++;
  }).observe(document.body, {childList: true, subtree: true, characterData: true});
  document.querySelectorAll('video').forEach(watch);
}"""

SNAPSHOT = """() => {
  const b = window.__bench;
  const videos = [...document.querySelectorAll('.lk-participant-tile video')];
  const playing = videos.filter(v => v.videoWidth > 0);
  return {raf: b.raf, captions: b.captions, rerenders: b.rerenders, tilesAdded: b.tilesAdded,
    tilesRemoved: b.tilesRemoved, videosAdded: b.videosAdded, videosRemoved: b.videosRemoved,
    frames: Object.fromEntries(playing.map(v => [v.__benchId, b.frames.get(v.__benchId) ?? 0])),
    decoded: playing.reduce((s, v) => s + v.getVideoPlaybackQuality().totalVideoFrames, 0),
    ids: playing.map(v => v.__benchId), tiles: document.querySelectorAll(
      '.lk-participant-tile').length, now: performance.now()};
}"""


MOUNTS = ("tilesAdded", "tilesRemoved", "videosAdded", "videosRemoved")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def fake_gladia(port: int) -> Iterator[str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.support.fake_gladia", "--port", str(port)],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            with contextlib.suppress(OSError):
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError("the fake Gladia did not start")
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def saved_finals(db_url: str, slug: str, n: int) -> None:
    """n finals already said in this meeting, so the sidebar starts full (its window)."""
    from datetime import timedelta

    import sqlalchemy as sa

    from rooms.core.db import make_engine
    from rooms.core.models import utcnow
    from rooms.core.transcription.writer import SegmentRow, insert_rows

    engine = make_engine(db_url)
    with engine.begin() as conn:
        sid = conn.execute(sa.text("SELECT id FROM sessions WHERE slug = :s"), {"s": slug})
        sid = sid.scalar_one()
        t0 = utcnow() - timedelta(seconds=5 * n)
        text = "an earlier sentence of about a dozen words said in this very meeting"
        insert_rows(conn, [SegmentRow(sid, None, f"history-{i}", f"{text} ({i})", "en",
                                      t0 + timedelta(seconds=5 * i), None)
                           for i in range(n)])  # fmt: skip
    engine.dispose()


def speech_cycle() -> bytes:
    """One 1.5 s cycle of 16 kHz PCM16: a voiced tone, then silence."""
    import array

    out = array.array("h")
    for i in range(int(SPEECH_S * 16000)):
        t = i / 16000
        out.append(int(6000 * math.sin(2 * math.pi * 160 * t)))
    out.extend([0] * int(SILENCE_S * 16000))
    return out.tobytes()


class CaptionHost:
    """The session's creator, outside the browser: the transcription host. While `on`, it
    streams the speech cycle in real time over the transcription WebSocket."""

    def __init__(self, app_url: str) -> None:
        self.http = httpx.Client(base_url=app_url, timeout=30)
        body = {"email": f"bench-host-{time.time_ns()}@example.com",
                "password": "correct horse battery", "name": "Bench Host"}  # fmt: skip
        res = self.http.post("/api/auth/signup", json=body)
        assert res.status_code == 201, res.text
        res = self.http.post("/api/sessions", json={"title": "Room load"})
        self.slug = res.json()["session"]["slug"]
        res = self.http.post(f"/api/sessions/{self.slug}/participants/join", json={})
        assert res.status_code == 200, res.text
        self.received = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        res = self.http.post(f"/api/sessions/{self.slug}/transcription/start")
        assert res.status_code == 200, res.text
        self._stop.clear()
        self._thread = threading.Thread(
            target=asyncio.run, args=(self._stream(res.json()["wsUrl"]),), daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=15)

    async def _stream(self, ws_url: str) -> None:
        cycle = speech_cycle()
        async with websockets.connect(ws_url, compression=None, max_size=None) as ws:

            async def reader() -> None:
                with contextlib.suppress(websockets.ConnectionClosed):
                    async for raw in ws:
                        if json.loads(raw).get("type") == "transcript":
                            self.received += 1

            task = asyncio.create_task(reader())
            start, sent = time.monotonic(), 0
            while not self._stop.is_set():
                offset = (sent * FRAME) % len(cycle)
                await ws.send(cycle[offset : offset + FRAME])
                sent += 1
                await asyncio.sleep(max(0.0, start + sent * 0.1 - time.monotonic()))
            await ws.send('{"type":"stop"}')
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(task, 10)


def main_thread_cpu(pids: list[int]) -> float:
    """CPU seconds of these processes' main threads (a renderer's main thread is its first):
    unlike TaskDuration, time the thread spent preempted by other work is not counted."""
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/task/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def thread_cpu(pids: list[int]) -> dict[str, float]:
    out: dict[str, float] = {}
    for pid in pids:
        for task in Path(f"/proc/{pid}/task").glob("*"):
            with contextlib.suppress(OSError):
                stat = (task / "stat").read_text()
                comm = stat.split("(", 1)[1].rsplit(")", 1)[0]
                fields = stat.rsplit(")", 1)[1].split()
                out[f"{pid}/{task.name} {comm}"] = (int(fields[11]) + int(fields[12])) / os.sysconf(
                    "SC_CLK_TCK"
                )
    return out


class Probe:
    def __init__(self, page: Any, browser: Any) -> None:
        self.page = page
        info = browser.new_browser_cdp_session().send("SystemInfo.getProcessInfo")
        self.renderers = [p["id"] for p in info["processInfo"] if p["type"] == "renderer"]
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.send("Performance.enable", {"timeDomain": "timeTicks"})
        page.evaluate(PROBE)

    def metrics(self) -> dict[str, float]:
        values = self.cdp.send("Performance.getMetrics")["metrics"]
        return {m["name"]: m["value"] for m in values}

    def sample(self) -> dict[str, Any]:
        return {
            "cdp": self.metrics(),
            "page": self.page.evaluate(SNAPSHOT),
            "cpu": main_thread_cpu(self.renderers),
        }

    def profile(self, seconds: float, top: int = 20) -> list[tuple[float, str]]:
        """Main-thread JavaScript by self time (ms/s) over `seconds`, from a CDP sample."""
        self.cdp.send("Profiler.enable")
        self.cdp.send("Profiler.setSamplingInterval", {"interval": 500})
        self.cdp.send("Profiler.start")
        time.sleep(seconds)
        prof = self.cdp.send("Profiler.stop")["profile"]
        self.cdp.send("Profiler.disable")
        total_us = prof["endTime"] - prof["startTime"]
        deltas = dict.fromkeys((n["id"] for n in prof["nodes"]), 0)
        for node_id, delta in zip(prof["samples"], prof["timeDeltas"], strict=True):
            deltas[node_id] += delta
        by_fn: dict[str, float] = {}
        for node in prof["nodes"]:
            frame = node["callFrame"]
            where = frame["url"].rsplit("/", 1)[-1] or "(native)"
            key = f"{frame['functionName'] or '(anonymous)'} {where}:{frame['lineNumber']}"
            by_fn[key] = by_fn.get(key, 0) + deltas[node["id"]]
        ranked = sorted(by_fn.items(), key=lambda kv: -kv[1])
        return [(1000 * us / total_us, key) for key, us in ranked[:top]]


def phase(probe: Probe, seconds: float, host: CaptionHost) -> dict[str, float]:
    sent = host.received
    threads = thread_cpu(probe.renderers) if os.environ.get("BENCH_THREADS") else {}
    a = probe.sample()
    time.sleep(seconds)
    b = probe.sample()
    if threads:
        after = thread_cpu(probe.renderers)
        top = sorted(after, key=lambda k: threads.get(k, 0) - after[k])[:6]
        print("   " + ", ".join(f"{k}: {1000 * (after[k] - threads.get(k, 0)) / seconds:.0f}"
                                for k in top))  # fmt: skip
    sent = host.received - sent
    wall = (b["page"]["now"] - a["page"]["now"]) / 1000
    ca, cb, pa, pb = a["cdp"], b["cdp"], a["page"], b["page"]
    common = [i for i in pb["ids"] if str(i) in pa["frames"]]
    frames = [pb["frames"][str(i)] - pa["frames"][str(i)] for i in common]

    def rate(key: str) -> float:
        return (cb[key] - ca[key]) / wall

    return {
        "busy_ms": 1000 * rate("TaskDuration"),
        "script_ms": 1000 * rate("ScriptDuration"),
        "layout_ms": 1000 * (rate("LayoutDuration") + rate("RecalcStyleDuration")),
        "raf": (pb["raf"] - pa["raf"]) / wall,
        "rerenders": (pb["rerenders"] - pa["rerenders"]) / wall,
        "cpu_ms": 1000 * (b["cpu"] - a["cpu"]) / wall,
        "tiles": pb["tiles"],
        "videos": len(common),
        "video_fps": sum(frames) / wall,
        "tile_fps": (sum(frames) / len(frames) / wall) if frames else 0.0,
        "decoded_fps": (pb["decoded"] - pa["decoded"]) / wall,
        "captions": sent / wall,
        "caption_renders": (pb["captions"] - pa["captions"]) / wall,
        "remounts": sum(pb[k] - pa[k] for k in MOUNTS),
        "lost_videos": len(set(pa["ids"]) - set(pb["ids"])),
    }  # fmt: skip


def mean(rows: list[dict[str, float]]) -> dict[str, float]:
    return {k: sum(r[k] for r in rows) / len(rows) for k in rows[0]}


def wait_for_videos(page: Any, n: int) -> None:
    page.wait_for_function(
        """(n) => [...document.querySelectorAll('.lk-participant-tile video')]
            .filter(v => v.videoWidth > 0).length >= n""",
        arg=n,
        timeout=TIMEOUT_MS,
    )


def wait_for_captions(page: Any) -> None:
    page.wait_for_function(
        "() => document.querySelectorAll('#transcript-sidebar [data-utterance-id]').length > 0",
        timeout=TIMEOUT_MS,
    )


def run(args: argparse.Namespace) -> list[tuple[int, dict[str, float], dict[str, float]]]:
    from playwright.sync_api import sync_playwright

    levels = [int(x) for x in args.participants.split(",")]
    work = Path(tempfile.mkdtemp(prefix="rooms-room-load-"))
    db_url = f"sqlite:///{work / 'bench.db'}"
    os.environ["DATABASE_URL"] = db_url
    migrate_to_head(db_url)
    app_port = free_port()
    livekit = LiveKitServer([f"http://127.0.0.1:{app_port}/api/livekit/webhook"]).start()
    results = []
    try:
        with fake_gladia(free_port()) as gladia_url, running_app(
            app_port,
            work / "reflex.log",
            {
                "DATABASE_URL": db_url,
                "LIVEKIT_URL": livekit.url,
                "GLADIA_API_KEY": API_KEY,
                "GLADIA_API_URL": gladia_url,
                "TRANSCRIPTION_ENGINE": "gladia",
                "UPLOAD_DIR": str(work / "uploads"),
                "RATE_LIMIT_SESSIONS_PER_MINUTE": "1000",
                "RATE_LIMIT_TOKEN_PER_MINUTE": "1000",
            },
        ) as app_url, sync_playwright() as pw:  # fmt: skip
            host = CaptionHost(app_url)
            saved_finals(db_url, host.slug, args.history)
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            bots: list[ScriptedParticipant] = []
            try:
                page = new_page(browser, app_url, viewport={"width": 1600, "height": 1000})
                enter_room(page, host.slug, guest_name="Bench Viewer", media=False)
                probe = Probe(page, browser)
                for n in levels:
                    while len(bots) < n:
                        bot = ScriptedParticipant(app_url, host.slug, f"Bot {len(bots) + 1}")
                        bot.connect().publish_video(320, 240, 15)
                        bots.append(bot)
                    wait_for_videos(page, n)
                    time.sleep(args.settle)
                    off, on = [], []
                    for _ in range(args.rounds):
                        off.append(phase(probe, args.seconds, host))
                        host.start()
                        wait_for_captions(page)
                        time.sleep(1)
                        on.append(phase(probe, args.seconds, host))
                        host.stop()
                        time.sleep(2)  # the last final lands before the next quiet phase
                    if args.profile:
                        quiet = dict((k, ms) for ms, k in probe.profile(args.seconds, 400))
                        host.start()
                        wait_for_captions(page)
                        loud = dict((k, ms) for ms, k in probe.profile(args.seconds, 400))
                        host.stop()
                        time.sleep(2)
                        diff = sorted(loud, key=lambda k: quiet.get(k, 0) - loud[k])[:25]
                        print("   self ms/s  off -> on  (JavaScript, by function)")
                        for k in diff:
                            print(f"   {quiet.get(k, 0):7.1f} -> {loud[k]:7.1f}  {k}")
                    results.append((n, mean(off), mean(on)))
                    report([results[-1]], args, header=len(results) == 1)
            finally:
                for bot in bots:
                    with contextlib.suppress(Exception):
                        bot.close()
                browser.close()
                host.http.close()
    finally:
        livekit.stop()
    return results


COLUMNS = [  # (heading, key, format)
    ("busy ms/s", "busy_ms", "{:.1f}"),
    ("cpu ms/s", "cpu_ms", "{:.1f}"),
    ("script", "script_ms", "{:.1f}"),
    ("layout", "layout_ms", "{:.1f}"),
    ("rAF/s", "raf", "{:.1f}"),
    ("tiles", "tiles", "{:.0f}"),
    ("video fps", "video_fps", "{:.1f}"),
    ("per tile", "tile_fps", "{:.1f}"),
    ("decoded", "decoded_fps", "{:.1f}"),
    ("captions/s", "captions", "{:.2f}"),
    ("renders/s", "caption_renders", "{:.2f}"),
    ("tile re-renders/s", "rerenders", "{:.2f}"),
    ("remounts", "remounts", "{:.0f}"),
    ("lost", "lost_videos", "{:.0f}"),
]


def report(rows: list, args: argparse.Namespace, header: bool = True) -> None:
    if header:
        load = os.getloadavg()[0]
        print(f"{args.seconds:.0f} s per phase, {args.rounds} round(s) of off/on, "
              f"{args.history} finals saved before, load average {load:.1f} at start")  # fmt: skip
        print(f"{'N':>2} {'captions':8} " + " ".join(f"{h:>{len(h)}}" for h, _, _ in COLUMNS))
    for n, off, on in rows:
        for label, r in (("off", off), ("on", on)):
            cells = " ".join(f"{fmt.format(r[k]):>{len(h)}}" for h, k, fmt in COLUMNS)
            print(f"{n:>2} {label:8} {cells}", flush=True)
        for key, what in (("busy_ms", "main-thread busy time"), ("cpu_ms", "main-thread CPU")):
            extra = (on[key] - off[key]) / off[key] * 100 if off[key] else 0.0
            print(f"{n:>2} captions add {extra:+.1f} % {what} ({on[key] - off[key]:+.1f} ms/s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", default="1,4,8")
    parser.add_argument("--seconds", type=float, default=20, help="length of each phase")
    parser.add_argument("--rounds", type=int, default=2, help="off/on pairs per level")
    parser.add_argument("--settle", type=float, default=5, help="seconds after videos play")
    parser.add_argument("--profile", action="store_true", help="where captions' time goes")
    parser.add_argument("--history", type=int, default=0, help="finals saved before the page")
    args = parser.parse_args()
    results = run(args)
    n, off, on = results[-1]
    remounts = sum(r["remounts"] + r["lost_videos"] for _, _, r in results)
    rerenders = sum(r["rerenders"] for _, _, r in results)
    for key, what in (("busy_ms", "busy time"), ("cpu_ms", "CPU")):
        extra = (on[key] - off[key]) / off[key] * 100 if off[key] else 0.0
        print(f"target at N={n}: captions add <= 10 % main-thread {what}: {extra:+.1f} % "
              f"({'met' if extra <= 10 else 'NOT met'})")  # fmt: skip
    print(f"tiles re-mounted while captions arrived: {remounts:.0f}, tile re-renders/s summed "
          f"over the captions-on phases: {rerenders:.2f} "
          f"({'met' if remounts == 0 else 'NOT met'})")  # fmt: skip


if __name__ == "__main__":
    main()
