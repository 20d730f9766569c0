"""One rule decides who may stream (rooms.core.transcription.policy): the REST start route,
the WebSocket handshake and the Reflex page give the same answer, because they all ask it."""

from __future__ import annotations

from typing import Any

import httpx

from rooms.core.db import session_scope
from rooms.core.models import Session
from rooms.core.transcription import policy, tokens
from rooms.state.transcript_reads import load
from tests.support.gateway import Host, participant_id, refused, run_async, sign_up


def _ws_refusal(ws_url: str) -> str:
    msg, _code = run_async(refused(ws_url))
    assert msg["type"] == "error", msg
    return msg["code"]


def _policy_refusal(session_id: str, caller: policy.Caller) -> str | None:
    with session_scope() as db:
        session = db.get(Session, session_id)
        assert session is not None
        refused_ = policy.refusal(db, session, caller, "host")
        return refused_.code if refused_ else None


def _reflex_offers(slug: str, user_id: str, identity: str) -> bool:
    """What TranscriptState.load_transcript computes for this viewer (its worker function)."""
    _sid, can, *_rest = load(slug, user_id, identity, False, "")  # captions as spoken
    return can


def _ws_url(http: httpx.Client, token: str) -> str:
    return (
        str(http.base_url).replace("http://", "ws://") + f"/api/realtime/transcribe?token={token}"
    )


def test_a_present_non_host_is_refused_alike_everywhere(host: Host) -> None:
    client, me = sign_up(str(host.http.base_url), "Mallory")
    res = client.post(f"/api/sessions/{host.slug}/participants/join", json={})
    assert res.status_code == 200, res.text
    identity = res.json()["identity"]
    pid = participant_id(host.session_id, identity)
    caller = policy.Caller(participant_id=pid)

    rest = client.post(f"/api/sessions/{host.slug}/transcription/start")
    ws = _ws_refusal(_ws_url(client, tokens.issue(host.session_id, pid, me["id"])))
    assert rest.status_code == 403
    assert rest.json()["error"] == ws == _policy_refusal(host.session_id, caller)
    assert ws == "NOT_TRANSCRIPTION_HOST"
    assert not _reflex_offers(host.slug, me["id"], identity)
    # Control: the host is offered the stream and gets a token the socket accepts.
    assert _reflex_offers(host.slug, host.user["id"], f"user-{host.user['id']}")
    assert host.start()["token"]
    client.close()


def test_an_ended_session_is_refused_alike_everywhere(host: Host) -> None:
    started: dict[str, Any] = host.start()
    assert _reflex_offers(host.slug, host.user["id"], f"user-{host.user['id']}")
    assert host.http.post(f"/api/sessions/{host.slug}/end").status_code == 200

    rest = host.http.post(f"/api/sessions/{host.slug}/transcription/start")
    ws = _ws_refusal(started["wsUrl"])
    pid = participant_id(host.session_id, f"user-{host.user['id']}")
    assert rest.status_code == 410
    assert rest.json()["error"] == ws == "SESSION_ENDED"
    assert _policy_refusal(host.session_id, policy.Caller(participant_id=pid)) == ws
    # The page no longer offers to stream into a meeting that is over.
    assert not _reflex_offers(host.slug, host.user["id"], f"user-{host.user['id']}")
