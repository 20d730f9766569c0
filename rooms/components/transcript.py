"""The transcript sidebar: settled lines, then the live ones (partials update in place)."""

from __future__ import annotations

import reflex as rx

from rooms.components.avatar import avatar
from rooms.components.button import icon_button
from rooms.components.i18n import t
from rooms.components.task_dialog import task_dialog
from rooms.core.transcripts import UNKNOWN_SPEAKER
from rooms.state.task_dialog import TaskDialogState
from rooms.state.transcript import TranscriptState
from rooms.state.transcript_reads import Caption


@rx.memo
def caption_bubble(
    utterance_id: rx.Var[str],
    speaker: rx.Var[str],
    text: rx.Var[str],
    is_final: rx.Var[bool],
    initials: rx.Var[str],
    avatar_url: rx.Var[str],
    original: rx.Var[str],
    translated: rx.Var[bool],
) -> rx.Component:
    """Who said it (avatar or initials, name or "Unknown speaker"), then what they said: in
    the viewer's caption language when `translated`, with the original on hover.

    A memo of plain strings: when a caption arrives the sidebar maps its whole window again,
    and React skips every bubble whose line did not change (no styles serialised again)."""
    return rx.hstack(
        avatar(initials, image_url=avatar_url, size="24px"),
        rx.vstack(
            rx.text(
                speaker,
                size="1",
                weight="bold",
                color=rx.color("gray", 11),
                data_testid="caption-speaker",
            ),
            rx.text(
                text,
                size="2",
                font_style=rx.cond(is_final, "normal", "italic"),
                color=rx.cond(is_final, rx.color("gray", 12), rx.color("gray", 10)),
                title=rx.cond(translated, original, ""),
                data_testid="caption-text",
                custom_attrs={"data-translated": translated},
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
        custom_attrs={"data-utterance-id": utterance_id, "data-final": is_final},
    )


def transcript_bubble(item: rx.Var[Caption]) -> rx.Component:
    """Keyed by utterance, so trimming the window or settling a line moves no other bubble.
    Members of a space with tasks can make a task from a saved (final) line."""
    translated = ~TranscriptState.show_original & (item.translation != "")
    bubble = caption_bubble(
        utterance_id=item.utteranceId,
        speaker=rx.cond(item.speaker == UNKNOWN_SPEAKER, t("Unknown speaker"), item.speaker),
        text=rx.cond(translated, item.translation, item.text),
        is_final=item.isFinal,
        initials=item.initials,
        avatar_url=item.avatar,
        original=item.text,
        translated=translated,
    )
    make_task = rx.cond(
        TranscriptState.can_make_tasks & item.isFinal,
        icon_button(
            "list-plus",
            t("Make a task"),
            size="1",
            on_click=TaskDialogState.open_from_caption(
                TranscriptState.transcript_slug, item.utteranceId
            ),
            data_testid="make-task",
        ),
    )
    return rx.hstack(
        bubble,
        make_task,
        key=item.utteranceId,
        spacing="1",
        width="100%",
        data_testid="caption-row",
    )


def _caption_health() -> rx.Component:
    """For the host: which engine makes the captions, how late they typically are, and
    amber when that is degraded (slow, or a fail-over), with the reason on hover."""
    label = rx.cond(
        TranscriptState.caption_delay != "",
        TranscriptState.caption_engine + " · " + TranscriptState.caption_delay,
        TranscriptState.caption_engine,
    )
    return rx.cond(
        TranscriptState.can_transcribe & (TranscriptState.caption_engine != ""),
        rx.tooltip(
            rx.badge(
                rx.cond(TranscriptState.caption_degraded, rx.icon("triangle-alert", size=12)),
                label,
                color_scheme=rx.cond(TranscriptState.caption_degraded, "amber", "green"),
                variant="soft",
                data_testid="caption-health",
                custom_attrs={"data-degraded": TranscriptState.caption_degraded},
            ),
            content=rx.cond(
                TranscriptState.caption_reason != "",
                TranscriptState.caption_reason,
                t("Typical delay of the captions after speech ends"),
            ),
        ),
    )


def _host_controls() -> rx.Component:
    live = TranscriptState.capture_status != "idle"
    return rx.cond(
        TranscriptState.can_transcribe & TranscriptState.available,
        rx.hstack(
            rx.cond(
                live,
                rx.button(
                    t("Stop transcription"),
                    on_click=TranscriptState.stop_transcription,
                    color_scheme="red",
                    size="1",
                    variant="soft",
                ),
                rx.button(
                    t("Start transcription"),
                    on_click=TranscriptState.start_transcription,
                    size="1",
                ),
            ),
            rx.badge(
                rx.match(
                    TranscriptState.capture_status,
                    ("idle", t("idle")),
                    ("connecting", t("connecting")),
                    ("live", t("live")),
                    ("reconnecting", t("reconnecting")),
                    ("error", t("error")),
                    TranscriptState.capture_status,
                ),
                variant="surface",
                data_testid="capture-status",
            ),
            spacing="2",
            align="center",
        ),
    )


def _caption_language() -> rx.Component:
    """The language this viewer reads captions in, and the one-click way to the original;
    with an engine that cannot translate, why not."""
    return rx.cond(
        TranscriptState.translation_available,
        rx.hstack(
            rx.select.root(
                rx.select.trigger(aria_label=t("Caption language"), data_testid="caption-language"),
                rx.select.content(
                    rx.foreach(
                        TranscriptState.caption_choices,
                        lambda c: rx.select.item(c["label"], value=c["value"]),
                    )
                ),
                value=TranscriptState.caption_language,
                on_change=TranscriptState.set_caption_language,
                size="1",
            ),
            rx.cond(
                TranscriptState.caption_language != "original",
                rx.button(
                    rx.cond(TranscriptState.show_original, t("Translated"), t("Original")),
                    on_click=TranscriptState.toggle_original,
                    variant="ghost",
                    size="1",
                    aria_pressed=TranscriptState.show_original,
                    data_testid="show-original",
                ),
            ),
            spacing="2",
            align="center",
        ),
        rx.cond(
            TranscriptState.available,
            rx.text(
                TranscriptState.translation_note,
                size="1",
                color=rx.color("gray", 10),
                data_testid="translation-unavailable",
            ),
        ),
    )


def transcript_sidebar() -> rx.Component:
    """Drop into the session page; its on_load must include TranscriptState.load_transcript."""
    return rx.vstack(
        rx.script(src="/audio/protocol.js"),
        rx.script(src="/audio/transcriber.js"),
        rx.hstack(
            rx.heading(t("Transcript"), size="3"), rx.spacer(), _host_controls(), width="100%"
        ),
        _caption_language(),
        _caption_health(),
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
            TranscriptState.engine_notice != "",
            rx.callout(TranscriptState.engine_notice, icon="info", color_scheme="gray", size="1"),
        ),
        rx.cond(
            TranscriptState.has_older,
            rx.button(
                t("Load earlier"), on_click=TranscriptState.load_older, variant="ghost", size="1"
            ),
        ),
        rx.cond(
            (TranscriptState.items.length() == 0) & (TranscriptState.live.length() == 0),
            rx.text(t("Nothing said yet."), size="2", color=rx.color("gray", 10)),
        ),
        rx.foreach(TranscriptState.items, transcript_bubble),
        rx.foreach(TranscriptState.live, transcript_bubble),
        task_dialog(),
        id="transcript-sidebar",
        spacing="2",
        width="100%",
        max_height="100%",
        overflow_y="auto",
        padding="12px",
    )
