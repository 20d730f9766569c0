"""The room's lobby for the people in it: who waits (pushed through the hub as it
changes), Admit / Deny, and the lobby switch for the session's creator or the space owner.
Every rule is in rooms/core (admission, lobby, sessions)."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from collections.abc import Callable

import reflex as rx
from sqlmodel import Session as DbSession

from rooms.core import admission, i18n, lobby, sessions
from rooms.core.db import session_scope
from rooms.core.errors import DomainError
from rooms.core.models import User
from rooms.core.transcription.hub import get_hub
from rooms.state.page_presence import PageWatch
from rooms.state.room import RoomState
from rooms.state.toasts import toast_domain_error, toast_ok

# Pushed changes arrive at once; this re-read covers an announcement from another worker.
RECHECK_SECONDS = 10.0


@dataclasses.dataclass
class Row:
    """Someone waiting in the lobby."""

    identity: str = ""
    name: str = ""


def _snapshot(slug: str, user_id: str, locale: str) -> tuple[list[Row], bool, bool, str]:
    """(who waits, lobby on, may toggle it, session id) for a member; nothing for others."""
    with session_scope() as db:
        user = db.get(User, user_id) if user_id else None
        try:
            session, rows = admission.waiting(db, user, slug)
        except DomainError:
            return [], False, False, ""
        people = [
            Row(identity=p.identity, name=p.name or i18n.gettext(locale, i18n.N_("Someone")))
            for p in rows
        ]
        return people, session.lobby, sessions.may_manage(db, user, session), session.id


class LobbyState(RoomState):
    lobby_waiting: list[Row] = []
    lobby_on: bool = False
    can_toggle_lobby: bool = False
    _lobby_watching: str = ""

    async def _reload_lobby(self) -> str:
        (
            self.lobby_waiting,
            self.lobby_on,
            self.can_toggle_lobby,
            session_id,
        ) = await asyncio.to_thread(_snapshot, self.slug, self._user_id, self.locale)
        return session_id

    @rx.event(background=True)
    async def watch_lobby(self):
        """While the room is open: the lobby as it changes (members only; for anyone else
        the snapshot is empty and the watch ends)."""
        async with self:
            if self._lobby_watching == self.slug or self.phase != "room":
                return
            self._lobby_watching = slug = self.slug
            page = PageWatch.of(self)
            session_id = await self._reload_lobby()
        if not session_id:
            async with self:
                self._lobby_watching = ""
            return
        hub = get_hub()
        await hub.start()
        sub = hub.subscribe(lobby.HUB_PREFIX + session_id)
        try:
            while True:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(sub.get(), RECHECK_SECONDS)
                if await page.gone():
                    return
                async with self:
                    if self.phase != "room" or self.slug != slug:
                        return
                    if not await self._reload_lobby():
                        self.lobby_waiting = []
                        return
        finally:
            sub.close()
            async with self:
                if self._lobby_watching == slug:
                    self._lobby_watching = ""

    async def _act(self, work: Callable[[DbSession, User], str], done: str):
        """One lobby action: `work` changes it and returns the session id to announce."""
        try:
            session_id = await self._as_user(work)
        except DomainError as exc:
            return toast_domain_error(exc, self.locale)
        # Committed: every page of the session reads it again.
        await asyncio.to_thread(lobby.announce, session_id)
        await self._reload_lobby()
        return toast_ok(done)

    @rx.event
    async def admit(self, identity: str, name: str):
        slug, who = self.slug, str(identity)
        return await self._act(
            lambda db, user: admission.admit(db, user, slug, who).session_id,
            done=self._t("{name} was let in", name=name),
        )

    @rx.event
    async def deny(self, identity: str, name: str):
        slug, who = self.slug, str(identity)
        return await self._act(
            lambda db, user: admission.deny(db, user, slug, who).session_id,
            done=self._t("{name} was not let in", name=name),
        )

    @rx.event
    async def set_lobby(self, on: bool):
        slug, value = self.slug, bool(on)
        return await self._act(
            lambda db, user: sessions.set_lobby(db, user, slug, value).id,
            done=self._t("Guests now wait in the lobby") if value else self._t("Lobby turned off"),
        )
