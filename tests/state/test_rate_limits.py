"""Finding 12 of issue 13: Reflex event handlers that create things spend the same budget
as their REST route. One socket calling RoomState.join in a loop used to mint a LiveKit
token and a new guest participant per call."""

from __future__ import annotations

import asyncio

import httpx
from sqlmodel import select

from rooms.core.db import session_scope
from rooms.core.models import Participant
from rooms.state.room import RoomState
from rooms.state.spaces import SpacesState
from tests.support.reflex_socket import ReflexSocket, handler_name
from tests.support.world import SPACES_PER_MINUTE, TOKEN_PER_MINUTE, make_world, signed_in_cookie


def _guests(session_id: str) -> int:
    with session_scope() as db:
        rows = db.exec(select(Participant).where(Participant.session_id == session_id)).all()
        return sum(1 for p in rows if p.identity.startswith("guest-"))


def test_join_over_the_socket_spends_the_token_budget(socket_app: str) -> None:
    world = make_world(socket_app)
    path = f"/session/{world.slug}"
    calls = TOKEN_PER_MINUTE + 10

    async def go() -> str:
        async with ReflexSocket(socket_app) as sock:
            await sock.emit(handler_name(RoomState, "load"), {}, path)
            choices = {"username": "Flood", "audioEnabled": False, "videoEnabled": False}
            for _ in range(calls):
                await sock.emit(handler_name(RoomState, "join"), {"choices": choices}, path)
            await sock.settle(quiet=2.0, limit=60)
            return sock.received

    received = asyncio.run(go())
    # One browser is one guest (its key), so count the tokens minted: each successful join
    # sends the page a new one. The world's own joins (REST, same address) spent two.
    made = received.count('"token_rx_state_":"ey')
    assert made <= TOKEN_PER_MINUTE, f"{made} tokens from {calls} joins"
    assert made >= TOKEN_PER_MINUTE - 5, "the budget is spent, not refused from the start"
    assert "Too many requests" in received
    assert _guests(world.session_id) <= 1


def test_rest_and_the_socket_share_one_budget(socket_app: str) -> None:
    world = make_world(socket_app)
    join = f"{socket_app}/api/sessions/{world.slug}/participants/join"
    with httpx.Client(timeout=30) as c:
        statuses = [c.post(join, json={"name": "x"}).status_code for _ in range(TOKEN_PER_MINUTE)]
    assert statuses[-1] == 429, statuses
    before = _guests(world.session_id)

    async def go() -> str:
        async with ReflexSocket(socket_app) as sock:
            path = f"/session/{world.slug}"
            await sock.emit(handler_name(RoomState, "load"), {}, path)
            choices = {"username": "Late", "audioEnabled": False, "videoEnabled": False}
            await sock.emit(handler_name(RoomState, "join"), {"choices": choices}, path)
            assert await sock.wait_for("Too many requests"), sock.received[-400:]
            return sock.received

    received = asyncio.run(go())
    assert '"phase_rx_state_":"room"' not in received
    assert _guests(world.session_id) == before


def test_creating_spaces_over_the_socket_is_limited(socket_app: str) -> None:
    limit = SPACES_PER_MINUTE
    cookie = signed_in_cookie(socket_app, "Spacer")

    async def go() -> None:
        async with ReflexSocket(socket_app, cookie) as sock:
            await sock.emit(handler_name(SpacesState, "load_spaces"), {}, "/sessions")
            for n in range(limit + 5):
                await sock.emit(
                    handler_name(SpacesState, "create_space"),
                    {"form": {"name": f"S{n}"}},
                    "/sessions",
                )
            await sock.settle(quiet=2.0, limit=60)
            assert "Too many requests" in sock.received

    asyncio.run(go())
    with httpx.Client(base_url=socket_app, headers={"Cookie": cookie}) as c:
        spaces = c.get("/api/spaces").json()["spaces"]
    assert len(spaces) <= limit + 1, len(spaces)  # + the first space every account gets
