"""Finding 15 of issue 13: account pre-hijacking. Mallory registers victim@ locally (never
verified), sets it up (a space with a session and a transcript, a membership in her own
space, a name and an avatar), then the real owner signs in with a provider that verifies
victim@. The owner gets the address as a new account: nothing Mallory set survives, and
Mallory learns nothing of what the owner does next."""

from __future__ import annotations

from tests.support.avatars import image_bytes, upload_avatar
from tests.support.helpers import unique_email
from tests.support.oidc import PASSWORD, add_user, authorize, start_sign_in
from tests.support.seed import add_segments


def test_verified_sign_in_replaces_an_unverified_local_account(
    signed_in, new_client, provider, provider_server, local_uploads
) -> None:
    victim_email = unique_email("victim")
    squat, squatted = signed_in(name="Trusted Admin", email=victim_email)
    mallory, mallory_user = signed_in(name="Mallory")
    # Mallory's own space, with the squatted account as a member: what the victim would
    # later do there (sessions, transcripts) would be Mallory's to read.
    trap = mallory.post("/api/spaces", json={"name": "Trap"}).json()["space"]["id"]
    added = mallory.post(f"/api/spaces/{trap}/members", json={"email": victim_email})
    assert added.status_code == 201
    # A space the squatted account owns, with a session and a transcript in it.
    planted = squat.post("/api/spaces", json={"name": "Planted"}).json()["space"]["id"]
    squat.post(f"/api/spaces/{planted}/set-active")
    slug = squat.post("/api/sessions", json={"title": "Planted"}).json()["session"]["slug"]
    add_segments(slug, [(1.0, None, "planted words")])
    assert upload_avatar(squat, image_bytes("PNG")).status_code == 200

    add_user(provider_server, "owner", email=victim_email, email_verified=True, name="Vera Victim")
    owner = new_client()
    assert owner.get(authorize(start_sign_in(owner), "owner")).status_code == 303
    me = owner.get("/api/auth/me").json()["user"]
    assert me["email"] == victim_email
    assert me["name"] == "Vera Victim" and me["displayName"] == "Vera Victim"
    assert me["avatarUrl"] is None

    listed = owner.get("/api/spaces").json()["spaces"]
    assert len(listed) == 1 and {s["id"] for s in listed}.isdisjoint({trap, planted})
    assert listed[0]["id"] == me["activeSpaceId"]
    assert owner.get(f"/api/sessions/{slug}/transcript").status_code == 404
    members = mallory.get(f"/api/spaces/{trap}/members").json()["members"]
    assert victim_email not in repr(members)
    # Mallory's sign-in and password are gone too.
    assert squat.get("/api/auth/me").status_code == 401
    res = new_client().post("/api/auth/login", json={"email": victim_email, "password": PASSWORD})
    assert res.status_code == 401
    assert mallory.get("/api/auth/me").json()["user"]["id"] == mallory_user["id"]
    assert squatted["id"] == me["id"]  # the same address, the same row: nothing else kept
