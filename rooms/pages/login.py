"""/login: sign in or create a local account; "continue with Google" when configured.

The password goes from the form straight to the REST API in the browser; it never
passes through Reflex state. The API sets the httpOnly cookie, then a full page
load (to `?next=` or /sessions) lets the Reflex socket see it.
"""

from __future__ import annotations

import reflex as rx

from rooms import routes
from rooms.components.button import button
from rooms.components.i18n import t
from rooms.components.input import field
from rooms.components.layout import card, page_frame
from rooms.components.scripts import post_then_reload_script
from rooms.state.auth import HOME_ROUTE
from rooms.state.login import LoginState

# The server checks `?next=` (rooms.core.redirects) and renders the result here; the
# script only reads it, so there is no second copy of the rule in JavaScript.
NEXT_ELEMENT_ID = "login-next"
_NEXT_JS = f"(document.getElementById({NEXT_ELEMENT_ID!r}) || {{}}).value || {HOME_ROUTE!r}"
# A new account that is not on its way somewhere (an invitation, a session) starts with
# onboarding (rooms/pages/welcome.py), which then goes on to the sessions page.
WELCOME_ROUTE = routes.WELCOME
_SIGNUP_NEXT_JS = f"(v => v === {HOME_ROUTE!r} ? {WELCOME_ROUTE!r} : v)({_NEXT_JS})"


def _form(
    form_id: str,
    endpoint: str,
    fields: list[str],
    submit: str | rx.Var[str],
    *inputs,
    next_js: str = _NEXT_JS,
) -> rx.Component:
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
            button(submit, type="submit", size="3", width="100%"),
            spacing="4",
            align="stretch",
        ),
        id=form_id,
        on_submit=rx.call_script(
            post_then_reload_script(endpoint, body, next_js=next_js),
            callback=LoginState.show_error,
        ),
    )


def _google() -> rx.Component:
    return rx.cond(
        LoginState.google_enabled,
        rx.vstack(
            rx.hstack(
                rx.separator(size="4"),
                rx.text(t("or"), size="1", color_scheme="gray"),
                rx.separator(size="4"),
                align="center",
                width="100%",
            ),
            rx.el.a(
                button(
                    t("Continue with Google"),
                    variant="secondary",
                    size="3",
                    width="100%",
                    icon="log-in",
                ),
                href="/api/auth/google/login",
                # A server route, not a page: without this React Router handles the click
                # in the browser and shows its 404 instead of starting the sign-in.
                reload_document=True,
            ),
            spacing="3",
            align="stretch",
        ),
    )


def login() -> rx.Component:
    return page_frame(
        card(
            rx.vstack(
                rx.heading(t("Welcome to Rooms"), size="7", weight="bold"),
                rx.text(
                    t("Video sessions with a live transcript you can find again."),
                    color_scheme="gray",
                    size="2",
                ),
                spacing="1",
            ),
            rx.tabs.root(
                rx.tabs.list(
                    rx.tabs.trigger(t("Sign in"), value="login"),
                    rx.tabs.trigger(t("Create account"), value="signup"),
                    size="2",
                ),
                rx.tabs.content(
                    _form(
                        "login-form",
                        "/api/auth/login",
                        ["email", "password"],
                        t("Sign in"),
                        field(
                            t("Email"),
                            "email",
                            field_id="login-form-email",
                            kind="email",
                            auto_complete="email",
                            required=True,
                        ),
                        field(
                            t("Password"),
                            "password",
                            field_id="login-form-password",
                            kind="password",
                            auto_complete="current-password",
                            required=True,
                        ),
                    ),
                    value="login",
                    padding_top="20px",
                ),
                rx.tabs.content(
                    _form(
                        "signup-form",
                        "/api/auth/signup",
                        ["name", "email", "password"],
                        t("Create account"),
                        field(
                            t("Name"),
                            "name",
                            field_id="signup-form-name",
                            auto_complete="name",
                            required=True,
                            max_length=100,
                        ),
                        field(
                            t("Email"),
                            "email",
                            field_id="signup-form-email",
                            kind="email",
                            auto_complete="email",
                            required=True,
                        ),
                        field(
                            t("Password"),
                            "password",
                            field_id="signup-form-password",
                            kind="password",
                            auto_complete="new-password",
                            required=True,
                            min_length=8,
                            hint=t("At least 8 characters."),
                        ),
                        next_js=_SIGNUP_NEXT_JS,
                    ),
                    value="signup",
                    padding_top="20px",
                ),
                default_value="login",
            ),
            rx.cond(
                LoginState.error,
                rx.callout(
                    LoginState.error, icon="triangle_alert", color_scheme="red", role="alert"
                ),
            ),
            _google(),
            rx.el.input(type="hidden", id=NEXT_ELEMENT_ID, value=LoginState.next_target),
            data_testid="login",
        )
    )
