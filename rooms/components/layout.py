"""Page frames: the signed-out frame (login, gate) and the signed-in app shell."""

from __future__ import annotations

import reflex as rx

from rooms import routes
from rooms.components.i18n import document_language, language_switcher, t
from rooms.components.profile_menu import profile_menu
from rooms.components.space_switcher import space_switcher
from rooms.core.i18n import N_
from rooms.state.auth import AuthState
from rooms.state.spaces import SpacesState


def avatar_badge(size: str = "32px") -> rx.Component:
    """The signed-in user's initial on their noAvatarColor."""
    return rx.center(
        rx.text(AuthState.user_initial, weight="bold", color="#1f2937"),
        width=size,
        height=size,
        border_radius="50%",
        background_color=rx.cond(
            AuthState.user_avatar_color, AuthState.user_avatar_color, "#e5e7eb"
        ),
        flex_shrink="0",
    )


_IRIS = rx.color("iris", 10)
# A faint wash of the accent colour at the top of every page, over the gray background.
BACKDROP = (
    f"radial-gradient(1100px 360px at 50% -120px, {rx.color('accent', 4)}, transparent),"
    f" {rx.color('gray', 2)}"
)


def logo(compact: bool = False) -> rx.Component:
    return rx.link(
        rx.hstack(
            rx.center(
                rx.icon("video", size=18, color="white"),
                width="32px",
                height="32px",
                border_radius="10px",
                background=f"linear-gradient(135deg, {rx.color('accent', 9)}, {_IRIS})",
            ),
            rx.heading(
                "Rooms",
                size="5",
                weight="bold",
                display=["none", "block"] if compact else "block",
            ),
            align="center",
            spacing="2",
        ),
        href="/",
        underline="none",
        color="inherit",
        aria_label=t("Rooms home"),
    )


def theme_toggle(**props) -> rx.Component:
    return rx.icon_button(
        rx.color_mode_cond(light=rx.icon("moon", size=18), dark=rx.icon("sun", size=18)),
        on_click=rx.toggle_color_mode,
        variant="ghost",
        color_scheme="gray",
        aria_label=t("Toggle dark theme"),
        title=t("Toggle dark theme"),
        cursor="pointer",
        **props,
    )


def _bar(*children: rx.Component) -> rx.Component:
    return rx.hstack(
        document_language(),
        *children,
        width="100%",
        height="60px",
        align="center",
        spacing=rx.breakpoints(initial="2", sm="3"),
        padding_x=["12px", "24px"],
        border_bottom=f"1px solid {rx.color('gray', 4)}",
        background_color=rx.color("gray", 1),
        position="sticky",
        top="0",
        z_index="10",
    )


def top_bar() -> rx.Component:
    # Signed-out pages (sign-in, invitations, the guest gate) have no profile menu: the
    # language is picked here, and kept in a cookie.
    return _bar(logo(), rx.spacer(), language_switcher(), theme_toggle())


def page_frame(*children: rx.Component, max_width: str = "440px") -> rx.Component:
    """Signed-out pages: sign-in, the guest gate, not found, ended."""
    return rx.box(
        top_bar(),
        rx.center(
            rx.box(*children, width="100%", max_width=max_width),
            padding_x="16px",
            padding_y=["32px", "64px"],
        ),
        min_height="100vh",
        background=BACKDROP,
    )


def nav_link(label: str, href: str, icon: str, active: bool) -> rx.Component:
    """`label` is an English id (marked with N_ by the caller), shown translated."""
    text = t(label)
    return rx.link(
        rx.hstack(
            rx.icon(icon, size=16),
            rx.text(text, display=["none", "block"]),
            spacing="2",
            align="center",
        ),
        href=href,
        underline="none",
        size="2",
        weight="medium",
        color=rx.color("gray", 12) if active else rx.color("gray", 11),
        padding="6px 10px",
        border_radius="8px",
        background_color=rx.color("gray", 4) if active else "transparent",
        aria_current="page" if active else None,
        title=text,  # the link's name on phones, where only its icon shows
    )


def app_shell(*children: rx.Component, active: str = "sessions") -> rx.Component:
    """Signed-in pages: logo, space switcher, navigation, theme and profile menu."""
    return rx.box(
        _bar(
            logo(compact=True),
            rx.box(
                width="1px",
                height="24px",
                background_color=rx.color("gray", 5),
                display=["none", "block"],
            ),
            space_switcher(),
            rx.hstack(
                nav_link(N_("Sessions"), routes.SESSIONS, "video", active == "sessions"),
                rx.cond(
                    SpacesState.tasks_enabled,
                    nav_link(N_("Tasks"), routes.TASKS, "list-checks", active == "tasks"),
                ),
                nav_link(N_("Search"), routes.SEARCH, "search", active == "search"),
                spacing="1",
            ),
            rx.spacer(),
            # On a phone the bar has no room for it; the profile menu switches theme too.
            theme_toggle(display=["none", "inline-flex"]),
            profile_menu(),
        ),
        rx.box(
            rx.cond(
                SpacesState.auth_checked & SpacesState.signed_in, rx.fragment(*children), loading()
            ),
            width="100%",
            max_width="880px",
            margin_x="auto",
            padding_x=["16px", "24px"],
            padding_y=["20px", "40px"],
        ),
        min_height="100vh",
        background=BACKDROP,
    )


def card(*children: rx.Component, **props) -> rx.Component:
    return rx.card(
        rx.vstack(*children, spacing="4", align="stretch"),
        size="4",
        width="100%",
        **props,
    )


def loading() -> rx.Component:
    return rx.center(rx.spinner(size="3"), padding="48px")
