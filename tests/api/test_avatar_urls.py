"""Finding 7 of issue 13: avatarUrl takes only the user's own upload (or their own image on
the configured Cloudinary cloud); the upload clean-up never deletes anyone else's file."""

from __future__ import annotations

import pytest

from rooms.core.db import session_scope
from rooms.core.models import User
from tests.support.avatars import CLOUD, image_bytes, upload_avatar


def test_avatar_url_must_be_the_users_own_upload(signed_in, new_client, local_uploads) -> None:
    alice, _ = signed_in(name="Alice")
    mallory, _ = signed_in(name="Mallory")
    alices = upload_avatar(alice, image_bytes("PNG")).json()["user"]["avatarUrl"]
    slug = alice.post("/api/sessions", json={}).json()["session"]["slug"]
    for url in [
        alices,  # someone else's stored avatar: the next upload's clean-up deleted it
        f"/api/sessions/{slug}/token?name=x",  # every viewer's browser would GET it
        f"/api/sessions/{slug}/end",
        "//evil.example/x.png",
        "/\\evil.example/x.png",
        "/api/uploads/avatars/../../rooms.db",
        "https://evil.example/x.png",
        f"https://res.cloudinary.com/{CLOUD['name']}/image/upload/rooms/avatars/x.jpg",
        "javascript:alert(1)",
    ]:
        res = mallory.patch("/api/identity/profile", json={"avatarUrl": url})
        assert res.status_code == 400, (url, res.text)
        assert res.json()["error"] == "INVALID_INPUT", url
    own = upload_avatar(mallory, image_bytes("PNG", size=(90, 90))).json()["user"]["avatarUrl"]
    assert mallory.patch("/api/identity/profile", json={"avatarUrl": own}).status_code == 200
    assert mallory.patch("/api/identity/profile", json={"avatarUrl": None}).status_code == 200
    assert new_client().get(alices).status_code == 200


def test_upload_clean_up_deletes_only_the_users_own_file(
    signed_in, new_client, local_uploads
) -> None:
    alice, _ = signed_in(name="Alice")
    mallory, m = signed_in(name="Mallory")
    alices = upload_avatar(alice, image_bytes("PNG")).json()["user"]["avatarUrl"]
    # A profile written before the check existed, pointing at Alice's file.
    with session_scope() as db:
        user = db.get(User, m["id"])
        user.avatar_url = alices
        db.add(user)
    assert upload_avatar(mallory, image_bytes("PNG", size=(70, 70))).status_code == 200
    assert new_client().get(alices).status_code == 200


@pytest.mark.parametrize("other", ["someone-else", "../x"])
def test_cloudinary_urls_only_for_the_users_own_public_id(
    signed_in, cloudinary_server, other: str
) -> None:
    client, user = signed_in()
    base = f"https://res.cloudinary.com/{CLOUD['name']}/image/upload/v1700000000/rooms/avatars"
    assert (
        client.patch(
            "/api/identity/profile", json={"avatarUrl": f"{base}/{user['id']}.jpg"}
        ).status_code
        == 200
    )
    res = client.patch("/api/identity/profile", json={"avatarUrl": f"{base}/{other}.jpg"})
    assert res.status_code == 400
    res = client.patch(
        "/api/identity/profile",
        json={
            "avatarUrl": f"https://res.cloudinary.com/other/image/upload/rooms/avatars/{user['id']}.jpg"
        },
    )
    assert res.status_code == 400
