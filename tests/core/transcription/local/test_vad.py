"""The utterance rules on the VAD's per-window probabilities (32 ms windows)."""

from __future__ import annotations

import pytest

from rooms.core.config import reset_settings
from rooms.core.transcription.engines.local.engine import make_local_engine
from rooms.core.transcription.engines.local.vad import WINDOW, Segmenter

MS = 16  # samples per millisecond


def windows(ms: int) -> int:
    return -(-ms * MS // WINDOW)


def test_speech_starts_at_half_and_ends_after_half_a_second_below_035() -> None:
    seg = Segmenter()
    assert seg.push([0.1, 0.4, 0.49]) == []  # below 0.5: not speech yet
    (start,) = seg.push([0.9])
    assert (start.kind, start.sample) == ("start", 3 * WINDOW)
    speech = [0.8] * 20 + [0.4] * 5  # 0.35-0.5 keeps an utterance going
    assert seg.push(speech) == []
    assert seg.push([0.1] * (windows(500) - 1)) == [], "not yet 500 ms of silence"
    (end,) = seg.push([0.1])
    assert end.kind == "end" and end.sample == (4 + len(speech)) * WINDOW


def test_a_short_pause_does_not_split_an_utterance() -> None:
    seg = Segmenter()
    out = seg.push([0.9] * 20 + [0.1] * (windows(500) - 2) + [0.9] * 20 + [0.1] * windows(500))
    assert [b.kind for b in out] == ["start", "end"]


def test_blips_under_250_ms_are_dropped() -> None:
    seg = Segmenter()
    out = seg.push([0.9] * (windows(250) - 1) + [0.1] * windows(500))
    assert [b.kind for b in out] == ["start", "drop"]


def test_long_speech_is_cut_at_20_s_and_goes_on() -> None:
    seg = Segmenter()
    out = seg.push([0.9] * windows(45_000))
    kinds = [b.kind for b in out]
    assert kinds == ["start", "end", "start", "end", "start"]
    assert out[1].sample == out[2].sample and out[1].sample - out[0].sample <= 20 * 16_000
    tail = seg.flush(windows(45_000) * WINDOW)
    assert tail is not None and tail.kind == "end"


def test_flush_keeps_a_word_cut_off_mid_window() -> None:
    seg = Segmenter()
    seg.push([0.9] * 30)
    end = seg.flush(30 * WINDOW + 100)  # 100 samples never scored
    assert end is not None and end.sample == 30 * WINDOW + 100
    assert seg.flush(0) is None


def test_model_path_setting(monkeypatch, tmp_path, engine) -> None:
    monkeypatch.setenv("TRANSCRIPTION_MODEL_PATH", engine.model_path)
    reset_settings()
    try:
        same = make_local_engine()
        assert same.model_path == engine.model_path and same.pool is engine.pool
        assert same.status() == "ok"
        monkeypatch.setenv("TRANSCRIPTION_MODEL_PATH", str(tmp_path))
        reset_settings()
        assert make_local_engine().status().startswith("unavailable: TRANSCRIPTION_MODEL_PATH")
    finally:
        monkeypatch.delenv("TRANSCRIPTION_MODEL_PATH")
        reset_settings()


@pytest.mark.parametrize("probs", [[], [0.2] * 100])
def test_no_speech_no_boundaries(probs) -> None:
    seg = Segmenter()
    assert seg.push(probs) == [] and seg.flush(len(probs) * WINDOW) is None
