"""rooms/core/transcription/engines/gladia.py: its fast reader of Gladia's messages agrees
with the pinned SDK's parser."""

from __future__ import annotations

import asyncio
import gc
import json
import logging

import pytest

from rooms.core.transcription.engines.gladia import fast_parse, sdk_parse


def test_fast_parse_agrees_with_the_sdk() -> None:
    transcript = {
        "session_id": "s",
        "created_at": "2026-11-25T00:00:00Z",
        "type": "transcript",
        "data": {
            "id": "00-1",
            "is_final": True,
            "utterance": {
                "start": 0.5,
                "end": 1.5,
                "confidence": 0.9,
                "channel": 0,
                "text": " hi",
                "language": "en",
                "speaker": 1,
                "words": [{"word": "hi", "start": 0.5, "end": 1.0, "confidence": 0.8}],
            },
        },
    }
    ack = {
        "session_id": "s",
        "created_at": "2026-11-25T00:00:00Z",
        "type": "audio_chunk",
        "acknowledged": True,
        "data": {"byte_range": [0, 3200], "time_range": [0, 0.1]},
    }
    other = {"session_id": "s", "created_at": "2026-11-25T00:00:00Z", "type": "speech_start",
             "data": {"time": 0.5, "channel": 0}}  # fmt: skip
    fast, sdk = fast_parse(json.dumps(transcript)), sdk_parse(json.dumps(transcript))
    for view in (fast, sdk):  # what GladiaStream reads
        assert (view.type, view.session_id) == ("transcript", "s")
        assert (view.data.id, view.data.is_final) == ("00-1", True)
        u = view.data.utterance
        assert (u.text, u.language, u.start, u.end, u.speaker) == (" hi", "en", 0.5, 1.5, 1)
    fast, sdk = fast_parse(json.dumps(ack)), sdk_parse(json.dumps(ack))
    for view in (fast, sdk):  # what the SDK reads to trim its resend buffer
        assert (view.type, view.acknowledged, view.data.byte_range[1]) == (
            "audio_chunk",
            True,
            3200,
        )
        assert hasattr(view, "acknowledged")  # so the SDK does not emit it to us
    assert fast_parse(json.dumps(other)) == sdk_parse(json.dumps(other))
    for garbage in ("not json", '{"type": "transcript"}'):  # the SDK reports these as errors
        with pytest.raises(Exception):  # noqa: B017
            sdk_parse(garbage)
        with pytest.raises(Exception):  # noqa: B017
            fast_parse(garbage)


def test_a_frame_send_that_fails_otherwise_is_still_reported(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The SDK's frame sends that meet a closed socket are expected (its reader handles the
    close); any other failure of one is logged as an error, not silenced with them."""
    from websockets.exceptions import ConnectionClosedError
    from websockets.frames import Close

    from rooms.core.transcription.engines.gladia import _sent

    async def fails(err: Exception) -> None:
        raise err

    async def run() -> None:
        closed = Close(4404, "")
        for err in (ConnectionClosedError(closed, closed, True), RuntimeError("bad frame")):
            task = asyncio.create_task(fails(err))
            task.add_done_callback(_sent)
            await asyncio.wait([task])

    caplog.set_level(logging.ERROR)
    asyncio.run(run())
    gc.collect()
    messages = [r.getMessage() for r in caplog.records]
    assert messages == ["sending to Gladia failed"], messages
    assert isinstance(caplog.records[0].exc_info[1], RuntimeError)
