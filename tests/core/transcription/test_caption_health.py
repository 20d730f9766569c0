"""The host's caption-health figures (rooms/core/transcription/health.py): a final's delay is
counted from when its audio arrived; the typical delay is the median of the last finals;
slow or failed-over captions are degraded; the host hears only about changes."""

from __future__ import annotations

from rooms.core.transcription.health import DEGRADED_DELAY_S, WINDOW, CaptionHealth


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def stream(health: CaptionHealth, clock: Clock, seconds: float, start: float = 0.0) -> None:
    """`seconds` of audio in 100 ms frames, arriving in real time."""
    for i in range(1, round(seconds * 10) + 1):
        clock.now += 0.1
        health.heard(start + i / 10)


def test_delay_counts_from_the_arrival_of_the_final_audio() -> None:
    clock = Clock()
    health = CaptionHealth("local", clock)
    stream(health, clock, 3.0)
    clock.now += 0.2  # the final of speech ending at 2.0 s goes out 1.2 s after it arrived
    msg = health.final(2.0, "local")
    assert msg is not None and msg["delayMs"] == 1200 and not msg["degraded"]
    assert msg["engine"] == "local" and msg["finals"] == 1
    assert health.delay_of(99.0) is None  # audio not arrived: no made-up figure


def test_typical_delay_is_the_median_and_slow_is_degraded() -> None:
    clock = Clock()
    health = CaptionHealth("local", clock)
    sent = []
    for n in range(WINDOW):
        stream(health, clock, 1.0, start=n)
        clock.now += 0.5
        sent.append(health.final(n + 1.0, "local"))
    assert sent[0] is not None and sent[0]["delayMs"] == 500
    assert all(m is None for m in sent[1:]), "nothing changed: the host is not told again"
    last = sent[0]
    for n in range(WINDOW, WINDOW + WINDOW // 2 + 1):  # most of the window now slow
        stream(health, clock, 1.0, start=n)
        clock.now += DEGRADED_DELAY_S + 0.5
        last = health.final(n + 1.0, "local") or last
    assert last["degraded"] and last["delayMs"] == 2000 and "2.0 s" in last["reason"]


def test_a_fail_over_is_degraded() -> None:
    clock = Clock()
    health = CaptionHealth("gladia", clock)
    first = health.message("local")
    assert first["degraded"] and first["delayMs"] is None
    assert "offline engine" in first["reason"]
    assert not health.message("gladia")["degraded"]
