"""The authorization matrix's Reflex half: every event handler of every State, what each
role must get back on the event socket when it calls it directly (as a script can), or why
the handler carries no data at all. test_handler_matrix.py asserts both.

Roles: anonymous (never joined), guest (joined by name), linkguest (signed in, not a member,
joined by link), nonmember (signed in, never joined), member, owner.
Cells: S = must receive the saved transcript (the control that the call works), N = must
receive nothing of the session (no transcript, ids, emails, avatar path), A = not checked
(insiders acting on their own data).

To add a handler: one `row(...)` (or a PUBLIC entry with the reason) below.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ROLES = ("anonymous", "guest", "linkguest", "nonmember", "member", "owner")
S, N, A = "sees", "nothing", "any"

Call = tuple[str, dict[str, Any]]  # handler name, payload (world values as "{slug}", "{space}")


@dataclass(frozen=True)
class Row:
    state: str  # the State class's name
    handler: str
    page: str  # "room" | "transcript" | "search" | "sessions"
    expected: dict[str, str]
    calls: list[Call] = field(default_factory=list)  # default: the handler with no payload


def row(state: str, handler: str, page: str, *cells: str, calls: list[Call] | None = None) -> Row:
    return Row(state, handler, page, dict(zip(ROLES, cells, strict=True)), calls or [])


OUTSIDE = (N, N, N, N, A, A)  # only members act on a space's things
ROOM = (N, A, A, N, A, A)  # people in the room act on their own room state

ROWS = [
    row("TranscriptState", "load_transcript", "room", N, S, S, N, S, S),
    row("TranscriptState", "listen", "room", N, A, A, N, A, A),
    row("TranscriptState", "load_older", "room", N, A, A, N, A, A),
    row(
        "TranscriptState",
        "apply",
        "room",
        *ROOM,
        calls=[
            (
                "apply",
                {
                    "msg": {
                        "type": "transcript",
                        "utteranceId": "x",
                        "text": "mine",
                        "isFinal": True,
                    }
                },
            )
        ],
    ),
    row("TranscriptState", "set_capture", "room", *ROOM, calls=[("set_capture", {"status": "x"})]),
    row("TranscriptState", "start_transcription", "room", *ROOM),
    row("TranscriptState", "stop_transcription", "room", *ROOM),
    row("RoomState", "load", "room", *ROOM),
    row(
        "RoomState",
        "submit_name",
        "room",
        *ROOM,
        calls=[("submit_name", {"form": {"name": "Zed"}})],
    ),
    row(
        "RoomState",
        "media_failed",
        "room",
        *ROOM,
        calls=[("media_failed", {"name": "x", "message": "y"})],
    ),
    row("RoomState", "room_connected", "room", *ROOM),
    row(
        "RoomState",
        "room_error",
        "room",
        *ROOM,
        calls=[("room_error", {"name": "x", "message": "y"})],
    ),
    row(
        "RoomState",
        "room_disconnected",
        "room",
        *ROOM,
        calls=[("room_disconnected", {"reason": 7})],
    ),
    row("RoomState", "retry", "room", *ROOM),
    row(
        "RoomState",
        "room_reconnecting",
        "room",
        *ROOM,
        calls=[("room_reconnecting", {"reconnecting": True})],
    ),
    # The room's people panel: the roster only for someone in the room or the space owner
    # (rooms.core.participants.roster); removal and lifting a ban only for the owner.
    row("ParticipantsState", "toggle_panel", "room", *ROOM),
    row("ParticipantsState", "refresh_while_open", "room", *ROOM),
    row(
        "ParticipantsState",
        "ask_remove",
        "room",
        *ROOM,
        calls=[("ask_remove", {"identity": "guest-x", "name": "x"})],
    ),
    row(
        "ParticipantsState",
        "set_confirm_open",
        "room",
        *ROOM,
        calls=[("set_confirm_open", {"value": False})],
    ),
    row(
        "ParticipantsState",
        "confirm_remove",
        "room",
        *ROOM,
        calls=[("ask_remove", {"identity": "guest-x", "name": "x"}), ("confirm_remove", {})],
    ),
    row(
        "ParticipantsState",
        "lift_ban",
        "room",
        *ROOM,
        calls=[("lift_ban", {"identity": "guest-x"})],
    ),
    row("RoomState", "watch_status", "room", *ROOM),
    row("TranscriptPageState", "load_page", "transcript", N, N, S, N, S, S),
    row("TranscriptPageState", "refresh", "transcript", N, N, S, N, S, S),
    row(
        "TranscriptPageState",
        "set_jump_to",
        "transcript",
        N,
        N,
        A,
        N,
        A,
        A,
        calls=[("set_jump_to", {"value": "0:01"})],
    ),
    row(
        "TranscriptPageState",
        "jump",
        "transcript",
        N,
        N,
        A,
        N,
        A,
        A,
        calls=[("jump", {"_form": {}})],
    ),
    row(
        "TranscriptPageState",
        "open_line",
        "transcript",
        N,
        N,
        A,
        N,
        A,
        A,
        calls=[("open_line", {"line_id": "x"})],
    ),
    row("TranscriptPageState", "copy_all", "transcript", N, N, A, N, A, A),
    row(
        "SearchState",
        "submit",
        "search",
        N,
        N,
        N,
        N,
        S,
        S,
        calls=[("set_query", {"value": "{secret}"}), ("submit", {"_form": {}})],
    ),
    row(
        "SearchState", "set_query", "search", *OUTSIDE, calls=[("set_query", {"value": "{secret}"})]
    ),
    row("SearchState", "load_page", "search", *OUTSIDE),
    row("SearchState", "refresh", "search", *OUTSIDE),
    row("SearchState", "load_more", "search", *OUTSIDE),
    row("SessionsState", "reload", "sessions", *OUTSIDE),
    row("SessionsState", "load_more", "sessions", *OUTSIDE),
    row(
        "SessionsState",
        "set_new_session_open",
        "sessions",
        *OUTSIDE,
        calls=[("set_new_session_open", {"value": True})],
    ),
    row(
        "SessionsState",
        "create_session",
        "sessions",
        *OUTSIDE,
        calls=[("create_session", {"form": {"title": "x"}})],
    ),
    row(
        "SessionsState", "copy_invite", "sessions", *OUTSIDE, calls=[("copy_invite", {"url": "x"})]
    ),
    row(
        "SessionsState",
        "set_confirm_open",
        "sessions",
        *OUTSIDE,
        calls=[("set_confirm_open", {"value": False})],
    ),
    row("SpacesState", "load_spaces", "sessions", *OUTSIDE),
    row(
        "SpacesState",
        "select_space",
        "sessions",
        *OUTSIDE,
        calls=[("select_space", {"space_id": "{space}"})],
    ),
    row(
        "SpacesState",
        "set_create_open",
        "sessions",
        *OUTSIDE,
        calls=[("set_create_open", {"value": False})],
    ),
    row(
        "SpacesState",
        "set_settings_open",
        "sessions",
        *OUTSIDE,
        calls=[("set_settings_open", {"value": False})],
    ),
    row(
        "SpacesState",
        "set_delete_open",
        "sessions",
        *OUTSIDE,
        calls=[("set_delete_open", {"value": False})],
    ),
    row(
        "SpacesState",
        "create_space",
        "sessions",
        *OUTSIDE,
        calls=[("create_space", {"form": {"name": "Mine"}})],
    ),
    row(
        "SpacesState",
        "rename_space",
        "sessions",
        *OUTSIDE,
        calls=[("rename_space", {"form": {"name": "Renamed"}})],
    ),
    row(
        "SpacesState",
        "set_mode",
        "sessions",
        *OUTSIDE,
        calls=[("set_mode", {"mode": "SESSIONS_ONLY"})],
    ),
    row(
        "SessionsState",
        "ask",
        "sessions",
        *OUTSIDE,
        calls=[("ask", {"action": "end", "slug": "{slug}", "title": "x"})],
    ),
    # Destructive for insiders: last.
    row(
        "SessionsState",
        "confirm",
        "sessions",
        *OUTSIDE,
        calls=[("ask", {"action": "delete", "slug": "{slug}", "title": "x"}), ("confirm", {})],
    ),
    row("SpacesState", "delete_space", "sessions", *OUTSIDE),
    row("RoomState", "leave", "room", *ROOM),
    # --- session agenda (docs/extending.md's worked example): whoever may open the room
    # reads it, as they read the title; only its creator or the space owner can save.
    row("AgendaState", "load_agenda", "room", *ROOM),
    row(
        "AgendaState",
        "set_agenda_editor_open",
        "room",
        *ROOM,
        calls=[("set_agenda_editor_open", {"value": True})],
    ),
    row(
        "AgendaState",
        "save_agenda",
        "room",
        *ROOM,
        calls=[("save_agenda", {"form": {"agenda": "1. Hello"}})],
    ),
    # Anyone holding the link may join: that is the product. What joining then lets them
    # read is the rows above; the join path itself is tested in test_transcript_socket.py.
    row(
        "RoomState",
        "join",
        "room",
        A,
        A,
        A,
        A,
        A,
        A,
        calls=[("join", {"choices": {"username": "Zed"}})],
    ),
]

# Handlers that send nothing but the caller's own state, with the reason.
PUBLIC = {
    ("AuthState", "load_viewer"): "the viewer's own name and avatar, from their own cookie",
    ("AuthState", "require_login"): "redirects a signed-out viewer; the viewer's own data",
    ("AuthState", "go_home_or_login"): "a redirect",
    ("LoginState", "load"): "the sign-in page: which providers exist, the checked ?next=",
    ("LoginState", "show_error"): "echoes the caller's own sign-in error",
    ("LegacyCallState", "forward"): "a redirect from /call/<slug> to /session/<slug>",
    ("ProfileState", "set_profile_open"): "a dialog flag",
    ("ProfileState", "save_profile"): "the caller's own profile (rate limited)",
    ("ProfileState", "avatar_uploaded"): "reloads the caller's own profile",
    ("ProfileState", "start_upload"): "a flag",
    ("ProfileState", "remove_avatar"): "the caller's own profile (rate limited)",
}
# Reflex's own handler on every State: sets the caller's own public vars (never `_backend`
# ones, which is why access decisions only read backend vars).
BUILTIN = {"setvar"}

PAGES = {
    "room": "/session/{slug}",
    "transcript": "/session/{slug}/transcript",
    "search": "/search",
    "sessions": "/sessions",
}
