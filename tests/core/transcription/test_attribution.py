"""Speaker attribution in host mode, through the real route: the host's client says who is
speaking, the server gives each utterance to whoever spoke most during it."""

from __future__ import annotations

from rooms.core.db import session_scope
from rooms.core.models import User
from tests.support.fake_gladia import speech_pcm
from tests.support.gateway import (
    Host,
    finals,
    join_as_guest,
    partials,
    participant_id,
    run_async,
    speakers,
    stored_speakers,
    stream,
    stream_and_listen,
)

AVATAR = "https://example.com/ada.png"


def test_two_speakers_each_get_their_utterance(host, gateway_url) -> None:
    # As an OIDC provider's picture is stored (PATCH takes only the user's own uploads).
    with session_scope() as db:
        account = db.get(User, host.user["id"])
        account.avatar_url = AVATAR
        db.add(account)
    ada = f"user-{host.user['id']}"
    bob_http, bob = join_as_guest(gateway_url, host.slug, "Bob")
    # Someone of another session, and an identity nobody has: never speakers here.
    other = Host(gateway_url)
    other_http, stranger = join_as_guest(gateway_url, other.slug, "Mallory")
    assert stranger["identity"] not in (ada, bob["identity"])

    # Utterance 1 is 0.0-1.2 s, utterance 2 is 1.8-3.0 s of audio. LiveKit reports speakers
    # a little late; the outsiders are "speaking" through more of utterance 2 than Bob.
    texts = {
        2: [speakers(ada)],
        5: ['{"type":"speakers","active":"not a list"}'],
        6: [speakers("x" * 200)],
        13: [speakers()],
        17: [speakers(stranger["identity"], "guest-nobody")],
        21: [speakers(stranger["identity"], "guest-nobody", bob["identity"])],
        31: [speakers()],
    }
    messages, code, hub_seen = stream_and_listen(
        host.session_id, host.start()["wsUrl"], speech_pcm(2), texts
    )
    assert code == 1000, messages
    errors = [m for m in messages if m["type"] == "error"]
    assert [e["code"] for e in errors] == ["INVALID_SPEAKER_MESSAGE"] * 2
    assert all(e["message"] for e in errors)

    ada_pid = participant_id(host.session_id, ada)
    bob_pid = participant_id(host.session_id, bob["identity"])
    got = finals(messages)
    assert [(m["speaker"], m["participantId"], m["avatarUrl"]) for m in got] == [
        ("Host", ada_pid, AVATAR),
        ("Bob", bob_pid, None),
    ]
    first_partials = [m for m in partials(messages) if m["end"] <= 1.2]
    assert first_partials and {m["participantId"] for m in first_partials} == {ada_pid}
    # Every page of the session saw the same attributed transcripts.
    assert [m for m in hub_seen if m["type"] == "transcript"] == [
        m for m in messages if m["type"] == "transcript"
    ]

    assert stored_speakers(host.session_id, 2) == [
        (got[0]["text"], ada_pid),
        (got[1]["text"], bob_pid),
    ]
    segs = host.http.get(f"/api/sessions/{host.slug}/transcript").json()["segments"]
    assert [(s["speaker"]["name"], s["speaker"]["participantId"]) for s in segs] == [
        ("Host", ada_pid),
        ("Bob", bob_pid),
    ]
    assert segs[0]["speaker"]["avatarUrl"] == AVATAR
    txt = host.http.get(f"/api/sessions/{host.slug}/transcript?format=txt").text
    assert f"Host: {got[0]['text']}" in txt and f"Bob: {got[1]['text']}" in txt
    vtt = host.http.get(f"/api/sessions/{host.slug}/transcript?format=vtt").text
    assert "<v Host>" in vtt and "<v Bob>" in vtt
    for client in (bob_http, other_http, other.http):
        client.close()


def test_outsiders_only_means_unknown_speaker(host, gateway_url) -> None:
    other = Host(gateway_url)
    other_http, stranger = join_as_guest(gateway_url, other.slug, "Mallory")
    texts = {0: [speakers(stranger["identity"], f"user-{other.user['id']}", "guest-nobody")]}
    messages, code, _ = stream_and_listen(
        host.session_id, host.start()["wsUrl"], speech_pcm(1), texts
    )
    assert code == 1000
    [final] = finals(messages)
    assert (final["speaker"], final["participantId"], final["avatarUrl"]) == (None, None, None)
    assert stored_speakers(host.session_id, 1) == [(final["text"], None)]
    [seg] = host.http.get(f"/api/sessions/{host.slug}/transcript").json()["segments"]
    assert seg["speaker"]["name"] == "Unknown speaker"
    for client in (other_http, other.http):
        client.close()


def test_without_speaker_messages_the_host_speaks(host) -> None:
    messages, code = run_async(stream(host.start()["wsUrl"], speech_pcm(1)))
    assert code == 1000
    host_pid = participant_id(host.session_id, f"user-{host.user['id']}")
    assert {(m["speaker"], m["participantId"]) for m in finals(messages)} == {("Host", host_pid)}
    assert [pid for _, pid in stored_speakers(host.session_id, 1)] == [host_pid]


def test_speaker_floods_and_garbage(host, gateway_url) -> None:
    """A flood is cut down to the budget with one error; the stream goes on. Text that is
    not a speakers message at all is still an audio violation that ends the stream."""
    ada = f"user-{host.user['id']}"
    flood = [speakers(ada) if i % 2 else speakers() for i in range(200)]
    messages, code = run_async(stream(host.start()["wsUrl"], speech_pcm(1), texts={3: flood}))
    assert code == 1000 and len(finals(messages)) == 1
    codes = [m["code"] for m in messages if m["type"] == "error"]
    assert codes == ["SPEAKER_MESSAGES_RATE_LIMITED"]

    messages, code = run_async(
        stream(host.start()["wsUrl"], speech_pcm(1), texts={3: ['{"type":"dance"}']})
    )
    assert code == 4400
    assert [m["code"] for m in messages if m["type"] == "error"] == ["AUDIO_NOT_BINARY"]


def test_only_the_host_gets_a_token_in_host_mode(host, gateway_url) -> None:
    guest_http, guest = join_as_guest(gateway_url, host.slug, "Gus")
    res = guest_http.post(
        f"/api/sessions/{host.slug}/transcription/start",
        headers={"Authorization": f"Bearer {guest['token']}"},
    )
    assert res.status_code == 401, "host mode: a LiveKit token is no way in"
    member = Host(gateway_url)  # signed in, joined as a guest of this session
    assert (
        member.http.post(f"/api/sessions/{host.slug}/participants/join", json={}).status_code == 200
    )
    res = member.http.post(f"/api/sessions/{host.slug}/transcription/start")
    assert res.status_code == 403 and res.json()["error"] == "NOT_TRANSCRIPTION_HOST"
    guest_http.close()
    member.http.close()
