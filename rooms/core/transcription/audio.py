"""Validation of the host's audio frames (seed: audio-validator).

Binary only, even length (PCM16), at most `max_frame_bytes`, no faster than ~2x real time
(a token bucket with a small burst), and no longer than the allowed duration. Each
violation has its own wire code and WebSocket close code.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from rooms.core.transcription.engine import BYTES_PER_SECOND
from rooms.core.transcription.streams import close_code


class AudioViolation(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.close_code = close_code(code)


RATE_FACTOR = 2.0  # clients may catch up after a hiccup, but not stream faster than this
# Frames of a real-time client arrive in a burst after any stall (its network, or our own
# event loop under load: measured in bench/gateway_load.py, a 1 s burst cut off honest
# streams): a stall of up to this long is absorbed.
BURST_SECONDS = 4.0


@dataclass
class AudioTracker:
    max_frame_bytes: int
    max_seconds: float
    clock: Callable[[], float] = time.monotonic
    bytes_total: int = 0
    frames_total: int = 0
    _tokens: float = field(default=0.0, init=False)
    _last: float = field(default=0.0, init=False)
    last_seen: float = field(default=0.0, init=False)

    def __post_init__(self) -> None:
        self._capacity = max(float(self.max_frame_bytes), BURST_SECONDS * BYTES_PER_SECOND)
        self._tokens = self._capacity
        self._last = self.last_seen = self.clock()

    @property
    def seconds(self) -> float:
        return self.bytes_total / BYTES_PER_SECOND

    def check_text(self) -> AudioViolation:
        return AudioViolation("AUDIO_NOT_BINARY", "Audio must be sent as binary frames of PCM16.")

    def check(self, frame: bytes) -> None:
        """Raise AudioViolation if this frame breaks a rule; otherwise account for it."""
        size = len(frame)
        if size > self.max_frame_bytes:
            raise AudioViolation(
                "AUDIO_FRAME_TOO_LARGE",
                f"Audio frames must be at most {self.max_frame_bytes} bytes (got {size}).",
            )
        if size % 2:
            raise AudioViolation(
                "AUDIO_ODD_LENGTH", "PCM16 frames must have an even number of bytes."
            )
        now = self.clock()
        self.last_seen = now
        refill = (now - self._last) * RATE_FACTOR * BYTES_PER_SECOND
        # Refilled up to the burst capacity; credit beyond it (excuse) is spent, not cut.
        self._tokens = max(self._tokens, min(self._capacity, self._tokens + refill))
        self._last = now
        if size > self._tokens:
            raise AudioViolation(
                "AUDIO_RATE_LIMITED",
                "Audio is arriving faster than real time; send 16 kHz mono PCM16 as it is "
                "captured.",
            )
        self._tokens -= size
        if (self.bytes_total + size) / BYTES_PER_SECOND > self.max_seconds:
            raise AudioViolation(
                "AUDIO_MAX_DURATION",
                f"This stream reached its limit of {int(self.max_seconds)} seconds.",
            )
        self.bytes_total += size
        self.frames_total += 1

    def excuse(self, seconds: float) -> None:
        """The server kept the client waiting `seconds` before reading its audio (the engine
        was opening: the local model's first load, Gladia's session): what the client sent
        meanwhile arrives as one burst of real-time audio, not faster than real time."""
        self._tokens += seconds * BYTES_PER_SECOND
        self._last = self.clock()


class AudioTrackers:
    """Per-connection trackers; released on disconnect, swept if a client vanished silently."""

    def __init__(self, max_frame_bytes: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.max_frame_bytes = max_frame_bytes
        self.clock = clock
        self._trackers: dict[str, AudioTracker] = {}

    def open(self, key: str, max_seconds: float) -> AudioTracker:
        tracker = AudioTracker(self.max_frame_bytes, max_seconds, clock=self.clock)
        self._trackers[key] = tracker
        return tracker

    def release(self, key: str) -> None:
        self._trackers.pop(key, None)

    def sweep(self, idle_seconds: float) -> int:
        cutoff = self.clock() - idle_seconds
        gone = [k for k, t in self._trackers.items() if t.last_seen < cutoff]
        for key in gone:
            del self._trackers[key]
        return len(gone)

    def __len__(self) -> int:
        return len(self._trackers)
