"""ErrorBoundary: a rendering error shows a calm message with a reload, not a blank page."""

from __future__ import annotations

import json

import reflex as rx
from reflex_base.vars.base import Var
from reflex_base.vars.function import ArgsFunctionOperation
from reflex_components_core.base.error_boundary import ErrorBoundary

from rooms.core import i18n
from rooms.core.i18n import N_

_TITLE = N_("Something went wrong on this page")
_TEXT = N_(
    "The rest of Rooms is fine. Reload the page to try again; "
    "if it keeps happening, tell whoever runs this server."
)
_RELOAD = N_("Reload")


def _in_page_language(message: str) -> Var:
    """The fallback replaces the app, state included, so it cannot read the viewer's catalog:
    it carries each language's text and picks by `<html lang>` (rooms.components.i18n keeps
    that on the viewer's locale)."""
    texts = {locale: i18n.gettext(locale, message) for locale in i18n.LOCALES}
    lang = "(typeof document === 'undefined' ? '' : document.documentElement.lang)"
    return Var(
        _js_expr=f"({json.dumps(texts, ensure_ascii=False)}[{lang}] ?? {json.dumps(message)})",
        _var_type=str,
    )


def _fallback() -> rx.Component:
    return rx.el.div(
        rx.el.div(
            rx.el.h2(_in_page_language(_TITLE), style={"margin": "0 0 8px"}),
            rx.el.p(
                _in_page_language(_TEXT),
                style={"opacity": "0.75", "margin": "0 0 16px"},
            ),
            rx.el.button(
                _in_page_language(_RELOAD),
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
