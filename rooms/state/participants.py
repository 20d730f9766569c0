"""The room's participants panel: who is present and, for the space owner, removing someone
(a ban from the session) and letting them back in. Every rule is in rooms/core."""

from __future__ import annotations

import asyncio
import dataclasses

import reflex as rx

from rooms.core import i18n, participants, room_events
from rooms.core.db import session_scope
from rooms.core.errors import DomainError
from rooms.core.models import Participant, User
from rooms.state.page_presence import PageWatch
from rooms.state.room import RoomState
from rooms.state.toasts import toast_domain_error, toast_ok

REFRESH_SECONDS = 3.0  # presence in the panel, while it is open


@dataclasses.dataclass
class Row:
    """Someone in the panel: present, or removed from the session."""

    identity: str = ""
    name: str = ""
    role: str = ""  # "Guest" / "Member", as the panel shows it
    you: bool = False  # the viewer's own row: no Remove button


def _row(p: Participant, viewer_identity: str, locale: str) -> Row:
    role = i18n.N_("Guest") if p.role.value == "GUEST" else i18n.N_("Member")
    return Row(
        identity=p.identity,
        name=p.name or i18n.gettext(locale, i18n.N_("Someone")),
        role=i18n.gettext(locale, role),
        you=p.identity == viewer_identity,
    )


def _roster(
    slug: str, user_id: str, identity: str, locale: str
) -> tuple[list[Row], list[Row], bool]:
    with session_scope() as db:
        user = db.get(User, user_id) if user_id else None
        moderator = room_events.may_moderate(db, user, slug)
        roster = participants.roster(db, slug, identity, moderator=moderator)
        return (
            [_row(p, identity, locale) for p in roster.present],
            [_row(p, identity, locale) for p in roster.removed],
            moderator,
        )


class ParticipantsState(RoomState):
    panel_open: bool = False
    people: list[Row] = []
    removed_people: list[Row] = []
    can_remove: bool = False
    confirm_open: bool = False
    confirm_identity: str = ""
    confirm_name: str = ""
    _refreshing: bool = False

    async def _reload(self) -> DomainError | None:
        try:
            self.people, self.removed_people, self.can_remove = await asyncio.to_thread(
                _roster, self.slug, self._user_id, self._joined, self.locale
            )
        except DomainError as exc:
            self.people, self.removed_people, self.can_remove = [], [], False
            return exc
        return None

    @rx.event
    async def toggle_panel(self):
        self.panel_open = not self.panel_open
        if not self.panel_open:
            return None
        await self._reload()
        return ParticipantsState.refresh_while_open

    @rx.event(background=True)
    async def refresh_while_open(self):
        async with self:
            if self._refreshing:
                return
            self._refreshing = True
            page = PageWatch.of(self)
        try:
            while True:
                await asyncio.sleep(REFRESH_SECONDS)
                if await page.gone():
                    return
                async with self:
                    if not self.panel_open or self.phase != "room":
                        return
                    await self._reload()
        finally:
            async with self:
                self._refreshing = False

    @rx.event
    def ask_remove(self, identity: str, name: str):
        self.confirm_identity, self.confirm_name = identity, name
        self.confirm_open = True

    @rx.event
    def set_confirm_open(self, value: bool):
        self.confirm_open = value

    @rx.event
    async def confirm_remove(self):
        self.confirm_open = False
        identity, name = self.confirm_identity, self.confirm_name
        try:
            await self._as_user(room_events.remove, self.slug, identity)
        except DomainError as exc:
            return toast_domain_error(exc, self.locale)
        await self._reload()
        return toast_ok(self._t("{name} was removed from this session", name=name))

    @rx.event
    async def lift_ban(self, identity: str):
        try:
            await self._as_user(room_events.lift_ban, self.slug, identity)
        except DomainError as exc:
            return toast_domain_error(exc, self.locale)
        await self._reload()
        return toast_ok(self._t("They can join again with the link"))
