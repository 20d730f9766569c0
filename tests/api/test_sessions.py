import re


def test_create_list_paginate_end_delete(signed_in) -> None:
    client, user = signed_in()
    created = []
    for i in range(7):
        res = client.post("/api/sessions", json={"title": f"Standup {i}"})
        assert res.status_code == 201, res.text
        session = res.json()["session"]
        assert re.fullmatch(r"[a-z]{3}-[a-z]{4}-[a-z]{3}", session["slug"])
        assert session["status"] == "ACTIVE" and session["spaceId"] == user["activeSpaceId"]
        created.append(session)
    assert len({s["slug"] for s in created}) == 7

    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        page = client.get("/api/sessions", params=params).json()
        seen += [s["slug"] for s in page["sessions"]]
        pages += 1
        cursor = page["nextCursor"]
        if not cursor:
            break
    assert pages == 3
    assert seen == [s["slug"] for s in reversed(created)]  # newest first, no gaps, no repeats

    slug = created[0]["slug"]
    res = client.post(f"/api/sessions/{slug}/end")
    assert res.status_code == 200
    assert res.json()["session"]["status"] == "ENDED" and res.json()["session"]["endedAt"]
    again = client.post(f"/api/sessions/{slug}/end")
    assert again.status_code == 410 and again.json()["error"] == "SESSION_ENDED"

    gone = created[1]["slug"]
    assert client.delete(f"/api/sessions/{gone}").status_code == 204
    assert client.get(f"/api/sessions/{gone}").status_code == 404
    assert client.delete(f"/api/sessions/{gone}").status_code == 404
    remaining = client.get("/api/sessions", params={"limit": 100}).json()["sessions"]
    assert gone not in [s["slug"] for s in remaining] and len(remaining) == 6


def test_sessions_follow_the_active_space(signed_in) -> None:
    client, user = signed_in()
    client.post("/api/sessions", json={"title": "in first"})
    other = client.post("/api/spaces", json={"name": "Second"}).json()["space"]
    client.post(f"/api/spaces/{other['id']}/set-active")
    assert client.get("/api/sessions").json()["sessions"] == []
    client.post("/api/sessions", json={"title": "in second"})
    titles = [s["title"] for s in client.get("/api/sessions").json()["sessions"]]
    assert titles == ["in second"]
    first = client.get("/api/sessions", params={"spaceId": user["activeSpaceId"]}).json()
    assert [s["title"] for s in first["sessions"]] == ["in first"]


def test_guest_with_link_sees_basics_only(signed_in, new_client) -> None:
    client, _ = signed_in()
    slug = client.post("/api/sessions", json={"title": "Open call"}).json()["session"]["slug"]
    guest = new_client().get(f"/api/sessions/{slug.upper()}")
    assert guest.status_code == 200
    body = guest.json()["session"]
    assert body["title"] == "Open call" and body["status"] == "ACTIVE"
    assert body["spaceId"] is None and body["id"] is None and body["createdByUserId"] is None
    assert client.get(f"/api/sessions/{slug}").json()["session"]["spaceId"]


def test_only_creator_or_owner_ends_and_only_owner_deletes(signed_in) -> None:
    from tests.support.helpers import unique_email

    owner, owner_user = signed_in(name="Owner")
    member_email = unique_email("m")
    member, _ = signed_in(name="Member", email=member_email)
    stranger, _ = signed_in(name="Stranger")
    space_id = owner_user["activeSpaceId"]
    owner.post(f"/api/spaces/{space_id}/members", json={"email": member_email})

    owners_session = owner.post("/api/sessions", json={}).json()["session"]["slug"]
    members_session = member.post("/api/sessions", json={"spaceId": space_id}).json()["session"][
        "slug"
    ]

    res = member.post(f"/api/sessions/{owners_session}/end")
    assert res.status_code == 403 and res.json()["error"] == "NOT_ALLOWED"
    assert member.delete(f"/api/sessions/{members_session}").status_code == 403
    assert stranger.post(f"/api/sessions/{owners_session}/end").status_code == 404
    assert stranger.delete(f"/api/sessions/{owners_session}").status_code == 404

    assert member.post(f"/api/sessions/{members_session}/end").status_code == 200
    assert owner.delete(f"/api/sessions/{members_session}").status_code == 204
    assert owner.post(f"/api/sessions/{owners_session}/end").status_code == 200
