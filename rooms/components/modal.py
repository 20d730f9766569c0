"""Modal dialogs: a general one, and a confirmation for destructive actions."""

from __future__ import annotations

import reflex as rx

from rooms.components.button import button
from rooms.components.i18n import localized, t
from rooms.core.i18n import N_

_DELETE = N_("Delete")


def modal(
    title: str | rx.Var[str],
    *body: rx.Component,
    open: rx.Var[bool],
    on_open_change,
    description: str | rx.Var[str] | None = None,
    test_id: str | None = None,
) -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(localized(title)),
            *(
                [
                    rx.dialog.description(
                        localized(description), font_size="14px", color=rx.color("gray", 11)
                    )
                ]
                if description is not None
                else []
            ),
            rx.box(*body, padding_top="12px"),
            max_width="440px",
            width="calc(100vw - 32px)",
            data_testid=test_id,
        ),
        open=open,
        on_open_change=on_open_change,
    )


def modal_actions(*children: rx.Component) -> rx.Component:
    return rx.hstack(*children, justify="end", spacing="3", padding_top="16px", width="100%")


def form_actions(
    submit_label: str | rx.Var[str], loading: rx.Var[bool] | bool = False
) -> rx.Component:
    """The footer of a dialog's form: Cancel closes without submitting (type=button)."""
    return modal_actions(
        rx.dialog.close(button(t("Cancel"), variant="secondary", type="button")),
        button(submit_label, type="submit", loading=loading),
    )


def confirm_dialog(
    title: str | rx.Var[str],
    message: str | rx.Var[str],
    *,
    open: rx.Var[bool],
    on_open_change,
    on_confirm,
    confirm_label: str | rx.Var[str] = _DELETE,
    test_id: str = "confirm-dialog",
) -> rx.Component:
    """Destructive actions ask first; Escape and Cancel leave everything as it was."""
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title(localized(title)),
            rx.alert_dialog.description(
                localized(message), font_size="14px", color=rx.color("gray", 11)
            ),
            modal_actions(
                rx.alert_dialog.cancel(button(t("Cancel"), variant="secondary")),
                rx.alert_dialog.action(
                    button(confirm_label, variant="danger", on_click=on_confirm)
                ),
            ),
            max_width="420px",
            width="calc(100vw - 32px)",
            data_testid=test_id,
        ),
        open=open,
        on_open_change=on_open_change,
    )
