"""The room's participants panel: a header button that opens a list of who is present, with
"Remove" (after a confirmation) for the space owner and the removed people they can let back
in."""

from __future__ import annotations

import reflex as rx

from rooms.components.button import button, icon_button
from rooms.components.i18n import t, tf
from rooms.components.modal import confirm_dialog
from rooms.state.participants import ParticipantsState, Row


def _person(row: rx.Var[Row], *, removed: bool) -> rx.Component:
    name = row.name
    identity = row.identity
    if removed:
        action = button(
            t("Let back in"),
            variant="secondary",
            size="1",
            on_click=ParticipantsState.lift_ban(identity),
            aria_label=tf("Let {name} back in", name=name),
        )
    else:
        action = rx.cond(
            ParticipantsState.can_remove & ~row.you,
            button(
                t("Remove"),
                variant="ghost",
                size="1",
                color_scheme="red",
                on_click=ParticipantsState.ask_remove(identity, name),
                aria_label=tf("Remove {name}", name=name),
            ),
        )
    return rx.hstack(
        rx.vstack(
            rx.text(
                name,
                rx.cond(row.you, rx.text.span(" ", t("(you)"), color_scheme="gray")),
                size="2",
                weight="medium",
                truncate=True,
            ),
            rx.text(row.role, size="1", color_scheme="gray"),
            spacing="0",
            min_width="0",
        ),
        rx.spacer(),
        action,
        width="100%",
        align="center",
        data_testid="removed-person" if removed else "present-person",
    )


def _panel() -> rx.Component:
    return rx.box(
        rx.hstack(
            rx.heading(t("People"), size="3"),
            rx.badge(ParticipantsState.people.length(), variant="soft", size="1"),
            rx.spacer(),
            rx.icon_button(
                rx.icon("x", size=16),
                variant="ghost",
                color_scheme="gray",
                aria_label=t("Close people"),
                on_click=ParticipantsState.toggle_panel,
            ),
            width="100%",
            align="center",
        ),
        rx.vstack(
            rx.foreach(ParticipantsState.people, lambda r: _person(r, removed=False)),
            spacing="2",
            width="100%",
            padding_top="8px",
        ),
        rx.cond(
            ParticipantsState.removed_people.length() > 0,
            rx.vstack(
                rx.text(t("Removed"), size="1", weight="medium", color_scheme="gray"),
                rx.foreach(ParticipantsState.removed_people, lambda r: _person(r, removed=True)),
                spacing="2",
                width="100%",
                padding_top="16px",
            ),
        ),
        position="fixed",
        top="68px",
        right="12px",
        width="300px",
        max_width="calc(100vw - 24px)",
        max_height="calc(100vh - 88px)",
        overflow_y="auto",
        padding="12px",
        border_radius="12px",
        background_color=rx.color("gray", 1),
        border=f"1px solid {rx.color('gray', 5)}",
        box_shadow="0 12px 32px rgba(15, 23, 42, 0.18)",
        z_index="20",
        role="dialog",
        aria_label=t("People in this session"),
        data_testid="participants-panel",
    )


def participants_panel() -> rx.Component:
    """The header's "People" button, the panel it opens and the removal confirmation."""
    return rx.fragment(
        icon_button(
            "users",
            t("People"),
            variant="secondary",
            size="2",
            on_click=ParticipantsState.toggle_panel,
            aria_expanded=ParticipantsState.panel_open,
        ),
        rx.cond(ParticipantsState.panel_open, _panel()),
        confirm_dialog(
            tf("Remove {name}?", name=ParticipantsState.confirm_name),
            t(
                "They leave the room at once and cannot join this session again with the link "
                "until you let them back in."
            ),
            open=ParticipantsState.confirm_open,
            on_open_change=ParticipantsState.set_confirm_open,
            on_confirm=ParticipantsState.confirm_remove,
            confirm_label=t("Remove"),
            test_id="confirm-remove",
        ),
    )
