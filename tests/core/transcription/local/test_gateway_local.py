"""The embedded default end to end over HTTP: with no Gladia key the gateway runs the local
engine; spoken words come back as finals over the real WebSocket route and land in the DB."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator

import pytest

from tests.support.api_server import ServerThread
from tests.support.gateway import Host, finals, stream, wait_for_rows
from tests.support.speech import SENTENCES, recall, silence, speech_track


@pytest.fixture(scope="module")
def local_url(database: str, engine) -> Iterator[str]:
    from rooms.api.app import make_api
    from rooms.core.config import reset_settings

    saved = {k: os.environ.pop(k, None) for k in ("GLADIA_API_KEY", "TRANSCRIPTION_ENGINE")}
    reset_settings()
    try:
        with ServerThread(make_api()) as server:
            yield server.url
    finally:
        os.environ.update({k: v for k, v in saved.items() if v is not None})
        reset_settings()


def test_spoken_words_reach_the_host_and_the_database(local_url) -> None:
    host = Host(local_url)
    started = host.start()
    spoken = SENTENCES[6:8]
    pcm, _ = speech_track(spoken, gap=0.8)
    messages, code = asyncio.run(stream(started["wsUrl"], pcm, pace=0.07))
    assert code == 1000
    assert messages[0] == {"type": "ready", "engine": "local"}
    assert not [m for m in messages if m["type"] == "error"], messages
    got = finals(messages)
    assert got and all(m["text"].strip() and m["language"] == "en" for m in got)
    assert recall(" ".join(spoken), " ".join(m["text"] for m in got)) >= 0.8, got
    rows = wait_for_rows(host.session_id, len(got))
    assert rows == sorted((m["utteranceId"], m["text"]) for m in got)
    host.http.close()


@pytest.mark.skipif(bool(os.environ.get("TEST_DATABASE_URL")), reason="run on SQLite only")
def test_busy_engine_refuses_another_stream_clearly(local_url, engine) -> None:
    """The process pool admits `max_streams` streams; the next host is told to retry."""
    hosts = [Host(local_url) for _ in range(engine.pool.max_streams + 1)]
    urls = [h.start()["wsUrl"] for h in hosts]

    async def run() -> list[tuple[list[dict], int | None]]:
        return await asyncio.gather(*(stream(u, silence(1.5), pace=0.1) for u in urls))

    results = asyncio.run(run())
    refused = [(m, c) for m, c in results if any(x["type"] == "error" for x in m)]
    assert len(refused) == 1, results
    messages, code = refused[0]
    assert messages[0]["code"] == "TRANSCRIPTION_BUSY" and "try again" in messages[0]["message"]
    assert code == 1013  # "try again later": the browser client backs off and retries
    assert sum(1 for m, c in results if c == 1000 and m[0]["type"] == "ready") == len(hosts) - 1
    for h in hosts:
        h.http.close()
