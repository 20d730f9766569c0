"""The live transcript of one session, for every page that shows it.

On load the saved finals are read (newest page); a background event then subscribes to the
hub and applies each partial (updated in place), final, and retraction (an utterance whose
partials were shown ended with no words: its partial goes). Only a window of recent items is
kept in the page; older ones are loaded on demand.

Every one of these paths asks rooms.core.access first (and the stream asks again while it
runs): the page is open to anyone holding the link, the transcript is not.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import time
from typing import Any

import reflex as rx
from sqlmodel import Session as DbSession

from rooms.core import access, participants, tasks
from rooms.core.config import get_settings
from rooms.core.db import session_scope
from rooms.core.errors import DomainError
from rooms.core.identity import initials_of
from rooms.core.models import ParticipantRole, Session, User
from rooms.core.transcription import health, policy, transcripts
from rooms.core.transcription.gateway import engine_report
from rooms.core.transcription.hub import get_hub
from rooms.core.transcription.policy import Caller
from rooms.core.transcripts import UNKNOWN_SPEAKER
from rooms.state.auth import AuthState

WINDOW = 200  # items kept in the page; older ones come back with "load earlier"
PAGE = 100
LIVE_MAX = 8  # lines kept in `live` behind a partial before the oldest is settled anyway
# How often a page that may host (a member's, in host mode) asks whether it is the host now:
# when the host leaves, the server re-elects one and that page takes the stream over.
HOST_CHECK_SECONDS = 2.0
# Captions seen this recently mean the meeting was being transcribed: a page that becomes
# the host then starts streaming by itself, so the captions go on.
CAPTIONS_RECENT_SECONDS = 60.0
RECHECK_SECONDS = 1.0  # how stale the stream's access check may get (leaving, the end)
NOT_READABLE = "Join the session to see its live transcript."


@dataclasses.dataclass
class Caption:
    """A caption as the sidebar shows it. The field names are the wire's (the socket sends
    them as the JSON keys), so a line reads the same in the state and in the messages."""

    utteranceId: str = ""
    text: str = ""
    isFinal: bool = False
    language: str = ""
    startedAt: str = ""
    speaker: str = ""
    participantId: str = ""
    initials: str = ""
    avatar: str = ""


def _reader(db: DbSession, user_id: str, identity: str) -> access.Reader:
    user = db.get(User, user_id) if user_id else None
    return access.Reader(user=user, identity=identity or None)


def _readable(session_id: str, user_id: str, identity: str) -> bool:
    with session_scope() as db:
        return access.still_readable(db, session_id, _reader(db, user_id, identity))


def _load(
    slug: str, user_id: str, identity: str, per_speaker: bool
) -> tuple[str, bool, bool, list[Caption], bool]:
    """(session id, whether this viewer may stream, whether it may become the host, the
    newest finals, whether more remain). NotFound when this viewer may not read the
    transcript (or there is no such session)."""
    with session_scope() as db:
        session = access.readable_session(db, slug, _reader(db, user_id, identity))
        caller = Caller(user_id=user_id or None, identity=identity or None)
        can = policy.may_offer(db, session, caller, "per-speaker" if per_speaker else "host")
        me = participants.find(db, session.id, identity) if identity else None
        may_host = not per_speaker and me is not None and me.role == ParticipantRole.HOST
        items, more = transcripts.page(db, session.id, limit=PAGE)
        return session.id, can, may_host, [_view(it) for it in items], more


def _may_make_tasks(session_id: str, user_id: str) -> bool:
    with session_scope() as db:
        user = db.get(User, user_id) if user_id else None
        session = db.get(Session, session_id)
        if user is None or session is None:
            return False
        return tasks.tasks_view_of_session(db, user, session) is not None


def _is_host(session_id: str, identity: str) -> bool:
    with session_scope() as db:
        session = db.get(Session, session_id)
        return session is not None and policy.may_offer(
            db, session, Caller(identity=identity), "host"
        )


def _view(msg: dict[str, Any]) -> Caption:
    """A caption as the sidebar shows it, from a live message or a saved final."""
    name = str(msg.get("speaker") or "")
    return Caption(
        utteranceId=str(msg["utteranceId"]),
        text=str(msg["text"]),
        isFinal=bool(msg["isFinal"]),
        language=msg.get("language") or "",
        startedAt=msg.get("startedAt") or "",
        speaker=name or UNKNOWN_SPEAKER,
        participantId=msg.get("participantId") or "",
        initials=initials_of(name),
        avatar=str(msg.get("avatarUrl") or ""),
    )


def _older(session_id: str, before: str, user_id: str, identity: str) -> tuple[list[Caption], bool]:
    with session_scope() as db:
        if not access.still_readable(db, session_id, _reader(db, user_id, identity)):
            return [], False
        items, more = transcripts.page(db, session_id, limit=PAGE, before=before)
        return [_view(it) for it in items], more


def shown(state: TranscriptState) -> list[Caption]:
    """What the sidebar shows, oldest first (not a method: those are socket handlers)."""
    return [*state.items, *state.live]


class TranscriptState(AuthState):
    transcript_slug: str = ""
    # Settled lines (finals), then the live tail from the oldest line still partial: two of
    # three captions are partials and they change only `live`, so the settled window (up to
    # WINDOW lines) is sent over the socket and re-rendered only when a line settles.
    items: list[Caption] = []
    live: list[Caption] = []
    has_older: bool = False
    can_transcribe: bool = False  # the host (host mode) or any participant (per-speaker)
    per_speaker: bool = False
    can_make_tasks: bool = False  # a member of a space with tasks: "Make a task" on lines
    listening: bool = False
    available: bool = True
    unavailable_reason: str = ""
    capture_status: str = "idle"
    engine_notice: str = ""
    # The caption-health indicator of the page that streams (health messages, issue 14).
    caption_engine: str = ""  # "" until this page's stream is known to run
    caption_delay: str = ""
    caption_degraded: bool = False
    caption_reason: str = ""
    _may_host: bool = False
    _session_id: str = ""
    _index: dict[str, int] = {}
    # The participant identity the server recorded when this viewer joined (RoomState.join
    # sets it, leave clears it): what rooms.core.access checks, never a client's claim.
    _identity: str = ""
    # A guest's LiveKit token, the proof of who they are on transcription/start (RoomState
    # keeps it current: each join mints a new one). Set from the room, so this state never
    # reads the room's.
    _bearer: str = ""

    @rx.event
    async def load_transcript(self):
        """on_load of the session page (after the viewer is known), and again on joining."""
        await self._signed_in()
        slug = self.router.page.params.get("slug", "") or self.transcript_slug
        _, identity = self._viewer()
        self.per_speaker = get_settings().per_speaker
        try:
            sid, can, may_host, items, more = await asyncio.to_thread(
                _load, slug, self._user_id, identity, self.per_speaker
            )
        except DomainError:
            self._forget()
            self.transcript_slug = slug
            self.unavailable_reason = NOT_READABLE
            return
        self.transcript_slug, self._session_id = slug, sid
        self.can_make_tasks = await asyncio.to_thread(_may_make_tasks, sid, self._user_id)
        self.can_transcribe, self.has_older, self._may_host = can, more, may_host
        self.items, self.live = [], items
        self._index = {}
        self._settle()
        _, status = await engine_report()
        enabled = get_settings().transcription_enabled
        self.available = enabled and status == "ok"
        self.unavailable_reason = (
            "" if self.available
            else "Transcription is turned off on this server." if not enabled
            else f"Live transcription is unavailable ({status})."
        )  # fmt: skip
        return TranscriptState.listen

    def _forget(self) -> None:
        """Drop everything this viewer was shown and stop the stream (it checks _session_id)."""
        self.items, self.live, self._index, self._session_id = [], [], {}, ""
        self.has_older = self.can_transcribe = self.available = self.can_make_tasks = False
        self.caption_engine = self.caption_delay = self.caption_reason = ""
        self.caption_degraded = False

    def apply(self, msg: dict[str, Any]) -> None:
        if msg.get("type") == "engine":  # a fail-over: said once, where the captions are
            self.engine_notice = str(msg.get("reason") or "")[:200]
            if self.can_transcribe:
                self.caption_engine = health.engine_label(str(msg.get("engine") or ""))
                self.caption_degraded = True
                self.caption_reason = self.engine_notice
            return
        if msg.get("type") == "health":
            if self.can_transcribe:  # only the page that may stream shows it
                self._show_health(msg)
            return
        if msg.get("type") == "retract":
            self._retract(str(msg.get("utteranceId") or ""))
            return
        if msg.get("type") != "transcript":
            return
        item = _view(msg)
        uid = item.utteranceId
        at = self._index.get(uid)
        if at is not None:  # a final sent again, or a late partial of a settled line
            self.items[at] = item
            return
        for i, it in enumerate(self.live):
            if it.utteranceId == uid:
                self.live[i] = item  # a partial updated in place, or its final
                break
        else:
            self.live.append(item)
        self._settle()

    def _show_health(self, msg: dict[str, Any]) -> None:
        delay = msg.get("delayMs")
        self.caption_engine = health.engine_label(str(msg.get("engine") or ""))
        self.caption_delay = f"{delay / 1000:.1f} s" if isinstance(delay, int) else ""
        self.caption_degraded = bool(msg.get("degraded"))
        self.caption_reason = str(msg.get("reason") or "")[:200]

    def _settle(self) -> None:
        """Move the finals at the head of `live` to `items`, then trim to the window.

        A line stays in `live` while an older line there is still partial, so the sidebar
        order is the order in which utterances began, as if it were one list. A partial that
        never ends (its stream was cut) is settled anyway once LIVE_MAX lines wait behind it,
        so `live` stays small; it is still updated or retracted where it is, in `items`."""
        settled = 0
        while settled < len(self.live) and (
            self.live[settled].isFinal or len(self.live) - settled > LIVE_MAX
        ):
            settled += 1
        if settled:
            for it in self.live[:settled]:
                self._index[it.utteranceId] = len(self.items)
                self.items.append(it)
            self.live = self.live[settled:]
        over = len(self.items) + len(self.live) - WINDOW
        if over > 0:
            self.has_older = True
            if over >= len(self.items):  # only if more than WINDOW lines are still live
                self.live = self.live[over - len(self.items) :]
            self.items = self.items[over:]
            self._reindex()

    def _reindex(self) -> None:
        # Read-only, once per settled line over the whole window: the unproxied list skips
        # wrapping every item in a change-tracking proxy.
        items = self.get_value("items")
        self._index = {it.utteranceId: i for i, it in enumerate(items)}

    def _retract(self, utterance_id: str) -> None:
        kept = [it for it in self.live if it.utteranceId != utterance_id or it.isFinal]
        if len(kept) != len(self.live):
            self.live = kept
            self._settle()  # the retracted partial may have held finals back
            return
        at = self._index.get(utterance_id)
        if at is None or self.items[at].isFinal:  # a saved final is never taken back
            return
        del self.items[at]
        self._reindex()

    def _viewer(self) -> tuple[str, str]:
        return self._user_id, self._identity

    @rx.event(background=True)
    async def listen(self):
        async with self:
            if self.listening or not self._session_id:
                return
            self.listening = True
            session_id = self._session_id
            user_id, identity = self._viewer()
        if not await asyncio.to_thread(_readable, session_id, user_id, identity):
            async with self:
                self.listening = False
            return
        checked = time.monotonic()
        hub = get_hub()
        await hub.start()
        sub = hub.subscribe(session_id)
        last_caption = checked = read_checked = -CAPTIONS_RECENT_SECONDS
        try:
            while True:
                try:
                    msg = await asyncio.wait_for(sub.get(), HOST_CHECK_SECONDS)
                except TimeoutError:
                    msg = None
                if time.monotonic() - read_checked > RECHECK_SECONDS:
                    async with self:
                        user_id, identity = self._viewer()
                    if not await asyncio.to_thread(_readable, session_id, user_id, identity):
                        async with self:
                            if self._session_id == session_id:
                                self._forget()
                                self.unavailable_reason = NOT_READABLE
                        return
                    read_checked = time.monotonic()
                if msg is not None:
                    if msg.get("type") == "transcript":
                        last_caption = time.monotonic()
                    async with self:
                        if self._session_id != session_id:  # left, or refused on a reload
                            return
                        self.apply(msg)
                if time.monotonic() - checked < HOST_CHECK_SECONDS:
                    continue
                checked = time.monotonic()
                if await self._became_host(session_id, time.monotonic() - last_caption):
                    yield TranscriptState.start_transcription
        finally:
            sub.close()
            with contextlib.suppress(Exception):
                async with self:
                    self.listening = False

    async def _became_host(self, session_id: str, since_caption: float) -> bool:
        """Whether this page just became the transcription host of a meeting that was being
        transcribed (so it should take the stream over); keeps `can_transcribe` true."""
        async with self:
            if not self._may_host or self.per_speaker:
                return False
            identity = self._identity
        if not identity:
            return False
        host_now = await asyncio.to_thread(_is_host, session_id, identity)
        async with self:
            was, self.can_transcribe = self.can_transcribe, host_now
            idle = self.capture_status in ("idle", "error")
        return host_now and not was and idle and since_caption < CAPTIONS_RECENT_SECONDS

    @rx.event
    async def load_older(self):
        finals = [it for it in shown(self) if it.isFinal and it.startedAt]
        if not self._session_id or not finals:
            self.has_older = False
            return
        user_id, identity = self._viewer()
        older, more = await asyncio.to_thread(
            _older, self._session_id, finals[0].startedAt, user_id, identity
        )
        known = {it.utteranceId for it in shown(self)}
        self.items = [it for it in older if it.utteranceId not in known] + self.items
        self._reindex()
        self.has_older = more

    @rx.event
    def start_transcription(self):
        url = f"/api/sessions/{self.transcript_slug}/transcription/start"
        opts = {
            "mode": "per-speaker" if self.per_speaker else "host",
            "identity": self._identity,
            # Guests have no account: their LiveKit token says who they are.
            "bearer": "" if self.signed_in else self._bearer,
        }
        return rx.call_script(
            f"window.RoomsTranscriber.start({json.dumps(url)}, {json.dumps(opts)})",
            callback=TranscriptState.set_capture,
        )

    @rx.event
    def stop_transcription(self):
        return rx.call_script(
            "window.RoomsTranscriber.stop()", callback=TranscriptState.set_capture
        )

    @rx.event
    def set_capture(self, status: str):
        self.capture_status = str(status or "idle")[:32]
