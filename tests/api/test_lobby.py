"""The lobby (issue 16): with `lobby: true`, someone outside the session's space waits (202,
no LiveKit token) until a member admits or denies them; members never wait; only the
session's creator or the space owner turns it on or off. Over real HTTP, both databases."""

from __future__ import annotations

import httpx
import pytest
from livekit.api import TokenVerifier

from rooms.core.config import get_settings
from tests.support.helpers import unique_email


def _verify(token: str):
    settings = get_settings()
    return TokenVerifier(settings.livekit_api_key, settings.livekit_api_secret).verify(token)


@pytest.fixture
def team(signed_in, new_client):
    """An owner's space with a member; a session with a lobby, created by the owner."""
    owner, _ = signed_in(name="Olive Owner")
    email = unique_email("member")
    member, member_user = signed_in(name="Mia Member", email=email)
    space = owner.post("/api/spaces", json={"name": "Team"}).json()["space"]["id"]
    assert owner.post(f"/api/spaces/{space}/members", json={"email": email}).status_code == 201
    res = owner.post("/api/sessions", json={"spaceId": space, "title": "Lobby", "lobby": True})
    assert res.status_code == 201, res.text
    session = res.json()["session"]
    assert session["lobby"] is True
    return {
        "owner": owner,
        "member": member,
        "member_id": member_user["id"],
        "space": space,
        "slug": session["slug"],
        "guest": new_client(),
    }


def _join(client: httpx.Client, slug: str, name: str | None = "Gus Guest") -> httpx.Response:
    return client.post(
        f"/api/sessions/{slug}/participants/join", json={"name": name} if name else {}
    )


def _token(client: httpx.Client, slug: str, name: str | None = "Gus Guest") -> httpx.Response:
    return client.get(f"/api/sessions/{slug}/token", params={"name": name} if name else {})


def _waiting(res: httpx.Response) -> str:
    assert res.status_code == 202, res.text
    body = res.json()
    assert body["status"] == "WAITING" and "token" not in body, body
    return body["identity"]


def test_a_guest_waits_until_a_member_admits_them(team) -> None:
    slug, guest, owner, member = team["slug"], team["guest"], team["owner"], team["member"]
    identity = _waiting(_join(guest, slug))
    assert identity.startswith("guest-")
    # The same browser asking again is the same person, still waiting; GET /token too.
    assert _waiting(_join(guest, slug)) == identity
    assert _waiting(_token(guest, slug)) == identity

    # Members see who waits; a waiting guest is nobody in the room.
    for host in (owner, member):
        res = host.get(f"/api/sessions/{slug}/lobby")
        assert res.status_code == 200, res.text
        body = res.json()
        assert body["lobby"] is True
        assert [(w["identity"], w["name"], w["status"]) for w in body["waiting"]] == [
            (identity, "Gus Guest", "WAITING")
        ]
        assert body["waiting"][0]["waitingSince"]
    info = owner.get(f"/api/sessions/{slug}/participants/{identity}").json()["participant"]
    assert info["leftAt"] is not None

    res = member.post(f"/api/sessions/{slug}/lobby/{identity}/admit")
    assert res.status_code == 200, res.text
    assert res.json()["participant"]["status"] == "ADMITTED"
    assert member.post(f"/api/sessions/{slug}/lobby/{identity}/admit").status_code == 200
    assert owner.get(f"/api/sessions/{slug}/lobby").json()["waiting"] == []

    token = _token(guest, slug)
    assert token.status_code == 200, token.text
    assert _verify(token.json()["token"]).identity == identity
    joined = _join(guest, slug)
    assert joined.status_code == 200, joined.text
    body = joined.json()
    assert body["identity"] == identity and body["participant"]["leftAt"] is None
    claims = _verify(body["token"])
    assert claims.identity == identity and claims.video.room == slug
    # Admitted is for good: leaving and coming back does not queue them again.
    assert _join(guest, slug).status_code == 200


def test_a_denied_guest_is_refused_on_join_and_token(team, new_client) -> None:
    slug, guest, owner = team["slug"], team["guest"], team["owner"]
    identity = _waiting(_join(guest, slug))
    res = owner.post(f"/api/sessions/{slug}/lobby/{identity}/deny")
    assert res.status_code == 200, res.text
    assert res.json()["participant"]["status"] == "DENIED"
    for res in (_join(guest, slug), _token(guest, slug)):
        assert res.status_code == 403, res.text
        assert res.json() == res.json() | {"error": "LOBBY_DENIED"}
        assert res.json()["message"]
    assert owner.get(f"/api/sessions/{slug}/lobby").json()["waiting"] == []
    # Another browser is someone else: it waits like anyone new.
    _waiting(_join(new_client(), slug))
    # A member may still change their mind.
    assert owner.post(f"/api/sessions/{slug}/lobby/{identity}/admit").status_code == 200
    assert _join(guest, slug).status_code == 200


def test_members_never_wait_but_signed_in_outsiders_do(team, signed_in) -> None:
    slug = team["slug"]
    for host in (team["owner"], team["member"]):
        assert _token(host, slug, None).status_code == 200
        res = _join(host, slug, None)
        assert res.status_code == 200, res.text
        assert res.json()["participant"]["role"] == "HOST"
    outsider, user = signed_in(name="Otto Outsider")
    assert _waiting(_token(outsider, slug, None)) == f"user-{user['id']}"
    assert _waiting(_join(outsider, slug, None)) == f"user-{user['id']}"
    waiting = team["owner"].get(f"/api/sessions/{slug}/lobby").json()["waiting"]
    assert [w["name"] for w in waiting] == ["Otto Outsider"]
    # The anonymous still need a name, lobby or not.
    res = _join(team["guest"], slug, None)
    assert res.status_code == 400 and res.json()["error"] == "NAME_REQUIRED"


def test_only_the_creator_or_the_owner_toggles_the_lobby(team, signed_in, new_client) -> None:
    owner, member, space = team["owner"], team["member"], team["space"]
    mine = member.post("/api/sessions", json={"spaceId": space}).json()["session"]
    assert mine["lobby"] is False
    path = f"/api/sessions/{mine['slug']}"

    res = member.patch(path, json={"lobby": True})  # its creator
    assert res.status_code == 200, res.text
    assert res.json()["session"]["lobby"] is True
    assert member.get(path).json()["session"]["lobby"] is True
    assert owner.patch(path, json={"lobby": False}).json()["session"]["lobby"] is False

    owners = f"/api/sessions/{team['slug']}"  # not the member's: refused
    res = member.patch(owners, json={"lobby": False})
    assert res.status_code == 403 and res.json()["error"] == "NOT_ALLOWED"
    outsider, _ = signed_in(name="Otto")
    res = outsider.patch(owners, json={"lobby": False})
    assert res.status_code == 404 and res.json()["error"] == "SESSION_NOT_FOUND"
    res = new_client().patch(owners, json={"lobby": False})
    assert res.status_code == 401
    for bad in ({"lobby": "no"}, {}, {"lobby": None}):
        res = owner.patch(owners, json=bad)
        assert res.status_code == 400, (bad, res.text)
        assert set(res.json()) >= {"error", "message"}
    assert owner.get(owners).json()["session"]["lobby"] is True


def test_turning_the_lobby_off_lets_waiting_people_in_and_on_keeps_those_inside(
    team, new_client
) -> None:
    slug, guest, owner = team["slug"], team["guest"], team["owner"]
    _waiting(_join(guest, slug))
    assert owner.patch(f"/api/sessions/{slug}", json={"lobby": False}).status_code == 200
    assert _join(guest, slug).status_code == 200

    # Someone who came in while there was no lobby stays in when it is turned on.
    early = new_client()
    assert _join(early, slug, "Early").status_code == 200
    assert owner.patch(f"/api/sessions/{slug}", json={"lobby": True}).status_code == 200
    assert _join(early, slug, "Early").status_code == 200
    assert _join(guest, slug).status_code == 200  # admitted once, admitted for good
    _waiting(_join(new_client(), slug, "Late"))


def test_lobby_routes_are_for_members_only(team, signed_in) -> None:
    slug, guest, owner = team["slug"], team["guest"], team["owner"]
    identity = _waiting(_join(guest, slug))
    outsider, _ = signed_in(name="Otto")
    base = f"/api/sessions/{slug}/lobby"
    for client, status in ((guest, 401), (outsider, 404)):
        for res in (
            client.get(base),
            client.post(f"{base}/{identity}/admit"),
            client.post(f"{base}/{identity}/deny"),
        ):
            assert res.status_code == status, res.text
            assert set(res.json()) >= {"error", "message"}
    assert _waiting(_join(guest, slug)) == identity  # none of that let them in

    # Only people in the lobby can be admitted or denied; someone inside is removed instead.
    host = _join(owner, slug, None).json()["identity"]
    res = owner.post(f"{base}/{host}/deny")
    assert res.status_code == 404 and res.json()["error"] == "NOT_IN_LOBBY"
    assert owner.post(f"{base}/nobody-here/admit").status_code == 404
    owner.post(f"{base}/{identity}/admit")
    assert _join(guest, slug).status_code == 200
    res = owner.post(f"{base}/{identity}/deny")
    assert res.status_code == 409 and res.json()["error"] == "ALREADY_IN_ROOM"
    res = owner.get("/api/sessions/no-such-slug/lobby")
    assert res.status_code == 404
