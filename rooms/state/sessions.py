"""/sessions: the active space's sessions, and creating, ending and deleting them."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from datetime import datetime

import reflex as rx
from sqlmodel import Session as DbSession

from rooms import routes
from rooms.core import i18n, sessions, spaces
from rooms.core.config import get_settings
from rooms.core.errors import DomainError
from rooms.core.models import SessionStatus, User
from rooms.state.page_presence import PageWatch
from rooms.state.spaces import SpacesState
from rooms.state.toasts import toast_domain_error, toast_ok

PAGE_SIZE = 20
# How often an open list reads its sessions again: "Started 5 minutes ago" moves on, and a
# session ended from the room or another device shows as ended.
FRESH_SECONDS = 20.0


@dataclasses.dataclass
class SessionItem:
    slug: str = ""
    title: str = ""
    active: bool = True
    created: str = ""
    ended: str = ""
    invite_url: str = ""
    can_end: bool = False
    can_delete: bool = False


def _when(stamp: datetime | None, locale: str) -> str:
    if stamp is None:
        return ""
    return i18n.format_stamp(stamp, locale)


def _started(stamp: datetime | None, locale: str) -> str:
    # An active session is read as "how long has it been going", not as a date.
    if stamp is None:
        return ""
    return i18n.gettext(locale, i18n.N_("Started {when}"), when=i18n.format_relative(stamp, locale))


def invite_url(slug: str) -> str:
    return routes.absolute(get_settings().app_url, routes.session_room(slug))


def session_items(
    db: DbSession,
    user: User,
    space_id: str,
    cursor: str | None,
    locale: str = "en",
    limit: int = PAGE_SIZE,
) -> tuple[list[SessionItem], str]:
    role = spaces.require_member(db, user, space_id).role
    page = sessions.list_sessions(db, user, space_id=space_id, limit=limit, cursor=cursor)
    return [
        SessionItem(
            slug=s.slug,
            title=s.title or i18n.gettext(locale, i18n.N_("Untitled session")),
            active=s.status == SessionStatus.ACTIVE,
            created=_started(s.created_at, locale),
            ended=_when(s.ended_at, locale),
            invite_url=invite_url(s.slug),
            can_end=s.status == SessionStatus.ACTIVE and sessions.may_run(role, s, user.id),
            can_delete=spaces.is_owner(role),
        )
        for s in page.sessions
    ], page.next_cursor or ""


class SessionsState(SpacesState):
    sessions: list[SessionItem] = []
    sessions_loaded: bool = False
    next_cursor: str = ""
    loading_more: bool = False
    new_session_open: bool = False
    creating: bool = False
    confirm_open: bool = False
    confirm_action: str = ""  # "end" or "delete"
    confirm_slug: str = ""
    confirm_title: str = ""
    _keeping_fresh: bool = False

    @rx.event
    async def reload(self):
        """on_load of /sessions (after SpacesState.load_spaces), and after a space change."""
        self.new_session_open = self.confirm_open = False
        if await self._signed_in():
            await self._reload_sessions()
            return SessionsState.keep_fresh
        return None

    async def _reload_sessions(self, count: int = PAGE_SIZE) -> None:
        self.sessions, self.next_cursor = await self._as_user(
            session_items, self.active_space_id, None, self.locale, count
        )
        self.sessions_loaded = True

    @rx.event(background=True)
    async def keep_fresh(self):
        """While the list is open: read as many sessions as it shows again, now and then."""
        async with self:
            if self._keeping_fresh or not self.signed_in:
                return
            self._keeping_fresh = True
            page = PageWatch.of(self)
        try:
            while True:
                await asyncio.sleep(FRESH_SECONDS)
                if await page.gone():
                    return
                async with self:
                    if not routes.is_sessions(self.router.url.path) or not self.signed_in:
                        return
                    # Not under an open dialog or a page being added: it would move.
                    if self.confirm_open or self.new_session_open or self.loading_more:
                        continue
                    with contextlib.suppress(DomainError):  # a space left: the next load says
                        shown = min(
                            max(len(self.sessions), PAGE_SIZE),
                            get_settings().sessions_page_size_max,
                        )
                        await self._reload_sessions(shown)
        finally:
            async with self:
                self._keeping_fresh = False

    @rx.event
    async def load_more(self):
        if not self.next_cursor:
            return
        self.loading_more = True
        yield
        try:
            more, self.next_cursor = await self._as_user(
                session_items, self.active_space_id, self.next_cursor, self.locale
            )
        except DomainError as exc:
            self.loading_more = False
            yield toast_domain_error(exc, self.locale)
            return
        self.sessions = [*self.sessions, *more]
        self.loading_more = False

    @rx.event
    def set_new_session_open(self, value: bool):
        self.new_session_open = value

    @rx.event
    async def create_session(self, form: dict):
        title = str(form.get("title", "")).strip() or None
        lobby = form.get("lobby") in (True, "on", "true")
        self.creating = True
        yield
        try:
            await self._spend("sessions")
            created = await self._as_user(
                lambda db, user: (
                    sessions.create_session(
                        db, user, title=title, space_id=self.active_space_id, lobby=lobby
                    ).slug
                )
            )
        except DomainError as exc:
            self.creating = False
            yield toast_domain_error(exc, self.locale)
            return
        self.creating = False
        self.new_session_open = False
        await self._reload_sessions()
        yield toast_ok(self._t("Session created: {slug}", slug=created))

    @rx.event
    def copy_invite(self, url: str):
        return [rx.set_clipboard(url), toast_ok(self._t("Invite link copied"))]

    @rx.event
    def ask(self, action: str, slug: str, title: str):
        self.confirm_action = action
        self.confirm_slug = slug
        self.confirm_title = title
        self.confirm_open = True

    @rx.event
    def set_confirm_open(self, value: bool):
        self.confirm_open = value

    @rx.event
    async def confirm(self):
        action, slug = self.confirm_action, self.confirm_slug
        self.confirm_open = False
        work = sessions.end_session if action == "end" else sessions.delete_session
        try:
            await self._as_user(work, slug)
        except DomainError as exc:
            return toast_domain_error(exc, self.locale)
        await self._reload_sessions()
        return toast_ok(self._t("Session ended") if action == "end" else self._t("Session deleted"))
