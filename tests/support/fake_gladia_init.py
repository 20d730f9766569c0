"""What the fake Gladia accepts in a POST /v2/live body, field by field as live v2 (and its
SDK's models) define them: each check returns what is wrong, or None. The fake answers a
problem with 400, as Gladia does, so a request our bridge builds wrongly fails a test."""

from __future__ import annotations

from typing import Any


def vocabulary_problem(processing: Any) -> str | None:
    """Live v2's custom vocabulary as Gladia takes it: `realtime_processing.custom_vocabulary`
    true with `custom_vocabulary_config.vocabulary`, a non-empty list of strings or of
    `{"value": ...}` entries."""
    if processing is None:
        return None
    if not isinstance(processing, dict):
        return "realtime_processing must be an object"
    if not processing.get("custom_vocabulary"):
        return None
    config = processing.get("custom_vocabulary_config")
    vocabulary = config.get("vocabulary") if isinstance(config, dict) else None
    if not isinstance(vocabulary, list) or not vocabulary:
        return "custom_vocabulary_config.vocabulary must be a non-empty array"
    for entry in vocabulary:
        value = entry.get("value") if isinstance(entry, dict) else entry
        if not isinstance(value, str) or not value.strip():
            return "each vocabulary entry must be a string or an object with a value"
    return None


def language_problem(config: Any) -> str | None:
    """Live v2's `language_config` (the SDK's LiveV2LanguageConfig): `languages` a list of
    language codes (empty: auto-detect), `code_switching` a boolean."""
    if config is None:
        return None
    if not isinstance(config, dict):
        return "language_config must be an object"
    languages = config.get("languages", [])
    if not isinstance(languages, list) or not all(
        isinstance(code, str) and code.isalpha() and len(code) == 2 for code in languages
    ):
        return "language_config.languages must be an array of language codes"
    if not isinstance(config.get("code_switching", False), bool):
        return "language_config.code_switching must be a boolean"
    return None


_TRANSLATION_MODELS = ("base", "enhanced")


def translation_problem(processing: Any) -> str | None:
    """Live v2's real-time translation (the SDK's LiveV2TranslationConfig):
    `realtime_processing.translation` true with `translation_config.target_languages`, a
    non-empty list of language codes; `model` and `match_original_utterances` optional."""
    if not isinstance(processing, dict) or not processing.get("translation"):
        return None
    config = processing.get("translation_config")
    if not isinstance(config, dict):
        return "translation_config is required when translation is enabled"
    targets = config.get("target_languages")
    if (
        not isinstance(targets, list)
        or not targets
        or not all(isinstance(code, str) and code.isalpha() and len(code) == 2 for code in targets)
    ):
        return "translation_config.target_languages must be a non-empty array of language codes"
    if config.get("model", "base") not in _TRANSLATION_MODELS:
        return "translation_config.model must be one of: base, enhanced"
    if not isinstance(config.get("match_original_utterances", True), bool):
        return "translation_config.match_original_utterances must be a boolean"
    return None
