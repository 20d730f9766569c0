"""The lobby over the Reflex event socket (issue 16). What a waiting guest gets when it
calls every handler itself (nothing of the session, no LiveKit token, no way in) is the
handler matrix's `waiting` role (test_handler_matrix.py); here, what the hosts' decisions
do to the waiting page: admitted by a member, the same socket enters the room by itself;
denied, it shows the refusal; leaving takes it off the list."""

from __future__ import annotations

import asyncio
import time

from rooms.state.room import RoomState
from tests.support.reflex_socket import ReflexSocket, handler_name
from tests.support.socket_steps import JWT, ROOM, wait_in_lobby
from tests.support.world import lobby_on, make_world, owner_client, waiting


def test_an_admitted_guest_enters_on_the_same_socket(socket_app: str) -> None:
    world = make_world(socket_app)
    lobby_on(world)

    async def go() -> float:
        async with ReflexSocket(socket_app) as sock:
            await wait_in_lobby(sock, world.slug, "Wes Waiting")
            (held,) = waiting(world)
            assert held["name"] == "Wes Waiting"
            await sock.settle(quiet=0.5)
            assert JWT not in sock.received
            before = len(sock.frames)
            started = time.monotonic()
            with owner_client(world) as owner:
                res = owner.post(f"/api/sessions/{world.slug}/lobby/{held['identity']}/admit")
            assert res.status_code == 200, res.text
            assert await sock.wait_for(f'"{ROOM}":"room"', limit=20), sock.received[-500:]
            took = time.monotonic() - started
            assert JWT in "\n".join(sock.frames[before:])  # now the token
            return took

    took = asyncio.run(go())
    print(f"admitted guest's socket entered the room {took:.2f} s after the admit call")


def test_a_denied_guest_sees_the_refusal_on_the_same_socket(socket_app: str) -> None:
    world = make_world(socket_app)
    lobby_on(world)

    async def go() -> None:
        async with ReflexSocket(socket_app) as sock:
            await wait_in_lobby(sock, world.slug, "Dee Denied")
            (held,) = waiting(world)
            with owner_client(world) as owner:
                res = owner.post(f"/api/sessions/{world.slug}/lobby/{held['identity']}/deny")
            assert res.status_code == 200, res.text
            assert await sock.wait_for(f'"{ROOM}":"denied"', limit=20), sock.received[-500:]
            assert JWT not in sock.received

    asyncio.run(go())


def test_a_guest_who_leaves_the_lobby_is_no_longer_listed(socket_app: str) -> None:
    world = make_world(socket_app)
    lobby_on(world)

    async def go() -> None:
        async with ReflexSocket(socket_app) as sock:
            await wait_in_lobby(sock, world.slug, "Lea Leaving")
            assert [w["name"] for w in waiting(world)] == ["Lea Leaving"]
            await sock.emit(handler_name(RoomState, "leave"), {}, f"/session/{world.slug}")
            assert await sock.wait_for(f'"{ROOM}":"left"'), sock.received[-500:]
            assert waiting(world) == []

    asyncio.run(go())
