"""/welcome, the first screen after signing up: name the first space and pick its mode
(the seed's onboarding). Skipping keeps what sign-up made ("My space", sessions only)."""

from __future__ import annotations

import asyncio

import reflex as rx

from rooms.core import spaces
from rooms.core.db import session_scope
from rooms.core.errors import DomainError
from rooms.core.models import SpaceMode, User
from rooms.state.auth import HOME_ROUTE, AuthState, safe_next
from rooms.state.toasts import toast_domain_error


def _first_space_name(user_id: str) -> str:
    with session_scope() as db:
        user = db.get(User, user_id)
        return spaces.ensure_user_has_active_space(db, user).name if user else ""


class OnboardingState(AuthState):
    space_name: str = ""
    mode: str = SpaceMode.SESSIONS_ONLY.value
    saving: bool = False
    next_target: str = HOME_ROUTE

    @rx.event
    async def load(self):
        if not await self._signed_in():
            return None
        self.next_target = safe_next(self.router.url.query_parameters.get("next", ""))
        self.space_name = await asyncio.to_thread(_first_space_name, self._user_id)
        self.mode = SpaceMode.SESSIONS_ONLY.value
        return None

    @rx.event
    def choose_mode(self, value: str):
        try:
            self.mode = spaces.parse_mode(str(value)).value
        except DomainError as exc:
            return toast_domain_error(exc, self.locale)
        return None

    @rx.event
    async def finish(self, form: dict):
        name = str(form.get("name", ""))
        try:
            mode = spaces.parse_mode(self.mode)
            self.saving = True
            yield
            await self._as_user(spaces.set_up_first_space, name, mode)
        except DomainError as exc:
            self.saving = False
            yield toast_domain_error(exc, self.locale)
            return
        self.saving = False
        yield rx.redirect(self.next_target)

    @rx.event
    def skip(self):
        return rx.redirect(self.next_target)
