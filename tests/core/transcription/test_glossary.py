"""The space's glossary reaches Gladia: the live init request of a stream in that space
carries it as custom vocabulary (through the real route, handshake and Gladia SDK)."""

from __future__ import annotations

from tests.support.fake_gladia import speech_pcm
from tests.support.gateway import finals, stream_and_listen


def test_the_space_glossary_goes_to_gladia_as_custom_vocabulary(host, fake_gladia) -> None:
    space = host.user["activeSpaceId"]
    started = host.start()
    messages, code, _ = stream_and_listen(host.session_id, started["wsUrl"], speech_pcm(1))
    assert code == 1000 and finals(messages)
    assert "realtime_processing" not in fake_gladia.init_bodies[-1]  # no glossary, no hint

    terms = ["Zhuravleva", "Chidi Okonkwo", "Kubernetes"]
    res = host.http.put(f"/api/spaces/{space}/glossary", json={"terms": terms})
    assert res.status_code == 200, res.text
    started = host.start()
    messages, code, _ = stream_and_listen(host.session_id, started["wsUrl"], speech_pcm(1))
    assert code == 1000 and finals(messages)  # the fake accepted the init (shape checked)
    assert fake_gladia.init_bodies[-1]["realtime_processing"] == {
        "custom_vocabulary": True,
        "custom_vocabulary_config": {"vocabulary": terms},
    }
