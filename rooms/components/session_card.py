"""SessionCard: one session in the list, with open, copy link, end and delete."""

from __future__ import annotations

import reflex as rx

from rooms import routes
from rooms.components.button import button, icon_button
from rooms.components.i18n import t, tf
from rooms.state.sessions import SessionItem, SessionsState


def session_card(item: SessionItem) -> rx.Component:
    status = rx.cond(
        item.active,
        rx.badge(rx.icon("radio", size=12), t("Active"), color_scheme="green", variant="soft"),
        rx.badge(t("Ended"), color_scheme="gray", variant="soft"),
    )
    return rx.card(
        rx.flex(
            rx.center(
                rx.icon(
                    "video",
                    size=18,
                    color=rx.cond(item.active, rx.color("accent", 11), rx.color("gray", 10)),
                ),
                width="40px",
                height="40px",
                border_radius="10px",
                background_color=rx.cond(item.active, rx.color("accent", 3), rx.color("gray", 3)),
                flex_shrink="0",
                display=["none", "flex"],
            ),
            rx.vstack(
                rx.hstack(
                    rx.text(item.title, weight="medium", size="3", truncate=True),
                    status,
                    align="center",
                    spacing="2",
                    min_width="0",
                ),
                rx.hstack(
                    rx.code(item.slug, variant="ghost", size="1", color_scheme="gray"),
                    rx.text("·", color_scheme="gray", size="1"),
                    rx.text(
                        rx.cond(item.active, item.created, tf("Ended {when}", when=item.ended)),
                        size="1",
                        color_scheme="gray",
                    ),
                    spacing="2",
                    align="center",
                    wrap="wrap",
                ),
                spacing="1",
                min_width="0",
                flex="1",
            ),
            rx.hstack(
                rx.cond(
                    item.active,
                    rx.fragment(
                        icon_button(
                            "link",
                            t("Copy invite link"),
                            variant="secondary",
                            on_click=SessionsState.copy_invite(item.invite_url),
                        ),
                        rx.link(
                            button(t("Open"), icon="video", size="2"),
                            href=routes.session_room(item.slug),
                            underline="none",
                        ),
                    ),
                ),
                rx.cond(
                    item.can_end | item.can_delete,
                    rx.dropdown_menu.root(
                        rx.dropdown_menu.trigger(
                            icon_button("ellipsis", t("More actions"), variant="ghost"),
                        ),
                        rx.dropdown_menu.content(
                            rx.cond(
                                item.can_end,
                                rx.dropdown_menu.item(
                                    rx.icon("circle-stop", size=16),
                                    t("End session"),
                                    on_select=SessionsState.ask("end", item.slug, item.title),
                                ),
                            ),
                            rx.cond(
                                item.can_delete,
                                rx.dropdown_menu.item(
                                    rx.icon("trash-2", size=16),
                                    t("Delete"),
                                    color="red",
                                    on_select=SessionsState.ask("delete", item.slug, item.title),
                                ),
                            ),
                            align="end",
                        ),
                    ),
                ),
                spacing="2",
                align="center",
                justify="end",
                flex_shrink="0",
            ),
            direction=rx.breakpoints(initial="column", sm="row"),
            align=rx.breakpoints(initial="stretch", sm="center"),
            spacing="3",
            width="100%",
        ),
        width="100%",
        data_testid="session-card",
        data_slug=item.slug,
    )
