"""A page's background loops live as long as the page (rooms/state/page_presence.py): once
its socket closes, the live-caption listener stops, so its row in caption_viewers goes (no
translation is bought for a tab that is gone) and it stops asking the database whether that
page may still read; a waiting page that closed is not let into the room later."""

from __future__ import annotations

import asyncio
import time

from sqlmodel import select

from rooms.core.db import session_scope
from rooms.core.models import CaptionViewer
from rooms.state.page_presence import GONE_AFTER_SECONDS
from tests.support.reflex_socket import ReflexSocket
from tests.support.socket_steps import join, wait_in_lobby
from tests.support.world import lobby_on, make_world, owner_client, waiting

WAIT_S = GONE_AFTER_SECONDS + 15.0  # then a loop turn, under load


def _viewers(session_id: str) -> int:
    with session_scope() as db:
        rows = db.exec(select(CaptionViewer).where(CaptionViewer.session_id == session_id))
        return len(rows.all())


async def _until(check, timeout: float = WAIT_S) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if await asyncio.to_thread(check):
            return True
        await asyncio.sleep(0.2)
    return False


def test_a_closed_page_stops_listening(socket_app: str) -> None:
    world = make_world(socket_app)

    async def go() -> tuple[bool, bool]:
        async with ReflexSocket(socket_app, world.cookies["member"]) as sock:
            await join(sock, world.slug)
            listening = await _until(lambda: _viewers(world.session_id) == 1)
            # An open page is never taken for a closed one, however long it stays.
            await asyncio.sleep(GONE_AFTER_SECONDS + 3.0)
            still = _viewers(world.session_id) == 1
        gone = await _until(lambda: _viewers(world.session_id) == 0)
        return listening, still, gone

    listening, still, gone = asyncio.run(go())
    assert listening, "control: a joined page listens (and is counted as a caption viewer)"
    assert still, "the page is open, but its listener stopped"
    assert gone, "the page's socket closed, but its listener still counts it as a viewer"


def test_a_closed_waiting_page_is_not_let_in(socket_app: str) -> None:
    """A member admits a guest whose waiting tab closed a while ago: nothing enters the
    room for them (no present participant the roster or the host election would count)."""
    world = make_world(socket_app)
    lobby_on(world)

    async def go() -> str:
        async with ReflexSocket(socket_app) as sock:
            await wait_in_lobby(sock, world.slug, "Gone Guest")
            (held,) = waiting(world)
        await asyncio.sleep(GONE_AFTER_SECONDS + 5.0)  # the waiting loop's turn after that
        return held["identity"]

    identity = asyncio.run(go())
    with owner_client(world) as owner:
        res = owner.post(f"/api/sessions/{world.slug}/lobby/{identity}/admit")
        assert res.status_code == 200, res.text
        time.sleep(3.0)  # what a live waiting page takes to enter (see test_lobby_socket)
        row = owner.get(f"/api/sessions/{world.slug}/participants/{identity}").json()
    assert row["participant"]["leftAt"] is not None, row
