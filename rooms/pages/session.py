"""/session/[slug]: the name gate for guests, pre-join preview, then the room."""

from __future__ import annotations

import reflex as rx

from rooms import routes
from rooms.components.agenda import agenda_card
from rooms.components.button import button
from rooms.components.chat import chat_panel
from rooms.components.guest_join_gate import guest_join_gate
from rooms.components.i18n import t, tf
from rooms.components.layout import loading, logo, page_frame, theme_toggle
from rooms.components.livekit import (
    connection_watch,
    control_bar,
    layout_provider,
    livekit_room,
    pre_join,
    room_audio_renderer,
    transcriber_bridge,
    video_grid,
)
from rooms.components.lobby import lobby_notice, lobby_switch, waiting_card
from rooms.components.participants_panel import participants_panel
from rooms.components.transcript import transcript_sidebar
from rooms.pages.not_found import message_card
from rooms.state.lobby import LobbyState
from rooms.state.room import RoomState


def transcript_slot() -> rx.Component:
    """The agenda (rooms/components/agenda.py) over the live transcript sidebar
    (rooms/components/transcript.py): a column beside the video on wide screens, below it
    on phones."""
    return rx.box(
        agenda_card(),
        transcript_sidebar(),
        # A column, so a long agenda leaves the transcript the rest and both stay in view.
        display="flex",
        flex_direction="column",
        min_height="0",
        width=["100%", "100%", "340px"],
        flex_shrink="0",
    )


def _video_unreachable() -> rx.Component:
    return rx.callout.root(
        rx.callout.icon(rx.icon("wifi-off")),
        rx.callout.text(
            rx.text.strong(t("Video is unavailable."), " "),
            RoomState.video_error,
            " ",
            t(
                "Check that the LiveKit server is running and that LIVEKIT_URL points to an "
                "address this browser can reach (ws:// or wss://, usually port 7880). "
                "Everything else on this page keeps working."
            ),
        ),
        rx.box(
            button(
                t("Try again"), variant="secondary", icon="refresh-cw", on_click=RoomState.retry
            ),
            padding_top="8px",
        ),
        color_scheme="amber",
        role="alert",
        data_testid="video-unreachable",
        width="100%",
    )


def _connection_badge() -> rx.Component:
    return rx.cond(
        RoomState.reconnecting,
        rx.badge(t("Reconnecting…"), color_scheme="amber", variant="soft", size="1", role="status"),
        rx.cond(
            RoomState.connected,
            rx.badge(t("Connected"), color_scheme="green", variant="soft", size="1"),
            rx.badge(t("Not connected"), color_scheme="amber", variant="soft", size="1"),
        ),
    )


def _room_header() -> rx.Component:
    return rx.hstack(
        logo(compact=True),
        rx.vstack(
            rx.text(RoomState.title, weight="medium", size="3", truncate=True),
            rx.hstack(
                rx.code(
                    RoomState.slug,
                    variant="ghost",
                    size="1",
                    color_scheme="gray",
                    display=["none", "inline"],
                ),
                _connection_badge(),
                spacing="2",
                align="center",
            ),
            spacing="0",
            min_width="0",
        ),
        rx.spacer(),
        lobby_switch(),
        theme_toggle(),
        participants_panel(),
        button(t("Leave"), variant="danger", icon="phone-off", on_click=RoomState.leave),
        width="100%",
        height="60px",
        align="center",
        spacing="3",
        padding_x=["12px", "20px"],
        border_bottom=f"1px solid {rx.color('gray', 4)}",
        background_color=rx.color("gray", 1),
    )


_CONTROL_LABELS = {
    "microphone": t("Microphone"),
    "microphoneMenu": t("Choose a microphone"),
    "camera": t("Camera"),
    "cameraMenu": t("Choose a camera"),
    "shareScreen": t("Share screen"),
    "stopShare": t("Stop sharing"),
    "chat": t("Chat"),
    # Not "Leave": that is the header's button, which also leaves the page.
    "leave": t("Disconnect"),
    # Shown only while the browser blocks autoplay: one click lets the room be heard.
    "startMedia": t("Allow audio and video"),
}


def _room() -> rx.Component:
    return rx.box(
        _room_header(),
        rx.flex(
            rx.vstack(
                lobby_notice(),
                rx.cond(RoomState.video_error, _video_unreachable()),
                rx.box(
                    livekit_room(
                        layout_provider(
                            rx.box(
                                rx.box(video_grid(), flex="1", min_width="0"),
                                chat_panel(),
                                class_name="rooms-stage-row",
                            ),
                            # Mounted once connected: until then there is nothing to control
                            # and the token's permissions are not known yet.
                            rx.cond(
                                RoomState.connected,
                                control_bar(labels=_CONTROL_LABELS),
                            ),
                            room_audio_renderer(),
                            transcriber_bridge(),
                            connection_watch(RoomState.room_reconnecting),
                        ),
                        server_url=RoomState.server_url,
                        token=RoomState.token,
                        connect=True,
                        audio=RoomState.audio_enabled,
                        video=RoomState.video_enabled,
                        on_connected=RoomState.room_connected,
                        on_disconnected=RoomState.room_disconnected,
                        on_error=RoomState.room_error,
                        key=RoomState.attempt.to_string(),
                        style={
                            "height": "100%",
                            "display": "flex",
                            "flexDirection": "column",
                        },
                    ),
                    custom_attrs={"data-lk-theme": "default"},
                    width="100%",
                    # A definite height (LiveKit's grid sizes its tiles from it): a fixed share
                    # of a phone's screen; on wider screens whatever the viewport leaves.
                    height=["52vh", "auto"],
                    flex=["none", "1"],
                    min_height=["360px", "0"],
                    border_radius="12px",
                    overflow="hidden",
                    background_color="#111",
                    data_testid="video-stage",
                    # Without a server LiveKit's controls do nothing (and its leave button
                    # flickers between states): the header's Leave is the way out then.
                    class_name=rx.cond(RoomState.video_error, "rooms-stage-offline", ""),
                ),
                flex="1",
                spacing="3",
                min_width="0",
                min_height="0",
            ),
            transcript_slot(),
            direction=rx.breakpoints(initial="column", md="row"),
            spacing="3",
            padding=["8px", "16px"],
            flex="1",
            min_height="0",
        ),
        display="flex",
        flex_direction="column",
        height=["auto", "100vh"],
        min_height="100vh",
        background_color=rx.color("gray", 2),
        data_testid="room",
        on_mount=LobbyState.watch_lobby,
    )


def _prejoin() -> rx.Component:
    return page_frame(
        rx.vstack(
            rx.vstack(
                rx.badge(rx.icon("video", size=12), t("Ready to join"), variant="soft", size="2"),
                rx.heading(RoomState.title, size="7", text_align="center"),
                rx.text(
                    t("Check your camera and microphone, then join."),
                    color_scheme="gray",
                    size="2",
                    text_align="center",
                ),
                spacing="2",
                align="center",
            ),
            rx.box(
                pre_join(
                    defaults=RoomState.prejoin_defaults,
                    join_label=t("Join session"),
                    user_label=t("Your name"),
                    mic_label=t("Microphone"),
                    cam_label=t("Camera"),
                    persist_user_choices=False,
                    on_submit=RoomState.join,
                    on_error=RoomState.media_failed,
                ),
                custom_attrs={"data-lk-theme": "default"},
                width="100%",
                padding="8px",
                border_radius="16px",
                overflow="hidden",
                background_color="#111",
                box_shadow="0 12px 32px rgba(15, 23, 42, 0.18)",
                data_testid="prejoin",
                class_name="rooms-prejoin",
            ),
            rx.cond(
                RoomState.media_error,
                rx.callout(
                    tf(
                        "Camera or microphone unavailable: {error}. You can still join and listen.",
                        error=RoomState.media_error,
                    ),
                    icon="video-off",
                    color_scheme="amber",
                    size="1",
                    width="100%",
                ),
            ),
            spacing="5",
            align="center",
            width="100%",
        ),
        max_width="560px",
    )


def session_page() -> rx.Component:
    return rx.match(
        RoomState.phase,
        (
            "notfound",
            message_card(
                "map-pin-off",
                t("Session not found"),
                t("This invite link does not open a session. Check the link with whoever sent it."),
                "not-found",
            ),
        ),
        (
            "ended",
            message_card(
                "circle-check",
                t("This session has ended"),
                t(
                    "The host has ended this session, so its link no longer "
                    "opens a room. Thanks for joining."
                ),
                "session-ended",
            ),
        ),
        (
            "removed",
            message_card(
                "user-x",
                t("You were removed from this session"),
                t(
                    "The session's owner removed you, so this link no longer lets you in. "
                    "Ask them if you think this is a mistake."
                ),
                "session-removed",
            ),
        ),
        (
            "denied",
            message_card(
                "door-closed",
                t("The host did not let you in"),
                t(
                    "Someone in this session declined your request to join, so this link does "
                    "not open the room for you. Ask whoever invited you if you think this is a "
                    "mistake."
                ),
                "lobby-denied",
            ),
        ),
        ("waiting", waiting_card()),
        (
            "left",
            message_card(
                "log-out",
                t("You left the session"),
                t("Close this tab, or open the invite link again to rejoin."),
                "session-left",
            ),
        ),
        (
            "gate",
            page_frame(
                guest_join_gate(
                    RoomState.title,
                    RoomState.submit_name,
                    routes.LOGIN + "?next=" + routes.session_room(RoomState.slug),
                )
            ),
        ),
        ("prejoin", _prejoin()),
        ("room", _room()),
        page_frame(loading()),
    )


def call_redirect() -> rx.Component:
    """/call/[slug], the seed's old address for a session."""
    return page_frame(loading())
