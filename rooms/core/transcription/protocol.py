"""The transcription WebSocket's wire contract: the messages the server sends and the one
table of error codes, each with its WebSocket close code and whether the client retries.

Everything that speaks this protocol takes it from here: the gateway, the handshake, the
token and audio checks, the saved-transcript reader, and the browser, whose constants are
rendered from this table (`render_js`, written to `assets/audio/protocol.js` when the app
starts; a test fails if the file and the table disagree).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Literal, NotRequired, TypedDict

from rooms.core.transcripts import Speaker


@dataclass(frozen=True)
class ErrorCode:
    code: str
    # None: the error is reported and the stream goes on (nothing to close).
    close: int | None
    # The client reconnects with a fresh token after this close (the others end its capture).
    retryable: bool = False
    # Not an error to show the user: the stream goes on, or the server asks for a reconnect.
    notice: bool = False


_TABLE: tuple[ErrorCode, ...] = (
    ErrorCode("TOKEN_MISSING", 4401),
    ErrorCode("TOKEN_INVALID", 4401),
    ErrorCode("TOKEN_EXPIRED", 4401),
    ErrorCode("TOKEN_USED", 4401),
    ErrorCode("NOT_TRANSCRIPTION_HOST", 4403),
    ErrorCode("NOT_A_PARTICIPANT", 4403),
    ErrorCode("TRANSCRIPTION_DISABLED", 4403),
    ErrorCode("ORIGIN_NOT_ALLOWED", 4403),
    # Another connection of the same participant took over (a reload, a second tab): the
    # older one must not reconnect, or two tabs would take the stream from each other.
    ErrorCode("STREAM_REPLACED", 4409),
    ErrorCode("SESSION_ENDED", 4410),
    # "Misdirected" (HTTP 421): this server hands streams to a separate gateway
    # (TRANSCRIPTION_WS_URL); a fresh `transcription/start` gives the client its address.
    ErrorCode("STREAMS_ELSEWHERE", 4421, retryable=True),
    ErrorCode("AUDIO_NOT_BINARY", 4400),
    ErrorCode("AUDIO_ODD_LENGTH", 4400),
    ErrorCode("AUDIO_FRAME_TOO_LARGE", 4413),
    ErrorCode("AUDIO_RATE_LIMITED", 4429),
    ErrorCode("TRANSCRIPTION_LIMIT_REACHED", 4429),
    ErrorCode("ENGINE_RATE_LIMITED", 4429),
    ErrorCode("AUDIO_MAX_DURATION", 4408),
    ErrorCode("ENGINE_AUTH_FAILED", 4502),
    ErrorCode("ENGINE_UNAVAILABLE", 4503),
    ErrorCode("ENGINE_DISCONNECTED", 4504, retryable=True),
    # The engine could not keep up (its unacknowledged audio reached ENGINE_MAX_BACKLOG).
    ErrorCode("ENGINE_BACKLOG", 4504, retryable=True),
    ErrorCode("ENGINE_FAILED", 4500),
    # "Try again later" in RFC 6455: the server holds all the streams it can (the local
    # engine's decoders, or the gateway's own capacity); the client backs off and retries.
    ErrorCode("TRANSCRIPTION_BUSY", 1013, retryable=True),
    ErrorCode("SERVER_SHUTTING_DOWN", 1001, retryable=True, notice=True),
    # A bug or an unexpected failure of ours, logged: the client reconnects.
    ErrorCode("INTERNAL_ERROR", 1011, retryable=True),
    # Speaker metadata is reported but never ends a stream.
    ErrorCode("INVALID_SPEAKER_MESSAGE", None, notice=True),
    ErrorCode("SPEAKER_MESSAGES_RATE_LIMITED", None, notice=True),
)
ERRORS: dict[str, ErrorCode] = {e.code: e for e in _TABLE}

# Closes that are not ours to name: the connection broke (1006), the server failed (1011)
# or restarts (1012). A client reconnects after these too.
TRANSPORT_RETRY_CLOSES: tuple[int, ...] = (1006, 1011, 1012)
NORMAL_CLOSE = 1000
_FALLBACK = "ENGINE_FAILED"


def close_code(code: str) -> int:
    """The close code of an error code (an unknown code closes as ENGINE_FAILED)."""
    close = ERRORS.get(code, ERRORS[_FALLBACK]).close
    return close if close is not None else NORMAL_CLOSE


class ProtocolError(Exception):
    """A refusal or failure the client is told about: `code` is the wire error code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    @property
    def close_code(self) -> int:
        return close_code(self.code)

    @property
    def retryable(self) -> bool:
        return ERRORS.get(self.code, ERRORS[_FALLBACK]).retryable


def retry_closes() -> list[int]:
    ours = {e.close for e in _TABLE if e.retryable and e.close is not None}
    return sorted(ours | set(TRANSPORT_RETRY_CLOSES))


def client_constants() -> dict[str, object]:
    """What a page's transcriber needs: when to reconnect, which errors not to show."""
    return {
        "retryCloseCodes": retry_closes(),
        "noticeCodes": sorted(e.code for e in _TABLE if e.notice),
        "closeCodes": {e.code: e.close for e in _TABLE if e.close is not None},
    }


def render_js() -> str:
    """`assets/audio/protocol.js`: the table as the browser reads it (window.RoomsProtocol)."""
    body = json.dumps(client_constants(), indent=2, sort_keys=True)
    return (
        "// Generated from rooms/core/transcription/protocol.py when the app starts; do not edit\n"
        "// (tests/core/transcription/test_protocol.py fails if this file and the table differ).\n"
        f"window.RoomsProtocol = Object.freeze({body});\n"
    )


# --- messages ---------------------------------------------------------------------------


class TranscriptMessage(TypedDict):
    type: Literal["transcript"]
    utteranceId: str
    text: str
    isFinal: bool
    language: str | None
    speaker: str | None
    participantId: str | None
    avatarUrl: str | None
    start: NotRequired[float]  # live: seconds since the stream started
    end: NotRequired[float]
    startedAt: NotRequired[str]  # saved: ISO time the utterance started


class TranslationMessage(TypedDict):
    """A final's text in another language (Gladia's real-time translation); pages show it
    to the viewers who read captions in that language, instead of the original."""

    type: Literal["translation"]
    utteranceId: str
    language: str
    text: str


class RetractMessage(TypedDict):
    type: Literal["retract"]
    utteranceId: str


class ErrorMessage(TypedDict):
    type: Literal["error"]
    code: str
    message: str


class ReadyMessage(TypedDict):
    type: Literal["ready"]
    engine: str


class EngineMessage(TypedDict):
    """The stream moved to another engine (fail-over); pages may say so once."""

    type: Literal["engine"]
    engine: str
    reason: str


class HealthMessage(TypedDict):
    """How a stream's captions are doing, for its host (rooms/core/transcription/health.py):
    the engine running it, the typical (median) delay of its last finals after their audio
    arrived, and whether that is degraded (too slow, or a fail-over) and why."""

    type: Literal["health"]
    engine: str
    delayMs: int | None  # None until a final has been timed
    finals: int  # how many finals the delay is taken over
    degraded: bool
    reason: str


Message = (
    TranscriptMessage
    | RetractMessage
    | ErrorMessage
    | ReadyMessage
    | EngineMessage
    | HealthMessage
    | TranslationMessage
)


def transcript_message(
    utterance_id: str,
    text: str,
    *,
    is_final: bool,
    language: str | None,
    speaker: Speaker | None,
    start: float | None = None,
    end: float | None = None,
    started_at: str | None = None,
) -> TranscriptMessage:
    """A caption: live (start/end in stream seconds) or saved (startedAt)."""
    message: TranscriptMessage = {
        "type": "transcript",
        "utteranceId": utterance_id,
        "text": text,
        "isFinal": is_final,
        "language": language,
        "speaker": speaker.name if speaker else None,
        "participantId": speaker.participant_id if speaker else None,
        "avatarUrl": speaker.avatar_url if speaker else None,
    }
    if start is not None:
        message["start"] = round(start, 3)
    if end is not None:
        message["end"] = round(end, 3)
    if started_at is not None:
        message["startedAt"] = started_at
    return message


def translation_message(utterance_id: str, language: str, text: str) -> TranslationMessage:
    return {"type": "translation", "utteranceId": utterance_id, "language": language, "text": text}


def retract_message(utterance_id: str) -> RetractMessage:
    """The partials of this utterance were shown but it ended with no words: drop them."""
    return {"type": "retract", "utteranceId": utterance_id}


def error_message(code: str, message: str) -> ErrorMessage:
    return {"type": "error", "code": code, "message": message}


def ready_message(engine: str) -> ReadyMessage:
    return {"type": "ready", "engine": engine}


def engine_message(engine: str, reason: str) -> EngineMessage:
    return {"type": "engine", "engine": engine, "reason": reason}


def health_message(
    engine: str, *, delay_ms: int | None, finals: int, degraded: bool, reason: str
) -> HealthMessage:
    return {
        "type": "health",
        "engine": engine,
        "delayMs": delay_ms,
        "finals": finals,
        "degraded": degraded,
        "reason": reason,
    }
