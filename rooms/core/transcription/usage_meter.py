"""What one live stream has used, written as it goes: one usage row per engine that carried
it (after a mid-stream fail-over the open row is closed and the next one counts from there).

The periodic check writes from a worker thread while the end of the stream may write the
total from another, and both must update one committed row: every write holds the lock."""

from __future__ import annotations

import asyncio
import logging
import threading
from datetime import datetime

from rooms.core import db as core_db
from rooms.core.models import utcnow
from rooms.core.transcription import usage

log = logging.getLogger("rooms.transcription")


class StreamUsage:
    def __init__(
        self,
        *,
        session_id: str,
        user_id: str | None,
        participant_id: str,
        engine: str,
        started_at: datetime,
    ) -> None:
        self.session_id = session_id
        self.user_id = user_id
        self.participant_id = participant_id
        self.engine = engine  # the engine whose row is open
        self.row_id: str | None = None
        self._from = 0.0  # stream seconds the open row counts from
        self._started = started_at
        self._lock = threading.Lock()

    def accrue(self, seconds: float) -> None:
        """The stream's seconds so far, into the open row (blocking: call it in a thread)."""
        with self._lock:
            self._accrue_locked(seconds)

    def _accrue_locked(self, seconds: float) -> None:
        carried = seconds - self._from
        if carried <= 0:  # a check that read the clock before a fail-over
            return
        with core_db.session_scope() as db:
            self.row_id = usage.accrue(
                db,
                self.row_id,
                session_id=self.session_id,
                user_id=self.user_id,
                participant_id=self.participant_id,
                engine=self.engine,
                seconds=carried,
                started_at=self._started,
            )

    def switch(self, engine: str, seconds: float) -> None:
        """A mid-stream fail-over at `seconds` of audio: the old engine's row ends there, the
        new engine's row counts the rest. The switch holds even if the write fails."""
        with self._lock:
            try:
                self._accrue_locked(seconds)
            except Exception as exc:  # noqa: BLE001  (usage accounting must not stop the stream)
                log.warning("could not record %.1fs of usage: %s", seconds, exc)
            finally:
                self.row_id = None
                self.engine = engine
                self._from = seconds
                self._started = utcnow()

    async def record(self, seconds: float) -> None:
        """The total at the end of the stream; a failure is logged, never raised."""
        if seconds <= 0:
            return
        try:
            await asyncio.to_thread(self.accrue, seconds)
        except Exception as exc:  # noqa: BLE001  (usage accounting must not break the drain)
            log.warning("could not record %.1fs of usage: %s", seconds, exc)
