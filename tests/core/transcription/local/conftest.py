"""The local engine with its real model (loaded once per test process), and a driver that
feeds it audio the way the gateway does: 100 ms frames, at real-time pace or faster."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from rooms.core.transcription.engines.local.engine import LocalEngine, make_local_engine


@pytest.fixture(scope="session")
def engine() -> Iterator[LocalEngine]:
    eng = make_local_engine()
    assert eng.status() == "ok", eng.status()
    asyncio.run(eng.pool.wait_ready())
    yield eng
