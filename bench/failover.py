"""Mid-stream fail-over as the host sees it: how long after Gladia drops does the first
caption of the local engine arrive, and is any speech lost.

A host streams two espeak-ng sentences at real time over the app's transcription WebSocket
to the fake Gladia (the production SDK talks to it), which closes the session 40 % into the
second sentence and answers the resume with 4404 (no session). The stream goes on on the
local engine with the audio since Gladia's last final replayed. Per run: drop -> engine
notice, drop -> first local caption (partial or final), drop -> first local final, the
recall of the second sentence in the local finals, and whether the first sentence was said
twice. The first run of a process includes loading the local model (the engine loads it on
its first stream); it is reported apart.

    python bench/failover.py --runs 5
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import websockets

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.api_server import ServerThread, api_server_with  # noqa: E402
from tests.support.app_server import migrate_to_head  # noqa: E402
from tests.support.fake_gladia import BPS, FakeGladia  # noqa: E402
from tests.support.gateway import Host, gladia_env  # noqa: E402
from tests.support.speech import SENTENCES, recall, speech_track  # noqa: E402

FRAME = 3200


async def stream(url: str, pcm: bytes, drop_byte: int) -> tuple[float, list[tuple[float, Any]]]:
    """At real time; (when the frame Gladia dies on was sent, [(arrival, message)])."""
    got: list[tuple[float, Any]] = []
    dropped = 0.0
    async with websockets.connect(url, compression=None, max_size=None) as ws:

        async def read() -> None:
            async for raw in ws:
                got.append((time.monotonic(), json.loads(raw)))

        reader = asyncio.create_task(read())
        t0 = time.monotonic()
        for i in range(0, len(pcm), FRAME):
            if not dropped and i + FRAME >= drop_byte:
                dropped = time.monotonic()
            await ws.send(pcm[i : i + FRAME])
            await asyncio.sleep(max(0.0, t0 + (i + FRAME) / BPS - time.monotonic()))
        await ws.send('{"type":"stop"}')
        await asyncio.wait_for(reader, 30)
    return dropped, got


def one_run(base_url: str, fake: FakeGladia) -> dict[str, float]:
    from tests.support.gateway import wait_primary_up

    wait_primary_up(base_url, timeout=30)
    host = Host(base_url)
    spoken = SENTENCES[1:3]
    pcm, spans = speech_track(spoken, gap=1.0)
    (_, first_end), (second_start, second_end) = spans
    dies_at = second_start + 0.4 * (second_end - second_start)
    fake.kill_at_bytes = int(dies_at * BPS) // 2 * 2
    try:
        dropped, got = asyncio.run(stream(host.start()["wsUrl"], pcm, fake.kill_at_bytes))
    finally:
        fake.kill_at_bytes = None
        host.http.close()
    kinds = [m["type"] for _, m in got]
    switch = kinds.index("engine")
    local = [(t, m) for t, m in got[switch:] if m["type"] == "transcript"]
    local_finals = [m for _, m in local if m["isFinal"]]
    heard = " ".join(m["text"] for m in local_finals)
    first_final = next(t for t, m in local if m["isFinal"])
    repeated = recall(spoken[0], heard) > 0.5 or any(
        m["start"] < first_end - 0.1 for m in local_finals
    )
    return {
        "notice": got[switch][0] - dropped,
        "caption": local[0][0] - dropped,
        "final": first_final - dropped,
        # the sentence ends (second_end - dies_at) s of audio after the drop, at real time
        "after_end": first_final - dropped - (second_end - dies_at),
        "recall": recall(spoken[1], heard),
        "repeated": repeated,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="rooms-failover-"))
    db_url = f"sqlite:///{work / 'bench.db'}"
    os.environ["DATABASE_URL"] = db_url
    from rooms.core.config import reset_settings
    from rooms.core.db import reset_engine

    reset_settings()
    reset_engine()
    migrate_to_head(db_url)
    fake = FakeGladia()
    results = []
    with ServerThread(fake.app) as server:
        fake.base_url = server.url
        env = gladia_env(fake, TRANSCRIPTION_FALLBACK="local", TRANSCRIPTION_PROBE_SECONDS="0.5")
        with api_server_with(env) as url:
            for i in range(args.runs + 1):
                r = one_run(url, fake)
                label = "cold (model load)" if i == 0 else f"run {i}"
                print(
                    f"{label:>18}: after the drop, notice {r['notice'] * 1000:.0f} ms, first"
                    f" local caption {r['caption'] * 1000:.0f} ms, first local final"
                    f" {r['final'] * 1000:.0f} ms ({r['after_end'] * 1000:.0f} ms after the"
                    f" sentence ended); recall {r['recall']:.2f}, repeated {r['repeated']}"
                )
                if i:
                    results.append(r)
    for key in ("notice", "caption", "final", "after_end"):
        values = [r[key] * 1000 for r in results]
        print(f"{key:>9}: p50 {statistics.median(values):.0f} ms, max {max(values):.0f} ms")
    print(f"speech lost: min recall {min(r['recall'] for r in results):.2f}; "
          f"repeated in {sum(r['repeated'] for r in results)} of {len(results)} runs")  # fmt: skip


if __name__ == "__main__":
    main()
