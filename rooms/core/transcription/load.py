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
        """The worst lag (seconds) of the last `window` seconds. A stall still under way
        shows too: the sample it holds back is as late as the time since the last one."""
        now = time.monotonic()
        last = self._samples[-1][0] if self._samples else now
        pending = max(0.0, now - last - INTERVAL)
        return max([pending, *(lag for at, lag in self._samples if at >= now - self.window)])
