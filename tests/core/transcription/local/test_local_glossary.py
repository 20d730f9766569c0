"""The space's glossary on the local engine: the terms go into Whisper's prompt, so a name
tiny.en does not know comes out spelled as the glossary spells it (bench/glossary_wer.py
measures how much it helps)."""

from __future__ import annotations

import asyncio
import os

import pytest

from rooms.core.transcription.engines.base import StreamOptions
from tests.support.local_engine import transcribe
from tests.support.speech import GLOSSARY, NAMED, speech_track

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("TEST_DATABASE_URL")), reason="database-independent, run on SQLite"
)

SPOKEN = [
    "Siobhan and Niamh are flying to Reykjavik tomorrow.",
    "Dr. Nkechi Adeyemi joins the board in January.",
]
FEW_TERMS = ("Natalia Zhuravleva", "Reykjavik", "Nkechi Adeyemi", "Grafana", "Chidi Okonkwo")
NAMES = ("Reykjavik", "Nkechi")  # what tiny.en never spells right alone (bench/glossary_wer.py)


def test_the_glossary_reaches_whisper(engine) -> None:
    assert engine.capabilities.custom_vocabulary
    pcm, _ = speech_track(SPOKEN, "en-us", gap=0.9, lead=0.3)

    # Half real time: fast enough, and no final waits long enough to be decoded "fast".
    options = StreamOptions(vocabulary=FEW_TERMS)
    plain = asyncio.run(transcribe(engine, pcm, pace=0.5))
    hinted = asyncio.run(transcribe(engine, pcm, pace=0.5, options=options))
    assert plain.error is None and hinted.error is None
    # Without the glossary tiny.en hears "make the victim" and "Enke"; with it, the names
    # as the space spells them.
    assert not any(name in plain.text for name in NAMES), plain.text
    assert all(name in hinted.text for name in NAMES), hinted.text
    assert "January" in hinted.text and "tomorrow" in hinted.text, hinted.text
    # Only what was said: no unspoken glossary term leaks into the transcript.
    unspoken = ("Zhuravleva", "Grafana", "Okonkwo")
    assert not any(term in hinted.text for term in unspoken), hinted.text


def test_a_sentence_the_glossary_sends_into_a_loop_is_not_lost(engine) -> None:
    """With the glossary of bench/glossary_wer.py, Whisper hears "Zhuravleva" as "Zhuram,
    Ljubljubljub..." (a loop on "Ljubljana", which Whisper's own rule throws away): the
    sentence is decoded again without the glossary instead of ending with nothing."""
    pcm, _ = speech_track(NAMED[:1], "en-gb", gap=1.0)
    options = StreamOptions(vocabulary=tuple(GLOSSARY))
    run = asyncio.run(transcribe(engine, pcm, pace=0.3, options=options))
    assert run.error is None and not run.retracted, run.events
    assert len(run.finals) == 1 and "updated contract" in run.text, run.text


def test_a_long_glossary_is_cut_at_whole_terms(engine) -> None:
    """Whisper's context is bounded: the prompt keeps the first terms that fit, whole."""
    asyncio.run(engine.pool.wait_ready())
    model = engine.pool.model
    terms = tuple(f"Term{i} Okonkwo-Zhuravleva" for i in range(100))
    prompt = model.vocabulary_prompt(terms)
    assert len(prompt) <= 1 + model.VOCABULARY_TOKENS
    tok = model._prompt("en")[1]
    text = tok.decode(prompt[1:])
    assert text.startswith(" Glossary: Term0 Okonkwo-Zhuravleva,") and text.endswith("Zhuravleva.")
    kept = text.removeprefix(" Glossary: ").removesuffix(".").split(", ")
    assert 5 < len(kept) < 100 and list(terms[: len(kept)]) == kept
    assert model.vocabulary_prompt(()) == []
