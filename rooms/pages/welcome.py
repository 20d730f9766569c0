"""/welcome: onboarding after sign-up. Name the first space, pick its mode, or skip."""

from __future__ import annotations

import reflex as rx

from rooms.components.button import button
from rooms.components.i18n import t
from rooms.components.input import field
from rooms.components.layout import card, page_frame
from rooms.core.i18n import N_
from rooms.state.onboarding import OnboardingState
from rooms.state.spaces import MODE_LABELS

_MODE_HINTS = {
    "SESSIONS_ONLY": N_("Video sessions with a live transcript."),
    "SESSIONS_AND_TASKS": N_("The same, plus a Tasks page for what the team agreed to do."),
}


def _mode_choice(value: str, label: str) -> rx.Component:
    return rx.el.label(
        rx.hstack(
            rx.radio_group.item(value=value, aria_label=t(label)),
            rx.vstack(
                rx.text(t(label), size="2", weight="medium"),
                rx.text(t(_MODE_HINTS[value]), size="1", color_scheme="gray"),
                spacing="0",
            ),
            spacing="3",
            align="start",
        ),
        cursor="pointer",
    )


def welcome() -> rx.Component:
    return page_frame(
        card(
            rx.vstack(
                rx.heading(t("Set up your space"), size="6"),
                rx.text(
                    t(
                        "A space holds your team's sessions. Name it and choose what it is "
                        "for; you can change both later in the space settings."
                    ),
                    color_scheme="gray",
                    size="2",
                ),
                spacing="1",
            ),
            rx.form(
                rx.vstack(
                    field(
                        t("Space name"),
                        "name",
                        field_id="welcome-space-name",
                        default_value=OnboardingState.space_name,
                        key=OnboardingState.space_name,
                        max_length=100,
                        required=True,
                    ),
                    rx.vstack(
                        rx.text(t("Mode"), size="2", weight="medium"),
                        rx.radio_group.root(
                            rx.vstack(
                                *[_mode_choice(v, label) for v, label in MODE_LABELS.items()],
                                spacing="3",
                            ),
                            value=OnboardingState.mode,
                            on_change=OnboardingState.choose_mode,
                            aria_label=t("Space mode"),
                        ),
                        spacing="2",
                    ),
                    rx.hstack(
                        button(
                            t("Skip for now"),
                            type="button",
                            variant="ghost",
                            on_click=OnboardingState.skip,
                        ),
                        button(t("Continue"), type="submit", loading=OnboardingState.saving),
                        justify="end",
                        spacing="3",
                        width="100%",
                    ),
                    spacing="5",
                    align="stretch",
                ),
                on_submit=OnboardingState.finish,
            ),
            data_testid="onboarding",
        ),
        max_width="480px",
    )
