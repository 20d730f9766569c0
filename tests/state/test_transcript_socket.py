"""Finding 1 of issue 13 on the real Reflex socket: a page that never joined (anonymous, or
signed in without being a member) gets nothing of a transcript, saved or live, whatever
handler it calls; someone who joined gets the captions until they leave; after the end
only the space's members do. Controls in each test show the same calls do deliver."""

from __future__ import annotations

import asyncio

import pytest

from tests.support.reflex_socket import ReflexSocket
from tests.support.socket_steps import ask_for_transcript, join, leave
from tests.support.world import SAVED, end, make_world, signed_in_cookie

LIVE = "livesecretword"


async def _outsider(base: str, cookie: str | None, world) -> str:
    async with ReflexSocket(base, cookie) as sock:
        await ask_for_transcript(sock, world.slug)
        await sock.settle(quiet=1.5)
        world.publish(LIVE)
        await asyncio.sleep(2.5)
        await ask_for_transcript(sock, world.slug)  # again, with a listener maybe running
        world.publish(LIVE)
        await sock.settle(quiet=1.5)
        return sock.received


@pytest.mark.parametrize("who", ["anonymous", "signed-in non-member"])
def test_a_page_that_never_joined_gets_nothing(socket_app: str, who: str) -> None:
    world = make_world(socket_app)
    cookie = signed_in_cookie(socket_app, "Stranger") if who != "anonymous" else None

    async def go() -> tuple[str, str]:
        async with ReflexSocket(socket_app, world.cookies["member"]) as member:
            await ask_for_transcript(member, world.slug)
            assert await member.wait_for(SAVED), "control: a member gets the saved finals"
            await asyncio.sleep(1.0)  # the member's listener is subscribed
            received = await _outsider(socket_app, cookie, world)
            assert await member.wait_for(LIVE), "control: a member gets the live captions"
            return received, member.received

    received, control = asyncio.run(go())
    assert SAVED in control and LIVE in control
    assert "transcript_state" in received  # the events were processed, not dropped
    leaked = world.leaks(received) + ([f"live caption ({LIVE})"] if LIVE in received else [])
    assert not leaked, leaked


@pytest.mark.parametrize("who", ["guest", "signed-in non-member"])
def test_someone_who_joined_gets_captions_until_they_leave(socket_app: str, who: str) -> None:
    world = make_world(socket_app)
    cookie = signed_in_cookie(socket_app, "Linked") if who != "guest" else None

    async def go() -> None:
        async with ReflexSocket(socket_app, cookie) as sock:
            await join(sock, world.slug, guest_name="Gus" if cookie is None else None)
            assert await sock.wait_for(SAVED), "joined: the meeting's saved finals"
            await asyncio.sleep(1.0)
            world.publish(LIVE + "one")
            assert await sock.wait_for(LIVE + "one"), "joined: the live captions"
            await leave(sock, world.slug)
            before = len(sock.frames)
            await asyncio.sleep(1.5)  # past the stream's re-check interval
            world.publish(LIVE + "two")
            await sock.settle(quiet=2.0)
            after = "\n".join(sock.frames[before:])
            assert LIVE + "two" not in after, "a page that left still gets captions"
            await ask_for_transcript(sock, world.slug)
            await sock.settle(quiet=1.5)
            assert SAVED not in "\n".join(sock.frames[before:])

    asyncio.run(go())


def test_after_the_end_only_members_read_the_transcript(socket_app: str) -> None:
    world = make_world(socket_app)
    linked = signed_in_cookie(socket_app, "Linked")

    async def go() -> tuple[str, str]:
        async with ReflexSocket(socket_app, linked) as sock:
            await join(sock, world.slug)
            assert await sock.wait_for(SAVED)
            end(world)
            before = len(sock.frames)
            await ask_for_transcript(sock, world.slug)
            await sock.settle(quiet=1.5)
            outsider = "\n".join(sock.frames[before:])
        async with ReflexSocket(socket_app, world.cookies["member"]) as member:
            await ask_for_transcript(member, world.slug)
            assert await member.wait_for(SAVED)
            return outsider, member.received

    outsider, member = asyncio.run(go())
    assert SAVED in member
    assert SAVED not in outsider, "a non-member reads an ended session's transcript"
