"""One host connection: its audio goes to an engine stream; transcripts go to the host, to
every page of the session (hub) and, for finals, to the batch writer (the Gateway owns
those and admits the connection).

The WebSocket itself is behind the small `Client` protocol so this module stays free of
web-framework code, and the gateway behind `Services` (what a connection uses of it), so
gateway.py depends on this module and not the other way round. A final is handed to the
writer *before* it is sent to anyone, so whatever a client has seen as final is in the
database once the writer has flushed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from rooms.core import caption_languages, summaries
from rooms.core import db as core_db
from rooms.core.config import Settings
from rooms.core.errors import DomainError
from rooms.core.i18n import N_
from rooms.core.models import Session, utcnow
from rooms.core.transcription import metrics, policy, streams
from rooms.core.transcription.audio import AudioTrackers, AudioViolation
from rooms.core.transcription.engines.base import (
    Engine,
    EngineError,
    EngineSession,
    EngineStream,
    EngineSwitch,
    Retargetable,
    Retraction,
    StreamOptions,
    TranscriptEvent,
    Translation,
)
from rooms.core.transcription.engines.fallback import SWITCHED
from rooms.core.transcription.health import CaptionHealth
from rooms.core.transcription.hub import LocalHub
from rooms.core.transcription.protocol import (
    NORMAL_CLOSE,
    ErrorMessage,
    Message,
    close_code,
    engine_message,
    ready_message,
    retract_message,
    transcript_message,
    translation_message,
)
from rooms.core.transcription.protocol import error_message as _error_message
from rooms.core.transcription.roster import Attribution, Roster
from rooms.core.transcription.speakers import (
    InvalidSpeakerMessage,
    MessageBudget,
    message_type,
    parse_speakers,
)
from rooms.core.transcription.usage_meter import StreamUsage
from rooms.core.transcription.writer import BatchWriter, SegmentRow, TranslationRow
from rooms.core.transcripts import Speaker

log = logging.getLogger("rooms.transcription")

SHUTTING_DOWN = "The server is restarting; reconnect."
BUSY = N_("This server holds all the live transcription it can right now; retrying shortly.")
STOP_TIMEOUT = 8.0  # how long a stopping engine may take to send its last finals
FLUSH_TIMEOUT = 4.0  # how long a drain waits for those finals to reach the database


class Client(Protocol):
    async def receive(self) -> bytes | str | None:
        """The next frame; None once the client is gone."""
        ...

    async def send_json(self, message: Mapping[str, Any]) -> None: ...

    async def close(self, code: int, reason: str = "") -> None: ...


class Services(Protocol):
    """What a connection uses of the gateway that admitted it (gateway.Gateway)."""

    settings: Settings
    engine: Engine
    writer: BatchWriter
    hub: LocalHub
    trackers: AudioTrackers
    draining: asyncio.Event

    def busy(self, *, counted: bool = False) -> bool: ...


@dataclass(frozen=True)
class HostGrant:
    session_id: str
    participant_id: str
    user_id: str | None
    allowance_seconds: float
    languages: tuple[str, ...] = ()  # the space's language; empty: the engine detects it
    code_switching: bool = False
    vocabulary: tuple[str, ...] = ()  # the space's glossary, for the engine
    owner: Speaker | None = None  # the participant whose client streams
    # Per-speaker mode: the stream is one participant's microphone, all of it theirs.
    exact: bool = False
    # The languages the session's viewers read captions in (rooms/core/caption_languages).
    translate_to: tuple[str, ...] = ()


def error_message(code: str, message: str) -> ErrorMessage:
    """An error for a client, counted by code."""
    metrics.ERRORS.labels(code).inc()
    return _error_message(code, message)


def live_message(utterance_id: str, ev: TranscriptEvent, speaker: Speaker | None) -> Message:
    return transcript_message(
        utterance_id,
        ev.text,
        is_final=ev.is_final,
        language=ev.language,
        speaker=speaker,
        start=ev.start,
        end=ev.end,
    )


class HostConnection:
    def __init__(self, gateway: Services, client: Client, grant: HostGrant) -> None:
        self.gw = gateway
        self.client = client
        self.grant = grant
        self.key = uuid.uuid4().hex
        self.started_at = utcnow()
        self.client_open = True  # messages still go out
        self.client_gone = False  # the client disconnected: nothing more to send or close
        self.closed = False
        self._discarding: asyncio.Task[None] | None = None
        self.engine_name = gateway.engine.name  # the engine that runs it (after a fail-over)
        self.health = CaptionHealth(gateway.engine.name)
        self.ended = asyncio.Event()
        self.close_code = NORMAL_CLOSE
        self.close_reason = ""
        roster = Roster(grant.session_id)
        self.attribution = Attribution(roster, grant.owner, exact=grant.exact)
        self.speaker_budget = MessageBudget()
        self.flooding = False
        self.ruled: str | None = None  # the rule that ended this stream from outside
        self._rule_task: asyncio.Future[None] | None = None
        self.usage = StreamUsage(
            session_id=grant.session_id,
            user_id=grant.user_id,
            participant_id=grant.participant_id,
            engine=self.engine_name,
            started_at=self.started_at,
        )
        self.mode: policy.Mode = "per-speaker" if grant.exact else "host"
        # The translation languages the engine was asked for; only an engine that
        # translates is asked (the local one would refuse the whole stream).
        self.translating = gateway.engine.capabilities.translation
        self.translate_to = grant.translate_to if self.translating else ()
        self._stream: EngineStream | None = None
        self._wanted: tuple[str, ...] = self.translate_to

    async def say(self, message: Mapping[str, Any]) -> None:
        if not self.client_open:
            return
        try:
            await self.client.send_json(message)
        except Exception as exc:  # noqa: BLE001  (a vanished client must not stop the drain)
            # Not known to be gone: the close is still sent (_close), or the client would
            # see the connection drop without one and not know why.
            log.warning("send to a client of session %s failed: %r", self.grant.session_id, exc)
            self.client_open = False

    async def fail(self, code: str, message: str) -> None:
        if self.close_reason:  # the first reason to end is the one the client hears
            return
        self.close_code, self.close_reason = close_code(code), code
        await self.say(error_message(code, message))
        self.ended.set()

    def end_by_rule(self, code: str, message: str) -> None:
        """A rule outside the stream ended it (streams: the session ended, the host
        changed, a newer connection replaced this one). Runs on this stream's loop."""
        if self.close_reason:
            return
        self.ruled = code
        self._rule_task = asyncio.ensure_future(self.fail(code, message))

    async def run(self) -> None:
        if self.gw.draining.is_set():
            await self.fail("SERVER_SHUTTING_DOWN", SHUTTING_DOWN)
            await self._close()
            return
        if self.gw.busy(counted=True):  # refused before it costs an engine session
            await self.fail("TRANSCRIPTION_BUSY", BUSY)
            await self._close()
            return
        tracker = self.gw.trackers.open(self.key, self.grant.allowance_seconds)
        stream: EngineStream | None = None
        pump: asyncio.Task[None] | None = None
        meter: asyncio.Task[None] | None = None
        live = streams.LiveStream(
            self.grant.session_id,
            self.grant.participant_id,
            asyncio.get_running_loop(),
            self.end_by_rule,
        )
        try:
            try:
                stream = await self.gw.engine.open(
                    StreamOptions(
                        languages=list(self.grant.languages),
                        code_switching=self.grant.code_switching,
                        vocabulary=self.grant.vocabulary,
                        translate_to=self.translate_to,
                    )
                )
            except EngineError as err:
                await self.fail(err.code, err.message)
                return
            # Only a stream that works replaces the participant's older one: a reconnect
            # the engine refuses must not end the stream that still runs.
            streams.register(live)
            self._stream = stream
            self.engine_name = getattr(stream, "engine", "") or self.gw.engine.name
            self.usage.engine = self.engine_name
            # After a fail-over the stream is the local engine's: no Gladia summary of it.
            await summaries.remember_stream(
                self.grant.session_id, self.engine_name, stream.stream_id
            )
            pump = asyncio.create_task(self._pump(stream, tracker))
            meter = asyncio.create_task(self._meter(tracker))
            await self.say(ready_message(self.engine_name))
            if self.engine_name != self.gw.engine.name:  # fail-over: host and pages are told
                await self._broadcast(engine_message(self.engine_name, SWITCHED))
            await self._to_pages(self.health.message(self.engine_name))
            await self._receive(stream, tracker)
        finally:
            streams.unregister(live)
            if meter is not None:
                meter.cancel()
            # Until the close, frames the client still sends are read and dropped: a socket
            # nobody reads fills its buffers while the engine finishes (seconds, on a busy
            # machine), and the client's connection stalls instead of hearing why it ends.
            self._discarding = asyncio.create_task(self._discard_frames())
            if self.ruled is not None:
                # Ended from outside: the client hears so at once; what the engine still
                # has of the audio already received reaches the other pages and the
                # database below, except for an ended (maybe deleted) session.
                if self._rule_task is not None:
                    with contextlib.suppress(Exception):
                        await self._rule_task
                await self._close()
            if stream is not None and self.ruled == "SESSION_ENDED":
                await stream.abort()
            elif stream is not None:
                await stream.stop(STOP_TIMEOUT)
            if pump is not None:
                try:
                    await asyncio.wait_for(pump, 2.0)
                except TimeoutError:
                    pass
                except Exception:  # a bug must not leave the client without its close
                    log.exception("transcript pump of session %s failed", self.grant.session_id)
            self.gw.trackers.release(self.key)
            if self.close_code == close_code("SERVER_SHUTTING_DOWN"):
                await self._goodbye()
            await self.usage.record(tracker.seconds)
            await self._close()

    async def _goodbye(self) -> None:
        """The server is stopping: the finals this client got are written before it is told
        to reconnect, so a client that moves to another server has lost nothing."""
        if not await self.gw.writer.flush(FLUSH_TIMEOUT):
            log.error("shutdown: finals of session %s not written yet", self.grant.session_id)
        await self.say(error_message("SERVER_SHUTTING_DOWN", SHUTTING_DOWN))

    async def _receive(self, stream: EngineStream, tracker: Any) -> None:
        # One task reads frames; we wait once for it, the end of the stream or a drain, so
        # the per-frame path is a plain await (no futures per frame).
        reader = asyncio.ensure_future(self._read_frames(stream, tracker))
        stop_waiters = [
            asyncio.ensure_future(self.ended.wait()),
            asyncio.ensure_future(self.gw.draining.wait()),
        ]
        try:
            await asyncio.wait([reader, *stop_waiters], return_when=asyncio.FIRST_COMPLETED)
            if not reader.done():
                reader.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await reader
                if self.gw.draining.is_set() and not self.ended.is_set():
                    self.close_code = close_code("SERVER_SHUTTING_DOWN")
                    self.close_reason = "server shutting down"
            else:
                reader.result()
        finally:
            for waiter in stop_waiters:
                waiter.cancel()

    async def _read_frames(self, stream: EngineStream, tracker: Any) -> None:
        while True:
            frame = await self.client.receive()
            if frame is None:
                self.client_open, self.client_gone = False, True
                return
            if isinstance(frame, str):
                kind, body = message_type(frame)
                if kind == "stop":
                    return
                if kind == "garbage":
                    violation = tracker.check_text()
                    await self.fail(violation.code, violation.message)
                    return
                # Stamped with the audio received so far: the clock of the engine's times.
                await self._speakers(body, tracker.seconds)
                continue
            if not frame:
                continue
            try:
                tracker.check(frame)
            except AudioViolation as v:
                await self.fail(v.code, v.message)
                return
            metrics.FRAMES_IN.inc()
            metrics.BYTES_IN.inc(len(frame))
            self.health.heard(tracker.seconds)
            await stream.feed(frame)

    async def _speakers(self, body: object, at: float) -> None:
        """A `speakers` message. A bad one is reported but never ends the stream: losing a
        meeting's transcript over who-is-talking metadata would be the worse failure."""
        if self.grant.exact:
            return
        if not self.speaker_budget.take():
            if not self.flooding:
                self.flooding = True
                await self.say(
                    error_message(
                        "SPEAKER_MESSAGES_RATE_LIMITED",
                        "Too many speaker messages; the extra ones are ignored.",
                    )
                )
            return
        self.flooding = False
        try:
            active = parse_speakers(body)
        except InvalidSpeakerMessage as bad:
            await self.say(error_message("INVALID_SPEAKER_MESSAGE", str(bad)))
            return
        await self.attribution.report(at, active)

    async def _pump(self, stream: EngineStream, tracker: Any) -> None:
        # Engines keep the partial bookkeeping (BaseStream): a retraction names an utterance
        # whose partials were sent, and every transcript has words.
        try:
            async for ev in stream.events():
                if isinstance(ev, EngineSwitch):  # mid-stream fail-over: said once
                    self.engine_name = ev.engine
                    await asyncio.to_thread(self.usage.switch, ev.engine, tracker.seconds)
                    await self._broadcast(engine_message(ev.engine, SWITCHED))
                    continue
                if isinstance(ev, EngineSession):  # a Gladia rotation: its summary too
                    await summaries.remember_stream(
                        self.grant.session_id, self.engine_name, ev.stream_id
                    )
                    continue
                utterance_id = f"{stream.stream_id}:{ev.utterance_id}"[:128]
                if isinstance(ev, Translation):  # after its final: written after it too
                    language = ev.language[:16]
                    await self.gw.writer.submit(
                        TranslationRow(self.grant.session_id, utterance_id, language, ev.text)
                    )
                    metrics.TRANSCRIPTS_OUT.labels("translation").inc()
                    await self._to_pages(translation_message(utterance_id, language, ev.text))
                    continue
                if isinstance(ev, Retraction):
                    metrics.TRANSCRIPTS_OUT.labels("retract").inc()
                    await self._broadcast(retract_message(utterance_id))
                    continue
                speaker = self.attribution.speaker(ev.start, ev.end)
                message = live_message(utterance_id, ev, speaker)
                if ev.is_final:
                    await self.gw.writer.submit(self._row(utterance_id, ev, speaker))
                    metrics.TRANSCRIPTS_OUT.labels("final").inc()
                else:
                    metrics.TRANSCRIPTS_OUT.labels("partial").inc()
                await self._broadcast(message)
                if ev.is_final:
                    health = self.health.final(ev.end, self.engine_name)
                    if health is not None:
                        await self._to_pages(health)
        except EngineError as err:
            await self.fail(err.code, err.message)

    async def _broadcast(self, message: Message) -> None:
        """To the host and to every page of the session."""
        await self.say(message)
        await self.gw.hub.publish(self.grant.session_id, message)

    async def _to_pages(self, message: Message) -> None:
        """To the pages only: the host's page shows caption health; its streaming client
        (transcriber.js) has no use for it."""
        await self.gw.hub.publish(self.grant.session_id, message)

    def _row(self, utterance_id: str, ev: TranscriptEvent, speaker: Speaker | None) -> SegmentRow:
        base: datetime = self.started_at
        return SegmentRow(
            session_id=self.grant.session_id,
            participant_id=speaker.participant_id if speaker else None,
            utterance_id=utterance_id,
            text=ev.text,
            language=(ev.language or None) and ev.language[:16],
            started_at=base + timedelta(seconds=max(0.0, ev.start)),
            ended_at=base + timedelta(seconds=max(ev.start, ev.end)),
        )

    def _check(self, tracker: Any) -> tuple[str, str] | None:
        """Count the seconds so far and re-check the grant; (code, message) if it is over.
        Runs in a worker thread every few seconds: other workers' streams of the same
        session or user, and changes made through other workers, are seen here."""
        seconds = tracker.seconds
        if seconds > 0:
            self.usage.accrue(seconds)
        with core_db.session_scope() as db:
            session = db.get(Session, self.grant.session_id)
            if session is None:
                return "SESSION_ENDED", streams.ENDED_MESSAGE
            caller = policy.Caller(participant_id=self.grant.participant_id)
            try:
                left = policy.authorize_stream(db, session, caller, self.mode).allowance_seconds
            except DomainError as err:
                return err.code, err.message
            wanted = caption_languages.needed(db, session.id) if self.translating else ()
        # Frames between two checks stop exactly at the limit.
        tracker.max_seconds = min(tracker.max_seconds, seconds + left)
        self._wanted = wanted
        return None

    def _retarget(self) -> None:
        """A viewer now reads captions in a language the engine was not asked for: ask for
        the new set (a fresh engine session takes over without losing a word). A language
        nobody reads any more is dropped only then, or at the next stream: not worth a
        session of its own."""
        wanted = self._wanted
        if not set(wanted) - set(self.translate_to):
            return
        stream = self._stream
        if isinstance(stream, Retargetable) and stream.retarget(wanted):
            log.info(
                "session %s: captions now translated into %s",
                self.grant.session_id, ", ".join(wanted) or "nothing",
            )  # fmt: skip
            self.translate_to = wanted

    async def _meter(self, tracker: Any) -> None:
        every = self.gw.settings.transcription_check_seconds
        while not self.ended.is_set():
            await asyncio.sleep(every)
            try:
                over = await asyncio.to_thread(self._check, tracker)
            except Exception as exc:  # noqa: BLE001  (a database hiccup must not end the stream)
                log.warning("stream check of session %s failed: %s", self.grant.session_id, exc)
                continue
            if over is not None and not self.close_reason:
                self.ruled = over[0]
                await self.fail(*over)
            elif over is None:
                self._retarget()

    async def _discard_frames(self) -> None:
        while not self.client_gone:
            if await self.client.receive() is None:
                self.client_open, self.client_gone = False, True

    async def _close(self) -> None:
        if self._discarding is not None:
            self._discarding.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._discarding
        if self.client_gone or self.closed:
            return
        self.client_open, self.closed = False, True
        with contextlib.suppress(Exception):
            await self.client.close(self.close_code, self.close_reason[:120])
