"""SpaceSwitcher: pick the active space; create one; rename, change mode or delete it; its
members and invitations (rooms/components/space_members.py); its glossary
(rooms/components/space_glossary.py); its transcription language
(rooms/components/space_language.py)."""

from __future__ import annotations

import reflex as rx

from rooms.components.button import button
from rooms.components.i18n import t, tf
from rooms.components.input import field
from rooms.components.modal import confirm_dialog, form_actions, modal, modal_actions
from rooms.components.space_glossary import glossary_dialog
from rooms.components.space_language import language_dialog
from rooms.components.space_members import members_dialog
from rooms.state.glossary import SpaceGlossaryState
from rooms.state.members import SpaceMembersState
from rooms.state.space_language import SpaceLanguageState
from rooms.state.spaces import MODE_LABELS, SpaceItem, SpacesState


def _space_item(space: SpaceItem) -> rx.Component:
    return rx.dropdown_menu.item(
        rx.hstack(
            rx.icon(
                "check",
                size=16,
                opacity=rx.cond(space.id == SpacesState.active_space_id, "1", "0"),
            ),
            rx.text(space.name, trim="both", max_width="220px", truncate=True),
            rx.spacer(),
            rx.cond(
                space.role == "OWNER",
                rx.badge(t("Owner"), variant="soft", size="1"),
            ),
            align="center",
            spacing="2",
            width="100%",
        ),
        on_select=SpacesState.select_space(space.id),
    )


def _create_dialog() -> rx.Component:
    return modal(
        t("New space"),
        rx.form(
            field(
                t("Name"),
                "name",
                field_id="space-create-name",
                placeholder=t("Design team"),
                required=True,
                max_length=100,
                auto_focus=True,
            ),
            form_actions(t("Create space")),
            on_submit=SpacesState.create_space,
            reset_on_submit=True,
        ),
        open=SpacesState.create_open,
        on_open_change=SpacesState.set_create_open,
        description=t("A space keeps its own sessions and members."),
        test_id="space-create",
    )


def _settings_dialog() -> rx.Component:
    return modal(
        t("Space settings"),
        rx.vstack(
            rx.form(
                rx.hstack(
                    rx.box(
                        field(
                            t("Name"),
                            "name",
                            field_id="space-rename",
                            default_value=SpacesState.active_space.name,
                            key=SpacesState.active_space.name,
                            required=True,
                            max_length=100,
                        ),
                        flex="1",
                    ),
                    button(t("Rename"), type="submit", variant="secondary", size="3"),
                    align="end",
                    spacing="2",
                    width="100%",
                ),
                on_submit=SpacesState.rename_space,
            ),
            rx.vstack(
                rx.text(t("Mode"), size="2", weight="medium"),
                rx.radio_group.root(
                    rx.vstack(
                        *[
                            rx.el.label(
                                rx.hstack(
                                    rx.radio_group.item(value=value),
                                    rx.text(t(label), size="2"),
                                    spacing="2",
                                    align="center",
                                ),
                                cursor="pointer",
                            )
                            for value, label in MODE_LABELS.items()
                        ],
                        spacing="2",
                    ),
                    value=SpacesState.active_space.mode,
                    on_change=SpacesState.set_mode,
                    aria_label=t("Space mode"),
                ),
                spacing="2",
            ),
            rx.separator(),
            rx.hstack(
                rx.vstack(
                    rx.text(t("Delete this space"), size="2", weight="medium"),
                    rx.text(
                        t("Its sessions and transcripts go with it."),
                        size="1",
                        color_scheme="gray",
                    ),
                    spacing="0",
                ),
                rx.spacer(),
                button(
                    t("Delete space"),
                    variant="danger",
                    icon="trash-2",
                    on_click=SpacesState.set_delete_open(True),
                ),
                align="center",
                width="100%",
            ),
            modal_actions(rx.dialog.close(button(t("Done"), variant="secondary"))),
            spacing="4",
            align="stretch",
        ),
        open=SpacesState.settings_open,
        on_open_change=SpacesState.set_settings_open,
        test_id="space-settings",
    )


def space_switcher() -> rx.Component:
    return rx.fragment(
        rx.dropdown_menu.root(
            rx.dropdown_menu.trigger(
                rx.button(
                    rx.icon("layers", size=16),
                    rx.text(
                        SpacesState.active_space.name,
                        truncate=True,
                        max_width=["110px", "200px", "260px"],
                    ),
                    rx.icon("chevrons-up-down", size=14),
                    variant="soft",
                    color_scheme="gray",
                    cursor="pointer",
                    aria_label=t("Switch space"),
                    data_testid="space-switcher",
                ),
            ),
            rx.dropdown_menu.content(
                rx.box(
                    rx.text(t("Spaces"), size="1", color_scheme="gray", weight="medium"),
                    padding="4px 12px",
                ),
                rx.foreach(SpacesState.spaces, _space_item),
                rx.dropdown_menu.separator(),
                rx.dropdown_menu.item(
                    rx.icon("plus", size=16),
                    t("New space…"),
                    on_select=SpacesState.set_create_open(True),
                ),
                rx.cond(
                    SpacesState.is_owner,
                    rx.dropdown_menu.item(
                        rx.icon("settings", size=16),
                        t("Space settings…"),
                        on_select=SpacesState.set_settings_open(True),
                    ),
                ),
                rx.dropdown_menu.item(
                    rx.icon("users", size=16),
                    t("Members…"),
                    on_select=SpaceMembersState.open_members,
                ),
                rx.dropdown_menu.item(
                    rx.icon("book-open", size=16),
                    t("Glossary…"),
                    on_select=SpaceGlossaryState.open_glossary,
                ),
                rx.dropdown_menu.item(
                    rx.icon("languages", size=16),
                    t("Transcription…"),
                    on_select=SpaceLanguageState.open_language,
                ),
                min_width="240px",
            ),
        ),
        _create_dialog(),
        _settings_dialog(),
        members_dialog(),
        glossary_dialog(),
        language_dialog(),
        confirm_dialog(
            tf("Delete “{name}”?", name=SpacesState.active_space.name),
            t(
                "The space, its sessions and their transcripts are deleted for every member. "
                "This cannot be undone."
            ),
            open=SpacesState.delete_open,
            on_open_change=SpacesState.set_delete_open,
            on_confirm=SpacesState.delete_space,
            confirm_label=t("Delete space"),
        ),
    )
