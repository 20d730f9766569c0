"""/login's state: which sign-in providers exist, where to go afterwards, the error shown."""

from __future__ import annotations

import reflex as rx

from rooms.core.config import get_settings
from rooms.core.error_texts import error_text
from rooms.state.auth import HOME_ROUTE, AuthState, safe_next


class LoginState(AuthState):
    # What the API answered, kept as it came: the text follows a switch of language.
    error_code: str = ""
    error_message: str = ""
    google_enabled: bool = False
    next_target: str = HOME_ROUTE

    @rx.var
    def error(self) -> str:
        if not (self.error_code or self.error_message):
            return ""
        return error_text(self.error_code, self.error_message, self.locale)

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
    def show_error(self, result: dict | str | None):
        """The sign-in or sign-up script's answer: `{error, message}`, or `{}` on success."""
        if not isinstance(result, dict):
            result = {"message": str(result or "")}
        self.error_code = str(result.get("error") or "")
        self.error_message = str(result.get("message") or "")
