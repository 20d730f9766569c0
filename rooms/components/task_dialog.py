"""The task dialog (new, edit, or made from a transcript line): one form for every page."""

from __future__ import annotations

import reflex as rx

from rooms.components.i18n import t, tf
from rooms.components.input import field
from rooms.components.modal import form_actions
from rooms.state.task_cards import STATUS_LABELS, UNASSIGNED
from rooms.state.task_dialog import TaskDialogState as D


def _label(text: str | rx.Var[str], html_for: str) -> rx.Component:
    return rx.el.label(text, html_for=html_for, font_size="14px", font_weight="500")


def _select(label: rx.Var[str], name: str, default, items: list[rx.Component] | rx.Component):
    return rx.vstack(
        _label(label, f"task-{name}"),
        rx.select.root(
            rx.select.trigger(id=f"task-{name}", width="100%", aria_label=label),
            rx.select.content(*(items if isinstance(items, list) else [items])),
            name=name,
            default_value=default,
            size="3",
        ),
        spacing="1",
        align="stretch",
        width="100%",
    )


def _source() -> rx.Component:
    """The line the task comes from, with a link to that moment of the transcript."""
    return rx.cond(
        D.quote != "",
        rx.card(
            rx.vstack(
                rx.text(
                    tf("{speaker} at {at}", speaker=D.speaker, at=D.at),
                    size="1",
                    weight="bold",
                    color=rx.color("gray", 11),
                ),
                rx.text("“", D.quote, "”", size="2", data_testid="task-dialog-quote"),
                rx.link(t("Open this moment"), href=D.link, size="1", is_external=False),
                spacing="1",
            ),
            variant="surface",
            width="100%",
        ),
    )


def task_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(rx.cond(D.editing_id != "", t("Edit task"), t("New task"))),
            rx.form(
                rx.vstack(
                    _source(),
                    field(
                        t("Title"),
                        "title",
                        field_id="task-title",
                        default_value=D.title,
                        max_length=200,
                        required=True,
                        auto_focus=True,
                    ),
                    rx.vstack(
                        _label(t("Description"), "task-description"),
                        rx.text_area(
                            id="task-description",
                            name="description",
                            default_value=D.description,
                            max_length=5000,
                            rows="3",
                            width="100%",
                        ),
                        spacing="1",
                        align="stretch",
                        width="100%",
                    ),
                    rx.hstack(
                        _select(
                            t("Status"),
                            "status",
                            D.status,
                            [rx.select.item(t(v), value=k) for k, v in STATUS_LABELS.items()],
                        ),
                        _select(
                            t("Assignee"),
                            "assignee",
                            D.assignee,
                            [
                                rx.select.item(t("Nobody"), value=UNASSIGNED),
                                rx.foreach(
                                    D.members,
                                    lambda m: rx.select.item(m.name, value=m.id),
                                ),
                            ],
                        ),
                        spacing="3",
                        width="100%",
                    ),
                    field(
                        t("Due date"), "due", field_id="task-due", kind="date", default_value=D.due
                    ),
                    spacing="3",
                    width="100%",
                ),
                form_actions(rx.cond(D.editing_id != "", t("Save"), t("Create task")), D.saving),
                on_submit=D.save,
            ),
            max_width="480px",
            width="calc(100vw - 32px)",
            data_testid="task-dialog",
        ),
        open=D.dialog_open,
        on_open_change=D.set_dialog_open,
    )
