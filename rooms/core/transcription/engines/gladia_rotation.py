"""Gladia session rotation: a Gladia live session ends after 3 hours, so a longer stream moves
to a fresh session before the cap without losing or repeating a word.

`margin` seconds before the cap (the session's age is the larger of its audio and its
wall-clock time) the next session is opened and hears the same audio as the current one.
The hand-over point H is the end of the first final the current session sends about audio
the next one also heard (a natural boundary: nobody is mid-utterance there); if none comes
(silence) by a quarter of the margin before the cap, H is the audio received so far. From
H the old session gets no audio and is stopped (its summary is made). Each final is judged
by its midpoint: the old session's finals before H are kept, the next session's from H on,
the others (the same audio, heard twice) are dropped, with their partials retracted. The
next session's times are shifted by the audio it missed, so times stay the stream's own.
A translation goes the way of the final it translates (Gladia sends it after that final).

The same hand-over changes the translation languages mid-stream (`retarget`): Gladia takes
them only when a session starts, so a fresh session is opened with the new list at once and
takes over at the next final (or after HANDOVER_SECONDS of silence).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import OrderedDict
from dataclasses import dataclass, field, replace

from rooms.core.config import Settings
from rooms.core.transcription import metrics
from rooms.core.transcription.engines import gladia
from rooms.core.transcription.engines.base import (
    BYTES_PER_SECOND,
    BaseStream,
    Capabilities,
    Engine,
    EngineError,
    EngineSession,
    EngineStream,
    Event,
    Retraction,
    StreamOptions,
    TranscriptEvent,
    Translation,
)

log = logging.getLogger("rooms.transcription.gladia")

RETRY_SECONDS = 5.0  # after the next session could not be opened
STOP_OLD_SECONDS = 10.0  # the retired session's last finals and summary request
# A retarget's fresh session takes over at the current one's next final; with nobody
# speaking, after this long.
HANDOVER_SECONDS = 8.0
_KEPT = 512  # finals passed on, remembered so their translations follow them


@dataclass(eq=False)
class _Leg:
    """One Gladia session of the stream: `offset` is where its audio starts in the stream."""

    stream: EngineStream
    generation: int
    offset: float = 0.0
    opened: float = field(default_factory=time.monotonic)
    fed: int = 0  # bytes
    pump: asyncio.Task[None] | None = None

    def age(self) -> float:
        return max(self.fed / BYTES_PER_SECOND, time.monotonic() - self.opened)

    def shifted(self, ev: Event) -> Event:
        uid = ev.utterance_id if self.generation == 0 else f"r{self.generation}.{ev.utterance_id}"
        if isinstance(ev, Retraction):
            return Retraction(uid)
        if isinstance(ev, Translation):
            return replace(ev, utterance_id=uid)
        return replace(ev, utterance_id=uid, start=ev.start + self.offset, end=ev.end + self.offset)


def _mid(ev: TranscriptEvent) -> float:
    return (ev.start + ev.end) / 2


class RotatingStream(BaseStream):
    engine = "gladia"

    def __init__(
        self,
        engine: Engine,
        options: StreamOptions,
        first: EngineStream,
        max_seconds: float,
        margin: float,
    ) -> None:
        super().__init__()
        self._engine = engine
        self._options = options
        self._max = max_seconds
        self._margin = margin
        self._bytes = 0
        self._current = self._start_leg(_Leg(first, 0))
        self._next: _Leg | None = None
        self._old: _Leg | None = None  # retired at the last hand-over, finishing
        self._opening: asyncio.Task[None] | None = None
        self._retiring: asyncio.Task[None] | None = None
        self._retry_at = 0.0
        self._handover: float | None = None  # stream seconds; None outside a hand-over
        self._held: list[Event] = []  # the next session's events before H is known
        self._unfinished: dict[str, float] = {}  # the current session's open utterances
        self._stopping = False
        self.rotations = 0
        self._id = first.stream_id
        self._kept: OrderedDict[str, None] = OrderedDict()  # finals passed on, newest last
        self._retarget = False  # new translation languages wait for a fresh session
        self._forced = False  # the next session was opened by a retarget, not the cap

    @property
    def stream_id(self) -> str:
        return self._id

    # --- audio ---
    async def feed(self, pcm: bytes) -> None:
        self._bytes += len(pcm)
        for leg in (self._current, self._next):
            if leg is not None:
                leg.fed += len(pcm)
                await leg.stream.feed(pcm)
        if self._margin > 0 and not self._stopping:
            self._check()

    def retarget(self, translate_to: tuple[str, ...]) -> bool:
        """Translate into these languages from the next hand-over on, which starts now."""
        if self._stopping or self.over:
            return False
        if tuple(translate_to) != self._options.translate_to:
            self._options = replace(self._options, translate_to=tuple(translate_to))
            self._retarget = True
        return True

    def _check(self) -> None:
        age = self._current.age()
        if self._next is None:
            due = age >= self._max - self._margin or self._retarget
            if self._opening is None and due and time.monotonic() >= self._retry_at:
                self._forced, self._retarget = self._retarget, False
                self._opening = asyncio.create_task(self._open_next())
        elif self._handover_due(age) or (
            self._forced and time.monotonic() - self._next.opened >= HANDOVER_SECONDS
        ):
            # No final came in the overlap (silence, or one long utterance): hand over now,
            # before the utterance still open if the next session heard all of it (then
            # the old session's cut-off final of it is dropped and the new one's kept).
            at = self._bytes / BYTES_PER_SECOND
            opened = [t for t in self._unfinished.values() if t >= self._next.offset]
            self._hand_over(min(opened) if opened else at)

    def _handover_due(self, age: float) -> bool:
        return age >= self._max - self._margin / 4

    async def _open_next(self) -> None:
        try:
            stream = await self._engine.open(self._options)
        except EngineError as err:
            log.warning("gladia rotation of %s: next session refused (%s)", self._id, err.code)
            self._retry_at = time.monotonic() + RETRY_SECONDS
            self._retarget = self._retarget or self._forced  # the new languages: try again
            return
        finally:
            self._opening = None
        if self._stopping or self.over:
            await stream.abort()
            return
        leg = _Leg(stream, self._current.generation + 1, self._bytes / BYTES_PER_SECOND)
        self._next = self._start_leg(leg)

    # --- events ---
    def _start_leg(self, leg: _Leg) -> _Leg:
        leg.pump = asyncio.create_task(self._pump(leg))
        return leg

    async def _pump(self, leg: _Leg) -> None:
        try:
            async for ev in leg.stream.events():
                self._route(leg, leg.shifted(ev))
        except EngineError as err:
            if leg is self._current:
                self.fail(err)
            elif leg is self._next:  # the old session still has everything: try again later
                log.warning("gladia rotation of %s: next session failed (%s)", self._id, err.code)
                self._next, self._held = None, []
                self._retry_at = time.monotonic() + RETRY_SECONDS
                self._retarget, self._forced = self._retarget or self._forced, False
            return
        if leg is self._current:
            if self._next is not None:  # the current session ended on its own: no rotation
                nxt, self._next = self._next, None
                await nxt.stream.abort()
            if self._retiring is not None:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(asyncio.shield(self._retiring), STOP_OLD_SECONDS)
            self.end()
        elif leg is self._next:
            self._next, self._held = None, []

    def _route(self, leg: _Leg, ev: Event) -> None:
        h = self._handover
        if leg is self._next:  # the new session, before the hand-over
            self._held.append(ev)
        elif isinstance(ev, Translation):
            self._judge(ev, keep=True)
        elif leg is self._current:
            # After a hand-over the current session's finals over audio before H stay
            # dropped: the old session had them.
            if h is None or not self._is_before(ev, h) or isinstance(ev, Retraction):
                self._pass(ev)
                if (
                    self._next is not None
                    and isinstance(ev, TranscriptEvent)
                    and ev.is_final
                    and ev.end >= self._next.offset
                ):
                    self._hand_over(ev.end)
            else:
                self._judge(ev, keep=False)
        elif leg is self._old and h is not None:
            self._judge(ev, keep=self._is_before(ev, h))

    def _is_before(self, ev: Event, h: float) -> bool:
        if isinstance(ev, Retraction | Translation):
            return True  # a retraction of what was shown is always passed on (see _judge)
        return (_mid(ev) if ev.is_final else ev.start) < h

    def _judge(self, ev: Event, keep: bool) -> None:
        if isinstance(ev, Translation):
            if ev.utterance_id in self._kept:  # its final was passed on, not dropped
                self.announce(ev)
        elif isinstance(ev, Retraction):
            self.retract(ev.utterance_id)
        elif keep:
            self._pass(ev)
        elif ev.is_final:
            self.retract(ev.utterance_id)  # its partials, if any were shown

    def _pass(self, ev: Event) -> None:
        if isinstance(ev, Retraction):
            self._unfinished.pop(ev.utterance_id, None)
            self.retract(ev.utterance_id)
            return
        if ev.is_final:
            self._unfinished.pop(ev.utterance_id, None)
            if ev.text:
                self._kept[ev.utterance_id] = None
                if len(self._kept) > _KEPT:
                    self._kept.popitem(last=False)
        else:
            self._unfinished.setdefault(ev.utterance_id, ev.start)
        self.emit(ev)

    def _hand_over(self, at: float) -> None:
        assert self._next is not None
        old, new = self._current, self._next
        self._handover = at
        self._current, self._next, self._old = new, None, old
        self.rotations += 1
        metrics.ENGINE_ROTATIONS.inc()
        log.info(
            "gladia stream %s: session %s hands over to %s at %.1fs",
            self._id, old.stream.stream_id, new.stream.stream_id, at,
        )  # fmt: skip
        self._forced = False
        self.announce(EngineSession(new.stream.stream_id))
        held, self._held = self._held, []
        self._unfinished = {}
        for ev in held:
            self._judge(ev, keep=not self._is_before(ev, at))
        self._retiring = asyncio.create_task(self._retire(old))

    async def _retire(self, old: _Leg) -> None:
        with contextlib.suppress(Exception):
            await old.stream.stop(STOP_OLD_SECONDS)
        if old.pump is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(old.pump, STOP_OLD_SECONDS)
        if self._old is old:
            self._old = None

    # --- end ---
    async def _cancel_opening(self) -> None:
        if self._opening is not None:
            self._opening.cancel()
            with contextlib.suppress(BaseException):
                await self._opening

    async def stop(self, timeout: float) -> None:
        self._stopping = True
        await self._cancel_opening()
        if self._next is not None:  # it heard nothing the current session did not
            nxt, self._next = self._next, None
            await nxt.stream.abort()
        await self._current.stream.stop(timeout)
        if self._current.pump is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(asyncio.shield(self._current.pump), timeout)

    async def abort(self) -> None:
        self._stopping = True
        await self._cancel_opening()
        if self._retiring is not None:
            self._retiring.cancel()
        for leg in (self._current, self._next, self._old):
            if leg is not None:
                with contextlib.suppress(Exception):
                    await leg.stream.abort()
        self.end()


class RotatingEngine:
    """Gladia, with streams that outlive its session cap."""

    name = "gladia"

    def __init__(self, inner: Engine, max_seconds: float, margin: float) -> None:
        self.inner = inner
        self._max = max_seconds
        self._margin = min(margin, max_seconds / 2)

    @property
    def capabilities(self) -> Capabilities:
        return self.inner.capabilities

    def status(self) -> str:
        return self.inner.status()

    async def open(self, options: StreamOptions) -> EngineStream:
        first = await self.inner.open(options)
        return RotatingStream(self.inner, options, first, self._max, self._margin)


def create(settings: Settings) -> Engine:
    engine = gladia.create(settings)
    if engine.status() != "ok" or settings.gladia_rotation_margin_seconds <= 0:
        return engine
    return RotatingEngine(
        engine, settings.gladia_session_max_seconds, settings.gladia_rotation_margin_seconds
    )
