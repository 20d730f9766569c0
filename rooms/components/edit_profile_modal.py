"""EditProfileModal: the display name, and an avatar picture (or initials on a colour)."""

from __future__ import annotations

import reflex as rx

from rooms.components.avatar import avatar
from rooms.components.button import button
from rooms.components.i18n import t
from rooms.components.input import field
from rooms.components.modal import form_actions, modal
from rooms.state.profile import ProfileState

# Found by its name: Reflex 0.11 submits form controls by `name` only, and an `id` without
# one is deprecated. The form's handler ignores this field (the file goes by _UPLOAD_JS).
FILE_INPUT_NAME = "avatar-file"
_FIND_INPUT = f"document.querySelector('input[name=\"{FILE_INPUT_NAME}\"]')"

# The file goes from the browser straight to the REST API as multipart (bytes do not
# belong on the state socket); the API validates, re-encodes, stores and records it. A
# refusal comes back as its code and English message, which the state translates.
_UPLOAD_JS = f"""(async () => {{
  const input = {_FIND_INPUT};
  const file = input && input.files && input.files[0];
  if (!file) return {{}};
  const body = new FormData();
  body.append("file", file);
  const path = "/api/identity/avatar";
  const url = typeof getBackendURL === "function" ? new URL(path, getBackendURL()).href : path;
  try {{
    const res = await fetch(url, {{method: "POST", credentials: "include", body}});
    input.value = "";
    const data = await res.json().catch(() => ({{}}));
    if (res.ok) return {{url: (data.user && data.user.avatarUrl) || ""}};
    return {{error: data.error || ("HTTP_" + res.status), message: data.message || ""}};
  }} catch (e) {{
    return {{error: "NETWORK", message: ""}};
  }}
}})()"""


def avatar_upload() -> rx.Component:
    return rx.hstack(
        rx.el.input(
            name=FILE_INPUT_NAME,
            type="file",
            accept="image/png,image/jpeg,image/webp,image/gif",
            display="none",
            aria_label=t("Avatar picture"),
            on_change=[
                ProfileState.start_upload,
                rx.call_script(_UPLOAD_JS, callback=ProfileState.avatar_uploaded),
            ],
        ),
        button(
            t("Upload picture"),
            variant="secondary",
            size="1",
            icon="image-up",
            type="button",
            loading=ProfileState.uploading,
            on_click=rx.call_script(f"{_FIND_INPUT}.click()"),
        ),
        rx.cond(
            ProfileState.user_avatar_url,
            button(
                t("Remove"),
                variant="ghost",
                size="1",
                type="button",
                on_click=ProfileState.remove_avatar,
            ),
        ),
        spacing="2",
        align="center",
    )


def edit_profile_modal() -> rx.Component:
    return modal(
        t("Edit profile"),
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
                        avatar_upload(),
                        spacing="1",
                    ),
                    align="center",
                    spacing="3",
                ),
                field(
                    t("Display name"),
                    "name",
                    field_id="profile-name",
                    default_value=ProfileState.user_name,
                    required=True,
                    max_length=100,
                    auto_complete="name",
                    auto_focus=True,
                ),
                form_actions(t("Save"), loading=ProfileState.saving),
                spacing="4",
                align="stretch",
            ),
            on_submit=ProfileState.save_profile,
        ),
        open=ProfileState.profile_open,
        on_open_change=ProfileState.set_profile_open,
        description=t("This is the name others see in sessions."),
        test_id="edit-profile",
    )
