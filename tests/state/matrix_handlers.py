"""The authorization matrix's Reflex half: every event handler of every State, what each
role must get back on the event socket when it calls it directly (as a script can), or why
the handler carries no data at all. test_handler_matrix.py asserts both.

Roles: anonymous (never joined), guest (joined by name), waiting (a guest the lobby of the
session holds: issue 16), linkguest (signed in, not a member, joined by link), nonmember
(signed in, never joined), member, owner. Unless a row says otherwise (`w=`), waiting gets
what guest gets; for the waiting role the marks also include a LiveKit token and the room's
phase: nothing it calls may let it in.
Cells: S = must receive the saved transcript (the control that the call works), N = must
receive nothing of the session (no transcript, ids, emails, avatar path), A = not checked
(insiders acting on their own data).

To add a handler: one `row(...)` (or a PUBLIC entry with the reason) below.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ROLES = ("anonymous", "guest", "waiting", "linkguest", "nonmember", "member", "owner")
S, N, A = "sees", "nothing", "any"

Call = tuple[str, dict[str, Any]]  # handler name, payload (world values as "{slug}", "{space}")


@dataclass(frozen=True)
class Row:
    state: str  # the State class's name
    handler: str
    page: str  # "room" | "transcript" | "search" | "sessions"
    expected: dict[str, str]
    calls: list[Call] = field(default_factory=list)  # default: the handler with no payload


def row(
    state: str,
    handler: str,
    page: str,
    *cells: str,
    w: str | None = None,  # the waiting guest's cell; default: the guest's
    calls: list[Call] | None = None,
) -> Row:
    a, g, *rest = cells
    expected = (a, g, g if w is None else w, *rest)
    return Row(state, handler, page, dict(zip(ROLES, expected, strict=True)), calls or [])


OUTSIDE = (N, N, N, N, A, A)  # only members act on a space's things
ROOM = (N, A, A, N, A, A)  # people in the room act on their own room state
# ... and someone the lobby holds is not in it yet: rows with it say w=N.

ROWS = [
    row("TranscriptState", "load_transcript", "room", N, S, S, N, S, S, w=N),
    row("TranscriptState", "listen", "room", N, A, A, N, A, A, w=N),
    row("TranscriptState", "load_older", "room", N, A, A, N, A, A, w=N),
    row(
        "TranscriptState",
        "apply",
        "room",
        *ROOM,
        w=N,
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
    row(
        "TranscriptState",
        "set_capture",
        "room",
        *ROOM,
        w=N,
        calls=[("set_capture", {"status": "x"})],
    ),
    # The caption language (issue 18): refused (nothing of the session) unless the viewer
    # may read the transcript; the saved lines it sends again are the viewer's own window.
    row(
        "TranscriptState",
        "set_caption_language",
        "room",
        *ROOM,
        w=N,
        calls=[("set_caption_language", {"value": "de"})],
    ),
    row("TranscriptState", "toggle_original", "room", *ROOM, w=N),
    row("TranscriptState", "start_transcription", "room", *ROOM, w=N),
    row("TranscriptState", "stop_transcription", "room", *ROOM, w=N),
    row("RoomState", "load", "room", *ROOM, w=N),
    row(
        "RoomState",
        "submit_name",
        "room",
        *ROOM,
        w=N,
        calls=[("submit_name", {"form": {"name": "Zed"}})],
    ),
    row(
        "RoomState",
        "media_failed",
        "room",
        *ROOM,
        w=N,
        calls=[("media_failed", {"name": "x", "message": "y"})],
    ),
    row("RoomState", "room_connected", "room", *ROOM, w=N),
    row(
        "RoomState",
        "room_error",
        "room",
        *ROOM,
        w=N,
        calls=[("room_error", {"name": "x", "message": "y"})],
    ),
    row(
        "RoomState",
        "room_disconnected",
        "room",
        *ROOM,
        w=N,
        calls=[("room_disconnected", {"reason": 7})],
    ),
    row("RoomState", "retry", "room", *ROOM, w=N),
    row(
        "RoomState",
        "room_reconnecting",
        "room",
        *ROOM,
        w=N,
        calls=[("room_reconnecting", {"reconnecting": True})],
    ),
    # The room's people panel: the roster only for someone in the room or the space owner
    # (rooms.core.participants.roster); removal and lifting a ban only for the owner.
    row("ParticipantsState", "toggle_panel", "room", *ROOM, w=N),
    row("ParticipantsState", "refresh_while_open", "room", *ROOM, w=N),
    row(
        "ParticipantsState",
        "ask_remove",
        "room",
        *ROOM,
        w=N,
        calls=[("ask_remove", {"identity": "guest-x", "name": "x"})],
    ),
    row(
        "ParticipantsState",
        "set_confirm_open",
        "room",
        *ROOM,
        w=N,
        calls=[("set_confirm_open", {"value": False})],
    ),
    row(
        "ParticipantsState",
        "confirm_remove",
        "room",
        *ROOM,
        w=N,
        calls=[("ask_remove", {"identity": "guest-x", "name": "x"}), ("confirm_remove", {})],
    ),
    row(
        "ParticipantsState",
        "lift_ban",
        "room",
        *ROOM,
        w=N,
        calls=[("lift_ban", {"identity": "guest-x"})],
    ),
    row("RoomState", "watch_status", "room", *ROOM, w=N),
    # The lobby (issue 16): a waiting page's own watch; who waits, Admit / Deny and the
    # switch only for members (rooms.core.admission), the switch for the creator or owner.
    row("RoomState", "wait_in_lobby", "room", *ROOM, w=N),
    row("LobbyState", "watch_lobby", "room", *ROOM, w=N),
    row(
        "LobbyState",
        "admit",
        "room",
        *ROOM,
        w=N,
        calls=[("admit", {"identity": "{waiting}", "name": "x"})],
    ),
    row(
        "LobbyState",
        "deny",
        "room",
        *ROOM,
        w=N,
        calls=[("deny", {"identity": "{waiting}", "name": "x"})],
    ),
    row("LobbyState", "set_lobby", "room", *ROOM, w=N, calls=[("set_lobby", {"on": False})]),
    row("TranscriptPageState", "load_page", "transcript", N, N, S, N, S, S),
    row("TranscriptPageState", "refresh", "transcript", N, N, S, N, S, S),
    row(
        "TranscriptPageState",
        "pick_language",
        "transcript",
        N,
        N,
        S,
        N,
        S,
        S,
        calls=[("pick_language", {"value": "original"})],
    ),
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
    # The transcript page's figures and summary (issue 17): for members only
    # (rooms.core.access.can_read_analytics), not for a linkguest present in the room. They
    # show names and counts, not the saved words: the world's "figures" mark is that they
    # were found.
    row("SessionStatsState", "load_stats", "transcript", N, N, N, N, A, A),
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
    row("SessionsState", "keep_fresh", "sessions", *OUTSIDE),
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
    # --- members and invitations (issue 16): the active space's members dialog. An outsider
    # acts on their own spaces only (rooms.core.members / invitations check membership).
    # --- a space's glossary (issue 14): members read it, the owner saves it; to anyone else
    # the space does not exist (rooms/core/glossary.py).
    row("SpaceGlossaryState", "open_glossary", "sessions", *OUTSIDE),
    row(
        "SpaceGlossaryState",
        "set_glossary_open",
        "sessions",
        *OUTSIDE,
        calls=[("set_glossary_open", {"value": False})],
    ),
    row(
        "SpaceGlossaryState",
        "save_glossary",
        "sessions",
        *OUTSIDE,
        calls=[
            ("select_space", {"space_id": "{space}"}),
            ("save_glossary", {"form": {"terms": "Okonkwo"}}),
        ],
    ),
    # --- a space's transcription language (issue 18): members read it, the owner saves it;
    # to anyone else the space does not exist (rooms/core/space_language.py).
    row("SpaceLanguageState", "open_language", "sessions", *OUTSIDE),
    row(
        "SpaceLanguageState",
        "set_language_open",
        "sessions",
        *OUTSIDE,
        calls=[("set_language_open", {"value": False})],
    ),
    row(
        "SpaceLanguageState",
        "save_language",
        "sessions",
        *OUTSIDE,
        calls=[
            ("select_space", {"space_id": "{space}"}),
            ("save_language", {"form": {"language": "de", "code_switching": "on"}}),
        ],
    ),
    row("SpaceMembersState", "open_members", "sessions", *OUTSIDE),
    row(
        "SpaceMembersState",
        "set_members_open",
        "sessions",
        *OUTSIDE,
        calls=[("set_members_open", {"value": False})],
    ),
    row(
        "SpaceMembersState",
        "ask_role",
        "sessions",
        *OUTSIDE,
        calls=[("ask_role", {"user_id": "x", "name": "x", "role": "OWNER"})],
    ),
    row(
        "SpaceMembersState",
        "ask_remove",
        "sessions",
        *OUTSIDE,
        calls=[("ask_remove", {"user_id": "x", "name": "x"})],
    ),
    row(
        "SpaceMembersState",
        "ask_revoke",
        "sessions",
        *OUTSIDE,
        calls=[("ask_revoke", {"invitation_id": "x"})],
    ),
    row(
        "SpaceMembersState",
        "set_confirm_open",
        "sessions",
        *OUTSIDE,
        calls=[("set_confirm_open", {"value": False})],
    ),
    row(
        "SpaceMembersState",
        "create_invitation",
        "sessions",
        *OUTSIDE,
        calls=[
            ("select_space", {"space_id": "{space}"}),
            ("create_invitation", {"form": {"role": "MEMBER", "email": ""}}),
        ],
    ),
    row(
        "SpaceMembersState",
        "copy_link",
        "sessions",
        *OUTSIDE,
        calls=[("copy_link", {"url": "x"})],
    ),
    row("SpacesState", "delete_space", "sessions", *OUTSIDE),
    # Tasks (issue 17): only members of a space with tasks read or change them
    # (rooms.core.tasks); someone in the room through the link is no member.
    row("TasksState", "load_board", "tasks", *OUTSIDE),
    row("TasksState", "refresh", "tasks", *OUTSIDE),
    row("TasksState", "listen", "tasks", *OUTSIDE),
    row("TasksState", "set_view", "tasks", *OUTSIDE, calls=[("set_view", {"value": "list"})]),
    row(
        "TasksState",
        "set_status_filter",
        "tasks",
        *OUTSIDE,
        calls=[("set_status_filter", {"value": "DONE"})],
    ),
    row(
        "TasksState",
        "set_assignee_filter",
        "tasks",
        *OUTSIDE,
        calls=[("set_assignee_filter", {"value": "all"})],
    ),
    row("TasksState", "load_more", "tasks", *OUTSIDE, calls=[("load_more", {"column": "todo"})]),
    row(
        "TasksState",
        "move",
        "tasks",
        *OUTSIDE,
        calls=[("move", {"task_id": "{task}", "status": "IN_PROGRESS"})],
    ),
    row(
        "TasksState",
        "ask_delete",
        "tasks",
        *OUTSIDE,
        calls=[("ask_delete", {"task_id": "{task}", "title": "x"})],
    ),
    row(
        "TasksState",
        "set_task_delete_open",
        "tasks",
        *OUTSIDE,
        calls=[("set_task_delete_open", {"value": False})],
    ),
    row(
        "TaskDialogState",
        "open_new",
        "tasks",
        *OUTSIDE,
        calls=[("open_new", {"space_id": "{space}"})],
    ),
    row(
        "TaskDialogState",
        "open_edit",
        "tasks",
        *OUTSIDE,
        calls=[("open_edit", {"task_id": "{task}"})],
    ),
    row(
        "TaskDialogState",
        "open_from_line",
        "transcript",
        *OUTSIDE,
        calls=[("open_from_line", {"slug": "{slug}", "segment_id": "{segment}"})],
    ),
    row(
        "TaskDialogState",
        "open_from_caption",
        "room",
        *OUTSIDE,
        calls=[("open_from_caption", {"slug": "{slug}", "utterance_id": "{utterance}"})],
    ),
    row(
        "TaskDialogState",
        "set_dialog_open",
        "tasks",
        *OUTSIDE,
        calls=[("set_dialog_open", {"value": False})],
    ),
    row(
        "TaskDialogState",
        "save",
        "tasks",
        *OUTSIDE,
        calls=[
            ("open_edit", {"task_id": "{task}"}),
            ("save", {"form": {"title": "changed", "status": "DONE"}}),
        ],
    ),
    row("TranscriptPageState", "refresh_tasks", "transcript", *OUTSIDE),
    # Destructive for insiders: last of the tasks rows.
    row(
        "TasksState",
        "confirm_delete",
        "tasks",
        *OUTSIDE,
        calls=[("ask_delete", {"task_id": "{task}", "title": "x"}), ("confirm_delete", {})],
    ),
    row("RoomState", "leave", "room", *ROOM, w=N),
    # --- session agenda (docs/extending.md's worked example): whoever may open the room
    # reads it, as they read the title; only its creator or the space owner can save.
    row("AgendaState", "load_agenda", "room", *ROOM, w=N),
    row(
        "AgendaState",
        "set_agenda_editor_open",
        "room",
        *ROOM,
        w=N,
        calls=[("set_agenda_editor_open", {"value": True})],
    ),
    row(
        "AgendaState",
        "save_agenda",
        "room",
        *ROOM,
        w=N,
        calls=[("save_agenda", {"form": {"agenda": "1. Hello"}})],
    ),
    # Anyone holding the link may join: that is the product. What joining then lets them
    # read is the rows above; the join path itself is tested in test_transcript_socket.py.
    # Joining again from the lobby is no way past it.
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
        w=N,
        calls=[("join", {"choices": {"username": "Zed"}})],
    ),
    # Issue 16, destructive for insiders: a role change on someone else, then leaving.
    row(
        "SpaceMembersState",
        "confirm",
        "sessions",
        *OUTSIDE,
        calls=[
            ("ask_role", {"user_id": "x", "name": "x", "role": "MEMBER"}),
            ("confirm", {}),
        ],
    ),
    row(
        "SpaceMembersState",
        "ask_leave",
        "sessions",
        *OUTSIDE,
        calls=[("ask_leave", {}), ("confirm", {})],
    ),
]

# Handlers that send nothing but the caller's own state, with the reason.
PUBLIC = {
    ("AuthState", "load_viewer"): "the viewer's own name and avatar, from their own cookie",
    ("AuthState", "require_login"): "redirects a signed-out viewer; the viewer's own data",
    ("AuthState", "go_home_or_login"): "a redirect",
    ("AuthState", "set_language"): "the caller's own UI language (cookie, own profile)",
    ("LoginState", "load"): "the sign-in page: which providers exist, the checked ?next=",
    ("LoginState", "show_error"): "echoes the caller's own sign-in error",
    ("LegacyCallState", "forward"): "a redirect from /call/<slug> to /session/<slug>",
    # Onboarding (issue 16): the caller's own first space, which only its owner may change.
    ("OnboardingState", "load"): "the name of the caller's own active space",
    ("OnboardingState", "choose_mode"): "a form value",
    ("OnboardingState", "finish"): "renames the caller's own space (its owner only: core)",
    ("OnboardingState", "skip"): "a redirect",
    ("ProfileState", "set_profile_open"): "a dialog flag",
    # seams-state (issue 15): the signed-in pages' on_load closes the dialog.
    ("ProfileState", "close_profile"): "a dialog flag",
    ("ProfileState", "save_profile"): "the caller's own profile (rate limited)",
    ("ProfileState", "avatar_uploaded"): "reloads the caller's own profile",
    ("ProfileState", "start_upload"): "a flag",
    ("ProfileState", "remove_avatar"): "the caller's own profile (rate limited)",
    # Issue 16: what GET /api/invitations/{token} tells whoever holds the token (space and
    # inviter names), and accepting it for the caller's own account (rooms.core.invitations).
    ("InviteState", "load"): "an invitation's space and inviter names, to its token's holder",
    ("InviteState", "accept"): "accepts the token for the caller's own account, or redirects",
}
# Reflex's own handler on every State: sets the caller's own public vars (never `_backend`
# ones, which is why access decisions only read backend vars).
BUILTIN = {"setvar"}

PAGES = {
    "room": "/session/{slug}",
    "transcript": "/session/{slug}/transcript",
    "search": "/search",
    "sessions": "/sessions",
    "tasks": "/tasks",
}
