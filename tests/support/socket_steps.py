"""What a page (or a script pretending to be one) sends on the Reflex socket."""

from __future__ import annotations

from rooms.state.room import RoomState
from rooms.state.transcript import TranscriptState
from rooms.state.transcript_page import TranscriptPageState
from tests.support.reflex_socket import ReflexSocket, handler_name

ROOM = "phase_rx_state_"
JWT = "eyJ"  # how every LiveKit token (a JWT) starts


async def join(sock: ReflexSocket, slug: str, guest_name: str | None = None) -> None:
    """The room page's own path: load, (name gate), pre-join's submit."""
    path = f"/session/{slug}"
    await sock.emit(handler_name(RoomState, "load"), {}, path)
    if guest_name:
        await sock.emit(
            handler_name(RoomState, "submit_name"), {"form": {"name": guest_name}}, path
        )
    choices = {"username": guest_name or "", "audioEnabled": False, "videoEnabled": False}
    await sock.emit(handler_name(RoomState, "join"), {"choices": choices}, path)
    assert await sock.wait_for(f'"{ROOM}":"room"'), sock.received[-500:]


async def wait_in_lobby(sock: ReflexSocket, slug: str, name: str) -> None:
    """A guest's join that the session's lobby holds: the room page's path, up to waiting."""
    path = f"/session/{slug}"
    await sock.emit(handler_name(RoomState, "load"), {}, path)
    await sock.emit(handler_name(RoomState, "submit_name"), {"form": {"name": name}}, path)
    choices = {"username": name, "audioEnabled": False, "videoEnabled": False}
    await sock.emit(handler_name(RoomState, "join"), {"choices": choices}, path)
    assert await sock.wait_for(f'"{ROOM}":"waiting"'), sock.received[-500:]


async def leave(sock: ReflexSocket, slug: str) -> None:
    await sock.emit(handler_name(RoomState, "leave"), {}, f"/session/{slug}")
    assert await sock.wait_for(f'"{ROOM}":"left"'), sock.received[-500:]


async def ask_for_transcript(sock: ReflexSocket, slug: str) -> None:
    """Every handler that loads or streams a transcript, called directly."""
    room = f"/session/{slug}"
    for name in ("load_transcript", "listen", "load_older"):
        await sock.emit(handler_name(TranscriptState, name), {}, room)
    page = f"/session/{slug}/transcript"
    for name in ("load_page", "refresh"):
        await sock.emit(handler_name(TranscriptPageState, name), {}, page)
