"""GuestJoinGate: people without an account give the name others will see."""

from __future__ import annotations

import reflex as rx

from rooms.components.button import button
from rooms.components.i18n import t
from rooms.components.input import field
from rooms.components.layout import card


def guest_join_gate(title: rx.Var[str], on_submit, sign_in_href: rx.Var[str]) -> rx.Component:
    return card(
        rx.vstack(
            rx.badge(t("You are invited"), variant="soft", size="2"),
            rx.heading(title, size="6"),
            rx.text(
                t("Enter your name to join. No account needed."),
                color_scheme="gray",
                size="2",
            ),
            spacing="2",
        ),
        rx.form(
            rx.vstack(
                field(
                    t("Your name"),
                    "name",
                    field_id="guest-name",
                    placeholder=t("Alex Morgan"),
                    required=True,
                    max_length=60,
                    auto_complete="name",
                    auto_focus=True,
                ),
                button(t("Continue"), type="submit", size="3", width="100%"),
                spacing="4",
                align="stretch",
            ),
            on_submit=on_submit,
        ),
        rx.text(
            t("Have an account?"),
            " ",
            rx.link(t("Sign in"), href=sign_in_href),
            size="2",
            color_scheme="gray",
        ),
        data_testid="guest-gate",
    )
