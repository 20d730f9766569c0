"""Joining the video room: LiveKit tokens, participants, the transcription host."""

from __future__ import annotations

import httpx
from livekit.api import TokenVerifier

from rooms.core.config import get_settings
from tests.support.helpers import unique_email


def _verify(token: str):
    settings = get_settings()
    return TokenVerifier(settings.livekit_api_key, settings.livekit_api_secret).verify(token)


def test_member_gets_a_verifiable_token_and_becomes_host(signed_in) -> None:
    owner, user = signed_in(name="Olive Owner")
    slug = owner.post("/api/sessions", json={"title": "Sync"}).json()["session"]["slug"]

    res = owner.get(f"/api/sessions/{slug}/token")
    assert res.status_code == 200, res.text
    body = res.json()
    assert set(body) == {"token", "serverUrl", "identity"}
    assert body["serverUrl"] == get_settings().livekit_url
    claims = _verify(body["token"])
    assert claims.identity == body["identity"] == f"user-{user['id']}"
    assert claims.name == "Olive Owner"
    assert claims.video.room == slug and claims.video.room_join
    assert claims.video.can_publish and claims.video.can_subscribe and claims.video.can_publish_data
    assert not claims.video.room_admin

    # GET never changes state: the token alone records nobody (issue 13 #7).
    res = owner.get(f"/api/sessions/{slug}/participants/{body['identity']}")
    assert res.status_code == 404
    joined = owner.post(f"/api/sessions/{slug}/participants/join", json={}).json()
    assert joined["identity"] == body["identity"]
    info = owner.get(f"/api/sessions/{slug}/participants/{body['identity']}").json()
    assert info["participant"]["role"] == "HOST"
    assert info["participant"]["isTranscriptionHost"] is True
    # Rejoining keeps one identity (one row), not a second participant.
    again = owner.post(f"/api/sessions/{slug}/participants/join", json={}).json()
    assert again["identity"] == body["identity"]


def test_guest_joins_by_link_with_a_name(signed_in, new_client) -> None:
    owner, _ = signed_in()
    slug = owner.post("/api/sessions", json={}).json()["session"]["slug"]
    guest = new_client()

    missing = guest.get(f"/api/sessions/{slug}/token")
    assert missing.status_code == 400 and missing.json()["error"] == "NAME_REQUIRED"
    blank = guest.get(f"/api/sessions/{slug}/token", params={"name": "   "})
    assert blank.status_code == 400

    join = f"/api/sessions/{slug}/participants/join"
    first = guest.post(join, json={"name": "Gus Guest"}).json()
    second = guest.post(join, json={"name": "Gus Guest"}).json()
    # One browser is one guest (its key is a cookie); another browser is someone else, and
    # the identity everyone sees differs between sessions and does not carry the key.
    key = guest.cookies["rooms_guest"]
    assert first["identity"].startswith("guest-") and first["identity"] == second["identity"]
    assert key not in first["identity"]
    other = new_client().get(f"/api/sessions/{slug}/token", params={"name": "Gus Guest"})
    assert other.json()["identity"] != first["identity"]
    slug2 = owner.post("/api/sessions", json={}).json()["session"]["slug"]
    elsewhere = guest.get(f"/api/sessions/{slug2}/token", params={"name": "Gus Guest"}).json()
    assert elsewhere["identity"] != first["identity"] and guest.cookies["rooms_guest"] == key
    assert _verify(first["token"]).name == "Gus Guest"
    info = guest.get(f"/api/sessions/{slug}/participants/{first['identity']}").json()
    assert info["participant"] == info["participant"] | {"role": "GUEST", "name": "Gus Guest"}
    assert info["participant"]["isTranscriptionHost"] is False
    assert "userId" not in info["participant"] and "email" not in info["participant"]

    joined = guest.post(f"/api/sessions/{slug}/participants/join", json={"name": "Gia"})
    assert joined.status_code == 200
    assert joined.json()["participant"]["role"] == "GUEST"
    assert _verify(joined.json()["token"]).video.room == slug


def test_signed_in_non_member_is_a_guest(signed_in) -> None:
    owner, _ = signed_in()
    stranger, _ = signed_in(name="Stranger Sam")
    slug = owner.post("/api/sessions", json={}).json()["session"]["slug"]
    identity = stranger.post(f"/api/sessions/{slug}/participants/join", json={}).json()["identity"]
    info = stranger.get(f"/api/sessions/{slug}/participants/{identity}").json()["participant"]
    assert info["role"] == "GUEST" and info["name"] == "Stranger Sam"


def test_ended_unknown_and_bad_input(signed_in, new_client) -> None:
    owner, _ = signed_in()
    slug = owner.post("/api/sessions", json={}).json()["session"]["slug"]
    owner.post(f"/api/sessions/{slug}/end")
    guest: httpx.Client = new_client()
    for res in [
        guest.get(f"/api/sessions/{slug}/token", params={"name": "Late"}),
        owner.get(f"/api/sessions/{slug}/token"),
        guest.post(f"/api/sessions/{slug}/participants/join", json={"name": "Late"}),
    ]:
        assert res.status_code == 410 and res.json()["error"] == "SESSION_ENDED"
    unknown = guest.get("/api/sessions/zzz-zzzz-zzz/token", params={"name": "x"})
    assert unknown.status_code == 404 and unknown.json()["error"] == "SESSION_NOT_FOUND"
    live = owner.post("/api/sessions", json={}).json()["session"]["slug"]
    for params in [{"name": "x" * 61}, {"name": "\x00"}, {"name": "x" * 501}]:
        res = guest.get(f"/api/sessions/{live}/token", params=params)
        assert res.status_code == 400, (params, res.text)
    for body in [{"name": 5}, {"name": ["a"]}, []]:
        res = guest.post(f"/api/sessions/{live}/participants/join", json=body)
        assert res.status_code == 400, (body, res.text)
    res = guest.get(f"/api/sessions/{live}/participants/nobody")
    assert res.status_code == 404 and res.json()["error"] == "PARTICIPANT_NOT_FOUND"


def test_host_is_reselected_when_the_host_leaves(signed_in) -> None:
    from rooms.core import participants
    from rooms.core.db import session_scope

    owner, owner_user = signed_in(name="Owner")
    member_email = unique_email("m")
    member, _ = signed_in(name="Member", email=member_email)
    owner.post(f"/api/spaces/{owner_user['activeSpaceId']}/members", json={"email": member_email})
    slug = owner.post("/api/sessions", json={}).json()["session"]["slug"]

    join = f"/api/sessions/{slug}/participants/join"
    member_id = member.post(join, json={}).json()["identity"]
    owner_id = owner.post(join, json={}).json()["identity"]

    def host_flag(identity: str) -> bool:
        res = owner.get(f"/api/sessions/{slug}/participants/{identity}")
        return res.json()["participant"]["isTranscriptionHost"]

    # The member arrived first and took transcription; the creator arriving later does not
    # take it away mid-meeting. Re-selection happens when the host leaves.
    assert host_flag(member_id) and not host_flag(owner_id)
    with session_scope() as db:
        participants.mark_left(db, slug, member_id)
    assert host_flag(owner_id) and not host_flag(member_id)
    with session_scope() as db:
        participants.mark_left(db, slug, owner_id)
    assert not host_flag(owner_id)  # nobody left to host
    # Back again: the creator is preferred over anyone else present.
    member.post(join, json={})
    owner.post(join, json={})
    with session_scope() as db:
        participants.mark_left(db, slug, member_id)
    assert host_flag(owner_id)
    member.post(join, json={})
    assert host_flag(owner_id) and not host_flag(member_id)


def test_get_token_records_nothing(signed_in, new_client) -> None:
    """Issue 13 #7: an `<img src=/api/sessions/x/token?name=..>` in someone's avatar made
    every viewer's browser join; GET must never change state."""
    from sqlmodel import select

    from rooms.core.db import session_scope
    from rooms.core.models import Participant, Session

    owner, _ = signed_in()
    slug = owner.post("/api/sessions", json={}).json()["session"]["slug"]
    viewer, _ = signed_in(name="Viewer")
    assert viewer.get(f"/api/sessions/{slug}/token").status_code == 200
    assert owner.get(f"/api/sessions/{slug}/token").status_code == 200
    res = new_client().get(f"/api/sessions/{slug}/token", params={"name": "Img"})
    assert res.status_code == 200 and _verify(res.json()["token"]).video.room == slug
    with session_scope() as db:
        session = db.exec(select(Session).where(Session.slug == slug)).one()
        rows = db.exec(select(Participant).where(Participant.session_id == session.id)).all()
    assert rows == []
