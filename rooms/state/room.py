"""/session/[slug]: who may enter, the name gate, pre-join, the room, and its end.

Phases: loading -> notfound | ended | removed | gate (guests) -> prejoin -> room -> left.
The token is minted by rooms.core.participants (the same code as the REST route); a guest
is recognised by the key their browser keeps (participants.GUEST_COOKIE), as on REST.
"""

from __future__ import annotations

import asyncio
import contextlib

import reflex as rx
from sqlmodel import Session as DbSession

from rooms.components.toasts import toast_domain_error
from rooms.core import participants, room_events, sessions
from rooms.core.config import get_settings
from rooms.core.db import session_scope
from rooms.core.errors import DomainError, InvalidInput, NotFound
from rooms.core.models import SessionStatus, User
from rooms.core.validation import clean_text
from rooms.state.auth import AuthState, cookie_value
from rooms.state.transcript import TranscriptState

POLL_SECONDS = 2.0  # how soon people in a room learn that the host ended the session


def _status(slug: str) -> tuple[str, str]:
    """(status, title), or ("", "") when there is no such session."""
    try:
        with session_scope() as db:
            session = sessions.get_by_slug(db, slug)
            return session.status.value, session.title or "Untitled session"
    except NotFound:
        return "", ""


def _join(slug: str, user_id: str, guest_name: str | None, guest_key: str) -> tuple[str, str, str]:
    with session_scope() as db:
        user = db.get(User, user_id) if user_id else None
        name = None if user else guest_name
        joined = participants.join_session(db, slug, user, name, None if user else guest_key)
        return joined.token, joined.server_url, joined.participant.identity


def _removed(slug: str, user_id: str, guest_key: str) -> bool:
    with session_scope() as db:
        user = db.get(User, user_id) if user_id else None
        return participants.is_removed(db, slug, user, guest_key or None)


def _leave(db: DbSession, slug: str, identity: str) -> None:
    participants.mark_left(db, slug, identity)


class RoomState(AuthState):
    slug: str = ""
    title: str = ""
    phase: str = "loading"
    guest_name: str = ""
    token: str = ""
    server_url: str = ""
    identity: str = ""
    audio_enabled: bool = True
    video_enabled: bool = True
    connected: bool = False
    reconnecting: bool = False
    video_error: str = ""
    media_error: str = ""
    attempt: int = 0
    _watching: str = ""  # the slug whose status the background task is polling
    _guest_key: str = ""
    # Who this tab joined as, where no client can change it (`identity` above is a plain var
    # that Reflex's setvar event lets a client overwrite).
    _joined: str = ""

    @rx.var
    def display_name(self) -> str:
        return self.user_name if self.signed_in else self.guest_name

    @rx.var
    def prejoin_defaults(self) -> dict:
        return {
            "username": self.display_name,
            "videoEnabled": True,
            "audioEnabled": True,
        }

    @rx.event
    async def load(self):
        await self._refresh_viewer()
        self.slug = str(self.router.page.params.get("slug", "")).lower()
        self.token = self.video_error = self.media_error = ""
        self.connected = self.reconnecting = False
        status, self.title = await asyncio.to_thread(_status, self.slug)
        keep_key = self._keep_guest_key()
        if not status:
            self.phase = "notfound"
        elif status == SessionStatus.ENDED.value:
            self.phase = "ended"
        elif await asyncio.to_thread(_removed, self.slug, self._user_id, self._guest_key):
            self.phase = "removed"
        else:
            self.phase = "prejoin" if self.signed_in else "gate"
        if self.phase in ("prejoin", "gate"):
            return [keep_key, RoomState.watch_status]
        return keep_key

    def _keep_guest_key(self) -> rx.event.EventSpec | None:
        """The browser's guest key from the socket's handshake; a browser without one gets
        a new one, kept in the same cookie the REST join routes use."""
        if self._guest_key:
            return None
        headers = self.router.headers
        header = headers.cookie or headers.raw_headers.get("cookie")
        key = participants.valid_guest_key(cookie_value(header, participants.GUEST_COOKIE))
        if key is not None:
            self._guest_key = key
            return None
        self._guest_key = participants.new_guest_key()
        secure = "; secure" if get_settings().cookie_secure else ""
        cookie = (
            f"{participants.GUEST_COOKIE}={self._guest_key}; path=/; "
            f"max-age={participants.GUEST_KEY_MAX_AGE}; samesite=lax{secure}"
        )
        return rx.call_script(f"document.cookie = {cookie!r}")

    @rx.event
    def submit_name(self, form: dict):
        try:
            self.guest_name = clean_text(str(form.get("name", "")), "Name", 60)
        except InvalidInput as exc:
            return toast_domain_error(exc)
        self.phase = "prejoin"
        return None

    @rx.event
    async def join(self, choices: dict):
        """PreJoin's submit: mint the token (recording the participant), enter the room."""
        name = str(choices.get("username") or "").strip()
        if not self.signed_in and name:
            self.guest_name = name[:60]
        self.audio_enabled = bool(choices.get("audioEnabled", True))
        self.video_enabled = bool(choices.get("videoEnabled", True))
        refused = await self._mint()
        if refused is not None:
            # Ended or removed: the page says so itself; anything else (a name the server
            # refuses, too many joins) is a toast on the page as it is.
            return None if self.phase in ("ended", "removed") else toast_domain_error(refused)
        self.video_error = ""
        self.phase = "room"
        self._joined = self.identity
        (await self.get_state(TranscriptState))._identity = self.identity
        # Joining may make this viewer the transcription host, and lets them read the
        # transcript: the panel must know.
        return TranscriptState.load_transcript

    async def _mint(self) -> DomainError | None:
        """A fresh token (and participant record), or why not (the phase then follows)."""
        try:
            await self._spend("token")  # a LiveKit token and, for a guest, a new participant
            self.token, self.server_url, self.identity = await asyncio.to_thread(
                _join, self.slug, self._user_id, self.guest_name or None, self._guest_key
            )
        except DomainError as exc:
            if exc.status == 410:
                self.phase = "ended"
            elif exc.code == "PARTICIPANT_REMOVED":
                self.phase, self.token, self.identity = "removed", "", ""
            return exc
        return None

    @rx.event
    def media_failed(self, name: str, message: str):
        self.media_error = f"{message or name}" if (message or name) else ""

    @rx.event
    def room_connected(self):
        self.connected, self.reconnecting = True, False
        self.video_error = ""

    @rx.event
    def room_reconnecting(self, reconnecting: bool):
        """LiveKit's client lost the server and is trying again (or has just made it)."""
        self.reconnecting = bool(reconnecting)

    @rx.event
    def room_error(self, name: str, message: str):
        self.connected = self.reconnecting = False
        url = self.server_url or get_settings().livekit_url
        self.video_error = (
            f"The video server at {url} cannot be reached ({message or name or 'no answer'})."
        )

    @rx.event
    async def room_disconnected(self, reason: int):
        self.connected = self.reconnecting = False
        after = room_events.phase_after_disconnect(reason)
        if after == "left":  # the leave button in the control bar
            return RoomState.leave
        if after is not None:  # removed by the owner, or the session ended
            self.phase, self.token, self.identity, self._joined = after, "", "", ""
            return rx.call_script("window.RoomsTranscriber && window.RoomsTranscriber.stop()")
        if not self.video_error:
            url = self.server_url or get_settings().livekit_url
            self.video_error = f"The connection to the video server at {url} was lost."
        return None

    @rx.event
    async def retry(self):
        # Join tokens are short-lived (rooms/core/livekit.py): a new attempt gets a new one.
        # Only for a tab that joined: a retry is never a way in.
        if not self._joined:
            return None
        refused = await self._mint()
        if refused is not None:
            return toast_domain_error(refused) if self.phase == "room" else None
        self.video_error = ""
        self.attempt += 1
        return None

    @rx.event
    async def leave(self):
        transcript = await self.get_state(TranscriptState)
        transcript._identity = ""
        transcript._forget()  # also ends its stream: nothing more reaches a page that left
        if self._joined:
            identity, self._joined, self.identity = self._joined, "", ""
            # The session may be gone already; leaving succeeds all the same.
            with contextlib.suppress(DomainError):
                await asyncio.to_thread(self._leave_now, self.slug, identity)
        self.token = ""
        self.connected = False
        self.phase = "left"
        # Navigation inside the app keeps scripts alive: the microphone must stop streaming.
        stop = rx.call_script("window.RoomsTranscriber && window.RoomsTranscriber.stop()")
        return [stop, rx.redirect("/sessions")] if self.signed_in else stop

    @staticmethod
    def _leave_now(slug: str, identity: str) -> None:
        with session_scope() as db:
            _leave(db, slug, identity)

    @rx.event(background=True)
    async def watch_status(self):
        """Poll the session while the page is open, so everyone sees it end."""
        async with self:
            if self._watching == self.slug:
                return
            self._watching = slug = self.slug
        try:
            while True:
                await asyncio.sleep(POLL_SECONDS)
                status, _ = await asyncio.to_thread(_status, slug)
                async with self:
                    if self._watching != slug or self.phase in ("left", "notfound", "removed"):
                        return
                    if status != SessionStatus.ACTIVE.value:
                        self.phase = "ended" if status else "notfound"
                        self.token = ""
                        return
        finally:
            async with self:
                if self._watching == slug:
                    self._watching = ""
