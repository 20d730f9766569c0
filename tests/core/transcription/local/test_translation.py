"""The local engine has no live translation: it says so in its capabilities, and a stream
asking for translated captions is refused in plain words (the gateway never asks it)."""

from __future__ import annotations

import asyncio

import pytest

from rooms.core.transcription.engines.base import EngineError, StreamOptions
from rooms.core.transcription.engines.local.engine import LocalEngine


def test_the_local_engine_refuses_translation_plainly(engine: LocalEngine) -> None:
    assert not engine.capabilities.translation
    options = StreamOptions(translate_to=("de",))
    assert engine.capabilities.refusal(options) == "This engine does not translate captions."
    with pytest.raises(EngineError) as refused:
        asyncio.run(engine.open(options))
    assert refused.value.message == "The offline engine does not translate captions."
