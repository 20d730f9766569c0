"""ErrorBoundary: a rendering error shows a calm message with a reload, not a blank page."""

from __future__ import annotations

import reflex as rx
from reflex_base.vars.base import Var
from reflex_base.vars.function import ArgsFunctionOperation
from reflex_components_core.base.error_boundary import ErrorBoundary


def _fallback() -> rx.Component:
    return rx.el.div(
        rx.el.div(
            rx.el.h2("Something went wrong on this page", style={"margin": "0 0 8px"}),
            rx.el.p(
                "The rest of Rooms is fine. Reload the page to try again; "
                "if it keeps happening, tell whoever runs this server.",
                style={"opacity": "0.75", "margin": "0 0 16px"},
            ),
            rx.el.button(
                "Reload",
                on_click=rx.call_script("window.location.reload()"),
                style={
                    "padding": "8px 18px",
                    "borderRadius": "8px",
                    "border": "none",
                    "background": "#3e63dd",
                    "color": "white",
                    "cursor": "pointer",
                },
            ),
            style={"maxWidth": "420px", "textAlign": "center"},
        ),
        role="alert",
        style={
            "minHeight": "60vh",
            "display": "flex",
            "alignItems": "center",
            "justifyContent": "center",
            "padding": "24px",
            "fontFamily": "system-ui, sans-serif",
        },
    )


def error_boundary(*children: rx.Component, **props) -> rx.Component:
    """The app-wide boundary (rooms.py puts it in place of Reflex's developer one)."""
    props.setdefault(
        "fallback_render", ArgsFunctionOperation.create(("event_args",), Var.create(_fallback()))
    )
    return ErrorBoundary.create(*children, **props)
