"""EditProfileModal: change the display name; the avatar upload plugs in below."""

from __future__ import annotations

import reflex as rx

from rooms.components.avatar import avatar
from rooms.components.button import button
from rooms.components.input import field
from rooms.components.modal import modal, modal_actions
from rooms.state.profile import ProfileState


def avatar_upload_slot() -> rx.Component:
    """Where the avatar upload goes once the upload endpoint exists (branch `integrations`).

    It should upload the file, then call `ProfileState.avatar_changed(url)` with the
    stored file's URL; until then the avatar shows the initials on noAvatarColor.
    """
    return rx.text(
        "Your avatar shows your initials until you upload a picture.",
        size="1",
        color_scheme="gray",
    )


def edit_profile_modal() -> rx.Component:
    return modal(
        "Edit profile",
        rx.form(
            rx.vstack(
                rx.hstack(
                    avatar(
                        ProfileState.user_initials,
                        ProfileState.user_avatar_color,
                        ProfileState.user_avatar_url,
                        size="56px",
                    ),
                    rx.vstack(
                        rx.text(ProfileState.user_email, size="2", color_scheme="gray"),
                        avatar_upload_slot(),
                        spacing="1",
                    ),
                    align="center",
                    spacing="3",
                ),
                field(
                    "Display name",
                    "name",
                    field_id="profile-name",
                    default_value=ProfileState.user_name,
                    required=True,
                    max_length=100,
                    auto_complete="name",
                ),
                modal_actions(
                    rx.dialog.close(button("Cancel", variant="secondary", type="button")),
                    button("Save", type="submit", loading=ProfileState.saving),
                ),
                spacing="4",
                align="stretch",
            ),
            on_submit=ProfileState.save_profile,
        ),
        open=ProfileState.profile_open,
        on_open_change=ProfileState.set_profile_open,
        description="This is the name others see in sessions.",
        test_id="edit-profile",
    )
