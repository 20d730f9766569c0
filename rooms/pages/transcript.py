"""/session/[slug]/transcript: the whole transcript with times and speakers; `?t=` opens it
at a moment; copy it, or download it in any export format."""

from __future__ import annotations

import reflex as rx

from rooms.components.avatar import avatar
from rooms.components.layout import app_shell, loading
from rooms.components.session_stats import session_stats
from rooms.state.transcript_page import TranscriptPageState as S

FORMATS = [("txt", "Text"), ("md", "Markdown"), ("srt", "SRT"), ("vtt", "WebVTT"), ("json", "JSON")]


def wide_frame(*children: rx.Component) -> rx.Component:
    """The signed-in shell (space switcher, navigation, profile), as on every other page."""
    return app_shell(*children, active="")


def _line(line: rx.Var) -> rx.Component:
    focused = S.focus_id == line["id"]
    return rx.hstack(
        avatar(line["initials"], line["color"], line["avatar"]),
        rx.vstack(
            rx.hstack(
                rx.text(line["speaker"], size="2", weight="bold"),
                rx.link(
                    line["time"],
                    href="?t=" + line["start"],
                    size="1",
                    color_scheme="gray",
                    on_click=S.open_line(line["id"]).prevent_default,
                ),
                spacing="2",
                align="baseline",
            ),
            rx.text(line["text"], size="3"),
            spacing="1",
            align="start",
        ),
        id=line["anchor"],
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


def _toolbar() -> rx.Component:
    return rx.hstack(
        rx.form(
            rx.hstack(
                rx.input(
                    placeholder="Jump to 12:34",
                    value=S.jump_to,
                    on_change=S.set_jump_to,
                    aria_label="Jump to time",
                    width="130px",
                ),
                rx.button("Go", type="submit", variant="soft"),
                spacing="2",
            ),
            on_submit=S.jump,
        ),
        rx.spacer(),
        rx.button(
            rx.cond(S.copied, "Copied", "Copy"),
            rx.icon("copy", size=16),
            variant="soft",
            on_click=S.copy_all,
        ),
        rx.menu.root(
            rx.menu.trigger(rx.button("Download", rx.icon("download", size=16))),
            rx.menu.content(
                *[
                    rx.menu.item(
                        rx.link(
                            label,
                            href=f"/api/sessions/{S.slug}/transcript?format={fmt}",
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


def _found() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.heading(S.title, size="6"),
            rx.badge(S.status, variant="soft"),
            align="center",
            spacing="3",
        ),
        rx.link("Search all transcripts", href="/search", size="2"),
        _toolbar(),
        session_stats(),
        rx.cond(
            S.has_lines,
            rx.vstack(rx.foreach(S.lines, _line), spacing="1", width="100%"),
            rx.text("Nothing has been transcribed in this session yet.", color_scheme="gray"),
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
                    "This session does not exist, or it is not in your spaces.",
                    icon="info",
                    color_scheme="gray",
                ),
            ),
            loading(),
        )
    )
