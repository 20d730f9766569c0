"""A stream whose engine takes seconds to open (the local model's first load since it is
loaded on the first stream, or a slow Gladia session) keeps its audio: what the client sent
in real time while the server was not reading yet is one burst, not a client streaming
faster than real time (AUDIO_RATE_LIMITED)."""

from __future__ import annotations

from tests.support.fake_gladia import FakeGladia, speech_pcm
from tests.support.gateway import finals, run_async, stream

OPEN_DELAY_S = 6.0  # above the rate limiter's burst (audio.BURST_SECONDS, 4 s)
REAL_TIME = 0.1  # one 100 ms frame every 100 ms, as a browser sends them


def test_audio_sent_while_the_engine_opens_is_kept(host, fake_gladia: FakeGladia) -> None:
    started = host.start()
    fake_gladia.init_delay = OPEN_DELAY_S
    try:
        messages, code = run_async(stream(started["wsUrl"], speech_pcm(5), pace=REAL_TIME))
    finally:
        fake_gladia.init_delay = 0.0
    errors = [m for m in messages if m["type"] == "error"]
    assert errors == [] and code == 1000
    assert len(finals(messages)) == 5
