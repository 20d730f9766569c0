"""/: signed-in people go to their sessions, everyone else to sign-in."""

from __future__ import annotations

import reflex as rx

from rooms.components.layout import loading, page_frame


def index() -> rx.Component:
    return page_frame(loading())
