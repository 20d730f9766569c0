"""The space's transcription language reaches Gladia: the live init request of a stream in
that space carries it as `language_config` (through the real route, handshake and Gladia SDK),
and the finals Gladia sends in that language are stored and exported with it."""

from __future__ import annotations

from tests.support.fake_gladia import speech_pcm
from tests.support.gateway import finals, stream_and_listen


def test_the_space_language_goes_to_gladia_and_segments_keep_it(host, fake_gladia) -> None:
    space = host.user["activeSpaceId"]
    started = host.start()
    messages, code, _ = stream_and_listen(host.session_id, started["wsUrl"], speech_pcm(1))
    assert code == 1000 and finals(messages)
    # Auto-detect: no language, no code switching.
    assert fake_gladia.init_bodies[-1]["language_config"] == {
        "languages": [],
        "code_switching": False,
    }

    res = host.http.patch(
        f"/api/spaces/{space}/transcription", json={"language": "de", "codeSwitching": True}
    )
    assert res.status_code == 200, res.text
    started = host.start()
    messages, code, _ = stream_and_listen(host.session_id, started["wsUrl"], speech_pcm(1))
    assert code == 1000 and finals(messages)  # the fake accepted the init (shape checked)
    assert fake_gladia.init_bodies[-1]["language_config"] == {
        "languages": ["de"],
        "code_switching": True,
    }
    assert {m["language"] for m in finals(messages)} == {"de"}

    body = host.http.get(f"/api/sessions/{host.slug}/transcript", params={"format": "json"})
    segments = body.json()["segments"]
    assert {s["language"] for s in segments} == {"en", "de"}  # the first stream's, then de
    assert set(body.json()["languages"]) == {"en", "de"}
