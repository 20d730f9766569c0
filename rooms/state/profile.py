"""The profile dialog: the signed-in user's display name (and, later, avatar)."""

from __future__ import annotations

import reflex as rx

from rooms.components.toasts import toast_domain_error, toast_ok
from rooms.core import identity
from rooms.core.errors import DomainError
from rooms.state.auth import AuthState


class ProfileState(AuthState):
    profile_open: bool = False
    saving: bool = False

    @rx.event
    def set_profile_open(self, value: bool):
        self.profile_open = value

    @rx.event
    async def save_profile(self, form: dict):
        name = str(form.get("name", ""))
        update = identity.ProfileUpdate(
            name=name, display_name=name, fields=frozenset({"name", "display_name"})
        )
        self.saving = True
        yield
        try:
            await self._as_user(identity.update_profile, update)
        except DomainError as exc:
            self.saving = False
            yield toast_domain_error(exc)
            return
        await self._refresh_viewer()
        self.saving = False
        self.profile_open = False
        yield toast_ok("Profile saved")

    @rx.event
    async def avatar_changed(self, url: str):
        """Hook for the avatar upload (branch `integrations` serves the upload endpoint):
        once it has stored the file and returned its URL, this records it on the profile."""
        update = identity.ProfileUpdate(avatar_url=url or None, fields=frozenset({"avatar_url"}))
        try:
            await self._as_user(identity.update_profile, update)
        except DomainError as exc:
            return toast_domain_error(exc)
        await self._refresh_viewer()
        return toast_ok("Avatar updated")
