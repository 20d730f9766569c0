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
