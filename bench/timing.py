"""Timing shared by the benchmarks."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def p50_p95(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median and 95th percentile of `repeat` calls, in ms, after one warm-up call (caches
    and the query plan)."""
    fn()
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]
