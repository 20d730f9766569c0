"""Avatar: the person's picture, or their initials on their pastel noAvatarColor."""

from __future__ import annotations

import reflex as rx

_FALLBACK_COLOR = "#e5e7eb"


def avatar(
    initials: rx.Var[str] | str,
    color: rx.Var[str] | str = "",
    image_url: rx.Var[str] | str = "",
    size: str = "32px",
    **props,
) -> rx.Component:
    """Initials are dark on every noAvatarColor (all are light pastels), in both themes."""
    bg = rx.cond(color, color, _FALLBACK_COLOR)
    initials_view = rx.center(
        rx.text(
            initials,
            weight="bold",
            color="#1f2937",
            font_size=f"calc({size} * 0.4)",
            line_height="1",
            aria_hidden="true",
        ),
        width=size,
        height=size,
        border_radius="50%",
        background_color=bg,
        flex_shrink="0",
        **props,
    )
    return rx.cond(
        image_url,
        rx.image(
            src=image_url,
            alt="",
            width=size,
            height=size,
            border_radius="50%",
            object_fit="cover",
            flex_shrink="0",
            **props,
        ),
        initials_view,
    )
