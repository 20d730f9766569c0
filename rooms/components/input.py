"""A labelled text field: the label is a real <label>, so clicking it focuses the input."""

from __future__ import annotations

import reflex as rx

from rooms.components.i18n import localized


def field(
    label: str | rx.Var[str],
    name: str,
    *,
    field_id: str,
    kind: str = "text",
    hint: str | rx.Var[str] | None = None,
    **props,
) -> rx.Component:
    """Texts given as str are English ids, translated for the viewer."""
    if "placeholder" in props:
        props["placeholder"] = localized(props["placeholder"])
    return rx.vstack(
        rx.el.label(localized(label), html_for=field_id, font_size="14px", font_weight="500"),
        rx.input(id=field_id, name=name, type=kind, size="3", width="100%", **props),
        *([rx.text(localized(hint), size="1", color_scheme="gray")] if hint is not None else []),
        spacing="1",
        align="stretch",
        width="100%",
    )
