"""The agenda card at the top of the room's sidebar, and its editing dialog."""

from __future__ import annotations

import reflex as rx

from rooms.components.button import button
from rooms.components.i18n import t
from rooms.components.modal import form_actions, modal
from rooms.core.agenda import AGENDA_MAX
from rooms.state.agenda import AgendaState


def _editor() -> rx.Component:
    return modal(
        t("Agenda"),
        rx.form(
            rx.text_area(
                name="agenda",
                default_value=AgendaState.agenda_text,
                placeholder=t("What this session is for, one point per line"),
                max_length=AGENDA_MAX,
                rows="8",
                width="100%",
                aria_label=t("Agenda"),
                auto_focus=True,
            ),
            form_actions(t("Save"), loading=AgendaState.agenda_saving),
            on_submit=AgendaState.save_agenda,
        ),
        open=AgendaState.agenda_editor_open,
        on_open_change=AgendaState.set_agenda_editor_open,
        description=t("Everyone in the session sees it beside the transcript."),
        test_id="agenda-editor",
    )


def agenda_card() -> rx.Component:
    """Hidden when there is no agenda and the viewer may not write one."""
    return rx.box(
        rx.cond(
            (AgendaState.agenda_text != "") | AgendaState.can_edit_agenda,
            rx.vstack(
                rx.hstack(
                    rx.heading(t("Agenda"), size="3"),
                    rx.spacer(),
                    rx.cond(
                        AgendaState.can_edit_agenda,
                        button(
                            rx.cond(AgendaState.agenda_text != "", t("Edit"), t("Add")),
                            variant="ghost",
                            size="1",
                            icon="pencil",
                            aria_label=t("Edit the agenda"),
                            on_click=AgendaState.set_agenda_editor_open(True),
                        ),
                    ),
                    width="100%",
                    align="center",
                ),
                rx.cond(
                    AgendaState.agenda_text != "",
                    rx.text(AgendaState.agenda_text, size="2", white_space="pre-wrap"),
                    rx.text(t("No agenda yet."), size="2", color=rx.color("gray", 10)),
                ),
                spacing="1",
                width="100%",
                padding="12px",
                border_bottom=f"1px solid {rx.color('gray', 4)}",
                data_testid="agenda",
            ),
        ),
        _editor(),
        on_mount=AgendaState.load_agenda,
        width="100%",
    )
