"""Chat in the room: LiveKit's `Chat` over the room's data channel (topic `lk.chat`).

Messages never touch the Reflex backend: they go from browser to browser through the video
server, like the media. The panel stays mounted while closed, so it keeps counting what
arrives; the control bar's chat toggle shows that count (both read the layout context that
`layout_provider` in rooms/components/livekit.py creates).
"""

from __future__ import annotations

import reflex as rx
from reflex_base.constants.compiler import MemoizationDisposition, MemoizationMode

from rooms.components.livekit import COMPONENTS, DEPENDENCIES

# Only http(s) addresses become links; a trailing full stop or bracket stays text. React
# renders every other part as text, so markup in a message is shown, never interpreted.
LINK_FORMATTER = r"""
function roomsChatLinks(text) {
  return String(text).split(/(https?:\/\/[^\s<>"']*[^\s<>"'.,;:!?)\]}])/i).map((part, i) =>
    i % 2 === 1
      ? createElement("a", {key: i, href: part, target: "_blank", rel: "noopener noreferrer",
          className: "lk-chat-link"}, part)
      : part);
}
"""


class ChatPanel(rx.NoSSRComponent):
    """LiveKit's chat prefab: the message list, the composer, and a close button."""

    library = COMPONENTS
    lib_dependencies: list[str] = DEPENDENCIES
    tag = "Chat"
    message_formatter: rx.Var[str]
    # Its own component, so the layout hook runs inside the layout context's provider.
    _memoization_mode = MemoizationMode(disposition=MemoizationDisposition.ALWAYS)

    def add_imports(self) -> dict:
        return {COMPONENTS: ["useLayoutContext"], "react": ["createElement"]}

    def add_hooks(self) -> list[str]:
        return ["const lkChatOpen = useLayoutContext().widget.state?.showChat ?? false;"]

    def add_custom_code(self) -> list[str]:
        return [LINK_FORMATTER]

    @classmethod
    def create(cls, *children, **props) -> ChatPanel:
        props.setdefault("message_formatter", rx.Var("roomsChatLinks"))
        # A plain `style` prop: Reflex turns `style=` into a class, which Chat replaces.
        props.setdefault("custom_attrs", {})["style"] = rx.Var(
            "({display: lkChatOpen ? 'grid' : 'none'})"
        )
        return super().create(*children, **props)


def chat_panel() -> rx.Component:
    """Beside the video on wide screens, over it on phones (`.rooms-stage-row` in
    assets/rooms.css)."""
    return ChatPanel.create(data_testid="chat")
