"""/invite/[token]: the invitation, and the way in (sign in or sign up, then accept)."""

from __future__ import annotations

import reflex as rx

from rooms.components.button import button
from rooms.components.i18n import t, tf
from rooms.components.layout import card, page_frame
from rooms.pages.not_found import message_card
from rooms.state.invite import InviteState

S = InviteState


def _ready() -> rx.Component:
    return page_frame(
        card(
            rx.vstack(
                rx.text(
                    tf("{name} invites you to join", name=S.invited_by),
                    color_scheme="gray",
                    size="2",
                ),
                rx.heading(S.space_name, size="7", weight="bold", data_testid="invite-space"),
                rx.text(
                    rx.cond(
                        S.role == "OWNER",
                        t("You will be an owner of this space."),
                        t("You will be a member of this space."),
                    ),
                    " ",
                    S.expires,
                    size="2",
                ),
                spacing="2",
            ),
            rx.cond(
                S.signed_in,
                rx.vstack(
                    rx.cond(
                        S.other_account,
                        rx.callout(
                            tf(
                                "This invitation is for another email address than {email}. "
                                "Sign in with the invited account to accept it.",
                                email=S.user_email,
                            ),
                            icon="triangle_alert",
                            color_scheme="amber",
                        ),
                        button(
                            t("Accept invitation"),
                            size="3",
                            width="100%",
                            on_click=S.accept,
                            data_testid="invite-accept",
                        ),
                    ),
                    rx.text(
                        tf("Signed in as {email}", email=S.user_email),
                        size="1",
                        color_scheme="gray",
                    ),
                    spacing="2",
                    align="stretch",
                ),
                rx.vstack(
                    rx.text(t("Sign in or create an account to accept."), size="2"),
                    # A full page load: the sign-in page's socket must start signed out.
                    rx.el.a(
                        button(t("Sign in or sign up"), size="3", width="100%"),
                        href=S.login_href,
                        data_testid="invite-sign-in",
                    ),
                    spacing="2",
                    align="stretch",
                ),
            ),
            data_testid="invite",
        )
    )


def invite_page() -> rx.Component:
    return rx.match(
        S.phase,
        ("loading", page_frame(card(rx.center(rx.spinner(size="3"), width="100%")))),
        (
            "notfound",
            message_card(
                "link-2-off",
                t("Invitation not found"),
                t("This invitation does not exist or was revoked. Ask for a new one."),
                "invite-notfound",
            ),
        ),
        (
            "expired",
            message_card(
                "clock",
                t("Invitation expired"),
                t("This invitation is no longer valid. Ask whoever sent it for a new one."),
                "invite-expired",
            ),
        ),
        _ready(),
    )
