"""A stand-in for Gladia's live v2 API, speaking its protocol so the production bridge (the
official SDK) is what the tests run: POST /v2/live -> 201 {id, url}; the session WebSocket
with acknowledgments, partial and final transcripts, lifecycle messages, 1000 at the end.

Speech is found by energy in 100 ms windows: an utterance starts on a loud window, gets a
partial every 300 ms and a final after 300 ms of silence. Knobs: `reject_status` (answer
the next POST with 429/401...), `drop_at_bytes` (close the socket with 1011 once, before
processing the chunk that crosses it: the client must reconnect and resend), `empty_finals`
(every final has no words, after its partials did), `stall_acks` (audio is never
acknowledged), `accept_delays` (answer the next handshakes late). Outages: `refuse_status`
(answer every POST with it until cleared: a Gladia that is down), `kill_at_bytes` (close the
socket with 1011 before processing the chunk that crosses it, then answer every resume of
that session with 4404, "session not found": a session lost for good). Real-time
translation: when the init asks for it (`realtime_processing.translation` with
`translation_config.target_languages`), each final is followed by one `translation` message
per target language, shaped as Gladia's live v2 sends them (the SDK's
LiveV2TranslationMessage); the translated text is `translated(text, language)`. `init_attempts`
counts every POST, refused or not. `max_session_seconds` (Gladia's 3-hour cap on a live
session, in seconds: once a session has heard that much audio, or been connected that long,
it is terminated as Gladia does at its cap: the audio already received is finished (its last
final, the end-of-recording and post-final messages), the socket closes with 1000, and the
session is done: the audio after the cap is never transcribed and a reconnect is refused
with 4404).

The result endpoint, GET /v2/live/{id}, answers as Gladia's does: `queued` before the
socket opens, `processing` while it is live and for `processing_polls` looks after it ended
(a stop_recording, or the client closing with 1000), then `done` with the result, whose
`summarization` is there when the init asked for it. Knobs: `result_errors` (statuses to
answer the next looks with, one each), `summary_fails` (Gladia's summarization failed).
"""

from __future__ import annotations

import array
import asyncio
import contextlib
import json
import math
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from fastapi import FastAPI, Request, WebSocket
from fastapi.responses import JSONResponse
from starlette.websockets import WebSocketDisconnect

from tests.support import fake_gladia_init as init_checks

WINDOW = 3200  # 100 ms of 16 kHz PCM16
BPS = 32000
WORDS = [
    "alpha",
    "bravo",
    "charlie",
    "delta",
    "echo",
    "foxtrot",
    "golf",
    "hotel",
    "india",
    "juliet",
    "kilo",
    "lima",
]
API_KEY = "fake-gladia-key"


def _now() -> str:
    return datetime.now(UTC).isoformat()


@dataclass
class LiveSession:
    id: str
    bytes_in: int = 0
    pending: bytes = b""
    utterances: int = 0
    speech_windows: int = 0
    silence_windows: int = 0
    utt_start: float = 0.0
    finals: list[dict[str, Any]] = field(default_factory=list)
    connections: int = 0
    dropped: bool = False
    killed: bool = False  # lost for good: no resume
    done: bool = False
    init: dict[str, Any] = field(default_factory=dict)
    created_at: str = field(default_factory=lambda: _now())
    connected_at: float | None = None  # monotonic, first WebSocket
    ended_at: str | None = None
    looks_after_end: int = 0


def translated(text: str, language: str) -> str:
    """What the fake's translation of `text` into `language` says: the words, marked."""
    return f"{text.strip()} [{language}]"


def _targets(s: LiveSession) -> list[str]:
    """The languages this session translates its finals into (none unless asked for)."""
    processing = s.init.get("realtime_processing") or {}
    messages = s.init.get("messages_config") or {}
    if (
        not processing.get("translation")
        or messages.get("receive_realtime_processing_events") is False
    ):
        return []
    return list(processing["translation_config"]["target_languages"])


def _language(s: LiveSession) -> str:
    """Gladia transcribes in the one language it was given; else it "detects" English."""
    languages = (s.init.get("language_config") or {}).get("languages") or []
    return languages[0] if len(languages) == 1 else "en"


class FakeGladia:
    def __init__(self) -> None:
        self.sessions: dict[str, LiveSession] = {}
        self.reject_status: int | None = None
        self.drop_at_bytes: int | None = None
        self.refuse_status: int | None = None
        self.kill_at_bytes: int | None = None
        self.init_attempts = 0
        self.empty_finals = False
        # Never acknowledge audio (a Gladia that stalls): the SDK then keeps every byte.
        self.stall_acks = False
        self.init_bodies: list[dict[str, Any]] = []
        self.processing_polls = 1
        self.result_errors: list[int] = []
        self.summary_fails = False
        self.result_looks: list[str] = []  # session ids, one per GET of the result endpoint
        # Benchmarks: answer every chunk at once (partial; each 10th final) with the sequence
        # number the load generator put in its first 4 bytes, so latency can be matched.
        self.echo_frames = False
        # Seconds before a new live session is answered (a slow engine start).
        self.init_delay = 0.0
        self.max_session_seconds: float | None = None
        # Seconds each next session WebSocket waits before its handshake is answered, one
        # per connection (an engine slow to open its sockets, as when it is loaded).
        self.accept_delays: list[float] = []
        self.capped: list[str] = []  # sessions terminated at the cap
        self.base_url = ""
        self.app = self._build()

    def _build(self) -> FastAPI:
        app = FastAPI()

        @app.post("/v2/live")
        async def init(request: Request) -> JSONResponse:
            self.init_attempts += 1
            if request.headers.get("x-gladia-key") != API_KEY:
                return JSONResponse({"message": "Invalid API key"}, status_code=401)
            if self.refuse_status:
                return JSONResponse({"message": "Unavailable"}, status_code=self.refuse_status)
            if self.reject_status:
                status, self.reject_status = self.reject_status, None
                return JSONResponse({"message": "Too many sessions"}, status_code=status)
            body = await request.json()
            self.init_bodies.append(body)
            problem = (
                init_checks.vocabulary_problem(body.get("realtime_processing"))
                or init_checks.translation_problem(body.get("realtime_processing"))
                or init_checks.language_problem(body.get("language_config"))
            )
            if problem:  # Gladia validates the init body and answers 400 with why
                return JSONResponse({"message": problem, "statusCode": 400}, status_code=400)
            await asyncio.sleep(self.init_delay)
            sid = str(uuid.uuid4())
            self.sessions[sid] = LiveSession(sid, init=body)
            ws_base = self.base_url.replace("http://", "ws://")
            return JSONResponse(
                {"id": sid, "url": f"{ws_base}/v2/live/ws/{sid}", "created_at": _now()},
                status_code=201,
            )

        @app.get("/v2/live/{sid}")
        async def result(request: Request, sid: str) -> JSONResponse:
            if request.headers.get("x-gladia-key") != API_KEY:
                return JSONResponse({"message": "Invalid API key"}, status_code=401)
            self.result_looks.append(sid)
            if self.result_errors:
                status = self.result_errors.pop(0)
                return JSONResponse({"message": "Service unavailable"}, status_code=status)
            session = self.sessions.get(sid)
            if session is None:
                return JSONResponse({"message": "Live session not found"}, status_code=404)
            return JSONResponse(self._job(session))

        @app.websocket("/v2/live/ws/{sid}")
        async def live(ws: WebSocket, sid: str) -> None:
            session = self.sessions.get(sid)
            if self.accept_delays:
                await asyncio.sleep(self.accept_delays.pop(0))
            await ws.accept()
            if session is None or session.done or session.killed:
                await ws.close(4404)
                return
            session.connections += 1
            if session.connected_at is None:
                session.connected_at = time.monotonic()
            if session.connections == 1:
                await self._send(ws, session, "start_recording", None)
            try:
                await self._serve(ws, session)
            except WebSocketDisconnect:
                return

        return app

    async def _send(
        self, ws: WebSocket, s: LiveSession, kind: str, data: Any, **extra: Any
    ) -> None:
        msg: dict[str, Any] = {"session_id": s.id, "created_at": _now(), "type": kind, **extra}
        if data is not None:
            msg["data"] = data
        await ws.send_text(json.dumps(msg))

    async def _serve(self, ws: WebSocket, s: LiveSession) -> None:
        while True:
            msg = await ws.receive()
            if msg["type"] == "websocket.disconnect":
                if msg.get("code") == 1000:  # the client ended the session
                    self._ended(s)
                return
            if msg.get("text"):
                body = json.loads(msg["text"])
                if body.get("type") == "stop_recording":
                    # The session is over from here, even if the client does not stay for
                    # the last messages: post-processing starts.
                    self._ended(s)
                    with contextlib.suppress(WebSocketDisconnect, RuntimeError):
                        await self._finish(ws, s)
                    return
                continue
            chunk = msg.get("bytes") or b""
            if self._over_cap(s, len(chunk)):
                self.capped.append(s.id)
                with contextlib.suppress(WebSocketDisconnect, RuntimeError):
                    await self._finish(ws, s)
                return
            if (
                self.drop_at_bytes is not None
                and not s.dropped
                and s.bytes_in + len(chunk) >= self.drop_at_bytes
            ):
                s.dropped = True
                await ws.close(1011)  # "internal error": the client must resume
                return
            if (
                self.kill_at_bytes is not None
                and not s.killed
                and s.bytes_in + len(chunk) >= self.kill_at_bytes
            ):
                s.killed = True
                await ws.close(1011)  # and the resume will find no session
                return
            start = s.bytes_in
            s.bytes_in += len(chunk)
            if self.echo_frames:
                await self._echo(ws, s, chunk, start)
                continue
            s.pending += chunk
            while len(s.pending) >= WINDOW:
                window, s.pending = s.pending[:WINDOW], s.pending[WINDOW:]
                await self._window(ws, s, window, (s.bytes_in - len(s.pending)) / BPS)
            if self.stall_acks:
                continue
            await self._send(
                ws,
                s,
                "audio_chunk",
                {"byte_range": [start, s.bytes_in], "time_range": [start / BPS, s.bytes_in / BPS]},
                acknowledged=True,
            )

    def _over_cap(self, s: LiveSession, incoming: int) -> bool:
        cap = self.max_session_seconds
        if cap is None:
            return False
        lived = time.monotonic() - (s.connected_at or time.monotonic())
        return (s.bytes_in + incoming) / BPS > cap or lived > cap

    async def _echo(self, ws: WebSocket, s: LiveSession, chunk: bytes, start: int) -> None:
        seq = int.from_bytes(chunk[:4], "little")
        t = start / BPS
        utterance = {"start": t, "end": t + 0.1, "confidence": 1.0, "channel": 0,
                     "text": f"seq:{seq}", "language": _language(s), "words": []}  # fmt: skip
        data = {"id": f"{seq // 10:06d}", "is_final": seq % 10 == 9, "utterance": utterance}
        await self._send(ws, s, "transcript", data)
        await self._send(
            ws, s, "audio_chunk", {"byte_range": [start, s.bytes_in], "time_range": [t, t + 0.1]},
            acknowledged=True,
        )  # fmt: skip

    async def _window(self, ws: WebSocket, s: LiveSession, window: bytes, t_end: float) -> None:
        samples = array.array("h", window)
        rms = math.sqrt(sum(x * x for x in samples[::8]) / (len(samples) / 8))
        if rms > 500:
            if s.speech_windows == 0:
                s.utterances += 1
                s.utt_start = t_end - 0.1
            s.speech_windows += 1
            s.silence_windows = 0
            if s.speech_windows % 3 == 0:
                await self._transcript(ws, s, t_end, final=False)
        elif s.speech_windows:
            s.silence_windows += 1
            if s.silence_windows >= 3:
                await self._transcript(ws, s, t_end - 0.3, final=True)

    def _text(self, s: LiveSession) -> str:
        n = max(1, s.speech_windows // 3)
        return " ".join(WORDS[(s.utterances + i) % len(WORDS)] for i in range(n))

    async def _transcript(self, ws: WebSocket, s: LiveSession, end: float, final: bool) -> None:
        text = "" if final and self.empty_finals else self._text(s)
        utterance = {
            "start": round(s.utt_start, 3),
            "end": round(end, 3),
            "confidence": 0.93,
            "channel": 0,
            "text": " " + text,
            "language": _language(s),
            "words": [
                {"word": w, "start": s.utt_start, "end": end, "confidence": 0.9}
                for w in text.split()
            ],
        }
        data = {"id": f"{s.utterances:02d}-{s.id[:8]}", "is_final": final, "utterance": utterance}
        await self._send(ws, s, "transcript", data)
        if final:
            s.finals.append(data)
            s.speech_windows = s.silence_windows = 0
            if text:
                for language in _targets(s):
                    await self._translation(ws, s, data["id"], utterance, language)

    async def _translation(
        self, ws: WebSocket, s: LiveSession, uid: str, utterance: dict[str, Any], language: str
    ) -> None:
        """Gladia's `translation` message for one final (sent after it): the original
        utterance, the two languages, and the translated utterance on the same times."""
        text = translated(utterance["text"], language)
        words = [
            {"word": w, "start": utterance["start"], "end": utterance["end"], "confidence": 1.0}
            for w in text.split()
        ]
        translated_utterance = {**utterance, "text": text, "language": language, "words": words}
        data = {
            "utterance_id": uid,
            "utterance": utterance,
            "original_language": utterance["language"],
            "target_language": language,
            "translated_utterance": translated_utterance,
        }
        await self._send(ws, s, "translation", data)

    def _final_transcript(self, s: LiveSession) -> dict[str, Any]:
        duration = s.bytes_in / BPS
        utterances = [f["utterance"] for f in s.finals]
        return {
            "metadata": {
                "audio_duration": duration,
                "number_of_distinct_channels": 1,
                "billing_time": duration,
                "transcription_time": 0.1,
            },
            "transcription": {
                "full_transcript": " ".join(u["text"].strip() for u in utterances),
                "languages": [_language(s)],
                "utterances": utterances,
            },
        }

    def _ended(self, s: LiveSession) -> None:
        s.done = True
        s.ended_at = s.ended_at or _now()

    def summary_text(self, s: LiveSession) -> str:
        """What the fake's summarization says of a session: its words, so tests can tell
        one session's summary from another's."""
        kind = (s.init.get("post_processing") or {}).get("summarization_config", {}).get("type")
        words = self._final_transcript(s)["transcription"]["full_transcript"]
        return f"Summary ({kind}): {words}" if words else ""

    def _summarization(self, s: LiveSession) -> dict[str, Any]:
        if self.summary_fails:
            error = {"status_code": 500, "exception": "SummarizationError",
                     "message": "The summarization model failed"}  # fmt: skip
            return {"success": False, "is_empty": False, "exec_time": 0.4, "error": error,
                    "results": None}  # fmt: skip
        text = self.summary_text(s)
        return {"success": True, "is_empty": not text, "exec_time": 0.4, "error": None,
                "results": text or None}  # fmt: skip

    def _job(self, s: LiveSession) -> dict[str, Any]:
        if s.connections == 0:
            status = "queued"
        elif not s.done:
            status = "processing"
        else:
            s.looks_after_end += 1
            status = "processing" if s.looks_after_end <= self.processing_polls else "done"
        job: dict[str, Any] = {
            "id": s.id,
            "request_id": f"G-{s.id[:8]}",
            "version": 2,
            "status": status,
            "created_at": s.created_at,
            "post_session_metadata": {},
            "kind": "live",
            "completed_at": None,
            "custom_metadata": {},
            "error_code": None,
            "file": None,
            "request_params": s.init,
            "result": None,
        }
        if status == "done":
            result = self._final_transcript(s)
            if (s.init.get("post_processing") or {}).get("summarization"):
                result["summarization"] = self._summarization(s)
            job["completed_at"] = s.ended_at
            job["file"] = {
                "id": s.id,
                "filename": None,
                "source": None,
                "audio_duration": s.bytes_in / BPS,
                "number_of_channels": 1,
            }
            job["result"] = result
        return job

    async def _finish(self, ws: WebSocket, s: LiveSession) -> None:
        if s.speech_windows:
            await self._transcript(ws, s, s.bytes_in / BPS, final=True)
        duration = s.bytes_in / BPS
        await self._send(ws, s, "end_recording", {"recording_duration": duration})
        await self._send(ws, s, "post_final_transcript", self._final_transcript(s))
        await self._send(ws, s, "end_session", None)
        self._ended(s)
        await asyncio.sleep(0)
        await ws.close(1000)


def speech_pcm(utterances: int, speech_s: float = 1.2, silence_s: float = 0.6) -> bytes:
    """Bursts of a voiced, amplitude-modulated tone separated by silence, like speech."""
    out = array.array("h")
    for u in range(utterances):
        f0 = 140 + 25 * u
        for i in range(int(speech_s * 16000)):
            t = i / 16000
            envelope = 0.55 + 0.45 * math.sin(2 * math.pi * 4 * t)
            value = envelope * (
                math.sin(2 * math.pi * f0 * t) + 0.4 * math.sin(6 * math.pi * f0 * t)
            )
            out.append(int(6000 * value))
        out.extend([0] * int(silence_s * 16000))
    return out.tobytes()


def main() -> None:
    import argparse

    import uvicorn

    parser = argparse.ArgumentParser(description="Fake Gladia live v2 server")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--echo", action="store_true", help="answer every chunk (benchmarks)")
    args = parser.parse_args()
    fake = FakeGladia()
    fake.echo_frames = args.echo
    fake.base_url = f"http://127.0.0.1:{args.port}"
    uvicorn.run(
        fake.app, host="127.0.0.1", port=args.port, log_level="warning",
        ws_per_message_deflate=False, backlog=4096, access_log=False,
    )  # fmt: skip


if __name__ == "__main__":
    main()
