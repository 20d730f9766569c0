"""Buttons with the seed's four variants: primary, secondary, ghost, danger."""

from __future__ import annotations

from typing import Literal

import reflex as rx

from rooms.components.i18n import localized

Variant = Literal["primary", "secondary", "ghost", "danger"]

_STYLES: dict[str, dict[str, str]] = {
    "primary": {"variant": "solid"},
    "secondary": {"variant": "soft", "color_scheme": "gray"},
    "ghost": {"variant": "ghost", "color_scheme": "gray"},
    "danger": {"variant": "solid", "color_scheme": "red"},
}


def button(*children, variant: Variant = "primary", icon: str | None = None, **props):
    texts = [localized(child) for child in children]
    content = [rx.icon(icon, size=16), *texts] if icon else texts
    return rx.button(*content, **{**_STYLES[variant], **props}, cursor="pointer")


def icon_button(
    icon: str, label: str | rx.Var[str], variant: Variant = "ghost", **props
) -> rx.Component:
    """An icon-only button still has a name for screen readers and tests."""
    label = localized(label)
    return rx.icon_button(
        rx.icon(icon, size=18),
        aria_label=label,
        title=label,
        **{**_STYLES[variant], **props},
        cursor="pointer",
    )
