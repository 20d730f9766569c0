"""The not-found page, and the message card the session page also uses."""

from __future__ import annotations

import reflex as rx

from rooms import routes
from rooms.components.button import button
from rooms.components.i18n import t
from rooms.components.layout import card, page_frame


def message_card(icon: str, title: str | rx.Var, text: str | rx.Var, test_id: str) -> rx.Component:
    """`title` and `text`: already in the viewer's language (`t(...)`, a state's `_t`)."""
    return page_frame(
        card(
            rx.center(
                rx.center(
                    rx.icon(icon, size=28, color=rx.color("gray", 11)),
                    width="56px",
                    height="56px",
                    border_radius="16px",
                    background_color=rx.color("gray", 4),
                ),
                width="100%",
            ),
            rx.heading(title, size="6", text_align="center"),
            rx.text(text, color_scheme="gray", text_align="center"),
            rx.link(button(t("Go to Rooms"), width="100%", size="3"), href=routes.INDEX),
            data_testid=test_id,
        )
    )


def not_found_page() -> rx.Component:
    return message_card(
        "map-pin-off",
        t("Page not found"),
        t("There is nothing at this address. Check the link, or head back to your sessions."),
        "not-found",
    )
