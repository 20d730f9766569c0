"""Host audio through the real route to the (fake) Gladia: transcripts to the host, to the
hub, and every final into the database exactly once."""

from __future__ import annotations

import time

from rooms.core.transcription import metrics
from tests.support.fake_gladia import speech_pcm
from tests.support.gateway import (
    finals,
    partials,
    run_async,
    stored_finals,
    stream,
    stream_and_listen,
    wait_for_rows,
)


def test_host_stream_reaches_host_hub_and_database(host, fake_gladia) -> None:
    started = host.start()
    assert started["wsUrl"].endswith(f"/api/realtime/transcribe?token={started['token']}")

    messages, code, hub_seen = stream_and_listen(host.session_id, started["wsUrl"], speech_pcm(4))
    assert code == 1000
    got = finals(messages)
    live = list(fake_gladia.sessions.values())[-1]
    assert [m["text"] for m in got] == [f["utterance"]["text"].strip() for f in live.finals]
    assert fake_gladia.init_bodies[-1]["sample_rate"] == 16000
    assert len(got) == 4 and len({m["utteranceId"] for m in got}) == 4
    assert partials(messages), "partials arrive before the final"
    for m in messages:
        if m["type"] == "transcript":
            assert set(m) == {
                "type",
                "utteranceId",
                "text",
                "isFinal",
                "language",
                "start",
                "end",
                "speaker",
                "participantId",
                "avatarUrl",
            }
            assert m["language"] == "en" and m["end"] >= m["start"] >= 0
    # The second subscriber (another participant's page) saw the same stream.
    assert [m for m in hub_seen if m["type"] == "transcript"] == [
        m for m in messages if m["type"] == "transcript"
    ]
    rows = wait_for_rows(host.session_id, 4)
    assert rows == sorted((m["utteranceId"], m["text"]) for m in got)


def test_gladia_final_without_words_retracts_its_partials(host, fake_gladia) -> None:
    started = host.start()
    fake_gladia.empty_finals = True

    try:
        messages, code, hub_seen = stream_and_listen(
            host.session_id, started["wsUrl"], speech_pcm(2)
        )
    finally:
        fake_gladia.empty_finals = False
    assert code == 1000
    shown = list(dict.fromkeys(m["utteranceId"] for m in partials(messages)))
    assert len(shown) == 2 and not finals(messages)
    assert [m for m in messages if m["type"] == "retract"] == [
        {"type": "retract", "utteranceId": uid} for uid in shown
    ]
    assert [m for m in hub_seen if m["type"] in ("transcript", "retract")] == messages[1:]
    time.sleep(0.5)  # past the writer's 300 ms batch: nothing was ever submitted
    assert stored_finals(host.session_id) == []


def test_gladia_drop_mid_stream_loses_nothing(host, fake_gladia) -> None:
    reconnects = metrics.ENGINE_RECONNECTS._value.get()
    fake_gladia.drop_at_bytes = int(2.5 * 32000)
    try:
        messages, code = run_async(stream(host.start()["wsUrl"], speech_pcm(5)))
    finally:
        fake_gladia.drop_at_bytes = None
    assert code == 1000
    live = next(s for s in fake_gladia.sessions.values() if s.dropped)
    assert live.connections == 2, "the SDK reconnected to the same session"
    assert metrics.ENGINE_RECONNECTS._value.get() == reconnects + 1
    got = finals(messages)
    assert len(got) == 5 == len(live.finals)
    assert live.bytes_in == len(speech_pcm(5)), "every byte reached Gladia exactly once"
    rows = wait_for_rows(host.session_id, 5)
    assert rows == sorted((m["utteranceId"], m["text"]) for m in got)
