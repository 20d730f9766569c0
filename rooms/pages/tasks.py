"""/tasks: only for spaces in SESSIONS_AND_TASKS mode; the seed's placeholder for now."""

from __future__ import annotations

import reflex as rx

from rooms.components.layout import app_shell


def tasks_page() -> rx.Component:
    return app_shell(
        rx.vstack(
            rx.heading("Tasks", size="7", weight="bold"),
            rx.card(
                rx.vstack(
                    rx.icon("list-checks", size=32, color=rx.color("accent", 10)),
                    rx.heading("Tasks are on their way", size="4"),
                    rx.text(
                        "This space has tasks switched on. Turning what was said in a "
                        "session into tasks is the next thing we are building.",
                        size="2",
                        color_scheme="gray",
                        text_align="center",
                        max_width="380px",
                    ),
                    align="center",
                    spacing="3",
                    padding_y="32px",
                ),
                width="100%",
                data_testid="tasks-placeholder",
            ),
            spacing="5",
            align="stretch",
        ),
        active="tasks",
    )
