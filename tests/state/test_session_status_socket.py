"""A room page learns that its session ended, or was deleted, from the hub push that
rooms.core.sessions sends once the change is committed: no page polls the database for it.
The proof of "no polling": a status written straight into the database (as no code path of
the app does) stays unseen by the page, while the same end through the app arrives at once."""

from __future__ import annotations

import asyncio
import time

import sqlalchemy as sa

from rooms.core.db import session_scope
from rooms.state.room import RoomState
from tests.support.reflex_socket import ReflexSocket, handler_name
from tests.support.socket_steps import ROOM
from tests.support.world import end, make_world, owner_client

# Longer than the 2 s the pages used to poll at, with room for a loaded machine.
UNSEEN_FOR_S = 5.0


def _set_status(session_id: str, status: str) -> None:
    with session_scope() as db:
        db.exec(
            sa.text("UPDATE sessions SET status = :s WHERE id = :id"),
            params={"s": status, "id": session_id},
        )
        db.commit()


async def _open_room_page(sock: ReflexSocket, slug: str) -> None:
    await sock.emit(handler_name(RoomState, "load"), {}, f"/session/{slug}")
    assert await sock.wait_for(f'"{ROOM}":"prejoin"'), sock.received[-500:]
    await sock.settle(quiet=1.0)  # its watcher is subscribed


def test_the_page_hears_the_end_pushed_not_polled(socket_app: str) -> None:
    world = make_world(socket_app)

    async def go() -> float:
        async with ReflexSocket(socket_app, cookie=world.cookies["member"]) as sock:
            await _open_room_page(sock, world.slug)
            _set_status(world.session_id, "ENDED")
            await asyncio.sleep(UNSEEN_FOR_S)
            assert f'"{ROOM}":"ended"' not in sock.received, "the page read the database"
            _set_status(world.session_id, "ACTIVE")
            started = time.monotonic()
            await asyncio.to_thread(end, world)
            assert await sock.wait_for(f'"{ROOM}":"ended"', limit=10), sock.received[-500:]
            return time.monotonic() - started

    took = asyncio.run(go())
    print(f"room page showed the end {took:.2f} s after the end call returned")


def test_the_page_hears_the_session_deleted(socket_app: str) -> None:
    world = make_world(socket_app)

    async def go() -> None:
        async with ReflexSocket(socket_app, cookie=world.cookies["member"]) as sock:
            await _open_room_page(sock, world.slug)
            with owner_client(world) as owner:
                res = await asyncio.to_thread(owner.delete, f"/api/sessions/{world.slug}")
            assert res.status_code == 204, res.text
            assert await sock.wait_for(f'"{ROOM}":"notfound"', limit=10), sock.received[-500:]

    asyncio.run(go())
