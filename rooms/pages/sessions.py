"""/sessions: the active space's sessions."""

from __future__ import annotations

import reflex as rx

from rooms import routes
from rooms.components.button import button
from rooms.components.i18n import t, tf
from rooms.components.input import field
from rooms.components.layout import app_shell, loading
from rooms.components.modal import confirm_dialog, form_actions, modal
from rooms.components.session_card import session_card
from rooms.state.sessions import SessionsState


def _new_session_dialog() -> rx.Component:
    return modal(
        t("New session"),
        rx.form(
            field(
                t("Title (optional)"),
                "title",
                field_id="session-title",
                placeholder=t("Weekly sync"),
                max_length=200,
                auto_focus=True,
            ),
            rx.el.label(
                rx.hstack(
                    rx.checkbox(name="lobby", id="session-lobby"),
                    rx.text(t("Guests wait in a lobby until someone here lets them in"), size="2"),
                    align="center",
                    spacing="2",
                ),
                html_for="session-lobby",
                padding_top="12px",
                display="block",
            ),
            form_actions(t("Create session"), loading=SessionsState.creating),
            on_submit=SessionsState.create_session,
            reset_on_submit=True,
        ),
        open=SessionsState.new_session_open,
        on_open_change=SessionsState.set_new_session_open,
        description=t("Anyone with the invite link can join, with or without an account."),
        test_id="session-create",
    )


def _empty() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.center(
                rx.icon("video", size=28, color=rx.color("accent", 10)),
                width="56px",
                height="56px",
                border_radius="16px",
                background_color=rx.color("accent", 3),
            ),
            rx.heading(t("No sessions yet"), size="4"),
            rx.text(
                t(
                    "Start a session, then share its link: guests join from the browser, "
                    "no account needed."
                ),
                color_scheme="gray",
                size="2",
                text_align="center",
                max_width="360px",
            ),
            button(
                t("New session"),
                icon="plus",
                on_click=SessionsState.set_new_session_open(True),
            ),
            align="center",
            spacing="3",
            padding_y="32px",
        ),
        width="100%",
        data_testid="sessions-empty",
    )


def _tasks_hint() -> rx.Component:
    return rx.callout(
        rx.fragment(
            t("Tasks are switched on for this space: make them from transcript lines, and "),
            rx.link(t("follow them on the board"), href=routes.TASKS),
            ".",
        ),
        icon="list-checks",
        color_scheme="iris",
        variant="surface",
        size="1",
    )


def sessions_page() -> rx.Component:
    return app_shell(
        rx.vstack(
            rx.flex(
                rx.vstack(
                    rx.heading(t("Sessions"), size="7", weight="bold"),
                    rx.text(
                        t("Video rooms in "),
                        rx.text.strong(SessionsState.active_space.name),
                        size="2",
                        color_scheme="gray",
                    ),
                    spacing="1",
                ),
                rx.spacer(),
                button(
                    t("New session"),
                    icon="plus",
                    size="3",
                    on_click=SessionsState.set_new_session_open(True),
                ),
                align="end",
                spacing="3",
                width="100%",
                wrap="wrap",
            ),
            rx.cond(SessionsState.tasks_enabled, _tasks_hint()),
            rx.cond(
                SessionsState.sessions_loaded,
                rx.cond(
                    SessionsState.sessions.length() > 0,
                    rx.vstack(
                        rx.foreach(SessionsState.sessions, session_card),
                        rx.cond(
                            SessionsState.next_cursor,
                            rx.center(
                                button(
                                    t("Show older sessions"),
                                    variant="secondary",
                                    icon="chevron-down",
                                    loading=SessionsState.loading_more,
                                    on_click=SessionsState.load_more,
                                ),
                                width="100%",
                                padding_top="4px",
                            ),
                        ),
                        spacing="3",
                        width="100%",
                    ),
                    _empty(),
                ),
                loading(),
            ),
            spacing="5",
            align="stretch",
            width="100%",
            data_testid="sessions-page",
        ),
        _new_session_dialog(),
        confirm_dialog(
            rx.cond(
                SessionsState.confirm_action == "end",
                t("End this session?"),
                t("Delete this session?"),
            ),
            rx.cond(
                SessionsState.confirm_action == "end",
                tf(
                    "Everyone in “{title}” is disconnected and the invite link stops working.",
                    title=SessionsState.confirm_title,
                ),
                tf(
                    "“{title}” and its transcript are deleted. This cannot be undone.",
                    title=SessionsState.confirm_title,
                ),
            ),
            open=SessionsState.confirm_open,
            on_open_change=SessionsState.set_confirm_open,
            on_confirm=SessionsState.confirm,
            confirm_label=rx.cond(
                SessionsState.confirm_action == "end", t("End session"), t("Delete")
            ),
        ),
        active="sessions",
    )
