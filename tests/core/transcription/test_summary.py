"""The summary after the meeting, through the real Gladia bridge and the fake Gladia's
result endpoint: asked for in the live session's init, fetched once the session ends
(PENDING while Gladia still processes), stored and served; Gladia failing costs the
summary (UNAVAILABLE, with the reason), never the end of the session."""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import websockets
from sqlmodel import select

from rooms.core.db import session_scope
from rooms.core.models import EngineSession
from rooms.core.transcription import protocol
from tests.support.api_server import api_server_with, free_port
from tests.support.fake_gladia import FakeGladia, LiveSession, speech_pcm
from tests.support.gateway import Host, gladia_env, pump, run_async, stream
from tests.support.servers import server_process, uvicorn_cmd

WAIT_SECONDS = 3.0  # how long the server retries Gladia here before giving up


@pytest.fixture(scope="module")
def summary_url(fake_gladia: FakeGladia, database: str) -> Iterator[str]:
    env = gladia_env(
        fake_gladia,
        GLADIA_SUMMARY_POLL_SECONDS="0.1",
        GLADIA_SUMMARY_WAIT_SECONDS=str(WAIT_SECONDS),
    )
    with api_server_with(env) as url:
        yield url


@pytest.fixture
def host(summary_url: str, fake_gladia: FakeGladia) -> Iterator[Host]:
    h = Host(summary_url)
    yield h
    h.http.close()
    fake_gladia.result_errors = []
    fake_gladia.summary_fails = False


def summary(host: Host) -> dict[str, Any]:
    res = host.http.get(f"/api/sessions/{host.slug}/summary")
    assert res.status_code == 200, res.text
    return res.json()


def settled(host: Host, timeout: float = 15.0) -> dict[str, Any]:
    """The summary once it is no longer PENDING."""
    deadline = time.monotonic() + timeout
    while (found := summary(host))["status"] == "PENDING":
        assert time.monotonic() < deadline, "the summary stayed PENDING"
        time.sleep(0.1)
    return found


def talk_then_end(host: Host, fake: FakeGladia) -> LiveSession:
    """A meeting: the host streams three utterances and stops, then ends the session."""
    messages, code = run_async(stream(host.start()["wsUrl"], speech_pcm(3)))
    assert code == 1000 and any(m.get("isFinal") for m in messages)
    assert host.http.post(f"/api/sessions/{host.slug}/end").status_code == 200
    return live_session_of(host, fake)


def live_session_of(host: Host, fake: FakeGladia) -> LiveSession:
    """The one Gladia live session the server remembered for this session."""
    with session_scope() as db:
        rows = db.exec(select(EngineSession).where(EngineSession.session_id == host.session_id))
        ids = [r.external_id for r in rows]
    assert len(ids) == 1, ids
    return fake.sessions[ids[0]]


def _status(host: Host) -> str:
    return host.http.get(f"/api/sessions/{host.slug}").json()["session"]["status"]


def test_summary_is_ready_after_a_gladia_session_ends(host, fake_gladia) -> None:
    host.start()
    assert summary(host) == {"status": "PENDING", "text": None, "reason": None}
    live = talk_then_end(host, fake_gladia)
    init = live.init
    assert init["post_processing"] == {
        "summarization": True,
        "summarization_config": {"type": "general"},
    }

    found = settled(host)
    expected = fake_gladia.summary_text(live)
    assert expected.startswith("Summary (general): ") and len(expected.split()) > 3
    assert found == {"status": "READY", "text": expected, "reason": None}
    # Gladia said "processing" first and "done" at a later look: it was polled for it.
    assert fake_gladia.result_looks.count(live.id) >= 2
    assert live.looks_after_end >= 2
    stats = host.http.get(f"/api/sessions/{host.slug}/stats").json()
    assert stats["engine"] == "gladia" and stats["transcriptionSeconds"] > 0


def test_summary_of_a_session_ended_while_it_was_being_transcribed(host, fake_gladia) -> None:
    """The usual ending: someone ends the meeting while the host still streams."""
    ws_url = host.start()["wsUrl"]

    async def meeting() -> int | None:
        async with websockets.connect(ws_url, compression=None, max_size=None) as ws:
            talking = asyncio.create_task(pump(ws, speech_pcm(8), stop=False))
            await asyncio.sleep(2.5)
            res = await asyncio.to_thread(host.http.post, f"/api/sessions/{host.slug}/end")
            assert res.status_code == 200
            _, code = await talking
            return code

    assert run_async(meeting()) == protocol.close_code("SESSION_ENDED")
    assert _status(host) == "ENDED"
    live = live_session_of(host, fake_gladia)
    found = settled(host)
    assert live.done, "closing the stream ended Gladia's session"
    assert found["status"] == "READY" and found["text"] == fake_gladia.summary_text(live)


def test_gladia_failing_to_answer_costs_the_summary_not_the_end(host, fake_gladia) -> None:
    fake_gladia.result_errors = [503] * 10_000
    started = time.monotonic()
    live = talk_then_end(host, fake_gladia)
    assert _status(host) == "ENDED"
    assert summary(host)["status"] == "PENDING"

    found = settled(host, timeout=WAIT_SECONDS + 15)
    assert time.monotonic() - started >= WAIT_SECONDS
    assert found["status"] == "UNAVAILABLE" and found["text"] is None
    assert "503" in found["reason"] and "retrying" in found["reason"]
    assert fake_gladia.result_looks.count(live.id) >= 3
    assert _status(host) == "ENDED"


def test_gladia_errors_for_a_while_then_answers(host, fake_gladia) -> None:
    fake_gladia.result_errors = [503, 502]
    live = talk_then_end(host, fake_gladia)
    found = settled(host)
    assert found == {"status": "READY", "text": fake_gladia.summary_text(live), "reason": None}


def test_gladia_summarization_failing_is_said_plainly(host, fake_gladia) -> None:
    fake_gladia.summary_fails = True
    talk_then_end(host, fake_gladia)
    found = settled(host)
    assert found["status"] == "UNAVAILABLE" and found["text"] is None
    assert found["reason"] == (
        "No summary: Gladia's summarization failed (The summarization model failed)."
    )


def test_a_server_that_starts_finishes_summaries_left_pending(host, fake_gladia) -> None:
    """A server stopped while Gladia was still summarising: the next one to start fetches
    what is left (here a separate server process, as after a restart)."""
    assert host.http.post(f"/api/sessions/{host.slug}/end").status_code == 200
    # This process's own collectors are done: its look for leftovers when its first app
    # was made, and the one the end above started (it finds nothing pending).
    for thread in threading.enumerate():
        if thread.name.startswith("summary-"):
            thread.join(15)
    live = LiveSession(
        str(uuid.uuid4()),
        connections=1,
        init={
            "post_processing": {"summarization": True, "summarization_config": {"type": "general"}}
        },
        finals=[{"utterance": {"text": " left over words"}}],
    )
    fake_gladia._ended(live)
    fake_gladia.sessions[live.id] = live
    with session_scope() as db:  # what the stopped server had remembered
        db.add(EngineSession(session_id=host.session_id, engine="gladia", external_id=live.id))
    time.sleep(1.0)
    assert summary(host)["status"] == "PENDING", "nobody is collecting it yet"

    port = free_port()
    env = gladia_env(fake_gladia, GLADIA_SUMMARY_POLL_SECONDS="0.1")
    with server_process(uvicorn_cmd(port), port, env):
        found = settled(host, timeout=30)
    assert found == {
        "status": "READY",
        "text": "Summary (general): left over words",
        "reason": None,
    }
