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
import uuid
from typing import Any

import reflex as rx
from babel.numbers import format_decimal

from rooms.core import caption_languages, i18n
from rooms.core.config import get_settings
from rooms.core.errors import DomainError
from rooms.core.transcription import health
from rooms.core.transcription.gateway import engine_report, engine_translates
from rooms.core.transcription.hub import get_hub
from rooms.state import transcript_reads as reads
from rooms.state.auth import AuthState
from rooms.state.page_presence import PageWatch
from rooms.state.transcript_reads import Caption

WINDOW = 200  # items kept in the page; older ones come back with "load earlier"
LIVE_MAX = 8  # lines kept in `live` behind a partial before the oldest is settled anyway
# How often a page that may host (a member's, in host mode) asks whether it is the host now:
# when the host leaves, the server re-elects one and that page takes the stream over.
HOST_CHECK_SECONDS = 2.0
# Captions seen this recently mean the meeting was being transcribed: a page that becomes
# the host then starts streaming by itself, so the captions go on.
CAPTIONS_RECENT_SECONDS = 60.0
RECHECK_SECONDS = 1.0  # how stale the stream's access check may get (leaving, the end)
NOT_READABLE = i18n.N_("Join the session to see its live transcript.")
TRANSCRIPTION_OFF = i18n.N_("Transcription is turned off on this server.")
UNAVAILABLE = i18n.N_("Live transcription is unavailable ({status}).")
NO_TRANSLATION = i18n.N_("Caption translation is not available: this server transcribes offline.")
ORIGINAL = "original"  # the picker's value for "as spoken" (a select item needs a value)


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
    # The language this viewer reads captions in (ORIGINAL: as spoken): their pick, kept in
    # a cookie, else their UI language. `show_original` is the one-click way back.
    caption_language: str = ORIGINAL
    caption_language_cookie: str = rx.Cookie(
        "", name="rooms_caption_language", max_age=365 * 24 * 3600, same_site="lax"
    )
    show_original: bool = False
    translation_available: bool = False
    translation_note: str = ""  # why captions cannot be translated here, if they cannot
    _viewer_key: str = ""  # this page, in caption_viewers (random: never who the viewer is)
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
        self.translation_available = await engine_translates()
        self.translation_note = "" if self.translation_available else self._t(NO_TRANSLATION)
        self.caption_language = self._chosen_language()
        if not self._viewer_key:
            self._viewer_key = uuid.uuid4().hex
        try:
            sid, can, may_host, items, more = await asyncio.to_thread(
                reads.load, slug, self._user_id, identity, self.per_speaker, self._reading()
            )
        except DomainError:
            self._forget()
            self.transcript_slug = slug
            self.unavailable_reason = self._t(NOT_READABLE)
            return
        self.transcript_slug, self._session_id = slug, sid
        self.can_make_tasks = await asyncio.to_thread(reads.may_make_tasks, sid, self._user_id)
        self.can_transcribe, self.has_older, self._may_host = can, more, may_host
        self.items, self.live = [], items
        self._index = {}
        self._settle()
        _, status = await engine_report()
        enabled = get_settings().transcription_enabled
        self.available = enabled and status == "ok"
        self.unavailable_reason = (
            "" if self.available
            else self._t(TRANSCRIPTION_OFF) if not enabled
            else self._t(UNAVAILABLE, status=status)
        )  # fmt: skip
        return TranscriptState.listen

    def _chosen_language(self) -> str:
        """The viewer's pick (cookie), else their UI language, else the original."""
        picked = self.caption_language_cookie
        if picked == ORIGINAL:
            return ORIGINAL
        if picked in caption_languages.CHOICES:
            return picked
        return caption_languages.default_choice(self.locale) or ORIGINAL

    def _reading(self) -> str:
        """The language translations are wanted in ("" for none: the original, or an
        engine that does not translate)."""
        if not self.translation_available or self.caption_language == ORIGINAL:
            return caption_languages.ORIGINAL
        return self.caption_language

    @rx.var
    def caption_choices(self) -> list[dict[str, str]]:
        """The picker's items: the original, then each language in the viewer's words."""
        return [{"value": ORIGINAL, "label": self._t("Original")}] + [
            {"value": code, "label": i18n.language_name(code, self.locale)}
            for code in caption_languages.CHOICES
        ]

    @rx.event
    async def set_caption_language(self, value: str):
        """The picker: captions in this language from now on (the saved lines too)."""
        value = str(value or "")[:16]
        if value != ORIGINAL and value not in caption_languages.CHOICES:
            return
        self.caption_language = self.caption_language_cookie = value
        self.show_original = False
        if not self._session_id:
            return
        user_id, identity = self._viewer()
        # Plain copies: the worker thread fills them in, not the state's tracked lists.
        shown_now = [
            dataclasses.replace(it) for it in [*self.get_value("items"), *self.get_value("live")]
        ]
        updated = await asyncio.to_thread(
            reads.watch,
            self._session_id,
            user_id,
            identity,
            self._viewer_key,
            self._reading(),
            shown_now,
        )
        if updated is None:
            self._forget()
            self.unavailable_reason = self._t(NOT_READABLE)
            return
        self.items, self.live = updated[: len(self.items)], updated[len(self.items) :]

    @rx.event
    def toggle_original(self):
        self.show_original = not self.show_original

    def _forget(self) -> None:
        """Drop everything this viewer was shown and stop the stream (it checks _session_id)."""
        self.items, self.live, self._index, self._session_id = [], [], {}, ""
        self.has_older = self.can_transcribe = self.available = self.can_make_tasks = False
        self.caption_engine = self.caption_delay = self.caption_reason = ""
        self.caption_degraded = False

    def apply(self, msg: dict[str, Any]) -> None:
        if msg.get("type") == "engine":  # a fail-over: said once, where the captions are
            self.engine_notice = self._t(str(msg.get("reason") or "")[:200])
            if self.can_transcribe:
                self.caption_engine = self._engine_label(str(msg.get("engine") or ""))
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
        if msg.get("type") == "translation":
            if msg.get("language") == self._reading():
                self._translated(str(msg.get("utteranceId") or ""), str(msg.get("text") or ""))
            return
        if msg.get("type") != "transcript":
            return
        item = reads.view(msg)
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
        """The health message in the viewer's words: its English `reason` is composed again
        here from the same facts (a fail-over, or the typical delay)."""
        delay = msg.get("delayMs")
        label = self._engine_label(str(msg.get("engine") or ""))
        seconds = (
            format_decimal(delay / 1000, format="0.0", locale=self.locale)
            if isinstance(delay, int)
            else ""
        )
        self.caption_engine = label
        self.caption_delay = self._t("{seconds} s", seconds=seconds) if seconds else ""
        self.caption_degraded = bool(msg.get("degraded"))
        reason = str(msg.get("reason") or "")
        self.caption_reason = (
            "" if not reason
            else self._t(health.SWITCHED_TO, engine=label) if reason.startswith("captions switched")
            else self._t(health.SLOW, seconds=seconds)
        )  # fmt: skip

    def _engine_label(self, engine: str) -> str:
        label = health.engine_label(engine)  # one of health.ENGINE_LABELS, marked with N_
        return self._t(label)

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

    def _translated(self, utterance_id: str, text: str) -> None:
        """A final's translation into this viewer's language (it comes after the final)."""
        at = self._index.get(utterance_id)
        if at is not None:
            self.items[at] = dataclasses.replace(self.items[at], translation=text[:2000])
            return
        for i, it in enumerate(self.live):
            if it.utteranceId == utterance_id:
                self.live[i] = dataclasses.replace(it, translation=text[:2000])
                return

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
            viewer, reading = self._viewer_key, self._reading()
            page = PageWatch.of(self)
        if not await asyncio.to_thread(reads.readable, session_id, user_id, identity):
            async with self:
                self.listening = False
            return
        checked = time.monotonic()
        hub = get_hub()
        await hub.start()
        sub = hub.subscribe(session_id)
        last_caption = checked = read_checked = -CAPTIONS_RECENT_SECONDS
        # This page's language, for the gateway: refreshed while it listens, gone after.
        with contextlib.suppress(Exception):  # a database hiccup must not stop the captions
            await asyncio.to_thread(reads.touch, session_id, viewer, reading)
        touched = time.monotonic()
        try:
            while True:
                if time.monotonic() - touched > caption_languages.TOUCH_SECONDS:
                    async with self:
                        reading = self._reading()
                    with contextlib.suppress(Exception):
                        await asyncio.to_thread(reads.touch, session_id, viewer, reading)
                    touched = time.monotonic()
                try:
                    msg = await asyncio.wait_for(sub.get(), HOST_CHECK_SECONDS)
                except TimeoutError:
                    msg = None
                if await page.gone():
                    return
                if time.monotonic() - read_checked > RECHECK_SECONDS:
                    async with self:
                        user_id, identity = self._viewer()
                    if not await asyncio.to_thread(reads.readable, session_id, user_id, identity):
                        async with self:
                            if self._session_id == session_id:
                                self._forget()
                                self.unavailable_reason = self._t(NOT_READABLE)
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
                await asyncio.to_thread(reads.unwatch, session_id, viewer)
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
        host_now = await asyncio.to_thread(reads.is_host, session_id, identity)
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
            reads.older, self._session_id, finals[0].startedAt, user_id, identity, self._reading()
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
