"""The live transcription streams of this process, and the rules that end them from outside:
one live stream per participant (a newer connection replaces the older), and the session's
end or a change of transcription host closing the streams it concerns.

Kept free of the gateway and of the session services so that both can call it: the session
services run in worker threads, each stream on its server's event loop, so a close is handed
to that loop (`call_soon_threadsafe`) and takes effect within one loop turn. Streams of other
worker processes notice the same change on their next check of the database (`host.py`).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable
from dataclasses import dataclass

# The WebSocket close code of every error code the transcription socket sends. The gateway,
# the token checks and the audio rules all take their numbers from here, and pages get the
# ones they act on from the server (`client_close_codes`), never as copied literals.
CLOSE_CODES: dict[str, int] = {
    "TOKEN_MISSING": 4401,
    "TOKEN_INVALID": 4401,
    "TOKEN_EXPIRED": 4401,
    "TOKEN_USED": 4401,
    "NOT_TRANSCRIPTION_HOST": 4403,
    "NOT_A_PARTICIPANT": 4403,
    "TRANSCRIPTION_DISABLED": 4403,
    "ORIGIN_NOT_ALLOWED": 4403,
    # Another connection of the same participant took over (a reload, a second tab): the
    # older one must not reconnect, or two tabs would take the stream from each other.
    "STREAM_REPLACED": 4409,
    "SESSION_ENDED": 4410,
    "AUDIO_NOT_BINARY": 4400,
    "AUDIO_ODD_LENGTH": 4400,
    "AUDIO_FRAME_TOO_LARGE": 4413,
    "AUDIO_RATE_LIMITED": 4429,
    "TRANSCRIPTION_LIMIT_REACHED": 4429,
    "ENGINE_RATE_LIMITED": 4429,
    "AUDIO_MAX_DURATION": 4408,
    "ENGINE_AUTH_FAILED": 4502,
    "ENGINE_UNAVAILABLE": 4503,
    "ENGINE_DISCONNECTED": 4504,
    # The engine could not keep up (its unacknowledged audio reached ENGINE_MAX_BACKLOG).
    "ENGINE_BACKLOG": 4504,
    "ENGINE_FAILED": 4500,
    # "Try again later" in RFC 6455: the client backs off and retries when the local
    # engine has room again.
    "TRANSCRIPTION_BUSY": 1013,
    "SERVER_SHUTTING_DOWN": 1001,
}

# Close codes after which a page reconnects with a fresh token (the others end its capture).
RETRY_CLOSE_CODES: tuple[int, ...] = (1001, 1006, 1011, 1012, 1013, CLOSE_CODES["ENGINE_BACKLOG"])


def close_code(code: str) -> int:
    return CLOSE_CODES.get(code, CLOSE_CODES["ENGINE_FAILED"])


def client_close_codes() -> dict[str, list[int]]:
    """What a page's transcriber needs to know about close codes."""
    return {"retry": list(RETRY_CLOSE_CODES)}


@dataclass(eq=False)
class LiveStream:
    """One open connection; `end(code, message)` is called on `loop`."""

    session_id: str
    participant_id: str
    loop: asyncio.AbstractEventLoop
    end: Callable[[str, str], None]


_lock = threading.Lock()
_streams: set[LiveStream] = set()

ENDED_MESSAGE = "This session has ended."
NOT_HOST_MESSAGE = "Transcription moved to another participant of the session."
REPLACED_MESSAGE = "Another connection of yours took over this transcription stream."


def _end(stream: LiveStream, code: str, message: str) -> None:
    if stream.loop.is_closed():
        return
    # RuntimeError: the loop closed meanwhile, and its streams are gone with it.
    with contextlib.suppress(RuntimeError):
        stream.loop.call_soon_threadsafe(stream.end, code, message)


def register(stream: LiveStream) -> None:
    """A new live stream; any other stream of the same participant is replaced by it."""
    with _lock:
        older = [s for s in _streams if s.participant_id == stream.participant_id]
        _streams.difference_update(older)
        _streams.add(stream)
    for s in older:
        _end(s, "STREAM_REPLACED", REPLACED_MESSAGE)


def unregister(stream: LiveStream) -> None:
    with _lock:
        _streams.discard(stream)


def close_streams(session_id: str, code: str, *, keep_participant_id: str | None = None) -> int:
    """End this process's open streams of a session with `code` (SESSION_ENDED when it
    ended or was deleted, NOT_TRANSCRIPTION_HOST when the host changed: then the new host's
    own stream, `keep_participant_id`, stays). Returns how many were told to close."""
    message = ENDED_MESSAGE if code == "SESSION_ENDED" else NOT_HOST_MESSAGE
    with _lock:
        doomed = [
            s
            for s in _streams
            if s.session_id == session_id and s.participant_id != keep_participant_id
        ]
        _streams.difference_update(doomed)
    for s in doomed:
        _end(s, code, message)
    return len(doomed)


def open_count(session_id: str | None = None) -> int:
    with _lock:
        return sum(1 for s in _streams if session_id is None or s.session_id == session_id)
