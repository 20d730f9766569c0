"""ProfileMenu: the avatar in the top bar opens profile editing, theme, language and
sign-out."""

from __future__ import annotations

import reflex as rx

from rooms import routes
from rooms.components.avatar import avatar
from rooms.components.edit_profile_modal import edit_profile_modal
from rooms.components.i18n import language_menu, t
from rooms.components.scripts import post_then_reload_script
from rooms.state.profile import ProfileState


def sign_out_script(next_url: str = routes.LOGIN) -> str:
    """POST the logout, then a full page load so the socket forgets the cookie."""
    return post_then_reload_script("/api/auth/logout", next_url=next_url)


def profile_menu() -> rx.Component:
    return rx.fragment(
        rx.dropdown_menu.root(
            rx.dropdown_menu.trigger(
                rx.button(
                    avatar(
                        ProfileState.user_initials,
                        ProfileState.user_avatar_color,
                        ProfileState.user_avatar_url,
                        size="32px",
                    ),
                    variant="ghost",
                    color_scheme="gray",
                    padding="2px",
                    border_radius="50%",
                    aria_label=t("Profile menu"),
                    cursor="pointer",
                    data_testid="profile-menu",
                ),
            ),
            rx.dropdown_menu.content(
                rx.box(
                    rx.text(ProfileState.user_name, weight="medium", size="2"),
                    rx.text(ProfileState.user_email, size="1", color_scheme="gray"),
                    padding="8px 12px",
                ),
                rx.dropdown_menu.separator(),
                rx.dropdown_menu.item(
                    rx.icon("user-pen", size=16),
                    t("Edit profile"),
                    on_select=ProfileState.set_profile_open(True),
                ),
                rx.dropdown_menu.item(
                    rx.icon("sun-moon", size=16),
                    rx.color_mode_cond(light=t("Dark theme"), dark=t("Light theme")),
                    on_select=rx.toggle_color_mode,
                ),
                language_menu(),
                rx.dropdown_menu.separator(),
                rx.dropdown_menu.item(
                    rx.icon("log-out", size=16),
                    t("Sign out"),
                    color="red",
                    on_select=rx.call_script(sign_out_script()),
                ),
                align="end",
                min_width="220px",
            ),
        ),
        edit_profile_modal(),
    )
