"""The members dialog: the space's members (owners change roles and remove people), its open
invitations (owners create, copy and revoke them), and leaving the space."""

from __future__ import annotations

import reflex as rx

from rooms.components.button import button, icon_button
from rooms.components.i18n import t, tf
from rooms.components.input import field
from rooms.components.modal import confirm_dialog, modal, modal_actions
from rooms.state.members import ROLE_LABELS, InvitationItem, MemberItem, SpaceMembersState

S = SpaceMembersState


def _member_row(m: MemberItem) -> rx.Component:
    return rx.hstack(
        rx.vstack(
            rx.text(
                rx.cond(m.you, tf("{name} (you)", name=m.name), m.name),
                size="2",
                weight="medium",
                truncate=True,
            ),
            rx.text(m.email, size="1", color_scheme="gray", truncate=True),
            spacing="0",
            min_width="0",
            flex="1",
        ),
        rx.badge(rx.cond(m.role == "OWNER", t("Owner"), t("Member")), variant="soft", size="1"),
        rx.cond(
            S.is_owner,
            rx.hstack(
                rx.cond(
                    m.role == "OWNER",
                    icon_button(
                        "arrow-down",
                        t("Make member"),
                        on_click=S.ask_role(m.user_id, m.name, "MEMBER"),
                    ),
                    icon_button(
                        "arrow-up", t("Make owner"), on_click=S.ask_role(m.user_id, m.name, "OWNER")
                    ),
                ),
                # Oneself goes with "Leave space" below.
                rx.cond(
                    m.you,
                    rx.fragment(),
                    icon_button(
                        "user-minus",
                        t("Remove from space"),
                        on_click=S.ask_remove(m.user_id, m.name),
                    ),
                ),
                spacing="1",
            ),
        ),
        align="center",
        spacing="2",
        width="100%",
        data_testid="space-member",
    )


def _invitation_row(inv: InvitationItem) -> rx.Component:
    return rx.hstack(
        rx.vstack(
            rx.text(
                rx.cond(inv.email != "", inv.email, t("Anyone with the link")),
                size="2",
                truncate=True,
            ),
            rx.text(
                rx.cond(inv.role == "OWNER", t("Owner"), t("Member")),
                " · ",
                inv.expires,
                size="1",
                color_scheme="gray",
            ),
            spacing="0",
            min_width="0",
            flex="1",
        ),
        icon_button("copy", t("Copy invitation link"), on_click=S.copy_link(inv.url)),
        icon_button("x", t("Revoke invitation"), on_click=S.ask_revoke(inv.id)),
        align="center",
        spacing="2",
        width="100%",
        data_testid="space-invitation",
    )


def _invite_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.hstack(
                rx.box(
                    field(
                        t("Email (optional)"),
                        "email",
                        field_id="invite-email",
                        kind="email",
                        placeholder=t("Anyone with the link"),
                        max_length=320,
                    ),
                    flex="1",
                ),
                rx.vstack(
                    rx.el.label(t("Role"), html_for="invite-role", font_size="14px"),
                    rx.el.select(
                        *[
                            rx.el.option(t(label), value=value)
                            for value, label in ROLE_LABELS.items()
                        ],
                        id="invite-role",
                        name="role",
                        default_value="MEMBER",
                        style={"height": "40px", "padding": "0 8px", "border-radius": "6px"},
                    ),
                    spacing="1",
                ),
                align="end",
                spacing="2",
                width="100%",
            ),
            button(t("Create invitation"), type="submit", icon="user-plus", variant="secondary"),
            spacing="2",
            align="start",
        ),
        on_submit=S.create_invitation,
        reset_on_submit=True,
    )


def _new_link() -> rx.Component:
    return rx.cond(
        S.new_link != "",
        rx.hstack(
            rx.input(value=S.new_link, read_only=True, flex="1", data_testid="invite-link"),
            button(t("Copy link"), icon="copy", on_click=S.copy_link(S.new_link)),
            spacing="2",
            width="100%",
        ),
    )


def members_dialog() -> rx.Component:
    return rx.fragment(
        modal(
            t("Members"),
            rx.vstack(
                rx.vstack(rx.foreach(S.members, _member_row), spacing="2", width="100%"),
                rx.cond(
                    S.is_owner,
                    rx.vstack(
                        rx.separator(),
                        rx.text(t("Invite people"), size="2", weight="medium"),
                        _invite_form(),
                        _new_link(),
                        rx.cond(
                            S.invitations.length() > 0,  # type: ignore[attr-defined]
                            rx.vstack(
                                rx.text(t("Open invitations"), size="2", weight="medium"),
                                rx.foreach(S.invitations, _invitation_row),
                                spacing="2",
                                width="100%",
                            ),
                        ),
                        spacing="3",
                        width="100%",
                    ),
                ),
                rx.separator(),
                modal_actions(
                    button(
                        t("Leave space"), variant="danger", icon="log-out", on_click=S.ask_leave
                    ),
                    rx.spacer(),
                    rx.dialog.close(button(t("Done"), variant="secondary")),
                ),
                spacing="3",
                align="stretch",
            ),
            open=S.members_open,
            on_open_change=S.set_members_open,
            description=S.active_space.name,
            test_id="space-members",
        ),
        confirm_dialog(
            S.confirm_title,
            S.confirm_message,
            open=S.confirm_open,
            on_open_change=S.set_confirm_open,
            on_confirm=S.confirm,
            confirm_label=S.confirm_label,
            test_id="members-confirm",
        ),
    )
