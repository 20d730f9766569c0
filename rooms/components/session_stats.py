"""The transcript page's figures: who was there and who spoke how much (a small table and
a bar chart drawn by Reflex's recharts), and the summary after the meeting."""

from __future__ import annotations

from typing import Any

import reflex as rx

from rooms.components.i18n import t
from rooms.core.i18n import N_
from rooms.state.session_stats import PersonRow
from rooms.state.session_stats import SessionStatsState as S

_COLUMNS = [
    ("name", N_("Participant")),
    ("role", N_("Role")),
    ("present", N_("Present")),
    ("speaking", N_("Speaking")),
    ("words", N_("Words")),
]


def _figure(label: str, key: str) -> rx.Component:
    return rx.vstack(
        rx.text(t(label), size="1", color_scheme="gray"),
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
            rx.table.row(*[rx.table.column_header_cell(t(label)) for _, label in _COLUMNS])
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
            # The unit follows each tick's number ("12 s"), so its space is in the message.
            rx.recharts.y_axis(unit=t(" s"), width=56),
            rx.recharts.graphing_tooltip(),
            rx.recharts.bar(
                data_key="seconds",
                name=t("Speaking (s)"),
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
        aria_label=t("Speaking time per participant, in seconds"),
    )


def _summary() -> rx.Component:
    return rx.box(
        rx.heading(t("Summary"), size="3"),
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
                        t("The summary is made once the session ends; it is not ready yet."),
                        color_scheme="gray",
                    ),
                    rx.button(t("Check again"), variant="soft", size="1", on_click=S.load_stats),
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
                _figure(N_("Duration"), "duration"),
                _figure(N_("Words"), "words"),
                _figure(N_("Transcribed"), "transcribed"),
                _figure(N_("Engine"), "engine"),
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
