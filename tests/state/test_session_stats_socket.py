"""The transcript page's figures over the Reflex event socket: a member's call receives
them, a signed-in outsider's identical call receives nothing of them (members only:
rooms.core.access.can_read_analytics, as the REST route applies it; a linkguest present in
the room is the handler matrix's)."""

from __future__ import annotations

import asyncio
import uuid

from rooms.state.session_stats import SessionStatsState
from tests.support.helpers import unique_email
from tests.support.reflex_socket import ReflexSocket, handler_name
from tests.support.seed import add_participant, add_segments
from tests.support.world import account, cookie_header


def _figures_seen_by(base: str, cookie: str, slug: str) -> str:
    async def go() -> str:
        async with ReflexSocket(base, cookie) as sock:
            await sock.emit(
                handler_name(SessionStatsState, "load_stats"), {}, f"/session/{slug}/transcript"
            )
            await sock.settle(quiet=0.5)
            return sock.received

    return asyncio.run(go())


def test_figures_reach_members_only(socket_app: str) -> None:
    owner = account(socket_app, "Owner", unique_email("owner"))
    slug = owner.post("/api/sessions", json={"title": "Figures"}).json()["session"]["slug"]
    speaker = f"Speaker{uuid.uuid4().hex[:10]}"
    add_segments(slug, [(2.0, add_participant(slug, speaker), "some words said here")], 4.0)
    stranger = account(socket_app, "Stranger", unique_email("stranger"))

    seen = _figures_seen_by(socket_app, cookie_header(owner), slug)
    assert speaker in seen and "UNAVAILABLE" in seen  # the control: the call works
    hidden = _figures_seen_by(socket_app, cookie_header(stranger), slug)
    assert speaker not in hidden and "UNAVAILABLE" not in hidden
    for c in (owner, stranger):
        c.close()
