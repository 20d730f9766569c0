"""/invite/[token]: what an invitation offers (the space, who invites, the role) and
accepting it. A signed-out visitor goes to sign in or sign up and comes back here
(`?next=`, checked by rooms.core.redirects); loading the page never accepts anything."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime

import reflex as rx
from sqlmodel import Session as DbSession

from rooms import routes
from rooms.core import invitations
from rooms.core.db import session_scope
from rooms.core.errors import DomainError, Gone, NotFound
from rooms.core.models import User
from rooms.state.auth import HOME_ROUTE, AuthState, login_url
from rooms.state.toasts import toast_domain_error


@dataclass(frozen=True)
class _Shown:
    phase: str  # "ready" | "notfound" | "expired"
    space_name: str = ""
    invited_by: str = ""
    role: str = ""  # SpaceRole value
    expires_at: datetime | None = None
    other_account: bool = False  # bound to an email this signed-in account does not have


def _show(token: str, user_id: str) -> _Shown:
    with session_scope() as db:
        try:
            shown = invitations.view(db, token)
        except NotFound:
            return _Shown("notfound")
        except Gone:
            return _Shown("expired")
        user = db.get(User, user_id) if user_id else None
        other = False
        if user is not None:
            try:
                invitations.check_may_accept(shown.invitation, user)
            except DomainError:
                other = True
        return _Shown(
            "ready",
            shown.space_name,
            shown.invited_by,
            shown.invitation.role.value,
            shown.invitation.expires_at,
            other,
        )


def _accept(db: DbSession, user: User, token: str) -> None:
    invitations.accept(db, user, token)


class InviteState(AuthState):
    phase: str = "loading"
    space_name: str = ""
    invited_by: str = ""
    role: str = ""  # SpaceRole value: the page says it in the viewer's language
    # Formatted for the viewer's locale here; switching language runs this load again.
    expires: str = ""
    other_account: bool = False
    login_href: str = ""
    _token: str = ""

    @rx.event
    async def load(self):
        await self._refresh_viewer()
        self._token = str(self.router.page.params.get("token", ""))
        self.login_href = login_url(routes.invite(self._token))
        shown = await asyncio.to_thread(_show, self._token, self._user_id)
        self.phase = shown.phase
        self.space_name, self.invited_by = shown.space_name, shown.invited_by
        self.role = shown.role
        expires_at = shown.expires_at
        self.expires = invitations.expiry_label(expires_at, self.locale) if expires_at else ""
        self.other_account = shown.other_account

    @rx.event
    async def accept(self):
        if not self.signed_in:
            return rx.redirect(self.login_href)
        try:
            await self._as_user(_accept, self._token)
        except DomainError as exc:
            return toast_domain_error(exc, self.locale)
        # Accepting made the space the active one: the sessions page opens in it.
        return rx.redirect(HOME_ROUTE)
