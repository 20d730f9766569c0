"""The lobby on the room page: the waiting guest's card, and for the people in the room a
notice of who waits (Admit / Deny) and the lobby switch."""

from __future__ import annotations

import reflex as rx

from rooms.components.button import button
from rooms.components.i18n import t, tf
from rooms.components.layout import card, page_frame
from rooms.state.lobby import LobbyState, Row
from rooms.state.room import RoomState


def waiting_card() -> rx.Component:
    """Shown while the lobby holds this viewer; it follows the lobby by itself."""
    return page_frame(
        card(
            rx.center(rx.spinner(size="3"), width="100%"),
            rx.heading(t("Waiting for the host to let you in"), size="6", text_align="center"),
            rx.text(
                tf(
                    "Someone in “{title}” will let you in shortly. Keep this page open: "
                    "it opens the room by itself.",
                    title=RoomState.title,
                ),
                color_scheme="gray",
                text_align="center",
            ),
            button(
                t("Leave the lobby"),
                variant="secondary",
                icon="log-out",
                width="100%",
                on_click=RoomState.leave,
            ),
            data_testid="lobby-waiting",
            role="status",
            aria_live="polite",
        )
    )


def _waiting_person(person: rx.Var[Row]) -> rx.Component:
    name = person.name
    return rx.hstack(
        rx.icon("user-round", size=16),
        rx.text(name, weight="medium", truncate=True, flex="1", min_width="0"),
        button(
            t("Admit"),
            size="1",
            icon="check",
            aria_label=tf("Admit {name}", name=name),
            on_click=LobbyState.admit(person.identity, name),
        ),
        button(
            t("Deny"),
            size="1",
            variant="secondary",
            icon="x",
            aria_label=tf("Deny {name}", name=name),
            on_click=LobbyState.deny(person.identity, name),
        ),
        align="center",
        spacing="2",
        width="100%",
        data_testid="lobby-person",
    )


def lobby_notice() -> rx.Component:
    """Who waits in the lobby, for the people in the room (members of the space)."""
    return rx.cond(
        LobbyState.lobby_waiting.length() > 0,
        rx.callout.root(
            rx.callout.icon(rx.icon("door-open")),
            rx.vstack(
                rx.text(
                    rx.text.strong(t("Waiting in the lobby")),
                    " · ",
                    LobbyState.lobby_waiting.length().to_string(),
                ),
                rx.foreach(LobbyState.lobby_waiting, _waiting_person),
                spacing="2",
                width="100%",
            ),
            color_scheme="blue",
            role="status",
            aria_live="polite",
            width="100%",
            data_testid="lobby-notice",
        ),
    )


def lobby_switch() -> rx.Component:
    """The session's creator or the space owner turns the lobby on or off."""
    return rx.cond(
        LobbyState.can_toggle_lobby,
        rx.el.label(
            rx.hstack(
                rx.switch(
                    checked=LobbyState.lobby_on,
                    on_change=LobbyState.set_lobby,
                    size="1",
                    data_testid="lobby-switch",
                ),
                rx.text(t("Lobby"), size="2", display=["none", "inline"]),
                align="center",
                spacing="2",
            ),
            title=t("Guests wait until someone lets them in"),
        ),
    )
