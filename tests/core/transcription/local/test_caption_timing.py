"""When the local engine asks for decodes (issue 14's latency targets): the first partial soon
after speech starts, and the final's decode started before the end of speech is confirmed,
on the very audio the final would decode, and dropped when the voice comes back."""

from __future__ import annotations

import asyncio

import numpy as np

from rooms.core.transcription.engines.local.engine import LocalEngine
from rooms.core.transcription.engines.local.vad import Request, Timing, Utterances
from tests.support.local_engine import transcribe
from tests.support.speech import FRAME, RATE, SENTENCES, recall, silence, speech_track, synth


def requests(pcm: bytes, timing: Timing) -> list[tuple[float, Request]]:
    """Every request, with the audio second at which it was asked for (100 ms frames)."""
    utt = Utterances(sample_rate=RATE, timing=timing)
    out: list[tuple[float, Request]] = []
    for i in range(0, len(pcm), FRAME):
        samples = np.frombuffer(pcm[i : i + FRAME], dtype="<i2").astype(np.float32) / 32768
        out += [(utt.total / RATE, r) for r in utt.feed(samples)]
    return out + [(utt.total / RATE, r) for r in utt.flush()]


def test_first_partial_within_half_a_second_of_speech() -> None:
    pcm, [(lo, _)] = speech_track([SENTENCES[1]], lead=0.5)
    first = {}
    for name, timing in (("now", Timing()), ("before", Timing.before())):
        partials = [at for at, r in requests(pcm, timing) if not r.final]
        first[name] = partials[0] - lo
    assert first["now"] <= 0.6, first
    assert first["before"] >= 1.0, first  # control: the old cadence, measured the same way


def test_final_decode_starts_before_the_end_is_confirmed_on_the_same_audio() -> None:
    pcm, [(_, hi)] = speech_track([SENTENCES[2]], gap=1.5)
    got = requests(pcm, Timing())
    early = [(at, r) for at, r in got if r.early]
    confirm = [(at, r) for at, r in got if r.confirms]
    assert len(early) == 1 and len(confirm) == 1, [(at, r.final, r.early) for at, r in got]
    (early_at, early_req), (confirm_at, _) = early[0], confirm[0]
    assert early_at - hi <= 0.45 < confirm_at - hi, (hi, early_at, confirm_at)
    # What the final decoded before (the end confirmed first, then the decode) is exactly
    # what is decoded early: the transcript cannot differ, only when it comes.
    (old_final,) = [r for _, r in requests(pcm, Timing.before()) if r.final]
    assert np.array_equal(early_req.audio, old_final.audio)
    assert (early_req.start, early_req.end) == (old_final.start, old_final.end)
    assert not [r for _, r in requests(pcm, Timing.before()) if r.early or r.confirms]


def test_voice_coming_back_voids_the_early_final(engine: LocalEngine) -> None:
    first, second = "Please send the quarterly report", "to the finance team before Friday."
    # espeak-ng ends each phrase with ~0.35 s of silence: a pause longer than the early
    # final's wait and shorter than the end of speech
    pcm = silence(0.5) + synth(first) + synth(second) + silence(1.0)
    finals = [r for _, r in requests(pcm, Timing()) if r.final]
    kinds = ["early" if r.early else "confirm" if r.confirms else "final" for r in finals]
    assert kinds == ["early", "early", "confirm"], kinds  # the first early one was void
    assert {r.utterance for r in finals} == {1}
    timed = LocalEngine(engine.pool, engine.model_path, Timing())
    run = asyncio.run(transcribe(timed, pcm, pace=0))
    assert run.error is None
    assert len(run.finals) == 1, [f.text for f in run.finals]
    assert recall(f"{first} {second}", run.text) >= 0.7, run.text


def test_early_finals_decoded_late_all_arrive(engine: LocalEngine) -> None:
    """Faster than real time, each early final's decode ends after its end is confirmed and
    the next sentence has begun: every sentence still gets its final, in order."""
    spoken = SENTENCES[6:10]
    pcm, _ = speech_track(spoken, gap=0.8)
    timed = LocalEngine(engine.pool, engine.model_path, Timing())
    run = asyncio.run(transcribe(timed, pcm, pace=0))
    assert run.error is None
    assert len(run.finals) == len(spoken), [f.text for f in run.finals]
    assert [f.utterance_id for f in run.finals] == [f"u{i + 1}" for i in range(len(spoken))]
    assert recall(" ".join(spoken), run.text) >= 0.8, run.text


def test_a_wordless_first_partial_is_asked_again_at_once_twice_at_most() -> None:
    pcm, _ = speech_track([SENTENCES[4]], lead=0.5)
    utt = Utterances(sample_rate=RATE, timing=Timing())
    frames = [
        np.frombuffer(pcm[i : i + FRAME], dtype="<i2").astype(np.float32) / 32768
        for i in range(0, len(pcm), FRAME)
    ]
    it = iter(frames)
    while not any(not r.final for r in utt.feed(next(it))):
        pass  # up to the first partial
    asked_again = []
    for _ in range(3):
        utt.partial_now(1)  # the engine heard no words in it
        asked_again.append(any(not r.final for r in utt.feed(next(it))))
    assert asked_again == [True, True, False]
