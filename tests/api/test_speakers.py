"""Who spoke: names and avatars come from the participant (and its account, when it has one)."""

from __future__ import annotations

from rooms.core.db import session_scope
from rooms.core.models import Participant, User
from tests.support.seed import add_participant, add_segments


def test_speakers_in_transcript_and_search(signed_in) -> None:
    client, user = signed_in("Grace Hopper")
    # As a provider's picture is stored on OIDC sign-in (PATCH takes only own uploads).
    avatar = "https://example.com/grace.png"
    with session_scope() as db:
        account = db.get(User, user["id"])
        account.avatar_url = avatar
        db.add(account)
    slug = client.post("/api/sessions", json={"title": "Speakers"}).json()["session"]["slug"]
    grace = add_participant(slug, "Grace H.", user_id=user["id"], identity=f"user-{user['id']}")
    guest = add_participant(slug, "Linus", identity="guest-abc123")
    gone = add_participant(slug, "Temporary")
    add_segments(
        slug,
        [
            (1, grace, "compilers speak plainly"),
            (2, guest, "kernels speak plainly"),
            (3, gone, "nobody speaks plainly"),
        ],
    )
    with session_scope() as db:  # a removed participant leaves its lines behind, unnamed
        db.delete(db.get(Participant, gone))

    segs = client.get(f"/api/sessions/{slug}/transcript").json()["segments"]
    speakers = [s["speaker"] for s in segs]
    # The name given when joining wins; the avatar and colour come from the account.
    assert speakers[0] == {
        "participantId": grace,
        "name": "Grace H.",
        "avatarUrl": avatar,
        "color": user["noAvatarColor"],
    }
    assert speakers[1]["name"] == "Linus" and speakers[1]["avatarUrl"] is None
    assert speakers[1]["color"].startswith("#") and speakers[1]["participantId"] == guest
    assert speakers[2] == {
        "participantId": None,
        "name": "Unknown speaker",
        "avatarUrl": None,
        "color": speakers[2]["color"],
    }

    hits = client.get("/api/search", params={"q": "speak plainly"}).json()["results"]
    by_text = {h["text"]: h["speaker"] for h in hits}
    assert by_text["compilers speak plainly"]["name"] == "Grace H."
    assert by_text["compilers speak plainly"]["avatarUrl"] == avatar
    assert by_text["kernels speak plainly"]["initials"] == "L"
    assert by_text["nobody speaks plainly"]["name"] == "Unknown speaker"

    txt = client.get(f"/api/sessions/{slug}/transcript?format=txt").text
    assert "Grace H.: compilers" in txt and "Linus: kernels" in txt
