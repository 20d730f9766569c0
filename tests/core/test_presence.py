"""Presence from the real LiveKit server's webhooks: a participant whose connection drops
and comes back has two visits, and the stats count both stretches but not the gap."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from tests.support.livekit_server import LiveKitServer
from tests.support.meeting_script import participant_id, session_row, visits
from tests.support.room import ScriptedParticipant

WAIT_S = 20.0  # a webhook under load


@pytest.fixture
def real_livekit(livekit: LiveKitServer, settings_env) -> LiveKitServer:
    settings_env(LIVEKIT_URL=livekit.url)
    return livekit


def _until(check: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT_S
    while not check():
        assert time.monotonic() < deadline, f"not within {WAIT_S} s: {what}"
        time.sleep(0.1)


def test_a_dropped_connection_makes_two_visits(real_livekit, signed_in, api_url) -> None:
    owner, _ = signed_in(name="Owner")
    slug = owner.post("/api/sessions", json={}).json()["session"]["slug"]
    bot = ScriptedParticipant(api_url, slug, "Bot")
    try:
        pid = participant_id(session_row(slug)[0], bot.identity)
        bot.connect()
        time.sleep(1.0)
        bot.leave()  # participant_left, from the server, once it has let go of the identity
        _until(lambda: [left is None for _, left in visits(pid)] == [False], "visit closed")
        time.sleep(1.5)  # the gap
        bot.connect()  # the same token again: participant_joined opens a second visit
        _until(lambda: [left is None for _, left in visits(pid)] == [False, True], "reopened")
        time.sleep(1.0)

        (first_in, first_out), (second_in, _) = visits(pid)
        before = datetime.now(UTC)
        body = owner.get(f"/api/sessions/{slug}/stats").json()
        after = datetime.now(UTC)
        (me,) = [p for p in body["participants"] if p["name"] == "Bot"]
        closed = (first_out - first_in).total_seconds()
        low = closed + (before - second_in).total_seconds()
        high = closed + (after - second_in).total_seconds()
        assert low - 0.01 <= me["presentSeconds"] <= high + 0.01, (me, low, high)
        gap = (second_in - first_out).total_seconds()
        assert gap >= 1.0, "the stretch between the visits is not counted"
        assert me["leftAt"] is None
    finally:
        bot.close()
