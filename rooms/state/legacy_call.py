"""/call/[slug], the seed's old address for a session: forwarded to /session/[slug]."""

from __future__ import annotations

import reflex as rx


class LegacyCallState(rx.State):
    @rx.event
    def forward(self):
        return rx.redirect(f"/session/{self.router.page.params.get('slug', '')}", replace=True)
