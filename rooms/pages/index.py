"""/: who is signed in, or a short welcome. The real home screen comes later."""

from __future__ import annotations

import reflex as rx

from rooms.components.layout import (
    avatar_badge,
    card,
    loading,
    page_frame,
    post_then_reload_script,
)
from rooms.state.auth import AuthState


def _signed_in() -> rx.Component:
    return card(
        rx.hstack(
            avatar_badge("48px"),
            rx.vstack(
                rx.text(
                    f"Signed in as {AuthState.user_name}",
                    size="4",
                    weight="medium",
                    data_testid="signed-in-as",
                ),
                rx.text(AuthState.user_email, size="2", color_scheme="gray"),
                spacing="1",
            ),
            align="center",
            spacing="3",
        ),
        rx.text(
            "Your spaces and sessions will appear here.",
            size="2",
            color_scheme="gray",
        ),
        rx.button(
            "Sign out",
            variant="soft",
            color_scheme="gray",
            on_click=rx.call_script(post_then_reload_script("/api/auth/logout")),
        ),
    )


def _signed_out() -> rx.Component:
    return card(
        rx.heading("Meet, talk, keep the transcript", size="6"),
        rx.text(
            "Rooms is a self-hosted video meeting app with live transcription. "
            "Sign in to start a session, or open an invite link to join one as a guest.",
            color_scheme="gray",
        ),
        rx.text("You are not signed in.", size="2", data_testid="signed-out"),
        rx.button(rx.link("Sign in", href="/login"), as_child=True, size="3", width="100%"),
    )


def index() -> rx.Component:
    return page_frame(
        rx.cond(
            AuthState.auth_checked,
            rx.cond(AuthState.signed_in, _signed_in(), _signed_out()),
            loading(),
        )
    )
