"""/tasks: the active space's tasks, as a board or a list; only in SESSIONS_AND_TASKS spaces."""

from __future__ import annotations

import reflex as rx

from rooms.components.button import button, icon_button
from rooms.components.i18n import t, tf
from rooms.components.layout import app_shell, loading
from rooms.components.modal import confirm_dialog
from rooms.components.task_dialog import task_dialog
from rooms.core.i18n import N_
from rooms.state.task_cards import STATUS_LABELS
from rooms.state.task_dialog import TaskDialogState
from rooms.state.tasks import ALL, COLUMNS, LIST
from rooms.state.tasks import TasksState as T


def _menu(card: rx.Var) -> rx.Component:
    moves = [
        rx.cond(
            card.status != status,
            rx.menu.item(
                tf("Move to {status}", status=t(label)),
                on_click=T.move(card.id, status),
                data_testid=f"move-{status}",
            ),
        )
        for status, label in STATUS_LABELS.items()
    ]
    return rx.menu.root(
        rx.menu.trigger(icon_button("ellipsis", t("Task actions"), size="1")),
        rx.menu.content(
            *moves,
            rx.menu.separator(),
            rx.menu.item(t("Edit"), on_click=TaskDialogState.open_edit(card.id)),
            rx.cond(
                card.can_delete,
                rx.menu.item(t("Delete"), color="red", on_click=T.ask_delete(card.id, card.title)),
            ),
        ),
    )


def _meta(card: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.cond(
            card.assignee_name != "",
            rx.badge(rx.icon("user", size=12), card.assignee_name, variant="soft"),
        ),
        rx.cond(
            card.due != "",
            rx.badge(
                rx.icon("calendar", size=12),
                card.due,
                rx.cond(card.overdue, rx.fragment(" · ", t("overdue"))),
                color_scheme=rx.cond(card.overdue, "red", "gray"),
                variant="soft",
                data_testid=rx.cond(card.overdue, "task-overdue", "task-due"),
            ),
        ),
        spacing="2",
        wrap="wrap",
    )


def task_card(card: rx.Var) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.text(card.title, weight="medium", size="2", data_testid="task-title"),
                rx.spacer(),
                _menu(card),
                width="100%",
                align="start",
            ),
            _meta(card),
            rx.cond(
                card.source_link != "",
                rx.vstack(
                    rx.text(
                        "“",
                        card.quote,
                        "”",
                        size="1",
                        color=rx.color("gray", 11),
                        font_style="italic",
                        style={
                            "display": "-webkit-box",
                            "-webkit-line-clamp": "2",
                            "-webkit-box-orient": "vertical",
                            "overflow": "hidden",
                        },
                    ),
                    rx.link(
                        rx.hstack(
                            rx.icon("quote", size=12),
                            rx.text(card.speaker, " · ", card.source_label),
                            spacing="1",
                            align="center",
                        ),
                        href=card.source_link,
                        size="1",
                        color_scheme="gray",
                        title=t("Open this moment of the transcript"),
                        data_testid="task-source",
                    ),
                    spacing="1",
                ),
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
        data_testid="task-card",
        custom_attrs={"data-task-id": card.id, "data-status": card.status},
    )


def _more(key: str) -> rx.Component:
    return rx.cond(
        T.more[key],
        button(
            t("Show more"),
            variant="ghost",
            size="1",
            loading=T.loading_more == key,
            on_click=T.load_more(key),
        ),
    )


def _column(status: str, key: str) -> rx.Component:
    cards = getattr(T, key)
    return rx.vstack(
        rx.hstack(
            rx.heading(t(STATUS_LABELS[status]), size="3"),
            rx.badge(cards.length(), variant="surface"),
            align="center",
            spacing="2",
        ),
        rx.foreach(cards, task_card),
        rx.cond(
            cards.length() == 0,
            rx.text(t("No tasks"), size="1", color=rx.color("gray", 10), padding="8px 4px"),
        ),
        _more(key),
        spacing="2",
        padding="12px",
        border_radius="12px",
        background_color=rx.color("gray", 2),
        min_width="240px",
        flex="1",
        align="stretch",
        data_testid=f"column-{status}",
    )


def _board() -> rx.Component:
    return rx.flex(
        *[
            rx.cond(
                (T.status_filter == ALL) | (T.status_filter == status),
                _column(status, key),
            )
            for status, key in COLUMNS.items()
        ],
        spacing="3",
        width="100%",
        overflow_x="auto",
        align="start",
    )


def _list_row(card: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(card.title, data_testid="task-title"),
        rx.table.cell(rx.badge(card.status_label, variant="soft")),
        rx.table.cell(card.assignee_name),
        rx.table.cell(
            card.due,
            rx.cond(card.overdue, rx.badge(t("overdue"), color_scheme="red", margin_left="6px")),
        ),
        rx.table.cell(_menu(card)),
        data_testid="task-card",
        custom_attrs={"data-task-id": card.id, "data-status": card.status},
    )


def _list() -> rx.Component:
    return rx.vstack(
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    *[
                        rx.table.column_header_cell(t(h) if h else "")
                        for h in (N_("Task"), N_("Status"), N_("Who"), N_("Due"), "")
                    ]
                )
            ),
            rx.table.body(rx.foreach(T.rows, _list_row)),
            width="100%",
        ),
        _more(LIST),
        width="100%",
    )


def _filters() -> rx.Component:
    return rx.hstack(
        rx.segmented_control.root(
            rx.segmented_control.item(t("Board"), value="board"),
            rx.segmented_control.item(t("List"), value=LIST),
            value=T.view,
            on_change=T.set_view,
        ),
        rx.select.root(
            rx.select.trigger(aria_label=t("Status filter"), data_testid="status-filter"),
            rx.select.content(
                rx.select.item(t("Any status"), value=ALL),
                *[rx.select.item(t(label), value=s) for s, label in STATUS_LABELS.items()],
            ),
            value=T.status_filter,
            on_change=T.set_status_filter,
        ),
        rx.select.root(
            rx.select.trigger(aria_label=t("Assignee filter"), data_testid="assignee-filter"),
            rx.select.content(
                rx.select.item(t("Anyone"), value=ALL),
                rx.foreach(T.task_members, lambda m: rx.select.item(m.name, value=m.id)),
            ),
            value=T.assignee_filter,
            on_change=T.set_assignee_filter,
        ),
        spacing="3",
        wrap="wrap",
        align="center",
    )


def tasks_page() -> rx.Component:
    return app_shell(
        rx.vstack(
            rx.flex(
                rx.vstack(
                    rx.heading(t("Tasks"), size="7", weight="bold"),
                    rx.text(
                        tf("Work in {space}", space=T.active_space.name),
                        size="2",
                        color_scheme="gray",
                    ),
                    spacing="1",
                ),
                rx.spacer(),
                button(
                    t("New task"),
                    icon="plus",
                    size="3",
                    on_click=TaskDialogState.open_new(T.active_space_id),
                ),
                align="end",
                width="100%",
                wrap="wrap",
            ),
            _filters(),
            rx.cond(T.tasks_loaded, rx.cond(T.view == LIST, _list(), _board()), loading()),
            spacing="5",
            align="stretch",
            width="100%",
            data_testid="tasks-page",
        ),
        task_dialog(),
        confirm_dialog(
            t("Delete this task?"),
            tf("“{title}” is deleted for everyone in the space.", title=T.task_delete_title),
            open=T.task_delete_open,
            on_open_change=T.set_task_delete_open,
            on_confirm=T.confirm_delete,
            confirm_label=t("Delete"),
        ),
        active="tasks",
    )
