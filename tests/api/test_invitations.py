"""Invitations (issue 16) over real HTTP: who may create, list and revoke them; what a
token's holder sees; accepting (signed in, email-bound, twice); revoked and expired links."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.support.helpers import unique_email

INVITATION_KEYS = {"id", "token", "url", "email", "role", "expiresAt"}


@pytest.fixture
def shared(signed_in):
    """An owner with a fresh space."""
    owner, owner_user = signed_in(name="Olga Owner")
    space = owner.post("/api/spaces", json={"name": "Crew"}).json()["space"]
    return owner, owner_user, space["id"]


def _invite(owner, space_id: str, **body) -> dict:
    res = owner.post(f"/api/spaces/{space_id}/invitations", json={"role": "MEMBER", **body})
    assert res.status_code == 201, res.text
    invitation = res.json()["invitation"]
    assert set(invitation) == INVITATION_KEYS
    return invitation


def _expire(invitation_id: str) -> None:
    from rooms.core.db import session_scope
    from rooms.core.models import Invitation, utcnow

    with session_scope() as db:
        row = db.get(Invitation, invitation_id)
        row.expires_at = utcnow() - timedelta(seconds=1)
        db.add(row)


def test_owner_creates_lists_and_revokes(shared, new_client) -> None:
    owner, _, space_id = shared
    invitation = _invite(owner, space_id)
    assert invitation["url"].endswith(f"/invite/{invitation['token']}")
    assert invitation["email"] is None and invitation["role"] == "MEMBER"
    assert len(invitation["token"]) >= 32

    listed = owner.get(f"/api/spaces/{space_id}/invitations")
    assert listed.status_code == 200
    assert [i["id"] for i in listed.json()["invitations"]] == [invitation["id"]]

    anyone = new_client()
    shown = anyone.get(f"/api/invitations/{invitation['token']}")
    assert shown.status_code == 200
    assert shown.json() == {
        "spaceName": "Crew",
        "invitedBy": "Olga Owner",
        "role": "MEMBER",
        "expiresAt": invitation["expiresAt"],
    }

    res = owner.delete(f"/api/spaces/{space_id}/invitations/{invitation['id']}")
    assert res.status_code == 204
    assert owner.get(f"/api/spaces/{space_id}/invitations").json() == {"invitations": []}
    gone = anyone.get(f"/api/invitations/{invitation['token']}")
    assert gone.status_code == 404 and gone.json()["error"] == "INVITATION_NOT_FOUND"
    again = owner.delete(f"/api/spaces/{space_id}/invitations/{invitation['id']}")
    assert again.status_code == 404 and again.json()["error"] == "INVITATION_NOT_FOUND"


def test_a_revoked_link_cannot_be_accepted(shared, signed_in) -> None:
    owner, _, space_id = shared
    invitation = _invite(owner, space_id)
    owner.delete(f"/api/spaces/{space_id}/invitations/{invitation['id']}")
    guest, _ = signed_in(name="Late")
    res = guest.post(f"/api/invitations/{invitation['token']}/accept")
    assert res.status_code == 404 and res.json()["error"] == "INVITATION_NOT_FOUND"
    assert space_id not in [s["id"] for s in guest.get("/api/spaces").json()["spaces"]]


def test_accepting_makes_a_member_with_the_role_and_twice_is_harmless(shared, signed_in) -> None:
    owner, _, space_id = shared
    invitation = _invite(owner, space_id)
    newcomer, newcomer_user = signed_in(name="Nina")

    for _ in range(2):
        res = newcomer.post(f"/api/invitations/{invitation['token']}/accept")
        assert res.status_code == 200, res.text
        space = res.json()["space"]
        assert space["id"] == space_id and space["role"] == "MEMBER" and space["isActive"]

    listed = newcomer.get("/api/spaces").json()
    assert listed["activeSpaceId"] == space_id
    members = owner.get(f"/api/spaces/{space_id}/members").json()["members"]
    assert [m["userId"] for m in members].count(newcomer_user["id"]) == 1
    # A link without an email stays open for the rest of the team.
    assert [
        i["id"] for i in owner.get(f"/api/spaces/{space_id}/invitations").json()["invitations"]
    ] == [invitation["id"]]


def test_accepting_needs_a_signed_in_account(shared, new_client) -> None:
    owner, _, space_id = shared
    invitation = _invite(owner, space_id)
    res = new_client().post(f"/api/invitations/{invitation['token']}/accept")
    assert res.status_code == 401 and set(res.json()) >= {"error", "message"}


def test_an_email_bound_invitation_accepts_only_that_account(shared, signed_in) -> None:
    owner, _, space_id = shared
    email = unique_email("invited")
    invitation = _invite(owner, space_id, email=email.upper(), role="OWNER")
    assert invitation["email"] == email and invitation["role"] == "OWNER"

    other, _ = signed_in(name="Other")
    res = other.post(f"/api/invitations/{invitation['token']}/accept")
    assert res.status_code == 403 and res.json()["error"] == "INVITATION_FOR_ANOTHER_ACCOUNT"
    assert space_id not in [s["id"] for s in other.get("/api/spaces").json()["spaces"]]

    invited, _ = signed_in(name="Invited", email=email)
    for _ in range(2):
        res = invited.post(f"/api/invitations/{invitation['token']}/accept")
        assert res.status_code == 200 and res.json()["space"]["role"] == "OWNER"
    # Used up: no longer among the open ones, still refused to anyone else.
    assert owner.get(f"/api/spaces/{space_id}/invitations").json() == {"invitations": []}
    res = other.post(f"/api/invitations/{invitation['token']}/accept")
    assert res.status_code == 403


def test_an_expired_invitation_is_gone(shared, signed_in, new_client) -> None:
    owner, _, space_id = shared
    invitation = _invite(owner, space_id)
    _expire(invitation["id"])
    res = new_client().get(f"/api/invitations/{invitation['token']}")
    assert res.status_code == 410 and res.json()["error"] == "INVITATION_EXPIRED"
    late, _ = signed_in(name="Late")
    res = late.post(f"/api/invitations/{invitation['token']}/accept")
    assert res.status_code == 410 and res.json()["error"] == "INVITATION_EXPIRED"
    assert owner.get(f"/api/spaces/{space_id}/invitations").json() == {"invitations": []}


@pytest.mark.parametrize("token", ["x" * 32, "short", "a" * 65, "bad token with spaces"])
def test_an_unknown_token_is_not_found(new_client, token: str) -> None:
    c = new_client()
    res = c.get(f"/api/invitations/{token}")
    assert res.status_code == 404 and res.json()["error"] == "INVITATION_NOT_FOUND"


def test_only_owners_invite_and_input_is_checked(shared, signed_in) -> None:
    owner, _, space_id = shared
    member_email = unique_email("member")
    member, _ = signed_in(name="Member", email=member_email)
    assert (
        owner.post(f"/api/spaces/{space_id}/members", json={"email": member_email}).status_code
        == 201
    )
    outsider, _ = signed_in(name="Outsider")
    path = f"/api/spaces/{space_id}/invitations"
    body = {"role": "MEMBER"}
    res = member.post(path, json=body)
    assert res.status_code == 403 and res.json()["error"] == "NOT_SPACE_OWNER"
    assert member.get(path).status_code == 403
    assert outsider.post(path, json=body).status_code == 404
    assert outsider.get(path).status_code == 404

    res = owner.post(path, json={"role": "ADMIN"})
    assert res.status_code == 400 and res.json()["error"] == "INVALID_ROLE"
    res = owner.post(path, json={"role": "MEMBER", "email": "not an email"})
    assert res.status_code == 400 and res.json()["error"] == "INVALID_EMAIL"
    res = owner.post(path, json={"role": "MEMBER", "email": member_email})
    assert res.status_code == 409 and res.json()["error"] == "ALREADY_MEMBER"
    res = owner.post(path, json={})
    assert res.status_code == 400


def test_an_owner_invitation_promotes_a_member_and_never_demotes(shared, signed_in) -> None:
    owner, _owner_user, space_id = shared
    as_owner = _invite(owner, space_id, role="OWNER")
    as_member = _invite(owner, space_id, role="MEMBER")
    person, _ = signed_in(name="Pat")
    assert (
        person.post(f"/api/invitations/{as_member['token']}/accept").json()["space"]["role"]
        == "MEMBER"
    )
    assert (
        person.post(f"/api/invitations/{as_owner['token']}/accept").json()["space"]["role"]
        == "OWNER"
    )
    assert (
        person.post(f"/api/invitations/{as_member['token']}/accept").json()["space"]["role"]
        == "OWNER"
    )
    # The inviting owner accepting their own member link stays an owner.
    res = owner.post(f"/api/invitations/{as_member['token']}/accept")
    assert res.status_code == 200 and res.json()["space"]["role"] == "OWNER"
