"""Gladia live v2 through the official SDK (`gladiaio-sdk`).

The SDK keeps every audio byte until Gladia acknowledges it and, when the socket closes
with anything but 1000, reconnects to the same session URL and re-sends what was not
acknowledged: the session resumes without losing a final. We only translate its events.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from typing import Any

import orjson
from gladiaio_sdk import GladiaClient
from gladiaio_sdk.client_options import HttpRetryOptions, WebSocketRetryOptions
from gladiaio_sdk.network import websocket_client as _sdk_ws
from gladiaio_sdk.network.http_client import HttpError
from gladiaio_sdk.v2.live import async_session as _sdk_session
from websockets.exceptions import ConnectionClosed

from rooms.core.config import Settings, get_settings
from rooms.core.transcription import metrics
from rooms.core.transcription.engines.base import (
    BYTES_PER_SECOND,
    BaseStream,
    Capabilities,
    Engine,
    EngineError,
    StreamOptions,
    TranscriptEvent,
    Translation,
    UnavailableEngine,
)

log = logging.getLogger("rooms.transcription.gladia")

# 429 (concurrency limit) and 401 (bad key) will not get better by retrying at once.
_HTTP_RETRY = HttpRetryOptions(max_attempts=2, status_codes=[408, (500, 599)])
_WS_RETRY = WebSocketRetryOptions(
    max_attempts_per_connection=5,
    delay=lambda attempt: min(0.2 * (2.0 ** (attempt - 1)), 2.0),
    close_codes=[(1002, 4399), (4500, 9999)],
)

# The SDK parses every message with dataclasses-json: measured 2.4 ms per transcript and
# 1.2 ms per audio acknowledgment (one per 100 ms frame), i.e. ~4 % of a core per stream.
# Even building the SDK's own dataclasses directly cost 10 us per acknowledgment and 34 us
# per transcript (the word list). For those two hot types we return small read-only views
# carrying exactly what the SDK (acknowledgments: type, acknowledged, data.byte_range) and
# our listener (transcripts: data.id, is_final, utterance text/language/start/end/speaker)
# read: 2-3 us with orjson. Every other message goes to the SDK's parser. Pinned SDK
# version; a test checks the views agree with the SDK's objects.
sdk_parse = _sdk_session.parse_ws_message


@dataclass(frozen=True, slots=True)
class _Utterance:
    text: str
    language: str | None
    start: float
    end: float
    speaker: int | None


@dataclass(frozen=True, slots=True)
class _TranscriptData:
    id: str
    is_final: bool
    utterance: _Utterance


@dataclass(frozen=True, slots=True)
class _Transcript:
    session_id: str
    data: _TranscriptData
    type: str = "transcript"


@dataclass(frozen=True, slots=True)
class _AckData:
    byte_range: tuple[int, int]


@dataclass(frozen=True, slots=True)
class _Ack:
    session_id: str
    data: _AckData
    acknowledged: bool = True
    type: str = "audio_chunk"


def fast_parse(raw: Any) -> Any:
    try:
        msg = orjson.loads(raw)
        kind = msg.get("type")
        if kind == "transcript" and set(msg) == {"session_id", "created_at", "type", "data"}:
            d, u = msg["data"], msg["data"]["utterance"]
            speaker = u.get("speaker")
            return _Transcript(
                session_id=msg["session_id"],
                data=_TranscriptData(
                    id=str(d["id"]),
                    is_final=bool(d["is_final"]),
                    utterance=_Utterance(
                        text=str(u["text"]),
                        language=u["language"],
                        start=float(u["start"]),
                        end=float(u["end"]),
                        speaker=None if speaker is None else int(speaker),
                    ),
                ),
            )
        if kind == "audio_chunk" and msg.get("acknowledged") is True and msg.get("data"):
            start, end = msg["data"]["byte_range"]
            return _Ack(session_id=msg["session_id"], data=_AckData((int(start), int(end))))
    except (KeyError, TypeError, ValueError, AttributeError):  # not the shape we know
        pass
    return sdk_parse(raw)


_sdk_session.parse_ws_message = fast_parse

# The SDK retries a refused or reset WebSocket handshake but gives up the session at the
# first one that times out (closed 3008): under load, an engine socket slow to open ended
# streams the next attempt would have kept (the gateway benchmark's 4504s). A timeout
# here counts as one failed attempt like the others, within the same bounded retries.
_sdk_handle_error = _sdk_ws.AbstractWebSocketSession._handle_error


def _handle_error(self: Any, err: Exception | None) -> bool:
    if isinstance(err, TimeoutError) and self._ready_state == _sdk_ws.WS_STATES.CONNECTING:
        limit = self._retry.max_attempts_per_connection
        if limit <= 0 or self._connection_attempt < limit:
            return True
    return _sdk_handle_error(self, err)


_sdk_ws.AbstractWebSocketSession._handle_error = _handle_error  # type: ignore[method-assign]

# The SDK sends each frame in a task nobody awaits: when the socket closes under frames in
# flight (Gladia's 4404 on a resume, any drop) their ConnectionClosed is never retrieved,
# and asyncio logs a traceback per task at garbage collection (an error report each time).
# The SDK's reader handles that close (resume, or the session's end) and re-sends what was
# not acknowledged, so this one exception is expected; any other is still logged.
_sdk_send = _sdk_ws.AsyncWebSocketSession.send
_sending: set[asyncio.Task[None]] = set()


def _sent(task: asyncio.Task[None]) -> None:
    _sending.discard(task)
    if task.cancelled():
        return
    err = task.exception()
    if err is not None and not isinstance(err, ConnectionClosed):
        log.error("sending to Gladia failed", exc_info=err)


def _send(self: Any, data: str | bytes) -> None:
    if self.ready_state != _sdk_ws.WS_STATES.OPEN or not self._ws:
        _sdk_send(self, data)  # raises, as the SDK does
        return
    task = asyncio.create_task(self._ws.send(data))
    _sending.add(task)
    task.add_done_callback(_sent)


_sdk_ws.AsyncWebSocketSession.send = _send  # type: ignore[method-assign]


# Gladia live v2: any language it detects, partials, custom vocabulary, real-time
# translation, these input rates.
CAPABILITIES = Capabilities(
    languages=None,
    partials=True,
    sample_rates=(8_000, 16_000, 32_000, 44_100, 48_000),
    custom_vocabulary=True,
    translation=True,
)


def _http_error(err: BaseException) -> EngineError:
    """What a refused or failed session start means; `retryable`: another attempt (later, or
    on another engine) may work, which a bad key never will."""
    status = getattr(err, "status", None)
    if isinstance(err, HttpError) or status is not None:
        if status == 429:
            return EngineError(
                "ENGINE_RATE_LIMITED",
                "The transcription service is at its limit of concurrent sessions; "
                "try again in a minute.",
                retryable=True,
            )
        if status in (401, 403):
            return EngineError(
                "ENGINE_AUTH_FAILED", "The transcription service refused our API key."
            )
        return EngineError(
            "ENGINE_FAILED",
            f"The transcription service answered {status}.",
            retryable=isinstance(status, int) and status >= 500,
        )
    return EngineError(
        "ENGINE_UNAVAILABLE", f"Cannot reach the transcription service: {err}", retryable=True
    )


class GladiaStream(BaseStream):
    engine = "gladia"

    def __init__(self, session: Any, max_backlog_bytes: int) -> None:
        super().__init__()
        self._session = session
        self._max_backlog = max_backlog_bytes
        self._overflowed = False
        self._started: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        self._ended = asyncio.Event()
        self._stopping = False
        self._connected_once = False
        self.reconnects = 0
        self._id = ""
        session.on("started", self._on_started)
        session.on("connected", self._on_connected)
        session.on("message", self._on_message)
        session.on("error", self._on_error)
        session.on("ended", self._on_ended)

    @property
    def stream_id(self) -> str:
        return self._id

    async def wait_started(self, timeout: float) -> None:
        try:
            self._id = await asyncio.wait_for(asyncio.shield(self._started), timeout)
        except TimeoutError:
            await self.abort()
            raise EngineError(
                "ENGINE_UNAVAILABLE", "The transcription service did not answer in time."
            ) from None

    # --- SDK callbacks (run on the event loop) ---
    def _on_started(self, response: Any) -> None:
        if not self._started.done():
            self._started.set_result(str(response.id))

    def _on_connected(self, _msg: Any) -> None:
        if self._connected_once:
            self.reconnects += 1
            metrics.ENGINE_RECONNECTS.inc()
            log.info("gladia session %s resumed", self._id)
        self._connected_once = True

    def _on_message(self, message: Any) -> None:
        kind = getattr(message, "type", None)
        if kind == "translation":
            self._on_translation(message)
            return
        if kind != "transcript":
            return
        data = message.data
        utt = data.utterance
        text = utt.text.strip()
        # An empty final retracts the utterance's partials, if any were shown (BaseStream).
        self.emit(
            TranscriptEvent(
                utterance_id=str(data.id),
                text=text,
                is_final=bool(data.is_final),
                language=str(utt.language) if utt.language else None,
                start=float(utt.start),
                end=float(utt.end),
                speaker=utt.speaker,
            )
        )

    def _on_translation(self, message: Any) -> None:
        """The SDK's LiveV2TranslationMessage: `data` is None (with `error`) when Gladia's
        translation failed for that utterance; the original caption stands then."""
        data = getattr(message, "data", None)
        if data is None:
            error = getattr(message, "error", None)
            log.warning("gladia session %s: a translation failed: %s", self._id, error)
            return
        text = str(data.translated_utterance.text or "").strip()
        if text:
            self.announce(Translation(str(data.utterance_id), str(data.target_language), text))

    def _on_error(self, err: Exception) -> None:
        if not self._started.done():
            self._started.set_exception(_http_error(err))
            return
        log.warning("gladia session %s: %s", self._id, err)

    def _on_ended(self, msg: Any) -> None:
        if not self._started.done():
            self._started.set_exception(
                EngineError("ENGINE_UNAVAILABLE", "The transcription session could not start.")
            )
        code = getattr(msg, "code", 1000)
        if code != 1000 and not self._stopping:
            self.fail(
                EngineError("ENGINE_DISCONNECTED", f"The transcription service closed ({code}).")
            )
        self.end()
        self._ended.set()

    # --- EngineStream ---
    async def feed(self, pcm: bytes) -> None:
        self._session.send_audio(pcm)
        # The SDK keeps every byte Gladia has not acknowledged, to resend it after a
        # reconnect; with acknowledgments stalled that would grow by 115 MB an hour.
        if len(getattr(self._session, "_audio_buffer", b"")) > self._max_backlog:
            await self._overflow()

    async def _overflow(self) -> None:
        if self._overflowed:
            return
        self._overflowed = True
        log.warning("gladia session %s: audio not acknowledged, stream dropped", self._id)
        self.fail(
            EngineError(
                "ENGINE_BACKLOG",
                "The transcription service stopped acknowledging audio; reconnecting.",
            )
        )
        await self.abort()  # the SDK frees its buffer with the session

    async def stop(self, timeout: float) -> None:
        self._stopping = True
        self._session.stop_recording()
        try:
            await asyncio.wait_for(self._ended.wait(), timeout)
        except TimeoutError:
            log.warning("gladia session %s did not finish within %.1fs", self._id, timeout)
            await self.abort()

    async def abort(self) -> None:
        self._stopping = True
        with contextlib.suppress(Exception):
            # Without stop_recording Gladia takes the SDK's close (1001) for a dropped
            # connection, not the end: no post-processing, so no summary of the meeting.
            self._session.stop_recording()
        with contextlib.suppress(Exception):
            self._session.end_session()
        self.end()
        self._ended.set()


class GladiaEngine:
    name = "gladia"
    capabilities = CAPABILITIES

    def __init__(
        self,
        api_key: str,
        api_url: str,
        start_timeout: float = 15.0,
        max_backlog_seconds: float | None = None,
        ws_timeout: float = 10.0,
    ) -> None:
        self._client = GladiaClient(
            api_key=api_key,
            api_url=api_url,
            http_retry=_HTTP_RETRY,
            ws_retry=_WS_RETRY,
            http_timeout=10,
            ws_timeout=ws_timeout,
        ).live_v2_async()
        self._start_timeout = start_timeout
        if max_backlog_seconds is None:
            max_backlog_seconds = get_settings().gladia_max_backlog_seconds
        self._max_backlog_bytes = int(max_backlog_seconds * BYTES_PER_SECOND)

    async def open(self, options: StreamOptions) -> GladiaStream:
        # Live v2's shape (the SDK's LiveV2LanguageConfig): no language is auto-detect, and
        # code switching re-detects on each utterance (Gladia ignores it when one is set).
        language_config: dict[str, Any] = {
            "languages": list(options.languages),
            "code_switching": options.code_switching,
        }
        init: dict[str, Any] = {
            "encoding": "wav/pcm",
            "bit_depth": 16,
            "sample_rate": options.sample_rate,
            "channels": 1,
            "language_config": language_config,
            "messages_config": {
                "receive_partial_transcripts": True,
                "receive_final_transcripts": True,
                "receive_lifecycle_events": True,
            },
        }
        processing: dict[str, Any] = {}
        if options.vocabulary:
            # Live v2's shape (the SDK's LiveV2RealtimeProcessingConfig): plain strings take
            # Gladia's default intensity.
            processing["custom_vocabulary"] = True
            processing["custom_vocabulary_config"] = {"vocabulary": list(options.vocabulary)}
        if options.translate_to:
            # The SDK's LiveV2TranslationConfig; matched utterances: one translation per
            # final, with that final's id, so a caption line and its translation pair up.
            processing["translation"] = True
            processing["translation_config"] = {
                "target_languages": list(options.translate_to),
                "model": "base",
                "match_original_utterances": True,
            }
            init["messages_config"]["receive_realtime_processing_events"] = True
        if processing:
            init["realtime_processing"] = processing
        settings = get_settings()
        if settings.gladia_summarization:
            # Fetched from the session's result after the meeting (rooms/core/summaries.py).
            init["post_processing"] = {
                "summarization": True,
                "summarization_config": {"type": settings.gladia_summary_type},
            }
        session = self._client.start_session(init)
        # The SDK re-raises a failed POST from a task of its own once our listeners are gone;
        # we already report it through the "error" event, so mark it retrieved.
        task = getattr(session, "_start_session_task", None)
        if task is not None:
            task.add_done_callback(lambda t: t.cancelled() or t.exception())
        stream = GladiaStream(session, self._max_backlog_bytes)
        await stream.wait_started(self._start_timeout)
        return stream

    def status(self) -> str:
        return "ok"


def create(settings: Settings) -> Engine:
    if not settings.gladia_api_key:
        return UnavailableEngine("gladia", "GLADIA_API_KEY is not set")
    return GladiaEngine(api_key=settings.gladia_api_key, api_url=settings.gladia_api_url)
