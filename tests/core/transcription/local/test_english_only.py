"""Whether the offline model is English-only is read from the model directory without
loading it: the bundled tiny.en (a directory named `model`) is; a multilingual one is not.
And a stream asking such a model for another language gets English, and the log says so."""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path

from rooms.core.transcription.engines.base import StreamOptions
from rooms.core.transcription.engines.local.model import default_model_path, english_only
from tests.support.local_engine import transcribe
from tests.support.speech import speech_track


def _model(tmp_path: Path, name: str, tokens: int, *, as_json: bool = False) -> str:
    path = tmp_path / name
    path.mkdir()
    if as_json:
        (path / "vocabulary.json").write_text(json.dumps([f"t{i}" for i in range(tokens)]))
    else:
        (path / "vocabulary.txt").write_text("".join(f"t{i}\n" for i in range(tokens)))
    return str(path)


def test_the_bundled_model_is_english_only() -> None:
    path = default_model_path()
    assert path and not path.rstrip("/").endswith(".en")  # its name does not say so
    assert english_only(path)


def test_read_from_the_name_or_the_vocabulary(tmp_path: Path) -> None:
    assert english_only(str(tmp_path / "whisper-base.en"))
    assert english_only(_model(tmp_path, "en-model", 51864))
    assert not english_only(_model(tmp_path, "small", 51865))
    assert not english_only(_model(tmp_path, "large-v3", 51866, as_json=True))
    assert not english_only(str(tmp_path / "missing"))


def test_an_english_only_model_keeps_english_and_says_so(engine, caplog) -> None:
    """A space set to German on tiny.en: the stream opens (captions in English rather than
    none), its finals say English, and the log says the space's language is not honoured."""
    pcm, _ = speech_track(["The budget review starts on Tuesday."], "en-us", gap=0.9, lead=0.3)
    with caplog.at_level(logging.WARNING, logger="rooms.transcription.local"):
        run = asyncio.run(transcribe(engine, pcm, pace=0, options=StreamOptions(languages=["de"])))
    assert run.error is None and run.finals, run.events
    assert {e.language for e in run.finals} == {"en"}
    assert "Tuesday" in run.text, run.text
    assert "transcribes en only; the space asked for de" in caplog.text
