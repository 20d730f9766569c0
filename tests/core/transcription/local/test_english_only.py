"""Whether the offline model is English-only is read from the model directory without
loading it: the bundled tiny.en (a directory named `model`) is; a multilingual one is not."""

from __future__ import annotations

import json
from pathlib import Path

from rooms.core.transcription.engines.local.model import default_model_path, english_only


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
