"""An utterance that had partials but whose final decodes to nothing: no empty final (issue
6) but a `retract`, from the engine, through the real route to the host and to every page's
hub subscription, and nothing in the database.

What makes it happen, with the real model: one phrase said over and over. The partials show
it once (repeats collapsed); the final transcript repeats it so much that it reads like
Whisper looping, and the engine's loop guard turns it into "nothing sure".
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator

import pytest

from rooms.core.transcription.engines.base import Retraction, StreamOptions
from tests.support.api_server import api_server_with
from tests.support.gateway import (
    Host,
    finals,
    partials,
    stored_finals,
    stream_and_listen,
)
from tests.support.local_engine import transcribe
from tests.support.speech import FRAME, SENTENCES, silence, synth


def _over_and_over() -> bytes:
    return silence(0.3) + synth(". ".join(["see you next week"] * 6)) + silence(1.0)


@pytest.mark.skipif(bool(os.environ.get("TEST_DATABASE_URL")), reason="run on SQLite only")
def test_engine_retracts_the_partials_of_an_utterance_that_ends_empty(engine) -> None:
    run = asyncio.run(transcribe(engine, _over_and_over(), pace=0.5))
    assert run.error is None
    assert run.partials and all(p.text.strip() for p in run.partials)
    assert run.finals == [], "never an empty final, and this one had nothing sure"
    assert run.retracted == sorted({p.utterance_id for p in run.partials})


@pytest.mark.skipif(bool(os.environ.get("TEST_DATABASE_URL")), reason="run on SQLite only")
def test_a_final_that_never_comes_retracts_its_partials(engine) -> None:
    """The stream stops before the open utterance's final is decoded (stop's wait ran out):
    that final is lost, so its partial must not stay on screen as if it were one."""
    pcm = silence(0.3) + synth(SENTENCES[1])

    async def run() -> list[object]:
        stream = await engine.open(StreamOptions())
        events: list[object] = []

        async def collect() -> None:
            async for ev in stream.events():
                events.append(ev)

        reader = asyncio.create_task(collect())
        for i in range(0, len(pcm), FRAME):  # real time, until a partial is out
            await stream.feed(pcm[i : i + FRAME])
            await asyncio.sleep(0.1)
            if events:
                break
        await stream.stop(timeout=0)
        await asyncio.wait_for(reader, 5)
        return events

    events = asyncio.run(run())
    assert events, "a partial while the sentence was spoken"
    *said, last = events
    assert all(not getattr(e, "is_final", True) for e in said), events
    assert last == Retraction(said[0].utterance_id)  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def local_url(database: str, engine) -> Iterator[str]:
    with api_server_with({"TRANSCRIPTION_ENGINE": "local"}) as url:
        yield url


def test_retract_reaches_the_host_and_every_page(local_url) -> None:
    host = Host(local_url)
    ws_url = host.start()["wsUrl"]
    messages, code, hub_seen = stream_and_listen(host.session_id, ws_url, _over_and_over())
    assert code == 1000
    assert messages[0] == {"type": "ready", "engine": "local"}
    shown = {m["utteranceId"] for m in partials(messages)}
    assert shown and not finals(messages)
    retracts = [m for m in messages if m["type"] == "retract"]
    assert retracts == [{"type": "retract", "utteranceId": uid} for uid in sorted(shown)]
    assert messages[-1] == retracts[-1], "after every partial"
    assert [m for m in hub_seen if m["type"] in ("transcript", "retract")] == messages[1:]
    assert stored_finals(host.session_id) == []
    host.http.close()
