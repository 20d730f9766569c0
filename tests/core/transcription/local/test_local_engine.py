"""The local engine on real speech (espeak-ng) and on what is not speech."""

from __future__ import annotations

import asyncio
import os

import numpy as np
import pytest

from rooms.core.transcription.engines.local.model import collapse_repeats
from tests.support.local_engine import transcribe
from tests.support.speech import SENTENCES, noise, recall, seconds, silence, speech_track, synth

# These never touch the database: run them once, on the SQLite pass of scripts/test.
pytestmark = pytest.mark.skipif(
    bool(os.environ.get("TEST_DATABASE_URL")), reason="database-independent, run on SQLite"
)


def test_sentences_in_real_time(engine) -> None:
    spoken = SENTENCES[2:5]
    pcm, spans = speech_track(spoken, gap=0.9, lead=0.3)
    run = asyncio.run(transcribe(engine, pcm, pace=1.0))
    assert run.error is None
    finals = run.finals
    assert finals and all(f.text.strip() for f in finals)
    assert recall(" ".join(spoken), run.text) >= 0.8, run.text

    ids = [f.utterance_id for f in finals]
    assert len(set(ids)) == len(ids), "one final per utterance"
    # Partials about every second while someone speaks, each before its own final.
    assert len(run.partials) >= len(spoken)
    for p in run.partials:
        assert p.utterance_id in ids, f"partial {p} never got a final"
        i_partial = run.events.index(p)
        i_final = next(
            i for i, e in enumerate(run.events) if e.is_final and e.utterance_id == p.utterance_id
        )
        assert i_partial < i_final
    # Times are in stream time and land on the sentences that were spoken.
    for f in finals:
        assert 0 <= f.start < f.end <= seconds(pcm) + 0.01
        assert any(f.start < hi and lo < f.end for lo, hi in spans), (f, spans)
    assert [f.start for f in finals] == sorted(f.start for f in finals)
    for lo, hi in spans:
        assert any(f.start < hi and lo < f.end for f in finals), f"nothing for {lo:.1f}-{hi:.1f}"


def test_silence_says_nothing(engine) -> None:
    run = asyncio.run(transcribe(engine, silence(4.0), pace=0))
    assert run.error is None and run.events == []


def test_noise_never_gives_an_empty_final(engine) -> None:
    speech = synth(SENTENCES[9])
    hiss = np.frombuffer(noise(seconds(speech), "whitenoise", 0.1), dtype=np.int16)
    noisy = np.frombuffer(speech, dtype=np.int16).astype(np.int32) + hiss
    in_noise = np.clip(noisy, -32768, 32767).astype(np.int16).tobytes()

    async def all_at_once():
        return await asyncio.gather(
            transcribe(engine, noise(4.0, "whitenoise", 0.5), pace=0),
            transcribe(engine, noise(4.0, "brownnoise", 0.8), pace=0),
            transcribe(engine, silence(0.3) + in_noise + silence(0.8), pace=0),
        )

    white, brown, speech_in_noise = asyncio.run(all_at_once())
    for run in (white, brown, speech_in_noise):
        assert run.error is None
        assert all(e.text.strip() for e in run.events)
    assert recall(SENTENCES[9], speech_in_noise.text) >= 0.7, speech_in_noise.text


def test_clipped_speech(engine) -> None:
    pcm = silence(0.5) + synth(SENTENCES[11], gain_db=30) + silence(1.0)
    samples = memoryview(pcm).cast("h")
    assert sum(1 for s in samples if abs(s) >= 32767) > 1000, "the audio really clips"
    run = asyncio.run(transcribe(engine, pcm, pace=0))
    assert run.error is None and run.finals
    assert all(f.text.strip() for f in run.finals)
    assert recall(SENTENCES[11], run.text) >= 0.7, run.text


def test_stream_that_stops_mid_word(engine) -> None:
    speech = synth(SENTENCES[4])
    cut = speech[: int(len(speech) * 0.6) // 2 * 2 + 1]  # mid-word, and an odd byte count
    # Odd-sized frames: a sample can straddle two frames.
    run = asyncio.run(transcribe(engine, silence(0.5) + cut, pace=0, frame=3_199))
    assert run.error is None
    assert len(run.finals) == 1 and run.finals[0].text.strip()
    heard = run.finals[0].text
    assert recall("Our new office opens in the city", heard) >= 0.6, heard


def test_speech_like_gibberish_does_not_loop(engine) -> None:
    """Reversed speech sounds like speech to the VAD; Whisper tends to loop on it."""
    pcm = bytearray(synth(SENTENCES[5]) + synth(SENTENCES[6]))
    samples = memoryview(pcm).cast("h")
    samples[:] = memoryview(bytearray(pcm)).cast("h")[::-1]
    run = asyncio.run(transcribe(engine, silence(0.3) + bytes(pcm), pace=0))
    assert run.error is None
    for f in run.finals:
        assert f.text.strip()
        # A loop runs to the token limit (~100 words) or repeats a phrase: neither here.
        assert len(f.text.split()) <= 7 * (f.end - f.start) + 5, f.text
        assert collapse_repeats(f.text, min_copies=3) == f.text, f.text
