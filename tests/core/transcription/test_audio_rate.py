"""The audio rate rule counts what a client sent against the wall-clock time since its
stream started: a client that sends at real time is never cut however late its frames are
read (issue 14: 15 of 200 honest streams were cut by the burst limiter when the server fell
behind), and one that sends faster than the rule allows is."""

from __future__ import annotations

import asyncio
import json

import pytest
import websockets

from rooms.core.transcription.audio import (
    BURST_SECONDS,
    RATE_FACTOR,
    AudioTrackers,
    AudioViolation,
)
from tests.support.fake_gladia import speech_pcm
from tests.support.gateway import FRAME, pump, run_async, stream

FRAME_S = 0.1


def test_a_real_time_client_read_late_is_not_cut() -> None:
    now = [0.0]
    tracker = AudioTrackers(max_frame_bytes=64 * 1024, clock=lambda: now[0]).open("a", 600)
    frame = bytes(FRAME)
    # The client sent 10 s of audio at real time; the server read none of it (a stall of
    # its event loop) and now gets it all at once, then the stream goes on at real time.
    now[0] = 10.0
    for _ in range(100):
        tracker.check(frame)
    for _ in range(300):
        now[0] += FRAME_S
        tracker.check(frame)
    # A stall longer than any burst allowance, twice.
    assert BURST_SECONDS < 10.0
    now[0] += 12.0
    for _ in range(120):
        tracker.check(frame)
    assert tracker.seconds == pytest.approx(52.0)


def test_a_client_faster_than_the_rule_is_cut() -> None:
    now = [0.0]
    tracker = AudioTrackers(max_frame_bytes=64 * 1024, clock=lambda: now[0]).open("a", 600)
    frame = bytes(FRAME)
    speed = RATE_FACTOR * 1.5
    with pytest.raises(AudioViolation) as cut:
        for _ in range(10_000):
            tracker.check(frame)
            now[0] += FRAME_S / speed
    assert cut.value.code == "AUDIO_RATE_LIMITED"
    # Cut when what it sent passed RATE_FACTOR x the time elapsed, plus the burst.
    limit_at = BURST_SECONDS / (speed - RATE_FACTOR)
    assert limit_at - 0.2 <= now[0] <= limit_at + 0.2, now[0]


async def _late_burst(url: str, held_s: float, then_s: float) -> tuple[list, int | None]:
    """A real-time client whose first `held_s` seconds reach the server all at once (as
    they do when the server stalls), then real time; stops and returns what it was told."""
    pcm = speech_pcm(5)  # 9 s
    held = int(held_s / FRAME_S) * FRAME
    ws = await websockets.connect(url, compression=None)
    assert json.loads(await asyncio.wait_for(ws.recv(), 10))["type"] == "ready"
    await asyncio.sleep(held_s)
    for i in range(0, held, FRAME):
        await ws.send(pcm[i : i + FRAME])
    return await pump(ws, pcm[held : held + int(then_s / FRAME_S) * FRAME], pace=FRAME_S)


def test_a_late_burst_at_real_time_average_is_not_cut(host) -> None:
    messages, code = run_async(_late_burst(host.start()["wsUrl"], held_s=6.0, then_s=2.0))
    errors = [m for m in messages if m["type"] == "error"]
    assert errors == [] and code == 1000, (errors, code)


def test_a_burst_ahead_of_the_clock_is_cut(host) -> None:
    # Control: the same 6 s sent at once at the start is ahead of real time: cut.
    messages, code = run_async(stream(host.start()["wsUrl"], bytes(FRAME) * 60, pace=0))
    assert [m["code"] for m in messages if m["type"] == "error"] == ["AUDIO_RATE_LIMITED"]
    assert code == 4429
