"""Issue 16 on the real Reflex socket: a member whose room page is open and receiving live
captions stops receiving them once an owner removes them from the space (or they leave it),
without reloading; the same page got them a moment before (the control)."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from tests.support.reflex_socket import ReflexSocket
from tests.support.socket_steps import join
from tests.support.world import SAVED, make_world

LIVE = "livesecretword"


def _depart(world, how: str) -> None:
    who = "owner" if how == "removed" else "member"
    with httpx.Client(base_url=world.base, timeout=30) as c:
        c.headers["Cookie"] = world.cookies[who]
        if how == "removed":
            member_id = world.marks["member user id"]
            res = c.delete(f"/api/spaces/{world.space_id}/members/{member_id}")
            assert res.status_code == 204, res.text
        else:
            res = c.post(f"/api/spaces/{world.space_id}/leave")
            assert res.status_code == 200, res.text


@pytest.mark.parametrize("how", ["removed", "left"])
def test_an_open_page_stops_receiving_the_space_once_its_member_is_gone(
    socket_app: str, how: str
) -> None:
    world = make_world(socket_app)

    async def go() -> None:
        async with ReflexSocket(socket_app, world.cookies["member"]) as sock:
            await join(sock, world.slug)
            assert await sock.wait_for(SAVED), "control: the member's page has the transcript"
            await asyncio.sleep(1.0)  # its listener is subscribed
            world.publish(LIVE + "before")
            assert await sock.wait_for(LIVE + "before"), "control: live captions arrive"

            _depart(world, how)
            before = len(sock.frames)
            await asyncio.sleep(2.0)  # past the stream's access re-check (RECHECK_SECONDS)
            world.publish(LIVE + "after")
            await sock.settle(quiet=2.0)
            after = "\n".join(sock.frames[before:])
            assert LIVE + "after" not in after, f"a {how} member's open page still gets captions"
            assert "Join the session to see its live transcript" in after, after[-500:]

    asyncio.run(go())
