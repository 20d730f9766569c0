"""/login: a small placeholder for signing in or creating a local account.

The password goes from the form straight to the REST API in the browser; it never
passes through Reflex state. The API sets the httpOnly cookie, then a full page
load lets the Reflex socket see it.
"""

from __future__ import annotations

import reflex as rx

from rooms.components.layout import card, page_frame, post_then_reload_script
from rooms.state.auth import AuthState


class LoginState(AuthState):
    error: str = ""

    @rx.event
    def show_error(self, message: str | None):
        self.error = message or ""


def _field(form_id: str, label: str, name: str, kind: str = "text", **props) -> rx.Component:
    input_id = f"{form_id}-{name}"
    return rx.vstack(
        rx.el.label(label, html_for=input_id, font_size="14px", font_weight="500"),
        rx.input(id=input_id, name=name, type=kind, size="3", required=True, width="100%", **props),
        spacing="1",
        align="stretch",
    )


def _form(form_id: str, endpoint: str, fields: list[str], submit: str, *inputs) -> rx.Component:
    body = (
        "{"
        + ", ".join(
            f"{f}: document.getElementById({form_id!r}).elements[{f!r}].value" for f in fields
        )
        + "}"
    )
    return rx.form(
        rx.vstack(
            *inputs,
            rx.button(submit, type="submit", size="3", width="100%"),
            spacing="3",
            align="stretch",
        ),
        id=form_id,
        on_submit=rx.call_script(
            post_then_reload_script(endpoint, body), callback=LoginState.show_error
        ),
    )


def login() -> rx.Component:
    return page_frame(
        card(
            rx.heading("Welcome to Rooms", size="6"),
            rx.tabs.root(
                rx.tabs.list(
                    rx.tabs.trigger("Sign in", value="login"),
                    rx.tabs.trigger("Create account", value="signup"),
                ),
                rx.tabs.content(
                    _form(
                        "login-form",
                        "/api/auth/login",
                        ["email", "password"],
                        "Sign in",
                        _field("login-form", "Email", "email", "email", auto_complete="email"),
                        _field(
                            "login-form",
                            "Password",
                            "password",
                            "password",
                            auto_complete="current-password",
                        ),
                    ),
                    value="login",
                    padding_top="16px",
                ),
                rx.tabs.content(
                    _form(
                        "signup-form",
                        "/api/auth/signup",
                        ["name", "email", "password"],
                        "Create account",
                        _field("signup-form", "Name", "name", auto_complete="name"),
                        _field("signup-form", "Email", "email", "email", auto_complete="email"),
                        _field(
                            "signup-form",
                            "Password",
                            "password",
                            "password",
                            auto_complete="new-password",
                            min_length=8,
                        ),
                    ),
                    value="signup",
                    padding_top="16px",
                ),
                default_value="login",
            ),
            rx.cond(
                LoginState.error,
                rx.callout(
                    LoginState.error, icon="triangle_alert", color_scheme="red", role="alert"
                ),
            ),
        )
    )
