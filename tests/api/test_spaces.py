from tests.support.helpers import unique_email


def test_space_lifecycle_and_last_space(signed_in) -> None:
    client, user = signed_in()
    first_id = user["activeSpaceId"]

    res = client.post("/api/spaces", json={"name": "Team B"})
    assert res.status_code == 201
    second = res.json()["space"]
    assert second["name"] == "Team B" and second["mode"] == "SESSIONS_ONLY"
    assert second["role"] == "OWNER" and second["isActive"] is False

    listed = client.get("/api/spaces").json()
    assert [s["id"] for s in listed["spaces"]] == [first_id, second["id"]]
    assert listed["activeSpaceId"] == first_id

    # Deleting the active space selects another.
    res = client.delete(f"/api/spaces/{first_id}")
    assert res.status_code == 200 and res.json() == {"activeSpaceId": second["id"]}
    listed = client.get("/api/spaces").json()
    assert [s["id"] for s in listed["spaces"]] == [second["id"]]
    assert listed["activeSpaceId"] == second["id"] and listed["spaces"][0]["isActive"]

    res = client.delete(f"/api/spaces/{second['id']}")
    assert res.status_code == 409
    assert res.json() == {"error": "LAST_SPACE", "message": res.json()["message"]}
    assert client.get("/api/spaces").json()["spaces"][0]["id"] == second["id"]


def test_rename_mode_and_set_active(signed_in) -> None:
    client, _ = signed_in()
    other = client.post("/api/spaces", json={"name": "Other", "mode": "SESSIONS_AND_TASKS"}).json()[
        "space"
    ]
    assert other["mode"] == "SESSIONS_AND_TASKS"

    res = client.patch(f"/api/spaces/{other['id']}", json={"name": "Renamed"})
    assert res.status_code == 200 and res.json()["space"]["name"] == "Renamed"
    res = client.patch(f"/api/spaces/{other['id']}/mode", json={"mode": "SESSIONS_ONLY"})
    assert res.status_code == 200 and res.json()["space"]["mode"] == "SESSIONS_ONLY"
    res = client.patch(f"/api/spaces/{other['id']}/mode", json={"mode": "EVERYTHING"})
    assert res.status_code == 400 and res.json()["error"] == "INVALID_MODE"

    res = client.post(f"/api/spaces/{other['id']}/set-active")
    assert res.status_code == 200 and res.json() == {"activeSpaceId": other["id"]}
    assert client.get("/api/auth/me").json()["user"]["activeSpaceId"] == other["id"]


def test_member_who_is_not_owner_gets_403(signed_in) -> None:
    owner, _ = signed_in(name="Owner")
    member_email = unique_email("member")
    member, _ = signed_in(name="Member", email=member_email)
    space = owner.post("/api/spaces", json={"name": "Shared"}).json()["space"]

    res = owner.post(f"/api/spaces/{space['id']}/members", json={"email": member_email})
    assert res.status_code == 201 and res.json()["member"]["role"] == "MEMBER"
    again = owner.post(f"/api/spaces/{space['id']}/members", json={"email": member_email})
    assert again.status_code == 409 and again.json()["error"] == "ALREADY_MEMBER"

    # The member sees the space and may make it active...
    seen = member.get("/api/spaces").json()["spaces"]
    assert {"id": space["id"], "role": "MEMBER"} in [
        {"id": s["id"], "role": s["role"]} for s in seen
    ]
    assert member.post(f"/api/spaces/{space['id']}/set-active").status_code == 200
    # ...but cannot rename, delete, change its mode or add people.
    for res in [
        member.patch(f"/api/spaces/{space['id']}", json={"name": "Mine now"}),
        member.delete(f"/api/spaces/{space['id']}"),
        member.patch(f"/api/spaces/{space['id']}/mode", json={"mode": "SESSIONS_AND_TASKS"}),
        member.post(f"/api/spaces/{space['id']}/members", json={"email": unique_email()}),
    ]:
        assert res.status_code == 403, res.text
        assert res.json()["error"] == "NOT_SPACE_OWNER"
    assert owner.get("/api/spaces").json()["spaces"][1]["name"] == "Shared"

    # When the owner deletes the space, the member falls back to a space of their own.
    assert owner.delete(f"/api/spaces/{space['id']}").status_code == 200
    after = member.get("/api/spaces").json()
    assert after["activeSpaceId"] in [s["id"] for s in after["spaces"]]
    assert space["id"] not in [s["id"] for s in after["spaces"]]


def test_other_users_spaces_are_invisible(signed_in) -> None:
    alice, alice_user = signed_in(name="Alice")
    mallory, _ = signed_in(name="Mallory")
    space_id = alice_user["activeSpaceId"]
    for res in [
        mallory.patch(f"/api/spaces/{space_id}", json={"name": "pwned"}),
        mallory.delete(f"/api/spaces/{space_id}"),
        mallory.post(f"/api/spaces/{space_id}/set-active"),
        mallory.patch(f"/api/spaces/{space_id}/mode", json={"mode": "SESSIONS_ONLY"}),
        mallory.get(f"/api/spaces/{space_id}/members"),
        mallory.get(f"/api/sessions?spaceId={space_id}"),
        mallory.post("/api/sessions", json={"spaceId": space_id}),
    ]:
        assert res.status_code == 404, res.text
        assert res.json()["error"] == "SPACE_NOT_FOUND"
    assert alice.get("/api/spaces").json()["spaces"][0]["name"] == "My space"
