"""/session/[slug]/transcript: the whole transcript with times and speakers; `?t=` opens it
at a moment; copy it, or download it in any export format."""

from __future__ import annotations

import reflex as rx

from rooms import routes
from rooms.components.avatar import avatar
from rooms.components.button import icon_button
from rooms.components.i18n import t
from rooms.components.layout import app_shell, loading
from rooms.components.session_stats import session_stats
from rooms.components.task_dialog import task_dialog
from rooms.core.i18n import N_
from rooms.core.transcripts import UNKNOWN_SPEAKER
from rooms.state.task_dialog import TaskDialogState
from rooms.state.transcript_page import TranscriptLine
from rooms.state.transcript_page import TranscriptPageState as S

FORMATS = [
    ("txt", N_("Text")),
    ("md", "Markdown"),
    ("srt", "SRT"),
    ("vtt", "WebVTT"),
    ("json", "JSON"),
]


def wide_frame(*children: rx.Component) -> rx.Component:
    """The signed-in shell (space switcher, navigation, profile), as on every other page."""
    return app_shell(*children, active="")


def _line(line: TranscriptLine) -> rx.Component:
    focused = S.focus_id == line.id
    return rx.hstack(
        avatar(line.initials, line.color, line.avatar),
        rx.vstack(
            rx.hstack(
                rx.text(
                    rx.cond(line.speaker == UNKNOWN_SPEAKER, t("Unknown speaker"), line.speaker),
                    size="2",
                    weight="bold",
                ),
                rx.link(
                    line.time,
                    href="?t=" + line.start,
                    size="1",
                    color_scheme="gray",
                    on_click=S.open_line(line.id).prevent_default,
                ),
                spacing="2",
                align="baseline",
            ),
            rx.text(
                line.text,
                size="3",
                title=line.original,
                data_testid="transcript-text",
                custom_attrs={"data-translated": line.original != ""},
            ),
            spacing="1",
            align="start",
            flex="1",
        ),
        rx.cond(
            S.can_make_tasks,
            icon_button(
                "list-plus",
                t("Make a task"),
                size="1",
                on_click=TaskDialogState.open_from_line(S.slug, line.id),
                data_testid="make-task",
            ),
        ),
        id=line.anchor,
        data_testid="transcript-line",
        data_focused=rx.cond(focused, "true", "false"),
        padding="10px 12px",
        border_radius="8px",
        background_color=rx.cond(focused, rx.color("yellow", 4), "transparent"),
        scroll_margin_top="80px",
        align="start",
        spacing="3",
        width="100%",
    )


def _language_picker() -> rx.Component:
    """Original, or a language the transcript has translations in (live caption
    translation saved them); the downloads follow the choice."""
    return rx.cond(
        S.language_choices.length() > 1,
        rx.select.root(
            rx.select.trigger(
                aria_label=t("Transcript language"), data_testid="transcript-language"
            ),
            rx.select.content(
                rx.foreach(
                    S.language_choices, lambda c: rx.select.item(c["label"], value=c["value"])
                )
            ),
            value=S.language,
            on_change=S.pick_language,
        ),
    )


def _toolbar() -> rx.Component:
    return rx.hstack(
        rx.form(
            rx.hstack(
                rx.input(
                    placeholder=t("Jump to 12:34"),
                    value=S.jump_to,
                    on_change=S.set_jump_to,
                    aria_label=t("Jump to time"),
                    width="130px",
                ),
                rx.button(t("Go"), type="submit", variant="soft"),
                spacing="2",
            ),
            on_submit=S.jump,
        ),
        rx.spacer(),
        _language_picker(),
        rx.button(
            rx.cond(S.copied, t("Copied"), t("Copy")),
            rx.icon("copy", size=16),
            variant="soft",
            on_click=S.copy_all,
        ),
        rx.menu.root(
            rx.menu.trigger(rx.button(t("Download"), rx.icon("download", size=16))),
            rx.menu.content(
                *[
                    rx.menu.item(
                        rx.link(
                            t(label),
                            href=f"/api/sessions/{S.slug}/transcript?format={fmt}"
                            + S.export_language,
                            underline="none",
                            color="inherit",
                        ),
                    )
                    for fmt, label in FORMATS
                ]
            ),
        ),
        width="100%",
        align="center",
        wrap="wrap",
        spacing="3",
    )


def _session_task(card: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.badge(card.status_label, variant="soft"),
        rx.text(card.title, size="2", weight="medium", data_testid="session-task-title"),
        rx.cond(card.assignee_name != "", rx.text("· ", card.assignee_name, size="1")),
        rx.spacer(),
        rx.link(card.source_label, href=card.source_link, size="1", color_scheme="gray"),
        width="100%",
        align="center",
        spacing="2",
        data_testid="session-task",
    )


def _session_tasks() -> rx.Component:
    """The tasks made from this session's lines, each linking back to its moment."""
    return rx.cond(
        S.session_tasks.length() > 0,
        rx.card(
            rx.vstack(
                rx.hstack(
                    rx.heading(t("Tasks from this session"), size="3"),
                    rx.spacer(),
                    rx.link(t("Open the board"), href=routes.TASKS, size="1"),
                    width="100%",
                ),
                rx.foreach(S.session_tasks, _session_task),
                spacing="2",
                width="100%",
            ),
            width="100%",
            data_testid="session-tasks",
        ),
    )


def _found() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.heading(S.title, size="6"),
            rx.badge(
                rx.match(S.status, ("ACTIVE", t("Live")), ("ENDED", t("Ended")), S.status),
                variant="soft",
            ),
            align="center",
            spacing="3",
        ),
        rx.link(t("Search all transcripts"), href=routes.SEARCH, size="2"),
        _session_tasks(),
        _toolbar(),
        session_stats(),
        rx.cond(
            S.has_lines,
            rx.vstack(rx.foreach(S.lines, _line), spacing="1", width="100%"),
            rx.text(t("Nothing has been transcribed in this session yet."), color_scheme="gray"),
        ),
        spacing="4",
        width="100%",
    )


def transcript() -> rx.Component:
    return wide_frame(
        rx.cond(
            S.loaded,
            rx.cond(
                S.found,
                _found(),
                rx.callout(
                    t("This session does not exist, or it is not in your spaces."),
                    icon="info",
                    color_scheme="gray",
                ),
            ),
            loading(),
        ),
        task_dialog(),
    )
