"""Caption latency as people see it: the real app, its local engine, a host streaming speech in
real time and a second member's page timing the captions it is sent.

    python bench/caption_latency.py                        # before and after, 2 rounds each
    python bench/caption_latency.py --modes after --rounds 3

For each mode the app runs in production mode (`tests/app_server.py`, SQLite, no Gladia key:
the local engine) with that mode's engine timing (`TRANSCRIPTION_LOCAL_*`; "before" is the
timing before issue 14, "after" the defaults). Per round, a signed-in host creates a session,
joins it and streams six espeak-ng sentences over the transcription WebSocket the way the
browser does (100 ms frames of 16 kHz PCM16, each sent once its 100 ms have been spoken); a
guest who joined through the room page (Reflex socket, tests/reflex_socket.py) timestamps
every caption that reaches it. The host's socket gives each utterance's place in the audio, so
each caption is matched to the sentence it transcribes. Per sentence:
- first partial: the first caption of it on the member's page, after the voice starts;
- final: its (last) final on the member's page, after the voice stops;
and the word error rate of the finals the page shows. Modes run one after the other (each
starts its own app), so the machine's load may differ between them: the load is printed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("APP_ENV", "test")

import httpx  # noqa: E402
import websockets  # noqa: E402

from rooms.state.transcript import TranscriptState  # noqa: E402
from tests.support.api_server import free_port  # noqa: E402
from tests.support.app_server import migrate_to_head, running_app  # noqa: E402
from tests.support.reflex_socket import ReflexSocket, handler_name  # noqa: E402
from tests.support.socket_steps import join  # noqa: E402
from tests.support.speech import FRAME, SENTENCES, errors, speech_track  # noqa: E402

MODES: dict[str, dict[str, str]] = {
    "before": {
        "TRANSCRIPTION_LOCAL_FIRST_PARTIAL_MS": "1000",
        "TRANSCRIPTION_LOCAL_EARLY_FINAL_MS": "0",
    },
    "after": {},
}
TARGET = 0.8  # seconds, both delays (issue 14)


@dataclass
class Round:
    spans: list[tuple[float, float]]  # where the voice is, seconds of audio
    t0: float = 0.0  # monotonic time at which audio second 0 was spoken
    places: dict[str, tuple[float, float]] = field(default_factory=dict)  # host: uid -> times
    seen: dict[str, float] = field(default_factory=dict)  # page: uid -> first caption
    finals: dict[str, tuple[float, str]] = field(default_factory=dict)  # page: uid -> final

    def of(self, lo: float, hi: float) -> list[str]:
        return [u for u, (s, e) in self.places.items() if s < hi and lo < e]

    def first_partial(self) -> list[float]:
        out = []
        for lo, hi in self.spans:
            times = [self.seen[u] for u in self.of(lo, hi) if u in self.seen]
            out.append(min(times) - self.t0 - lo if times else float("nan"))
        return out

    def final(self) -> list[float]:
        out = []
        for lo, hi in self.spans:
            times = [self.finals[u][0] for u in self.of(lo, hi) if u in self.finals]
            out.append(max(times) - self.t0 - hi if times else float("nan"))
        return out

    def text(self) -> str:
        return " ".join(t for _, t in sorted(self.finals.values()))


def captions(node: Any) -> list[dict[str, Any]]:
    """Every caption item in a Reflex delta (TranscriptState's `items` and `live`)."""
    if isinstance(node, dict):
        if "utteranceId" in node and "isFinal" in node:
            return [node]
        return [c for v in node.values() for c in captions(v)]
    if isinstance(node, list):
        return [c for v in node for c in captions(v)]
    return []


def read_page(sock: ReflexSocket, rnd: Round) -> None:
    for frame, at in zip(sock.frames, sock.arrivals, strict=True):
        if not frame.startswith("42"):
            continue
        body = json.loads(frame[frame.index(",") + 1 :])
        for item in captions(body):
            uid = item["utteranceId"]
            if item["text"]:
                rnd.seen.setdefault(uid, at)
            if item["isFinal"] and uid not in rnd.finals:
                rnd.finals[uid] = (at, item["text"])


class Host:
    """A signed-in user who creates a session, joins it and streams (the transcription host)."""

    def __init__(self, base: str) -> None:
        self.http = httpx.Client(base_url=base, timeout=30)
        body = {"email": f"latency-{time.time_ns()}@example.com",
                "password": "correct horse battery", "name": "Latency Host"}  # fmt: skip
        assert self.http.post("/api/auth/signup", json=body).status_code == 201
        res = self.http.post("/api/sessions", json={"title": "Caption latency"})
        assert res.status_code == 201, res.text
        self.slug = res.json()["session"]["slug"]
        res = self.http.post(f"/api/sessions/{self.slug}/participants/join", json={})
        assert res.status_code == 200, res.text

    async def stream(self, pcm: bytes, rnd: Round) -> None:
        res = self.http.post(f"/api/sessions/{self.slug}/transcription/start")
        assert res.status_code == 200, res.text
        async with websockets.connect(res.json()["wsUrl"], max_size=None) as ws:
            ready = json.loads(await asyncio.wait_for(ws.recv(), 120))
            assert ready["type"] == "ready", ready

            async def reader() -> None:
                async for raw in ws:
                    msg = json.loads(raw)
                    if msg["type"] == "transcript":
                        rnd.places[msg["utteranceId"]] = (msg["start"], msg["end"])

            task = asyncio.create_task(reader())
            rnd.t0 = time.monotonic()
            for i in range(0, len(pcm), FRAME):
                await asyncio.sleep(max(0.0, rnd.t0 + (i + FRAME) / 32_000 - time.monotonic()))
                await ws.send(pcm[i : i + FRAME])
            await ws.send('{"type":"stop"}')
            await asyncio.wait_for(task, 30)


async def one_round(base: str, pcm: bytes, spans: list[tuple[float, float]]) -> Round:
    host = Host(base)
    rnd = Round(spans)
    async with ReflexSocket(base) as page:
        await join(page, host.slug, guest_name="Latency Viewer")
        await page.emit(
            handler_name(TranscriptState, "load_transcript"), {}, f"/session/{host.slug}"
        )
        await page.settle(quiet=1.0)
        await host.stream(pcm, rnd)
        await page.settle(quiet=1.5)
        read_page(page, rnd)
    host.http.close()
    return rnd


def summary(rounds: list[Round]) -> dict[str, float]:
    first = [x for r in rounds for x in r.first_partial() if not math.isnan(x)]
    final_all = [x for r in rounds for x in r.final()]
    final = [x for x in final_all if not math.isnan(x)]
    edits = words = 0
    for r in rounds:
        e, n = errors(" ".join(SENTENCES[:6]), r.text())
        edits, words = edits + e, words + n
    return {
        "first p50": statistics.median(first),
        "first max": max(first),
        "final p50": statistics.median(final),
        "final max": max(final),
        "wer": 100 * edits / words,
        "missed": len(final_all) - len(final),
    }


def run_mode(mode: str, rounds: int, voice: str, gap: float, work: Path) -> list[Round]:
    db_url = f"sqlite:///{work / f'{mode}.db'}"
    os.environ["DATABASE_URL"] = db_url
    migrate_to_head(db_url)
    env = {
        "DATABASE_URL": db_url,
        "GLADIA_API_KEY": "",
        "TRANSCRIPTION_ENGINE": "local",
        "UPLOAD_DIR": str(work / "uploads"),
        "RATE_LIMIT_SESSIONS_PER_MINUTE": "1000",
        "RATE_LIMIT_TOKEN_PER_MINUTE": "1000",
        **MODES[mode],
    }
    pcm, spans = speech_track(SENTENCES[:6], voice, gap=gap)
    out = []
    with running_app(free_port(), work / f"{mode}.log", env) as base:
        for i in range(rounds):
            rnd = asyncio.run(one_round(base, pcm, spans))
            out.append(rnd)
            s = summary([rnd])
            print(
                f"  {mode} round {i + 1}: first partial p50 {s['first p50']:.2f}s max "
                f"{s['first max']:.2f}s, final p50 {s['final p50']:.2f}s "
                f"max {s['final max']:.2f}s, "
                f"WER {s['wer']:.1f} %, load {os.getloadavg()[0]:.1f}",
                flush=True,
            )
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--modes", default="before,after")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--voice", default="en-us")
    ap.add_argument("--gap", type=float, default=1.5, help="seconds of silence between sentences")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="rooms-caption-latency-"))
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()}")
    results = {
        m: run_mode(m, args.rounds, args.voice, args.gap, work) for m in args.modes.split(",")
    }
    print(
        f"\n{'mode':8} {'first partial p50 / max':>24} {'final p50 / max':>18} {'WER':>7}  missed"
    )
    for mode, rounds in results.items():
        s = summary(rounds)
        print(
            f"{mode:8} {s['first p50']:>13.2f} / {s['first max']:.2f} s {s['final p50']:>9.2f} / "
            f"{s['final max']:.2f} s {s['wer']:>6.1f} %  {s['missed']}"
        )
    print(f"targets: both p50 <= {TARGET} s")


if __name__ == "__main__":
    main()
