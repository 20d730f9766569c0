"""An open /sessions list reads its sessions again now and then (SessionsState.keep_fresh):
a session ended from somewhere else shows as ended without a reload, and the loop ends
with the page."""

from __future__ import annotations

import asyncio

from rooms.state.auth import AuthState
from rooms.state.sessions import FRESH_SECONDS, SessionsState
from rooms.state.spaces import SpacesState
from tests.support.reflex_socket import ReflexSocket, handler_name
from tests.support.world import account, cookie_header, unique_email


def test_a_session_ended_elsewhere_shows_as_ended(socket_app: str) -> None:
    owner = account(socket_app, "Olga Owner", unique_email("olga"))
    slug = owner.post("/api/sessions", json={"title": "Daily"}).json()["session"]["slug"]

    async def go() -> tuple[bool, bool]:
        async with ReflexSocket(socket_app, cookie_header(owner)) as sock:
            for state, name in (
                (AuthState, "require_login"),
                (SpacesState, "load_spaces"),
                (SessionsState, "reload"),
            ):
                await sock.emit(handler_name(state, name), {}, "/sessions")
            shown = await sock.wait_for(f'"slug":"{slug}"')
            await sock.settle(quiet=1.0)
            before = len(sock.frames)
            assert owner.post(f"/api/sessions/{slug}/end").status_code == 200
            ended = await sock.wait_for('"active":false', FRESH_SECONDS + 10, since=before)
            return shown, ended

    shown, ended = asyncio.run(go())
    owner.close()
    assert shown, "control: the list shows the session"
    assert ended, "the session ended elsewhere, but the open list still shows it active"
