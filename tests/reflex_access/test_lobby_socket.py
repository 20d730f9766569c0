"""The lobby over the Reflex event socket (issue 16), the matrix's "waiting guest": a guest
whose join the lobby holds gets no LiveKit token on the socket, and calling every room and
lobby handler directly (Admit on themselves included) gives them nothing of the session and
does not let them in. Admitted by a member, the same socket enters the room by itself;
denied, it shows the refusal."""

from __future__ import annotations

import asyncio
import time

import httpx

from rooms.state.lobby import LobbyState
from rooms.state.room import RoomState
from rooms.state.transcript import TranscriptState
from tests.reflex_access.socket_steps import ROOM
from tests.reflex_access.world import World, make_world
from tests.reflex_socket import ReflexSocket, handler_name

JWT = "eyJ"  # how every LiveKit token (a JWT) starts


def _owner(world: World) -> httpx.Client:
    client = httpx.Client(base_url=world.base, timeout=30)
    client.headers["Cookie"] = world.cookies["owner"]
    return client


async def _wait_in_lobby(sock: ReflexSocket, slug: str, name: str) -> None:
    path = f"/session/{slug}"
    await sock.emit(handler_name(RoomState, "load"), {}, path)
    await sock.emit(handler_name(RoomState, "submit_name"), {"form": {"name": name}}, path)
    choices = {"username": name, "audioEnabled": False, "videoEnabled": False}
    await sock.emit(handler_name(RoomState, "join"), {"choices": choices}, path)
    assert await sock.wait_for(f'"{ROOM}":"waiting"'), sock.received[-500:]


def _waiting_names(owner: httpx.Client, slug: str) -> list[str]:
    res = owner.get(f"/api/sessions/{slug}/lobby")
    assert res.status_code == 200, res.text
    return [w["name"] for w in res.json()["waiting"]]


def test_a_waiting_guest_gets_nothing_until_admitted(socket_app: str) -> None:
    world = make_world(socket_app)
    owner = _owner(world)
    assert owner.patch(f"/api/sessions/{world.slug}", json={"lobby": True}).status_code == 200
    path = f"/session/{world.slug}"

    async def go() -> float:
        async with ReflexSocket(socket_app) as sock:
            await _wait_in_lobby(sock, world.slug, "Wes Waiting")
            assert _waiting_names(owner, world.slug) == ["Wes Waiting"]
            identity = owner.get(f"/api/sessions/{world.slug}/lobby").json()["waiting"][0][
                "identity"
            ]
            before = len(sock.frames)
            calls = [
                (LobbyState, "admit", {"identity": identity, "name": "me"}),
                (LobbyState, "deny", {"identity": identity, "name": "me"}),
                (LobbyState, "set_lobby", {"on": False}),
                (LobbyState, "watch_lobby", {}),
                (RoomState, "retry", {}),
                (RoomState, "wait_in_lobby", {}),
                (TranscriptState, "load_transcript", {}),
                (TranscriptState, "listen", {}),
                (TranscriptState, "start_transcription", {}),
            ]
            for state, name, payload in calls:
                await sock.emit(handler_name(state, name), payload, path)
            await sock.settle(quiet=0.5, limit=10)
            got = "\n".join(sock.frames[before:])
            assert not world.leaks(got), world.leaks(got)
            assert JWT not in sock.received
            assert f'"{ROOM}":"room"' not in sock.received
            # Still waiting, the lobby still on: none of that let them in.
            assert _waiting_names(owner, world.slug) == ["Wes Waiting"]
            assert owner.get(f"/api/sessions/{world.slug}").json()["session"]["lobby"] is True

            started = time.monotonic()
            res = owner.post(f"/api/sessions/{world.slug}/lobby/{identity}/admit")
            assert res.status_code == 200, res.text
            assert await sock.wait_for(f'"{ROOM}":"room"', limit=20), sock.received[-500:]
            took = time.monotonic() - started
            assert JWT in "\n".join(sock.frames[before:])  # now the token
            return took

    took = asyncio.run(go())
    print(f"admitted guest's socket entered the room {took:.2f} s after the admit call")


def test_a_denied_guest_sees_the_refusal_on_the_same_socket(socket_app: str) -> None:
    world = make_world(socket_app)
    owner = _owner(world)
    assert owner.patch(f"/api/sessions/{world.slug}", json={"lobby": True}).status_code == 200

    async def go() -> None:
        async with ReflexSocket(socket_app) as sock:
            await _wait_in_lobby(sock, world.slug, "Dee Denied")
            identity = owner.get(f"/api/sessions/{world.slug}/lobby").json()["waiting"][0][
                "identity"
            ]
            res = owner.post(f"/api/sessions/{world.slug}/lobby/{identity}/deny")
            assert res.status_code == 200, res.text
            assert await sock.wait_for(f'"{ROOM}":"denied"', limit=20), sock.received[-500:]
            assert JWT not in sock.received

    asyncio.run(go())


def test_a_guest_who_leaves_the_lobby_is_no_longer_listed(socket_app: str) -> None:
    world = make_world(socket_app)
    owner = _owner(world)
    assert owner.patch(f"/api/sessions/{world.slug}", json={"lobby": True}).status_code == 200

    async def go() -> None:
        async with ReflexSocket(socket_app) as sock:
            await _wait_in_lobby(sock, world.slug, "Lea Leaving")
            assert _waiting_names(owner, world.slug) == ["Lea Leaving"]
            await sock.emit(handler_name(RoomState, "leave"), {}, f"/session/{world.slug}")
            assert await sock.wait_for(f'"{ROOM}":"left"'), sock.received[-500:]
            assert _waiting_names(owner, world.slug) == []

    asyncio.run(go())
