"""Streaming voice-activity detection with the Silero VAD model that faster-whisper ships.

`SileroVADModel.__call__` resets the LSTM state on every call, so it cannot be fed frame by
frame; we run its ONNX session ourselves and carry `h`/`c` and the 64-sample context from one
512-sample window to the next. `Segmenter` turns the per-window probabilities into utterance
boundaries (in samples since the stream started).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

WINDOW = 512  # samples per Silero window at 16 kHz (32 ms)
CONTEXT = 64  # samples of the previous window the model sees before each window
RETRIES = 2  # wordless partials of an utterance asked again at once (Utterances.partial_now)


def load_vad() -> Any:
    """The Silero ONNX session: one per process (lru_cache), loaded on first use (~0.1 s);
    `run` is thread-safe and keeps no state."""
    from faster_whisper.vad import get_vad_model

    return get_vad_model().session


class SpeechProbabilities:
    """Speech probability per 512-sample window of a continuous 16 kHz float32 stream."""

    def __init__(self) -> None:
        self._session = load_vad()
        self._h = np.zeros((1, 1, 128), dtype=np.float32)
        self._c = np.zeros((1, 1, 128), dtype=np.float32)
        self._context = np.zeros(CONTEXT, dtype=np.float32)
        self._pending = np.zeros(0, dtype=np.float32)

    def __call__(self, samples: np.ndarray) -> list[float]:
        buf = np.concatenate([self._pending, samples]) if self._pending.size else samples
        n = buf.size // WINDOW
        probs: list[float] = []
        for i in range(n):
            window = buf[i * WINDOW : (i + 1) * WINDOW]
            x = np.concatenate([self._context, window])[None, :]
            out, self._h, self._c = self._session.run(
                None, {"input": x, "h": self._h, "c": self._c}
            )
            self._context = window[-CONTEXT:]
            probs.append(float(np.asarray(out).ravel()[0]))
        self._pending = buf[n * WINDOW :].copy()
        return probs


@dataclass(frozen=True)
class Boundary:
    kind: Literal["start", "end", "drop"]
    sample: int  # "start": first voiced sample; "end"/"drop": the sample after the last voiced


class Segmenter:
    """Speech starts at p >= start_p, ends after `min_silence_ms` below `end_p`; utterances
    shorter than `min_speech_ms` are dropped; one longer than `max_speech_s` is cut (an "end"
    immediately followed by a "start" at the same sample)."""

    def __init__(
        self,
        start_p: float = 0.5,
        end_p: float = 0.35,
        min_silence_ms: int = 500,
        min_speech_ms: int = 250,
        max_speech_s: float = 20.0,
        sample_rate: int = 16_000,
    ) -> None:
        self.start_p, self.end_p = start_p, end_p
        self.min_silence = sample_rate * min_silence_ms // 1000
        self.min_speech = sample_rate * min_speech_ms // 1000
        self.max_speech = int(sample_rate * max_speech_s)
        self.windows = 0  # windows seen so far
        self.in_speech = False
        self.start = 0
        self.last_voiced = 0  # end of the last window at or above end_p
        self.silence = 0  # samples below end_p since last_voiced

    def push(self, probs: list[float]) -> list[Boundary]:
        out: list[Boundary] = []
        for p in probs:
            begin = self.windows * WINDOW
            self.windows += 1
            end = begin + WINDOW
            if not self.in_speech:
                if p >= self.start_p:
                    self.in_speech, self.start, self.last_voiced, self.silence = (
                        True,
                        begin,
                        end,
                        0,
                    )
                    out.append(Boundary("start", begin))
                continue
            if p >= self.end_p:
                self.last_voiced, self.silence = end, 0
            else:
                self.silence += WINDOW
                if self.silence >= self.min_silence:
                    out.append(self._close(self.last_voiced))
                    continue
            if end - self.start >= self.max_speech:
                out.append(self._close(end))
                # Still talking: the next utterance starts right where this one was cut.
                self.in_speech, self.start, self.last_voiced, self.silence = True, end, end, 0
                out.append(Boundary("start", end))
        return out

    def flush(self, total_samples: int) -> Boundary | None:
        """The stream ended: close an utterance still open (a speaker cut off mid-word)."""
        if not self.in_speech:
            return None
        if self.silence:
            return self._close(self.last_voiced)
        # Audio after the last full window was never scored; keep it, it may be the word's end.
        return self._close(max(self.last_voiced, total_samples))

    def _close(self, end: int) -> Boundary:
        self.in_speech = False
        self.silence = 0
        kind: Literal["end", "drop"] = "end" if end - self.start >= self.min_speech else "drop"
        return Boundary(kind, end)


@dataclass(frozen=True)
class Timing:
    """When the local engine speaks: the VAD's end-of-speech wait, the first partial and
    the partials after it, and how soon the final's decode may start (`early_final_ms`:
    that much silence after the last voiced window, the final is decoded ahead; it is
    published once the full `end_silence_ms` confirms the end, and dropped if the voice
    comes back first; 0: decode only once the end is confirmed). The utterances and the
    audio decoded are the same either way: only when the decode runs changes.
    Measured in docs/benchmarks.md (bench/caption_latency.py)."""

    end_silence_ms: int = 500
    first_partial_ms: int = 400
    partial_every_ms: int = 1000
    early_final_ms: int = 200

    @classmethod
    def before(cls) -> Timing:
        """The engine's timing before issue 14: a first partial after 1 s of speech, the
        final decoded once the end is confirmed."""
        return cls(first_partial_ms=1000, early_final_ms=0)


@dataclass(frozen=True)
class Request:
    """Audio to decode: the utterance so far (partial) or all of it (final). An early final
    (`early`) is decoded before its end is confirmed; `confirms` names no audio: the early
    final of that utterance is the final (the voice did not come back)."""

    utterance: int  # 1, 2, ... within the stream
    final: bool
    audio: np.ndarray  # float32, padded on both sides
    start: float  # seconds since the stream started, voiced part only
    end: float
    early: bool = False
    confirms: bool = False


class Utterances:
    """16 kHz float32 audio in, decode requests out: a first partial `first_partial_ms`
    into speech and then one every `partial_every_ms`, a final at the end of each utterance
    (decoded early, see Timing). Keeps only the audio it still needs."""

    def __init__(
        self,
        *,
        sample_rate: int = 16_000,
        pre_pad: float = 0.3,
        post_pad: float = 0.2,
        timing: Timing | None = None,
        segmenter: Segmenter | None = None,
    ) -> None:
        timing = timing or Timing()
        self.rate = sample_rate
        self.pre_pad = int(sample_rate * pre_pad)  # Silero scores an onset a window late
        self.post_pad = int(sample_rate * post_pad)
        self.first_partial = sample_rate * timing.first_partial_ms // 1000
        self.partial_every = sample_rate * timing.partial_every_ms // 1000
        # An early final needs its post-pad of audio, so that it decodes what the final would.
        early = sample_rate * timing.early_final_ms // 1000
        self.early_after = max(early, self.post_pad) if early else 0
        self.probs = SpeechProbabilities()
        self.segmenter = segmenter or Segmenter(
            sample_rate=sample_rate, min_silence_ms=timing.end_silence_ms
        )
        self.count = 0  # utterances started
        self.total = 0  # samples received
        self._buf = np.zeros(sample_rate * 4, dtype=np.float32)
        self._buf_start = 0  # stream sample index of _buf[0]
        self._len = 0
        self._utt_start = 0
        self._next_partial = 0
        self._retries = 0  # early partials asked again for this utterance (partial_now)
        self._early_end: int | None = None  # end sample of the early final out for this one

    def feed(self, samples: np.ndarray) -> list[Request]:
        self._append(samples)
        out: list[Request] = []
        for b in self.segmenter.push(self.probs(samples)):
            req = self._on(b)
            if req is not None:
                out.append(req)
        seg = self.segmenter
        if seg.in_speech:
            if self._early_end is not None and self._early_end != seg.last_voiced:
                self._early_end = None  # the voice came back: that early final is void
            if (
                self.early_after
                and self._early_end is None
                and seg.silence >= self.early_after
                and seg.last_voiced - seg.start >= seg.min_speech
            ):
                self._early_end = seg.last_voiced
                out.append(self._request(final=True, end=seg.last_voiced, early=True))
            if self._early_end is None and self.total >= self._next_partial:
                self._next_partial = self.total + self.partial_every
                out.append(self._request(final=False, end=self.total))
        self._trim()
        return out

    def partial_now(self, utterance: int) -> None:
        """A partial of this utterance heard no words (its first fraction of a second often
        is a breath or a vowel's onset): ask again at the next audio, not a period later;
        twice at most, or noise the VAD takes for speech would keep a decoder busy."""
        if utterance == self.count and self.segmenter.in_speech and self._retries < RETRIES:
            self._retries += 1
            self._next_partial = min(self._next_partial, self.total)

    def flush(self) -> list[Request]:
        """The stream ends: the open utterance, if any, becomes a final."""
        b = self.segmenter.flush(self.total)
        req = self._on(b) if b is not None else None
        return [req] if req is not None else []

    def _on(self, b: Boundary) -> Request | None:
        if b.kind == "start":
            self.count += 1
            self._utt_start = b.sample
            self._next_partial = b.sample + self.first_partial
            self._retries = 0
            self._early_end = None
            return None
        early, self._early_end = self._early_end, None
        if b.kind == "drop":
            return None
        if early == b.sample:
            return Request(self.count, True, np.zeros(0, np.float32), *self._times(b.sample),
                           confirms=True)  # fmt: skip
        return self._request(final=True, end=b.sample)

    def _times(self, end: int) -> tuple[float, float]:
        return self._utt_start / self.rate, end / self.rate

    def _request(self, *, final: bool, end: int, early: bool = False) -> Request:
        lo = max(self._buf_start, self._utt_start - self.pre_pad)
        hi = min(self.total, end + self.post_pad) if final else end
        audio = self._buf[lo - self._buf_start : hi - self._buf_start].copy()
        return Request(self.count, final, audio, *self._times(end), early=early)

    def _append(self, samples: np.ndarray) -> None:
        need = self._len + samples.size
        if need > self._buf.size:
            grown = np.zeros(max(need, 2 * self._buf.size), dtype=np.float32)
            grown[: self._len] = self._buf[: self._len]
            self._buf = grown
        self._buf[self._len : need] = samples
        self._len = need
        self.total += samples.size

    def _trim(self) -> None:
        keep_from = self._utt_start if self.segmenter.in_speech else self.total
        drop = keep_from - self.pre_pad - self._buf_start
        if drop <= 0:
            return
        keep = self._len - drop
        self._buf[:keep] = self._buf[drop : self._len]
        self._len = keep
        self._buf_start += drop
