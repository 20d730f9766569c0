"""Fail-over at the start of a stream: Gladia refuses it (its concurrency limit), the stream
runs on the local engine with nothing lost, the host and the other pages are told once, and
the next stream goes back to Gladia."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.api_server import api_server_with
from tests.support.fake_gladia import FakeGladia, speech_pcm
from tests.support.gateway import (
    Host,
    finals,
    gladia_env,
    stream_and_listen,
    wait_for_rows,
)
from tests.support.speech import SENTENCES, recall, speech_track


@pytest.fixture(scope="module")
def failover_url(fake_gladia: FakeGladia, database: str, engine) -> Iterator[str]:
    with api_server_with(gladia_env(fake_gladia, TRANSCRIPTION_FALLBACK="local")) as url:
        yield url


def test_a_stream_gladia_refuses_runs_on_the_local_engine(failover_url, fake_gladia) -> None:
    host = Host(failover_url)
    spoken = SENTENCES[6:8]
    pcm, _ = speech_track(spoken, gap=0.8)
    fake_gladia.reject_status = 429  # the next session start only
    messages, code, pages = stream_and_listen(host.session_id, host.start()["wsUrl"], pcm)

    assert code == 1000 and not [m for m in messages if m["type"] == "error"], messages
    assert messages[0] == {"type": "ready", "engine": "local"}
    for seen in (messages, pages):
        notices = [m for m in seen if m["type"] == "engine"]
        assert len(notices) == 1 and notices[0]["engine"] == "local", notices
    got = finals(messages)
    assert recall(" ".join(spoken), " ".join(m["text"] for m in got)) >= 0.8, got
    assert [m for m in pages if m["type"] == "transcript" and m["isFinal"]] == got
    rows = wait_for_rows(host.session_id, len(got))
    assert rows == sorted((m["utteranceId"], m["text"]) for m in got)

    # Gladia accepts again: the next stream is Gladia's, with no notice.
    messages, code, _ = stream_and_listen(host.session_id, host.start()["wsUrl"], speech_pcm(1))
    assert code == 1000 and messages[0] == {"type": "ready", "engine": "gladia"}
    assert not [m for m in messages if m["type"] == "engine"]
    host.http.close()
