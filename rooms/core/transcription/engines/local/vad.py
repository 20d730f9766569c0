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
class Request:
    """Audio to decode: the utterance so far (partial) or all of it (final)."""

    utterance: int  # 1, 2, ... within the stream
    final: bool
    audio: np.ndarray  # float32, padded on both sides
    start: float  # seconds since the stream started, voiced part only
    end: float


class Utterances:
    """16 kHz float32 audio in, decode requests out: a partial every `partial_every` samples
    of speech, a final at the end of each utterance. Keeps only the audio it still needs."""

    def __init__(
        self,
        *,
        sample_rate: int = 16_000,
        pre_pad: float = 0.3,
        post_pad: float = 0.2,
        partial_every: float = 1.0,
        min_partial: float = 0.7,
        segmenter: Segmenter | None = None,
    ) -> None:
        self.rate = sample_rate
        self.pre_pad = int(sample_rate * pre_pad)  # Silero scores an onset a window late
        self.post_pad = int(sample_rate * post_pad)
        self.partial_every = int(sample_rate * partial_every)
        self.min_partial = int(sample_rate * min_partial)
        self.probs = SpeechProbabilities()
        self.segmenter = segmenter or Segmenter(sample_rate=sample_rate)
        self.count = 0  # utterances started
        self.total = 0  # samples received
        self._buf = np.zeros(sample_rate * 4, dtype=np.float32)
        self._buf_start = 0  # stream sample index of _buf[0]
        self._len = 0
        self._utt_start = 0
        self._last_partial = 0

    def feed(self, samples: np.ndarray) -> list[Request]:
        self._append(samples)
        out: list[Request] = []
        for b in self.segmenter.push(self.probs(samples)):
            req = self._on(b)
            if req is not None:
                out.append(req)
        if (
            self.segmenter.in_speech
            and self.total - self._last_partial >= self.partial_every
            and self.total - self._utt_start >= self.min_partial
        ):
            self._last_partial = self.total
            out.append(self._request(final=False, end=self.total))
        self._trim()
        return out

    def flush(self) -> list[Request]:
        """The stream ends: the open utterance, if any, becomes a final."""
        b = self.segmenter.flush(self.total)
        req = self._on(b) if b is not None else None
        return [req] if req is not None else []

    def _on(self, b: Boundary) -> Request | None:
        if b.kind == "start":
            self.count += 1
            self._utt_start = self._last_partial = b.sample
            return None
        if b.kind == "drop":
            return None
        return self._request(final=True, end=b.sample)

    def _request(self, *, final: bool, end: int) -> Request:
        lo = max(self._buf_start, self._utt_start - self.pre_pad)
        hi = min(self.total, end + self.post_pad) if final else end
        audio = self._buf[lo - self._buf_start : hi - self._buf_start].copy()
        return Request(self.count, final, audio, self._utt_start / self.rate, end / self.rate)

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
