"""Members of a space (issue 16) over real HTTP: changing roles, removing, leaving; the
space always keeps an owner (LAST_OWNER); whoever leaves loses its data at once and gets
another active space (a new one when they have none)."""

from __future__ import annotations

import pytest

from tests.support.helpers import unique_email


@pytest.fixture
def team(signed_in):
    """A space with an owner and a member; the member's active space is the shared one."""
    owner, owner_user = signed_in(name="Owner")
    member_email = unique_email("member")
    member, member_user = signed_in(name="Member", email=member_email)
    space_id = owner.post("/api/spaces", json={"name": "Team"}).json()["space"]["id"]
    res = owner.post(f"/api/spaces/{space_id}/members", json={"email": member_email})
    assert res.status_code == 201
    assert member.post(f"/api/spaces/{space_id}/set-active").status_code == 200
    return owner, owner_user, member, member_user, space_id


def _spaces(client) -> dict:
    return client.get("/api/spaces").json()


def _role(owner, space_id: str, user_id: str) -> str | None:
    members = owner.get(f"/api/spaces/{space_id}/members").json()["members"]
    return next((m["role"] for m in members if m["userId"] == user_id), None)


def test_owner_changes_roles(team, signed_in) -> None:
    owner, owner_user, member, member_user, space_id = team
    path = f"/api/spaces/{space_id}/members/{member_user['id']}"
    res = owner.patch(path, json={"role": "OWNER"})
    assert res.status_code == 200
    assert (
        res.json()["member"]["role"] == "OWNER"
        and res.json()["member"]["userId"] == (member_user["id"])
    )
    assert owner.patch(path, json={"role": "MEMBER"}).json()["member"]["role"] == "MEMBER"

    res = member.patch(
        f"/api/spaces/{space_id}/members/{owner_user['id']}", json={"role": "MEMBER"}
    )
    assert res.status_code == 403 and res.json()["error"] == "NOT_SPACE_OWNER"
    outsider, _ = signed_in(name="Out")
    assert outsider.patch(path, json={"role": "OWNER"}).status_code == 404
    res = owner.patch(path, json={"role": "BOSS"})
    assert res.status_code == 400 and res.json()["error"] == "INVALID_ROLE"
    res = owner.patch(f"/api/spaces/{space_id}/members/nobody", json={"role": "OWNER"})
    assert res.status_code == 404 and res.json()["error"] == "MEMBER_NOT_FOUND"
    assert _role(owner, space_id, member_user["id"]) == "MEMBER"


def test_the_last_owner_cannot_go(team) -> None:
    owner, owner_user, member, member_user, space_id = team
    me = f"/api/spaces/{space_id}/members/{owner_user['id']}"
    for res in (
        owner.patch(me, json={"role": "MEMBER"}),
        owner.delete(me),
        owner.post(f"/api/spaces/{space_id}/leave"),
    ):
        assert res.status_code == 409, res.text
        assert res.json()["error"] == "LAST_OWNER" and res.json()["message"]
    assert _role(owner, space_id, owner_user["id"]) == "OWNER"

    # With a second owner the first may step down, and the space names the one left.
    owner.patch(f"/api/spaces/{space_id}/members/{member_user['id']}", json={"role": "OWNER"})
    assert owner.patch(me, json={"role": "MEMBER"}).status_code == 200
    shared = next(s for s in _spaces(member)["spaces"] if s["id"] == space_id)
    assert shared["ownerId"] == member_user["id"]
    res = member.post(f"/api/spaces/{space_id}/leave")
    assert res.status_code == 409 and res.json()["error"] == "LAST_OWNER"


def test_owner_removes_a_member(team) -> None:
    owner, _, member, member_user, space_id = team
    own_space = [s["id"] for s in _spaces(member)["spaces"] if s["id"] != space_id]
    assert member.delete(f"/api/spaces/{space_id}/members/{member_user['id']}").status_code == 403

    res = owner.delete(f"/api/spaces/{space_id}/members/{member_user['id']}")
    assert res.status_code == 204
    after = _spaces(member)
    assert [s["id"] for s in after["spaces"]] == own_space
    assert after["activeSpaceId"] == own_space[0]  # it was their active space
    assert member.get("/api/sessions", params={"spaceId": space_id}).status_code == 404
    assert member.get(f"/api/spaces/{space_id}/members").status_code == 404
    again = owner.delete(f"/api/spaces/{space_id}/members/{member_user['id']}")
    assert again.status_code == 404 and again.json()["error"] == "MEMBER_NOT_FOUND"


def test_a_member_leaves(team) -> None:
    owner, _, member, member_user, space_id = team
    res = member.post(f"/api/spaces/{space_id}/leave")
    assert res.status_code == 200
    after = _spaces(member)
    assert res.json() == {"activeSpaceId": after["activeSpaceId"]}
    assert space_id not in [s["id"] for s in after["spaces"]]
    assert _role(owner, space_id, member_user["id"]) is None
    res = member.post(f"/api/spaces/{space_id}/leave")
    assert res.status_code == 404


def test_someone_left_without_a_space_gets_a_new_one(team) -> None:
    owner, _, member, member_user, space_id = team
    own = [s["id"] for s in _spaces(member)["spaces"] if s["id"] != space_id]
    assert member.delete(f"/api/spaces/{own[0]}").status_code == 200  # only "Team" is left
    owner.delete(f"/api/spaces/{space_id}/members/{member_user['id']}")
    after = _spaces(member)
    assert len(after["spaces"]) == 1 and after["spaces"][0]["id"] not in (space_id, own[0])
    assert after["activeSpaceId"] == after["spaces"][0]["id"]
    assert after["spaces"][0]["role"] == "OWNER"


def test_removal_cuts_off_a_live_session_they_are_in(team) -> None:
    owner, _, member, member_user, space_id = team
    slug = owner.post("/api/sessions", json={"spaceId": space_id}).json()["session"]["slug"]
    assert member.post(f"/api/sessions/{slug}/participants/join", json={}).status_code == 200
    assert member.get(f"/api/sessions/{slug}/transcript").status_code == 200

    owner.delete(f"/api/spaces/{space_id}/members/{member_user['id']}")
    res = member.get(f"/api/sessions/{slug}/transcript")
    assert res.status_code == 404, "a removed member still reads the live transcript"
    identity = f"user-{member_user['id']}"
    present = owner.get(f"/api/sessions/{slug}/participants/{identity}").json()
    assert present["participant"]["leftAt"] is not None
