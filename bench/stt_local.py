"""The local speech engine on this machine: speed, latency, accuracy and capacity.

    python bench/stt_local.py                 # everything (~4 min)
    python bench/stt_local.py --levels 1,2,4  # other concurrency levels

Speech is made by espeak-ng (several voices) and fed like the browser does: 100 ms frames of
16 kHz PCM16 at real-time pace, each frame handed over once its 100 ms have "been spoken".
Prints:
- accuracy: word error rate of the finals per voice (the sentences of tests/support/speech.py);
- one stream: real-time factor (decode time / audio time; finals only and with partials,
  and the whole process's CPU time), end of speech -> final latency, partial cadence;
- concurrency: N real-time streams at once (different voices), latency p50/p95 and CPU,
  to find how many streams this machine sustains within the 1.5 s target;
- the machine's load while measuring (it may be shared).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("APP_ENV", "test")

import psutil  # noqa: E402

from rooms.core.transcription.engines.base import (  # noqa: E402
    Retraction,
    StreamOptions,
    TranscriptEvent,
)
from rooms.core.transcription.engines.local.engine import LocalEngine, make_local_engine  # noqa: E402
from rooms.core.transcription.engines.local.pool import DecodePool  # noqa: E402
from rooms.core.transcription.engines.local.vad import Timing  # noqa: E402
from tests.support.speech import FRAME, SENTENCES, errors, seconds, speech_track  # noqa: E402

VOICES = ["en-us", "en-gb", "en-us+f3", "en-gb-x-rp", "en-us+m3"]
TARGET_LATENCY = 1.5
# --timing: the engine's timing as configured (settings), or as it was before issue 14
TIMINGS = {"before": Timing.before()}


@dataclass
class Result:
    spans: list[tuple[float, float]]
    audio: float
    finals: list[tuple[float, TranscriptEvent]] = field(default_factory=list)
    partials: list[tuple[float, TranscriptEvent]] = field(default_factory=list)
    error: str | None = None

    def latencies(self) -> list[float]:
        """Per spoken sentence: when its final arrived after the voice stopped."""
        out = []
        for lo, hi in self.spans:
            hits = [t for t, f in self.finals if f.start < hi and lo < f.end]
            if hits:
                out.append(max(hits) - hi)
        return out

    def missed(self) -> int:
        return sum(
            1
            for lo, hi in self.spans
            if not any(f.start < hi and lo < f.end for _, f in self.finals)
        )


async def play(
    engine: LocalEngine, pcm: bytes, spans, pace: float = 1.0, options: StreamOptions | None = None
) -> Result:
    res = Result(spans, seconds(pcm))
    try:
        stream = await engine.open(options or StreamOptions())
    except Exception as exc:  # noqa: BLE001  (refusals are a result here)
        res.error = getattr(exc, "code", str(exc))
        return res
    t0 = time.monotonic()

    async def collect() -> None:
        async for ev in stream.events():
            if isinstance(ev, Retraction):  # no words: nothing to score
                continue
            # stream time of arrival: comparable with the spans when pace is 1
            (res.finals if ev.is_final else res.partials).append((time.monotonic() - t0, ev))

    reader = asyncio.create_task(collect())
    for i in range(0, len(pcm), FRAME):
        await asyncio.sleep(max(0.0, t0 + pace * (i + FRAME) / 32_000 - time.monotonic()))
        await stream.feed(pcm[i : i + FRAME])
    await stream.stop(timeout=120)
    try:
        await asyncio.wait_for(reader, 10)
    except Exception as exc:  # noqa: BLE001
        res.error = str(exc)
    return res


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


class Load:
    """CPU used by this process and by everything else on the machine during a phase."""

    def __enter__(self) -> Load:
        self.proc = psutil.Process()
        self.t0 = time.monotonic()
        self.p0 = sum(self.proc.cpu_times()[:2])
        self.s0 = psutil.cpu_times()
        return self

    def __exit__(self, *exc: object) -> None:
        wall = time.monotonic() - self.t0
        s1 = psutil.cpu_times()
        busy = (sum(s1) - s1.idle - s1.iowait) - (sum(self.s0) - self.s0.idle - self.s0.iowait)
        self.ours = (sum(self.proc.cpu_times()[:2]) - self.p0) / wall  # in cores
        self.others = max(0.0, busy / wall - self.ours)
        self.cpu_seconds = sum(self.proc.cpu_times()[:2]) - self.p0
        self.loadavg = os.getloadavg()[0]

    def __str__(self) -> str:
        return (
            f"this process {self.ours:.2f} cores, other processes {self.others:.2f} cores "
            f"of {psutil.cpu_count()}, load average {self.loadavg:.1f}"
        )


def unbounded(shared: LocalEngine) -> LocalEngine:
    """An engine on its own pool without admission limits, sharing the loaded model."""
    pool = DecodePool(
        lambda _w, _c: shared.pool.model,
        max_streams=1000,
        max_pending_finals=1000,
        busy_wait=float("inf"),
    )
    asyncio.run(pool.wait_ready())
    return LocalEngine(pool, shared.model_path, shared.timing)


def accuracy(shared: LocalEngine, voices: list[str]) -> None:
    print("\n== accuracy: word error rate of finals ==")
    tracks = {v: speech_track(SENTENCES, v, gap=1.0) for v in voices}
    engine = unbounded(shared)

    async def run():
        # Faster than real time: finals do not depend on pacing, partials are skipped.
        return await asyncio.gather(
            *(play(engine, pcm, spans, pace=0.2) for pcm, spans in tracks.values())
        )

    total_e = total_n = 0
    for voice, res in zip(voices, asyncio.run(run()), strict=True):
        heard = " ".join(f.text for _, f in res.finals)
        e, n = errors(" ".join(SENTENCES), heard)
        total_e, total_n = total_e + e, total_n + n
        print(
            f"  {voice:12s} WER {e / n:6.1%}  ({e}/{n} words, {len(res.finals)} finals)"
            + (f" error {res.error}" if res.error else "")
        )
    print(f"  {'all':12s} WER {total_e / total_n:6.1%}  (target <= 15 %)")
    engine.pool.close(wait=30)


def one_stream(engine: LocalEngine) -> None:
    print("\n== one real-time stream ==")
    pcm, spans = speech_track(SENTENCES, "en-us", gap=1.0)
    pool = engine.pool
    d0, s0 = dict(pool.decodes), dict(pool.decode_seconds)
    with Load() as load:
        res = asyncio.run(play(engine, pcm, spans))
    dec = {k: pool.decodes[k] - d0[k] for k in d0}
    sec = {k: pool.decode_seconds[k] - s0[k] for k in s0}
    audio = res.audio
    lat = res.latencies()
    speech = sum(hi - lo for lo, hi in spans)
    print(
        f"  audio {audio:.1f}s ({speech:.1f}s of voice), {len(res.finals)} finals, "
        f"{len(res.partials)} partials, missed sentences {res.missed()}"
    )
    fin = sec["final"] + sec["fast final"]
    print(
        f"  RTF finals only      {fin / audio:.3f}  ({dec['final']} full decodes, "
        f"{dec['fast final']} fast; {fin / max(1, dec['final'] + dec['fast final']):.2f}s each)"
    )
    print(
        f"  RTF with partials    {(fin + sec['partial']) / audio:.3f}  "
        f"({dec['partial']} partial decodes, {sec['partial'] / max(1, dec['partial']):.2f}s each)"
    )
    print(f"  CPU RTF (process)    {load.cpu_seconds / audio:.3f}  (target RTF <= 0.3)")
    print(
        f"  end of speech -> final: mean {statistics.mean(lat):.2f}s  p50 {pct(lat, 0.5):.2f}s  "
        f"p95 {pct(lat, 0.95):.2f}s  max {max(lat):.2f}s  (target <= {TARGET_LATENCY}s)"
    )
    per_partial = speech / max(1, len(res.partials))
    print(f"  partials: one per {per_partial:.2f}s of voice")
    print(f"  load: {load}")


def concurrency(levels: list[int], voices: list[str], timing: Timing) -> int:
    print("\n== concurrent real-time streams ==")
    sustained, all_ok = 0, True
    tracks = [
        speech_track(SENTENCES[i % 4 * 3 : i % 4 * 3 + 4], voices[i % len(voices)], gap=1.0)
        for i in range(max(levels))
    ]
    shared = make_local_engine()
    shared.timing = timing
    for n in levels:
        engine = unbounded(shared)

        async def run(n: int = n, engine: LocalEngine = engine):
            return await asyncio.gather(*(play(engine, *tracks[i]) for i in range(n)))

        with Load() as load:
            results = asyncio.run(run())
        engine.pool.close(wait=30)
        fast = engine.pool.decodes["fast final"]
        fast_share = fast / max(1, fast + engine.pool.decodes["final"])
        lat = [x for r in results for x in r.latencies()]
        missed = sum(r.missed() for r in results)
        failed = sum(1 for r in results if r.error)
        partial_rate = sum(len(r.partials) for r in results) / sum(
            sum(hi - lo for lo, hi in r.spans) for r in results
        )
        ok = not failed and not missed and pct(lat, 0.95) <= TARGET_LATENCY
        if ok and all_ok:
            sustained = n
        all_ok = all_ok and ok
        print(
            f"  {n:2d} streams: final latency p50 {pct(lat, 0.5):.2f}s p95 {pct(lat, 0.95):.2f}s "
            f"max {max(lat, default=float('nan')):.2f}s, missed {missed}, failed {failed}, "
            f"partials {partial_rate:.2f}/s of voice per stream, fast finals {fast_share:.0%}, "
            f"{load.ours / n:.2f} cores per stream "
            f"{'OK' if ok else 'over target'} | {load}"
        )
    return sustained


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--levels", default="1,2,3,4,6")
    ap.add_argument("--voices", default=",".join(VOICES))
    ap.add_argument("--skip", default="", help="comma list of: accuracy,one,concurrency")
    ap.add_argument("--timing", choices=["settings", *TIMINGS], default="settings")
    args = ap.parse_args()
    voices = args.voices.split(",")
    skip = set(args.skip.split(","))

    print(f"machine: {psutil.cpu_count()} cores, load average {os.getloadavg()}")
    t = time.monotonic()
    engine = make_local_engine()
    asyncio.run(engine.pool.wait_ready())
    engine.timing = TIMINGS.get(args.timing, engine.timing)
    print(f"timing: {engine.timing}")
    rss = psutil.Process().memory_info().rss / 2**20
    print(
        f"model {engine.model_path}\n  loaded and warmed in {time.monotonic() - t:.2f}s, "
        f"RSS {rss:.0f} MB, {engine.pool.workers} decode workers x "
        f"{engine.pool.cpu_threads} threads, admits {engine.pool.max_streams} streams"
    )
    if "accuracy" not in skip:
        accuracy(engine, voices)
    if "one" not in skip:
        one_stream(engine)
    if "concurrency" not in skip:
        n = concurrency([int(x) for x in args.levels.split(",")], voices, engine.timing)
        print(f"\nsustained within {TARGET_LATENCY}s p95: {n} concurrent real-time streams")


if __name__ == "__main__":
    main()
