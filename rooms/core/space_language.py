"""A space's transcription language: auto-detect (None) or one language the engines are told
to expect, and whether Gladia re-detects the language on each utterance (code switching).

The rule is `spaces.is_owner`: members read the setting, its owner changes it. The REST routes
and the Reflex state both go through `view` and `update`; a transcription stream reads it
with `for_space` after the streaming policy has admitted the stream.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session as DbSession

from rooms.core import spaces
from rooms.core.errors import InvalidInput
from rooms.core.models import Space, User, utcnow
from rooms.core.transcription.engines.local.model import default_model_path, english_only

# ISO 639-1 codes Gladia's live v2 transcribes (the SDK's LiveV2TranscriptionLanguageCode),
# limited to the ones a space can pick; each name is how the settings dialog shows it.
LANGUAGES: dict[str, str] = {
    "en": "English",
    "ru": "Russian",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "it": "Italian",
    "pt": "Portuguese",
    "nl": "Dutch",
    "pl": "Polish",
    "uk": "Ukrainian",
    "tr": "Turkish",
    "ja": "Japanese",
    "zh": "Chinese",
}


@dataclass(frozen=True)
class LanguageView:
    language: str | None  # None: the engine detects it
    code_switching: bool
    can_edit: bool


@dataclass(frozen=True)
class StreamLanguage:
    """What a stream passes to its engine."""

    languages: tuple[str, ...] = ()
    code_switching: bool = False


def parse_language(value: object) -> str | None:
    """None or "" is auto-detect; otherwise one code from LANGUAGES."""
    if value is None or value == "":
        return None
    if not isinstance(value, str) or value.strip().lower() not in LANGUAGES:
        allowed = ", ".join(LANGUAGES)
        raise InvalidInput(
            "language must be null (auto-detect) or one of: {choices}.",
            code="INVALID_INPUT",
            choices=allowed,
        )
    return value.strip().lower()


def view(db: DbSession, user: User, space_id: str) -> LanguageView:
    """Any member reads it; to anyone else the space does not exist."""
    member = spaces.require_member(db, user, space_id)
    space = member.space
    return LanguageView(
        space.transcription_language, bool(space.code_switching), spaces.is_owner(member.role)
    )


def update(
    db: DbSession, user: User, space_id: str, language: object, code_switching: bool
) -> LanguageView:
    """Sets both (the owner only)."""
    space = spaces.require_owner(db, user, space_id)
    space.transcription_language = parse_language(language)
    space.code_switching = bool(code_switching)
    space.updated_at = utcnow()
    db.add(space)
    db.flush()
    return LanguageView(space.transcription_language, space.code_switching, True)


def for_space(db: DbSession, space_id: str) -> StreamLanguage:
    """What a stream in this space passes to its engine; the caller has been authorized."""
    space = db.get(Space, space_id)
    if space is None:
        return StreamLanguage()
    languages = (space.transcription_language,) if space.transcription_language else ()
    return StreamLanguage(languages, bool(space.code_switching))


def local_model_english_only() -> bool:
    """Whether the installed offline model transcribes English only (read from its name,
    nothing is loaded): then a space's other language is not honoured by the local engine."""
    path = default_model_path()
    return bool(path) and english_only(path)
