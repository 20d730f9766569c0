"""The overload signal: a loop that keeps running late counts, a single hiccup does not."""

from __future__ import annotations

import asyncio
import time

from rooms.core.transcription.load import LoopLag


def test_a_hiccup_is_not_overload_but_a_late_loop_is() -> None:
    async def run() -> tuple[float, float, float]:
        lag = LoopLag(window=1.0)
        task = asyncio.create_task(lag.run())
        await asyncio.sleep(0.5)
        time.sleep(0.4)  # one stall of the loop
        await asyncio.sleep(0.3)
        after_hiccup = lag.recent()
        for _ in range(8):  # the loop late on every turn for a second
            time.sleep(0.25)
            await asyncio.sleep(0)
        late = lag.recent()
        await asyncio.sleep(1.5)
        task.cancel()
        return after_hiccup, late, lag.recent()

    after_hiccup, late, calm = asyncio.run(run())
    assert after_hiccup < 0.1, after_hiccup
    assert late >= 0.1, late
    assert calm < 0.1, calm
