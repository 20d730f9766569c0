"""The space's glossary on the local engine: the terms go into Whisper's prompt, so a name
tiny.en does not know comes out spelled as the glossary spells it (bench/glossary_wer.py
measures how much it helps)."""

from __future__ import annotations

import asyncio
import os

import pytest

from rooms.core.transcription.engines.base import StreamOptions
from tests.stt.conftest import transcribe
from tests.stt.speech import speech_track

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("TEST_DATABASE_URL")), reason="database-independent, run on SQLite"
)

SPOKEN = [
    "Siobhan and Niamh are flying to Reykjavik tomorrow.",
    "Dr. Nkechi Adeyemi joins the board in January.",
]
GLOSSARY = ("Natalia Zhuravleva", "Reykjavik", "Nkechi Adeyemi", "Grafana", "Chidi Okonkwo")
NAMES = ("Reykjavik", "Nkechi")  # what tiny.en never spells right alone (bench/glossary_wer.py)


def test_the_glossary_reaches_whisper(engine) -> None:
    assert engine.capabilities.custom_vocabulary
    pcm, _ = speech_track(SPOKEN, "en-us", gap=0.9, lead=0.3)

    plain = asyncio.run(transcribe(engine, pcm, pace=0))
    hinted = asyncio.run(
        transcribe(engine, pcm, pace=0, options=StreamOptions(vocabulary=GLOSSARY))
    )
    assert plain.error is None and hinted.error is None
    # Without the glossary tiny.en hears "Cuba each"; with it, the word as the space spells it.
    assert "Kubernetes" not in plain.text, plain.text
    assert "Kubernetes" in hinted.text, hinted.text
    assert "billing service" in hinted.text and "last week" in hinted.text, hinted.text
    # Only what was said: no unspoken glossary term leaks into the transcript.
    assert not any(t in hinted.text for t in GLOSSARY if t != "Kubernetes"), hinted.text
