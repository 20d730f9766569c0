"""The transcript sidebar: partials update in place, finals are appended."""

from __future__ import annotations

import reflex as rx

from rooms.components.avatar import avatar
from rooms.state.transcript import TranscriptState


def transcript_bubble(item: rx.Var) -> rx.Component:
    """Who said it (avatar or initials, name or "Unknown speaker"), then what they said."""
    return rx.hstack(
        avatar(item["initials"], image_url=item["avatar"], size="24px"),
        rx.vstack(
            rx.text(
                item["speaker"],
                size="1",
                weight="bold",
                color=rx.color("gray", 11),
                data_testid="caption-speaker",
            ),
            rx.text(
                item["text"],
                size="2",
                font_style=rx.cond(item["isFinal"], "normal", "italic"),
                color=rx.cond(item["isFinal"], rx.color("gray", 12), rx.color("gray", 10)),
                data_testid="caption-text",
            ),
            spacing="0",
            min_width="0",
        ),
        spacing="2",
        align="start",
        padding="8px 10px",
        border_radius="10px",
        background_color=rx.color("gray", 3),
        width="100%",
        # Off-screen bubbles are neither laid out nor painted: with the sidebar's window of
        # recent items (WINDOW in rooms/state/transcript.py) a long meeting costs only what
        # is visible.
        content_visibility="auto",
        contain_intrinsic_size="auto 56px",
        custom_attrs={"data-utterance-id": item["utteranceId"], "data-final": item["isFinal"]},
    )


def _host_controls() -> rx.Component:
    live = TranscriptState.capture_status != "idle"
    return rx.cond(
        TranscriptState.can_transcribe & TranscriptState.available,
        rx.hstack(
            rx.cond(
                live,
                rx.button(
                    "Stop transcription",
                    on_click=TranscriptState.stop_transcription,
                    color_scheme="red",
                    size="1",
                    variant="soft",
                ),
                rx.button(
                    "Start transcription", on_click=TranscriptState.start_transcription, size="1"
                ),
            ),
            rx.badge(TranscriptState.capture_status, variant="surface"),
            spacing="2",
            align="center",
        ),
    )


def transcript_sidebar() -> rx.Component:
    """Drop into the session page; its on_load must include TranscriptState.load_transcript."""
    return rx.vstack(
        rx.script(src="/audio/transcriber.js"),
        rx.hstack(rx.heading("Transcript", size="3"), rx.spacer(), _host_controls(), width="100%"),
        rx.cond(
            ~TranscriptState.available,
            rx.callout(
                TranscriptState.unavailable_reason,
                icon="info",
                color_scheme="amber",
                size="1",
                width="100%",
            ),
        ),
        rx.cond(
            TranscriptState.has_older,
            rx.button(
                "Load earlier", on_click=TranscriptState.load_older, variant="ghost", size="1"
            ),
        ),
        rx.cond(
            TranscriptState.items.length() == 0,
            rx.text("Nothing said yet.", size="2", color=rx.color("gray", 10)),
        ),
        rx.foreach(TranscriptState.items, transcript_bubble),
        id="transcript-sidebar",
        spacing="2",
        width="100%",
        max_height="100%",
        overflow_y="auto",
        padding="12px",
    )
