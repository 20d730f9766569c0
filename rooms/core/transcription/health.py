"""How a stream's captions are doing, for its host: the engine that runs it, the typical delay
of its finals and whether that is degraded.

A final's delay is counted on the server from the moment the audio it ends with arrived to the
moment the final leaves for the pages: the engine's end-of-speech wait plus its decode (plus
any wait for a worker), which is what people see (the pages' fan-out adds ~10 ms, measured by
bench/caption_latency.py). The host is told when what it shows changes, not on every final.
"""

from __future__ import annotations

import statistics
import time
from collections import deque
from collections.abc import Callable

from rooms.core.i18n import N_
from rooms.core.transcription.protocol import HealthMessage, health_message

WINDOW = 10  # finals the typical delay is taken over
DEGRADED_DELAY_S = 1.5  # a typical delay over this is degraded (the local engine's target)
KEEP_AUDIO_S = 60.0  # arrival times kept: a final ends within an utterance (<= 20 s) of now
# English ids: the page shows them in the viewer's language (rooms/state/transcript.py).
ENGINE_LABELS = {"gladia": "Gladia", "local": N_("offline engine")}
UNKNOWN_ENGINE = N_("unknown engine")
SWITCHED_TO = N_("Captions switched to the {engine}")
SLOW = N_("Captions arrive {seconds} s after speech")


def engine_label(engine: str) -> str:
    return ENGINE_LABELS.get(engine, engine or UNKNOWN_ENGINE)


class CaptionHealth:
    """One stream's: fed each frame's arrival (`heard`) and each final (`final`)."""

    def __init__(self, primary: str, clock: Callable[[], float] = time.monotonic) -> None:
        self.primary = primary  # the engine streams start on; another one means a fail-over
        self._clock = clock
        self._arrivals: deque[tuple[float, float]] = deque()  # (audio seconds so far, when)
        self._delays: deque[float] = deque(maxlen=WINDOW)
        self._shown: tuple[object, ...] | None = None

    def heard(self, audio_seconds: float) -> None:
        """Audio up to `audio_seconds` of the stream has arrived (now)."""
        arrivals = self._arrivals
        arrivals.append((audio_seconds, self._clock()))
        while arrivals[0][0] < audio_seconds - KEEP_AUDIO_S:
            arrivals.popleft()

    def delay_of(self, end: float) -> float | None:
        """Seconds since the audio up to stream second `end` arrived; None if not known."""
        arrived = next((at for seconds, at in self._arrivals if seconds >= end - 1e-6), None)
        if arrived is None:
            return None
        return max(0.0, self._clock() - arrived)

    def final(self, end: float, engine: str) -> HealthMessage | None:
        """A final ending at stream second `end` goes out now: the message for the host if
        what it shows changed."""
        delay = self.delay_of(end)
        if delay is not None:
            self._delays.append(delay)
        before = self._shown
        message = self.message(engine)
        return None if self._shown == before else message

    def message(self, engine: str) -> HealthMessage:
        """What the host shows now (and remember it was shown)."""
        typical = statistics.median(self._delays) if self._delays else None
        failed_over = engine != self.primary
        slow = typical is not None and typical > DEGRADED_DELAY_S
        reason = (
            f"captions switched to the {engine_label(engine)}" if failed_over
            else f"captions arrive {typical:.1f} s after speech" if slow and typical is not None
            else ""
        )  # fmt: skip
        self._shown = (engine, None if typical is None else round(typical, 1), reason)
        return health_message(
            engine,
            delay_ms=None if typical is None else round(1000 * typical),
            finals=len(self._delays),
            degraded=bool(reason),
            reason=reason,
        )
