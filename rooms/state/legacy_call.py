"""/call/[slug], the seed's old address for a session: forwarded to /session/[slug]."""

from __future__ import annotations

import reflex as rx

from rooms import routes


class LegacyCallState(rx.State):
    @rx.event
    def forward(self):
        return rx.redirect(
            routes.session_room(self.router.page.params.get("slug", "")), replace=True
        )
