"""LiveKit's React components, wrapped for Reflex.

Every wrapper is an `rx.NoSSRComponent`: LiveKit's JavaScript (~180 KB gzip) is then a
lazy chunk that only the session page loads. The grid needs LiveKit's `useTracks` hook,
so it is always memoized: the hook then runs in its own React component, inside the
room's context provider, instead of being hoisted into the page.
"""

from __future__ import annotations

import reflex as rx
from reflex_base.constants.compiler import MemoizationDisposition, MemoizationMode
from reflex_base.vars.object import ObjectVar

COMPONENTS = "@livekit/components-react@2.9.24"
CLIENT = "livekit-client@2.23.0"
STYLES = "@livekit/components-styles@1.2.0"
# tslib is a peer dependency of components-react that bun does not install by itself.
DEPENDENCIES = [CLIENT, STYLES, "tslib@2.8.1"]
# What our own components beside this file (room_*.jsx) import.
LOCAL_DEPENDENCIES = [COMPONENTS, *DEPENDENCIES]


def _error_fields(error: ObjectVar[dict[str, str]]) -> tuple[rx.Var[str], rx.Var[str]]:
    # Error objects do not serialise: pick the plain fields in the browser.
    return (error.name.to(str), error.message.to(str))


def _reason(reason: rx.Var[int]) -> tuple[rx.Var[int]]:
    return (rx.Var(f"({reason} ?? 0)").to(int),)


def _choices(values: rx.Var[dict]) -> tuple[rx.Var[dict]]:
    return (values,)


class _LiveKit(rx.NoSSRComponent):
    library = COMPONENTS
    lib_dependencies: list[str] = DEPENDENCIES


class LiveKitRoom(_LiveKit):
    tag = "LiveKitRoom"
    server_url: rx.Var[str]
    token: rx.Var[str]
    connect: rx.Var[bool]
    audio: rx.Var[bool | dict]
    video: rx.Var[bool | dict]
    screen: rx.Var[bool]
    on_connected: rx.EventHandler[rx.event.no_args_event_spec]
    on_disconnected: rx.EventHandler[_reason]
    on_error: rx.EventHandler[_error_fields]

    def add_imports(self) -> dict:
        return {"": "@livekit/components-styles"}


class PreJoin(_LiveKit):
    """Camera and microphone preview with device choice and mute toggles."""

    tag = "PreJoin"
    defaults: rx.Var[dict]
    join_label: rx.Var[str]
    mic_label: rx.Var[str]
    cam_label: rx.Var[str]
    user_label: rx.Var[str]
    persist_user_choices: rx.Var[bool]
    on_submit: rx.EventHandler[_choices]
    on_error: rx.EventHandler[_error_fields]


class ControlBar(rx.NoSSRComponent):
    """Microphone, camera, screen share, chat and leave, icons labelled from the catalog
    (room_controls.jsx)."""

    library = rx.asset("room_controls.jsx", shared=True).importable_path
    lib_dependencies: list[str] = LOCAL_DEPENDENCIES
    tag = "RoomsControlBar"
    labels: rx.Var[dict]


class RoomAudioRenderer(_LiveKit):
    tag = "RoomAudioRenderer"


class VideoTile(_LiveKit):
    """One participant's camera or screen, with name, mute and speaking indicators."""

    tag = "ParticipantTile"


class VideoGrid(_LiveKit):
    """Every camera (a placeholder for those without one) and every screen share."""

    tag = "GridLayout"
    tracks: rx.Var[list]
    _memoization_mode = MemoizationMode(disposition=MemoizationDisposition.ALWAYS)

    def add_imports(self) -> dict:
        return {COMPONENTS: ["useTracks"], CLIENT: ["Track"]}

    def add_hooks(self) -> list[str]:
        return [
            "const lkTracks = useTracks([{source: Track.Source.Camera, withPlaceholder: true},"
            " {source: Track.Source.ScreenShare, withPlaceholder: false}],"
            " {onlySubscribed: false});"
        ]

    @classmethod
    def create(cls, *children, **props):
        props.setdefault("tracks", rx.Var("lkTracks").to(list))
        return super().create(*(children or [VideoTile.create()]), **props)


class LayoutContextProvider(_LiveKit):
    """The pin and widget state (chat open, unread count) that the control bar's chat toggle
    and the chat panel share. Renders no element of its own."""

    tag = "LayoutContextProvider"


class ConnectionWatch(rx.Fragment):
    """Renders nothing: tells the page when LiveKit's client starts and stops reconnecting
    (LiveKitRoom has no callback for that, only for the final disconnect). Memoized, so
    `useConnectionState` runs inside the room's provider."""

    _memoization_mode = MemoizationMode(disposition=MemoizationDisposition.ALWAYS)
    _on_reconnecting: rx.Var | None = None

    @classmethod
    def create(cls, on_reconnecting: rx.EventHandler) -> ConnectionWatch:
        watch = super().create()
        watch._on_reconnecting = rx.Var.create(
            rx.EventChain.create(on_reconnecting, args_spec=lambda now: [now], key="now")
        )
        return watch

    def add_imports(self) -> dict:
        return {
            COMPONENTS: ["useConnectionState"],
            CLIENT: ["ConnectionState"],
            "react": ["useEffect", "useRef"],
        }

    def add_hooks(self) -> list[str | rx.Var]:
        report = self._on_reconnecting
        assert report is not None, "connection_watch() needs an event handler"
        # One event per change, not per render: the ref remembers what was reported.
        return [
            "const lkState = useConnectionState();",
            "const lkWasReconnecting = useRef(false);",
            rx.Var(
                "useEffect(() => { const now = lkState === ConnectionState.Reconnecting"
                " || lkState === ConnectionState.SignalReconnecting;"
                " if (now !== lkWasReconnecting.current) { lkWasReconnecting.current = now;"
                f" ({report})(now); }} }}, [lkState]);",
                _var_data=report._get_all_var_data(),
            ),
        ]


class TranscriberBridge(rx.Fragment):
    """Renders nothing: hands the room to the transcriber (assets/audio/transcriber.js), which
    in host mode mixes in everyone's audio and reports LiveKit's active speakers. Memoized
    like the grid, so `useRoomContext` runs inside the room's provider."""

    _memoization_mode = MemoizationMode(disposition=MemoizationDisposition.ALWAYS)

    def add_imports(self) -> dict:
        return {COMPONENTS: ["useRoomContext"], "react": ["useEffect"]}

    def add_hooks(self) -> list[str]:
        # The transcriber script may load after the room: it also picks the room up itself.
        return [
            "const lkRoom = useRoomContext();",
            "useEffect(() => { window.RoomsLiveKitRoom = lkRoom;"
            " window.RoomsTranscriber?.attachRoom(lkRoom);"
            " return () => { window.RoomsLiveKitRoom = null;"
            " window.RoomsTranscriber?.attachRoom(null); }; }, [lkRoom]);",
        ]


livekit_room = LiveKitRoom.create
pre_join = PreJoin.create
control_bar = ControlBar.create
room_audio_renderer = RoomAudioRenderer.create
video_grid = VideoGrid.create
video_tile = VideoTile.create
transcriber_bridge = TranscriberBridge.create
layout_provider = LayoutContextProvider.create
connection_watch = ConnectionWatch.create
