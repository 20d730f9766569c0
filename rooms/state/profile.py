"""The profile dialog: the signed-in user's display name and avatar."""

from __future__ import annotations

import reflex as rx

from rooms.core import identity
from rooms.core.error_texts import error_text
from rooms.core.errors import DomainError
from rooms.state.auth import AuthState
from rooms.state.toasts import toast_domain_error, toast_error, toast_ok


class ProfileState(AuthState):
    profile_open: bool = False
    saving: bool = False
    uploading: bool = False

    @rx.event
    def set_profile_open(self, value: bool):
        self.profile_open = value

    @rx.event
    def close_profile(self):
        """on_load of the signed-in pages: state outlives a page load, the dialog does not."""
        self.profile_open = False

    @rx.event
    async def save_profile(self, form: dict):
        name = str(form.get("name", ""))
        update = identity.ProfileUpdate(
            name=name, display_name=name, fields=frozenset({"name", "display_name"})
        )
        self.saving = True
        yield
        try:
            await self._spend("profile")
            await self._as_user(identity.update_profile, update)
        except DomainError as exc:
            self.saving = False
            yield toast_domain_error(exc, self.locale)
            return
        await self._refresh_viewer()
        self.saving = False
        self.profile_open = False
        yield toast_ok(self._t("Profile saved"))

    @rx.event
    async def avatar_uploaded(self, result: dict):
        """The browser posted the file to /api/identity/avatar (which checks, re-encodes and
        stores it, locally or on Cloudinary, and sets it on the profile): show the result."""
        self.uploading = False
        code = str((result or {}).get("error") or "")
        if code:
            message = str((result or {}).get("message") or "")
            return toast_error(error_text(code, message, self.locale))
        if not (result or {}).get("url"):
            return None  # no file was chosen
        await self._refresh_viewer()
        return toast_ok(self._t("Avatar updated"))

    @rx.event
    def start_upload(self):
        self.uploading = True

    @rx.event
    async def remove_avatar(self):
        update = identity.ProfileUpdate(avatar_url=None, fields=frozenset({"avatar_url"}))
        try:
            await self._spend("profile")
            await self._as_user(identity.update_profile, update)
        except DomainError as exc:
            return toast_domain_error(exc, self.locale)
        await self._refresh_viewer()
        return toast_ok(self._t("Avatar removed"))
