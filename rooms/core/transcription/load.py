"""How far behind the gateway's event loop runs: the signal to refuse new streams before the
held ones degrade (every frame of every stream waits for this loop)."""

from __future__ import annotations

import asyncio
import time
from collections import deque

INTERVAL = 0.1  # seconds between samples: cheap (one timer), fine enough to see a stall
WINDOW = 2.0  # seconds of samples `recent` looks at


class LoopLag:
    def __init__(self, window: float = WINDOW) -> None:
        self.window = window
        self._samples: deque[tuple[float, float]] = deque()

    async def run(self) -> None:
        while True:
            asked = time.monotonic()
            await asyncio.sleep(INTERVAL)
            now = time.monotonic()
            self._samples.append((now, max(0.0, now - asked - INTERVAL)))
            while self._samples and self._samples[0][0] < now - self.window:
                self._samples.popleft()

    def recent(self) -> float:
        """How far behind the loop has stayed through the last `window` seconds: the least
        lag of that time, so a single hiccup (a collection, a burst of handshakes) does not
        count, a loop that keeps running late does. A stall still under way counts as a
        sample as late as the time since the last one. Safe from other threads."""
        now = time.monotonic()
        samples = tuple(self._samples)  # one copy under the GIL: the loop appends meanwhile
        last = samples[-1][0] if samples else now
        pending = max(0.0, now - last - INTERVAL)
        lags = [lag for at, lag in samples if at >= now - self.window]
        if pending > INTERVAL:
            lags.append(pending)
        return min(lags) if lags else 0.0
