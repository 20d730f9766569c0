"""/session/[slug]: who may enter, the name gate, pre-join, the room, and its end.

Phases: loading -> notfound | ended | removed | denied | gate (guests) -> prejoin
-> [waiting (the lobby) ->] room -> left.
The token is minted by rooms.core.participants (the same code as the REST route); a guest
is recognised by the key their browser keeps (participants.GUEST_COOKIE), as on REST.
"""

from __future__ import annotations

import asyncio
import contextlib

import reflex as rx
from sqlmodel import Session as DbSession

from rooms import routes
from rooms.core import lobby, participants, room_events, sessions
from rooms.core.config import get_settings
from rooms.core.db import session_scope
from rooms.core.errors import DomainError, InvalidInput, NotFound
from rooms.core.models import SessionStatus, User
from rooms.core.transcription.hub import get_hub
from rooms.core.validation import clean_text
from rooms.state.auth import AuthState, cookie_value
from rooms.state.page_presence import PageWatch
from rooms.state.toasts import toast_domain_error
from rooms.state.transcript import TranscriptState

# A page hears its session end through the hub at once (sessions.status_topic); with no
# news it only checks this often that it is still open, without reading the database.
STILL_WATCHING_SECONDS = 30.0
# A waiting page hears of its admission through the hub at once; it also re-checks this
# often, for an announcement another worker could not deliver.
LOBBY_RECHECK_SECONDS = 5.0
# Phases after which the session's end changes nothing on the page.
_SETTLED = ("left", "notfound", "removed", "denied")
# The phase a refusal shows, by its error code.
_REFUSED_PHASE = {"PARTICIPANT_REMOVED": "removed", "LOBBY_DENIED": "denied"}


def _status(slug: str) -> tuple[str, str, str]:
    """(status, title, id), or ("", "", "") when there is no such session."""
    try:
        with session_scope() as db:
            session = sessions.get_by_slug(db, slug)
            return session.status.value, session.title or "", session.id
    except NotFound:
        return "", "", ""


def _join(
    slug: str, user_id: str, guest_name: str | None, guest_key: str
) -> tuple[str, str, str, str]:
    """(token, server URL, identity, session id); no token for someone the lobby holds."""
    with session_scope() as db:
        user = db.get(User, user_id) if user_id else None
        name = None if user else guest_name
        joined = participants.join_session(db, slug, user, name, None if user else guest_key)
        if isinstance(joined, participants.Waiting):
            waiting = joined
        else:
            session_id = joined.participant.session_id
            return joined.token, joined.server_url, joined.participant.identity, session_id
    lobby.announce(waiting.session_id)  # committed: the hosts' pages may read it now
    return "", "", waiting.identity, waiting.session_id


def _leave_lobby(slug: str, user_id: str, guest_key: str) -> None:
    with session_scope() as db:
        user = db.get(User, user_id) if user_id else None
        session_id = participants.leave_lobby(db, slug, user, guest_key or None)
    if session_id:
        lobby.announce(session_id)  # committed: the hosts' notice drops them


def _refused(slug: str, user_id: str, guest_key: str) -> str:
    """ "removed" or "denied" for a viewer the session refuses before they give a name."""
    with session_scope() as db:
        user = db.get(User, user_id) if user_id else None
        if participants.is_removed(db, slug, user, guest_key or None):
            return "removed"
        if user is None and participants.valid_guest_key(guest_key) is None:
            return ""  # a browser never seen before
        try:
            participants.lobby_status(db, slug, user, guest_key or None)
        except DomainError as exc:
            return _REFUSED_PHASE.get(exc.code, "")
        return ""


def _lobby_decision(slug: str, user_id: str, guest_key: str) -> str:
    """A waiting page's check: "ENTER", "WAIT", or the phase a refusal shows."""
    with session_scope() as db:
        user = db.get(User, user_id) if user_id else None
        try:
            return participants.lobby_status(db, slug, user, guest_key or None).value
        except DomainError as exc:
            return "ended" if exc.status == 410 else _REFUSED_PHASE.get(exc.code, "notfound")


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
    _watching: str = ""  # the slug whose status the background task listens for
    _waiting_in: str = ""  # the slug whose lobby this tab waits in
    _session_id: str = ""
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
        """on_load of the session page, after AuthState.load_viewer."""
        await self._signed_in()
        self.slug = str(self.router.page.params.get("slug", "")).lower()
        self.token = self.video_error = self.media_error = ""
        await self._share_token()
        self.connected = self.reconnecting = False
        status, title, _id = await asyncio.to_thread(_status, self.slug)
        self.title = title or self._t("Untitled session")
        keep_key = self._keep_guest_key()
        if not status:
            self.phase = "notfound"
        elif status == SessionStatus.ENDED.value:
            self.phase = "ended"
        elif refused := await asyncio.to_thread(
            _refused, self.slug, self._user_id, self._guest_key
        ):
            self.phase = refused
        else:
            self.phase = "prejoin" if self.signed_in else "gate"
        # A None among the events makes Reflex refuse the whole list (and so the watch).
        events = [keep_key] if keep_key is not None else []
        if self.phase in ("prejoin", "gate"):
            events.append(RoomState.watch_status)
        return events

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
            return toast_domain_error(exc, self.locale)
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
            # Ended, removed or denied: the page says so itself; anything else (a name the
            # server refuses, too many joins) is a toast on the page as it is.
            if self.phase in ("ended", "removed", "denied"):
                return None
            return toast_domain_error(refused, self.locale)
        if not self.token:
            self.phase = "waiting"
            return RoomState.wait_in_lobby
        return await self._enter_room()

    async def _enter_room(self):
        self.video_error = ""
        self.phase = "room"
        self._joined = self.identity
        (await self.get_state(TranscriptState))._identity = self.identity
        # Joining may make this viewer the transcription host, and lets them read the
        # transcript: the panel must know.
        return TranscriptState.load_transcript

    async def _mint(self) -> DomainError | None:
        """A fresh token (and participant record), or why not (the phase then follows).
        Someone the lobby holds back gets no token: `token` stays empty."""
        try:
            await self._spend("token")  # a LiveKit token and, for a guest, a new participant
            (
                self.token,
                self.server_url,
                self.identity,
                self._session_id,
            ) = await asyncio.to_thread(
                _join, self.slug, self._user_id, self.guest_name or None, self._guest_key
            )
        except DomainError as exc:
            if exc.status == 410:
                self.phase = "ended"
            elif exc.code in _REFUSED_PHASE:
                self.phase, self.token, self.identity = _REFUSED_PHASE[exc.code], "", ""
            await self._share_token()
            return exc
        await self._share_token()
        return None

    async def _share_token(self) -> None:
        (await self.get_state(TranscriptState))._bearer = self.token

    @rx.event(background=True)
    async def wait_in_lobby(self):
        """While this tab waits in the lobby: hear of each change through the hub (or the
        re-check timer) and ask the rule again; enter the room once let in."""
        async with self:
            if self.phase != "waiting" or self._waiting_in == self.slug:
                return
            self._waiting_in = slug = self.slug
            session_id, user_id, key = self._session_id, self._user_id, self._guest_key
            page = PageWatch.of(self)
        hub = get_hub()
        await hub.start()
        sub = hub.subscribe(lobby.HUB_PREFIX + session_id)
        try:
            while True:
                if await page.gone():  # a closed tab is not let in
                    return
                # Checked first: an admission may predate the subscription.
                decision = await asyncio.to_thread(_lobby_decision, slug, user_id, key)
                async with self:
                    if self.phase != "waiting" or self.slug != slug:
                        return
                    follow = None
                    if decision == lobby.Decision.ENTER.value:
                        # A refusal's phase shows by itself; a wait goes on.
                        if await self._mint() is None and self.token:
                            follow = await self._enter_room()
                    elif decision != lobby.Decision.WAIT.value:
                        self.phase, self.identity = decision, ""
                        return
                if follow is not None:
                    yield follow
                    return
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(sub.get(), LOBBY_RECHECK_SECONDS)
        finally:
            sub.close()
            async with self:
                if self._waiting_in == slug:
                    self._waiting_in = ""

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
        self.video_error = self._t(
            "The video server at {url} cannot be reached ({reason}).",
            url=url,
            reason=message or name or self._t("no answer"),
        )

    @rx.event
    async def room_disconnected(self, reason: int):
        self.connected = self.reconnecting = False
        after = room_events.phase_after_disconnect(reason)
        if after == "left":  # the leave button in the control bar
            return RoomState.leave
        if after is not None:  # removed by the owner, or the session ended
            self.phase, self.token, self.identity, self._joined = after, "", "", ""
            await self._share_token()
            return rx.call_script("window.RoomsTranscriber && window.RoomsTranscriber.stop()")
        if not self.video_error:
            url = self.server_url or get_settings().livekit_url
            self.video_error = self._t(
                "The connection to the video server at {url} was lost.", url=url
            )
        return None

    @rx.event
    async def retry(self):
        # Join tokens are short-lived (rooms/core/livekit.py): a new attempt gets a new one.
        # Only for a tab that joined: a retry is never a way in.
        if not self._joined:
            return None
        refused = await self._mint()
        if refused is not None:
            return toast_domain_error(refused, self.locale) if self.phase == "room" else None
        self.video_error = ""
        self.attempt += 1
        return None

    @rx.event
    async def leave(self):
        transcript = await self.get_state(TranscriptState)
        transcript._identity = transcript._bearer = ""
        transcript._forget()  # also ends its stream: nothing more reaches a page that left
        if self.phase == "waiting":
            # Not in the room yet: only out of the lobby (the session may be gone).
            self.identity = ""
            with contextlib.suppress(DomainError):
                await asyncio.to_thread(_leave_lobby, self.slug, self._user_id, self._guest_key)
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
        return [stop, rx.redirect(routes.SESSIONS)] if self.signed_in else stop

    @staticmethod
    def _leave_now(slug: str, identity: str) -> None:
        with session_scope() as db:
            _leave(db, slug, identity)

    @rx.event(background=True)
    async def watch_status(self):
        """While the page is open, hear through the hub when the session ends or is deleted
        (rooms.core.sessions announces it once committed), so everyone sees it."""
        async with self:
            if self._watching == self.slug:
                return
            self._watching = slug = self.slug
            page = PageWatch.of(self)
        hub = get_hub()
        await hub.start()
        status, _title, session_id = await asyncio.to_thread(_status, slug)
        sub = hub.subscribe(sessions.status_topic(session_id))
        try:
            # Read again once subscribed: the end may have come before the subscription.
            status, _title, _id = await asyncio.to_thread(_status, slug)
            while status == SessionStatus.ACTIVE.value:
                try:
                    status = (await asyncio.wait_for(sub.get(), STILL_WATCHING_SECONDS))["status"]
                except TimeoutError:
                    if await page.gone():
                        return
                    async with self:
                        if self._watching != slug or self.phase in _SETTLED:
                            return
            async with self:
                if self._watching == slug and self.phase not in _SETTLED:
                    self.phase = "ended" if status else "notfound"
                    self.token = ""
                    await self._share_token()
        finally:
            sub.close()
            async with self:
                if self._watching == slug:
                    self._watching = ""
