"""The authorization matrix over the Reflex event socket (table: matrix_handlers.py): every
handler of every State is listed, and each role calling it directly gets what its cell says.
The waiting guest (issue 16) also never gets a LiveKit token or the room's phase, and what it
calls (Admit and Deny on itself, the lobby switch) leaves the lobby as it was."""

from __future__ import annotations

import asyncio
import importlib
import pkgutil
import re
import time
from typing import Any

import pytest
from reflex.state import State

import rooms.pages
import rooms.state
from tests.state.matrix_handlers import BUILTIN, PAGES, PUBLIC, ROLES, ROWS, N, S
from tests.support.reflex_socket import ReflexSocket, handler_name
from tests.support.socket_steps import JWT, ROOM, join, wait_in_lobby
from tests.support.world import (
    SAVED,
    World,
    clear_budgets,
    lobby_is_on,
    lobby_on,
    make_world,
    signed_in_cookie,
    waiting,
)


def _states() -> dict[str, type[State]]:
    for package in (rooms.state, rooms.pages):
        for module in pkgutil.iter_modules(package.__path__):
            importlib.import_module(f"{package.__name__}.{module.name}")

    def walk(cls: type[State]):
        for sub in cls.get_substates():
            yield sub
            yield from walk(sub)

    return {s.__name__: s for s in walk(State) if s.__module__.startswith("rooms.")}


def test_every_reflex_handler_is_in_the_matrix() -> None:
    present = {
        (name, handler)
        for name, cls in _states().items()
        for handler in cls.event_handlers
        if handler not in BUILTIN
    }
    listed = {(r.state, r.handler) for r in ROWS} | set(PUBLIC)
    missing, stale = present - listed, listed - present
    assert not missing, f"handlers not in tests/state/matrix_handlers.py: {sorted(missing)}"
    assert not stale, f"rows for handlers that no longer exist: {sorted(stale)}"


WAITER = "Wes Waiting"

# Search shows the caller what they typed: their own words, not the session's.
_ECHO = re.compile(r'"(?:query|searched_for)_rx_state_":"[^"]*"|/search\?q=[^\'"&]*')


def _fill(value: Any, world: World) -> Any:
    if isinstance(value, str):
        return value.format(
            slug=world.slug,
            space=world.space_id,
            secret=SAVED,
            task=world.task_id,
            segment=world.segment_id,
            utterance=world.utterance_id,
            waiting=world.waiting_identity or "guest-x",
        )
    if isinstance(value, dict):
        return {k: _fill(v, world) for k, v in value.items()}
    return value


def _prepare(base: str, role: str) -> tuple[World, str | None]:
    world = make_world(base)
    cookie = {
        "member": world.cookies["member"],
        "owner": world.cookies["owner"],
        "linkguest": signed_in_cookie(base, "Linked"),
        "nonmember": signed_in_cookie(base, "Stranger"),
    }.get(role)
    if role == "waiting":
        lobby_on(world)
    return world, cookie


async def _arrives(sock: ReflexSocket, since: int, text: str, limit: float = 15.0) -> None:
    deadline = time.monotonic() + limit
    while text not in "\n".join(sock.frames[since:]) and time.monotonic() < deadline:
        await asyncio.sleep(0.1)


async def _walk(base: str, role: str, world: World, cookie: str | None) -> list[str]:
    """Every row, in order, on one socket of this role; what went against its cells."""
    states = _states()
    wrong = []
    async with ReflexSocket(base, cookie) as sock:
        if role in ("guest", "linkguest"):
            await join(sock, world.slug, guest_name="Gus" if role == "guest" else None)
            await sock.settle(quiet=0.5)
        if role == "waiting":
            await wait_in_lobby(sock, world.slug, WAITER)
            (held,) = await asyncio.to_thread(waiting, world)
            world.waiting_identity = held["identity"]
            world.marks |= {"a LiveKit token": JWT, "the room": f'"{ROOM}":"room"'}
            await sock.settle(quiet=0.5)
        for r in ROWS:
            before = len(sock.frames)
            path = PAGES[r.page].format(slug=world.slug)
            for name, payload in r.calls or [(r.handler, {})]:
                await sock.emit(handler_name(states[r.state], name), _fill(payload, world), path)
            await sock.settle(quiet=0.4, limit=10)
            if r.expected[role] == S:
                # Quiet is not done when the machine is busy: a cell that must get the
                # transcript waits for it.
                await _arrives(sock, before, SAVED)
            got = "\n".join(sock.frames[before:])
            cell = r.expected[role]
            label = f"{r.state}.{r.handler}"
            if cell == S and SAVED not in got:
                wrong.append(f"{label}: expected the transcript, got {got[-200:]!r}")
            if cell == N and (leaked := world.leaks(_ECHO.sub("", got))):
                wrong.append(f"{label}: received {leaked}")
        if role == "waiting":
            # Left and joined again on the way (the rows' leave and join): held still.
            held = [w["identity"] for w in await asyncio.to_thread(waiting, world)]
            on = await asyncio.to_thread(lobby_is_on, world)
            if world.waiting_identity not in held or not on:
                wrong.append(f"the lobby changed: holds {held}, on: {on}")
    return wrong


@pytest.fixture(scope="module")
def cells(socket_app: str) -> dict[str, list[str]]:
    """All roles walk the rows at the same time, each in its own world: the walk is mostly
    waiting for the socket to fall quiet, so one role after another took 7x as long."""
    prepared = {}
    for role in ROLES:
        prepared[role] = _prepare(socket_app, role)
        clear_budgets()

    async def walk_all() -> list[list[str]]:
        return await asyncio.gather(*(_walk(socket_app, role, *prepared[role]) for role in ROLES))

    return dict(zip(ROLES, asyncio.run(walk_all()), strict=True))


@pytest.mark.parametrize("role", ROLES)
def test_handler_cells(cells: dict[str, list[str]], role: str) -> None:
    wrong = cells[role]
    assert not wrong, f"{role}:\n" + "\n".join(wrong)
