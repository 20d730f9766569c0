"""/login's state: which sign-in providers exist, where to go afterwards, the error shown."""

from __future__ import annotations

import reflex as rx

from rooms.core.config import get_settings
from rooms.state.auth import HOME_ROUTE, AuthState, safe_next


class LoginState(AuthState):
    error: str = ""
    google_enabled: bool = False
    next_target: str = HOME_ROUTE

    @rx.event
    async def load(self):
        await self._refresh_viewer()
        settings = get_settings()
        self.google_enabled = bool(settings.google_client_id or settings.oidc_client_id)
        self.next_target = safe_next(self.router.url.query_parameters.get("next", ""))
        if self.signed_in:
            return rx.redirect(self.next_target)
        return None

    @rx.event
    def show_error(self, message: str | None):
        self.error = message or ""
