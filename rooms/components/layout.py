"""The page frame shared by every page: a top bar and a centred content column."""

from __future__ import annotations

import reflex as rx

from rooms.state.auth import AuthState


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


def top_bar() -> rx.Component:
    return rx.hstack(
        rx.link(
            rx.hstack(
                rx.icon("video", size=22, color=rx.color("accent", 9)),
                rx.heading("Rooms", size="5", weight="bold"),
                align="center",
                spacing="2",
            ),
            href="/",
            underline="none",
            color="inherit",
        ),
        rx.spacer(),
        rx.cond(
            AuthState.signed_in,
            rx.hstack(
                avatar_badge(),
                rx.text(AuthState.user_name, size="2", weight="medium"),
                align="center",
                spacing="2",
            ),
        ),
        width="100%",
        height="60px",
        align="center",
        padding_x="24px",
        border_bottom=f"1px solid {rx.color('gray', 5)}",
        background_color=rx.color("gray", 1),
    )


def page_frame(*children: rx.Component) -> rx.Component:
    return rx.box(
        top_bar(),
        rx.center(
            rx.box(*children, width="100%", max_width="440px"),
            padding_x="16px",
            padding_y="64px",
        ),
        min_height="100vh",
        background_color=rx.color("gray", 2),
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


def post_then_reload_script(path: str, body_js: str = "{}", next_url: str = "/") -> str:
    """JS that POSTs JSON to our API and then does a *full* page load.

    A full load is what makes the new (or removed) httpOnly cookie reach the
    Reflex socket; `rx.redirect` would keep the old socket.
    """
    return f"""(async () => {{
  try {{
    // Same origin in production; the backend's own port in `reflex run` dev mode.
    const url = typeof getBackendURL === "function"
      ? new URL({path!r}, getBackendURL()).href : {path!r};
    const res = await fetch(url, {{method: "POST", credentials: "include",
      headers: {{"Content-Type": "application/json"}}, body: JSON.stringify({body_js})}});
    if (res.ok) {{ window.location.assign({next_url!r}); return ""; }}
    const data = await res.json().catch(() => ({{}}));
    return data.message || ("Request failed (" + res.status + ").");
  }} catch (e) {{
    return "Cannot reach the server.";
  }}
}})()"""
