"""The transcript page's figures: who was there and who spoke how much (a small table and
a bar chart drawn by Reflex's recharts), and the summary after the meeting."""

from __future__ import annotations

from typing import Any

import reflex as rx

from rooms.state.session_stats import PersonRow
from rooms.state.session_stats import SessionStatsState as S

_COLUMNS = [
    ("name", "Participant"),
    ("role", "Role"),
    ("present", "Present"),
    ("speaking", "Speaking"),
    ("words", "Words"),
]


def _figure(label: str, key: str) -> rx.Component:
    return rx.vstack(
        rx.text(label, size="1", color_scheme="gray"),
        rx.text(S.figures[key], size="3", weight="bold", data_testid=f"stats-{key}"),
        spacing="0",
    )


def _row(person: rx.Var[PersonRow]) -> rx.Component:
    return rx.table.row(
        *[rx.table.cell(getattr(person, field)) for field, _ in _COLUMNS],
        data_testid="stats-row",
    )


def _table() -> rx.Component:
    return rx.table.root(
        rx.table.header(
            rx.table.row(*[rx.table.column_header_cell(label) for _, label in _COLUMNS])
        ),
        rx.table.body(rx.foreach(S.people, _row)),
        size="1",
        variant="surface",
        width="100%",
        data_testid="stats-table",
    )


def _chart() -> rx.Component:
    return rx.box(
        rx.recharts.bar_chart(
            rx.recharts.cartesian_grid(stroke_dasharray="3 3", vertical=False),
            rx.recharts.x_axis(data_key="name"),
            rx.recharts.y_axis(unit=" s", width=56),
            rx.recharts.graphing_tooltip(),
            rx.recharts.bar(
                data_key="seconds",
                name="Speaking (s)",
                fill=rx.color("accent", 9),
                is_animation_active=False,
            ),
            # The prop is typed as plain records; a ChartBar list is the same JSON.
            data=S.chart.to(list[dict[str, Any]]),
            width="100%",
            height=220,
        ),
        width="100%",
        data_testid="speaking-chart",
        aria_label="Speaking time per participant, in seconds",
    )


def _summary() -> rx.Component:
    return rx.box(
        rx.heading("Summary", size="3"),
        rx.match(
            S.summary_status,
            (
                "READY",
                rx.text(S.summary_text, white_space="pre-wrap", data_testid="summary-text"),
            ),
            (
                "PENDING",
                rx.hstack(
                    rx.text(
                        "The summary is made once the session ends; it is not ready yet.",
                        color_scheme="gray",
                    ),
                    rx.button("Check again", variant="soft", size="1", on_click=S.load_stats),
                    align="center",
                    spacing="3",
                ),
            ),
            rx.callout(S.summary_reason, icon="info", color_scheme="gray", size="1"),
        ),
        data_testid="summary",
        data_status=S.summary_status,
        width="100%",
    )


def session_stats() -> rx.Component:
    return rx.cond(
        S.stats_found,
        rx.vstack(
            rx.hstack(
                _figure("Duration", "duration"),
                _figure("Words", "words"),
                _figure("Transcribed", "transcribed"),
                _figure("Engine", "engine"),
                spacing="6",
                wrap="wrap",
            ),
            _table(),
            _chart(),
            _summary(),
            spacing="3",
            width="100%",
            data_testid="session-stats",
        ),
    )
