"""Chat in the room over the room's data channel (topic `lk.chat`), in room_chat.jsx.

Messages never touch the Reflex backend: they go from browser to browser through the video
server, like the media. The panel stays mounted while closed, so it keeps counting what
arrives; the control bar's chat toggle shows that count (both read the layout context that
`layout_provider` in rooms/components/livekit.py creates).
"""

from __future__ import annotations

import reflex as rx

from rooms.components.i18n import t
from rooms.components.livekit import LOCAL_DEPENDENCIES
from rooms.state.auth import AuthState


class ChatPanel(rx.NoSSRComponent):
    """The message list, the composer and a close button, labelled from the catalog."""

    library = rx.asset("room_chat.jsx", shared=True).importable_path
    lib_dependencies: list[str] = LOCAL_DEPENDENCIES
    tag = "RoomsChat"
    labels: rx.Var[dict]
    locale: rx.Var[str]


def chat_panel() -> rx.Component:
    """Beside the video on wide screens, over it on phones (`.rooms-stage-row` in
    assets/rooms.css)."""
    return ChatPanel.create(
        labels={
            "title": t("Messages"),
            "placeholder": t("Enter a message..."),
            "send": t("Send"),
            "close": t("Close chat"),
            "edited": t("edited"),
        },
        locale=AuthState.locale,
        data_testid="chat",
    )
