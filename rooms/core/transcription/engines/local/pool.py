"""The decoding side of the local engine: one Whisper model per process and a bounded pool of
worker threads that decode for every stream.

Finals go before partials; a stream has at most one partial waiting (a newer one replaces
it) and never more than one decode of each kind running, so its events stay in order and,
under load, partials thin out before finals slow down. When finals start to wait for a
worker, new streams are refused with TRANSCRIPTION_BUSY instead of queueing without end.
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import math
import os
import threading
import time
import weakref
from collections import deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from rooms.core.transcription.engines.base import EngineError
from rooms.core.transcription.engines.local.vad import Request

log = logging.getLogger("rooms.transcription.local")

LOAD_TIMEOUT = 120.0
BUSY = "TRANSCRIPTION_BUSY"

# (job, text, language, stream now idle, failure) -> None; called on a worker thread
OnDone = Callable[["Job", str, str, bool, "str | None"], None]


@dataclass
class Job:
    request: Request
    language: str | None
    on_done: OnDone
    queued_at: float = field(default_factory=time.monotonic)
    fast: bool = False  # decode cheaply: we are behind
    vocabulary: tuple[str, ...] = ()  # names and terms to expect (the space's glossary)

    @property
    def final(self) -> bool:
        return self.request.final


@dataclass
class _Slot:
    """A stream's place in the pool; guarded by the pool's lock."""

    finals: deque[Job] = field(default_factory=deque)
    partial: Job | None = None
    final_running: bool = False
    partial_running: bool = False

    def idle(self) -> bool:
        return not (self.finals or self.partial or self.final_running or self.partial_running)


class Decoder(Protocol):
    language: str | None  # fixed by the model or configuration; None: per stream

    def decode(
        self,
        audio: np.ndarray,
        *,
        final: bool,
        language: str | None,
        fast: bool,
        vocabulary: tuple[str, ...] = (),
    ) -> tuple[str, str]:
        """(text, language) of one utterance; "" when nothing was said. `fast` trades a little
        accuracy for a third of the time; `vocabulary` names words to expect."""
        ...


_live: weakref.WeakSet[DecodePool] = weakref.WeakSet()


@atexit.register
def _close_all() -> None:
    # CTranslate2 aborts the process ("terminate called") if it is torn down mid-decode.
    for pool in list(_live):
        pool.close(wait=30.0)


class DecodePool:
    """The model, the worker threads and admission control; one per process."""

    def __init__(
        self,
        loader: Callable[[int, int], Decoder],
        *,
        workers: int | None = None,
        cpu_threads: int | None = None,
        max_streams: int | None = None,
        busy_wait: float = 1.0,
        busy_memory: float = 5.0,
        hurry_after: float = 0.25,
        max_pending_finals: int = 6,
    ) -> None:
        cores = os.cpu_count() or 1
        self.workers = workers or min(2, cores)
        self.cpu_threads = cpu_threads or max(1, cores // self.workers)
        self.max_streams = max_streams or 2 * cores
        self.busy_wait = busy_wait  # finals waiting this long for a worker: we are behind
        self.busy_memory = busy_memory  # seconds over which a past wait is forgotten
        self.hurry_after = hurry_after  # a final that waited this long is decoded fast
        self.max_pending_finals = max_pending_finals
        self._loader = loader  # (workers, cpu_threads) -> Decoder; runs on a thread
        self.model: Decoder | None = None
        self.error: str | None = None
        self._ready = threading.Event()
        self._started = False
        self._cv = threading.Condition()
        self._slots: dict[Hashable, _Slot] = {}
        self._wait_ewma = 0.0
        self._wait_at = time.monotonic()
        self._stopped = False
        self._threads: list[threading.Thread] = []
        _live.add(self)
        self.decodes = {"final": 0, "fast final": 0, "partial": 0}
        self.decode_seconds = {"final": 0.0, "fast final": 0.0, "partial": 0.0}

    # --- loading ---
    def start(self) -> None:
        with self._cv:
            if self._started:
                return
            self._started = True
        self._spawn(self._load, "whisper-load")

    def _spawn(self, target: Callable[[], None], name: str) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        self._threads.append(thread)
        thread.start()

    def _load(self) -> None:
        try:
            self.model = self._loader(self.workers, self.cpu_threads)
        except Exception as exc:  # noqa: BLE001  (any failure means: no local engine, say why)
            self.error = f"cannot load the speech model: {exc}"
            log.error("%s", self.error)
        else:
            for i in range(self.workers):
                self._spawn(self._work, f"whisper-{i}")
        self._ready.set()

    async def wait_ready(self) -> Decoder:
        self.start()
        if not self._ready.is_set():
            await asyncio.get_running_loop().run_in_executor(None, self._ready.wait, LOAD_TIMEOUT)
        if self.model is None:
            raise EngineError("ENGINE_UNAVAILABLE", self.error or "the speech model is loading")
        return self.model

    def status(self) -> str:
        return f"unavailable: {self.error}" if self.error else "ok"

    def close(self, wait: float = 0.0) -> None:
        """Stop the workers once they are idle; wait up to `wait` s for a running decode."""
        with self._cv:
            self._stopped = True
            self._slots.clear()
            self._cv.notify_all()
        deadline = time.monotonic() + wait
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))

    # --- admission ---
    def final_wait(self) -> float:
        """Recent mean wait of finals for a worker; fades when no final comes."""
        return self._wait_ewma * math.exp(-(time.monotonic() - self._wait_at) / self.busy_memory)

    def busy_reason(self) -> str | None:
        if len(self._slots) >= self.max_streams:
            return f"{len(self._slots)} streams already running"
        now = time.monotonic()
        oldest = min((s.finals[0].queued_at for s in self._slots.values() if s.finals), default=now)
        waited = max(now - oldest, self.final_wait())
        if waited > self.busy_wait:
            return f"speech waits {waited:.1f}s for decoding"
        return None

    def admit(self, stream: Hashable) -> None:
        with self._cv:
            reason = self.busy_reason()
            if reason:
                raise EngineError(
                    BUSY, f"Live transcription is at capacity here ({reason}); try again shortly."
                )
            self._slots[stream] = _Slot()

    # --- the pool ---
    def submit(self, stream: Hashable, job: Job) -> None:
        with self._cv:
            slot = self._slots.get(stream)
            if slot is None:
                return
            if job.final:
                if len(slot.finals) >= self.max_pending_finals:
                    raise EngineError(BUSY, "Transcription cannot keep up with this stream.")
                slot.finals.append(job)
                slot.partial = None  # the final supersedes it
            else:
                slot.partial = job
            self._cv.notify()

    def withdraw(self, stream: Hashable, job: Job) -> None:
        """Forget a final not yet decoding (an early final the voice made void)."""
        with self._cv:
            slot = self._slots.get(stream)
            if slot is not None:  # by identity: a Job holds an array, == would compare it
                slot.finals = deque(j for j in slot.finals if j is not job)

    def drop_partial(self, stream: Hashable) -> bool:
        """Forget a waiting partial; True when the stream then has nothing left to decode."""
        with self._cv:
            slot = self._slots.get(stream)
            if slot is None:
                return True
            slot.partial = None
            return slot.idle()

    def idle(self, stream: Hashable) -> bool:
        with self._cv:
            slot = self._slots.get(stream)
            return slot is None or slot.idle()

    def release(self, stream: Hashable) -> None:
        with self._cv:
            slot = self._slots.pop(stream, None)
            if slot is not None:
                slot.finals.clear()
                slot.partial = None

    def _pick(self) -> tuple[_Slot, Job] | None:
        best: tuple[int, float, _Slot] | None = None
        for slot in self._slots.values():
            if slot.finals and not slot.final_running:
                key = (0, slot.finals[0].queued_at, slot)
            elif slot.partial and not (slot.partial_running or slot.final_running or slot.finals):
                key = (1, slot.partial.queued_at, slot)
            else:
                continue
            if best is None or key[:2] < best[:2]:
                best = key
        if best is None:
            return None
        slot = best[2]
        if best[0] == 0:
            job = slot.finals.popleft()
            slot.final_running = True
            now = time.monotonic()
            # Behind: finals get the cheaper decode (WER ~7 % -> ~11 %) rather than arriving late.
            job.fast = now - job.queued_at > self.hurry_after or any(
                s.finals for s in self._slots.values()
            )
            self._wait_ewma = 0.7 * self.final_wait() + 0.3 * (now - job.queued_at)
            self._wait_at = now
        else:
            job, slot.partial = slot.partial, None  # type: ignore[assignment]
            slot.partial_running = True
        return slot, job

    def _work(self) -> None:
        assert self.model is not None
        while True:
            with self._cv:
                picked = self._pick()
                while picked is None:
                    if self._stopped:
                        return
                    self._cv.wait()
                    picked = self._pick()
            slot, job = picked
            started = time.monotonic()
            text, language, failure = "", "en", None
            try:
                text, language = self.model.decode(
                    job.request.audio,
                    final=job.final,
                    language=job.language,
                    fast=job.fast,
                    vocabulary=job.vocabulary,
                )
            except Exception as exc:
                log.exception("decode failed")
                failure = str(exc)
            kind = ("fast final" if job.fast else "final") if job.final else "partial"
            with self._cv:
                self.decodes[kind] += 1
                self.decode_seconds[kind] += time.monotonic() - started
                if job.final:
                    slot.final_running = False
                else:
                    slot.partial_running = False
                idle = slot.idle()
                self._cv.notify_all()
            job.on_done(job, text, language, idle, failure)
