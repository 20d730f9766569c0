"""GET /api/tasks answers only in spaces whose mode includes tasks, as the seed did."""

from __future__ import annotations


def test_tasks_follow_the_space_mode(signed_in) -> None:
    client, user = signed_in()
    active = user["activeSpaceId"]

    res = client.get("/api/tasks")
    assert res.status_code == 403
    assert res.json()["error"] == "TASKS_DISABLED" and "SESSIONS_AND_TASKS" in res.json()["message"]

    client.patch(f"/api/spaces/{active}/mode", json={"mode": "SESSIONS_AND_TASKS"})
    res = client.get("/api/tasks")
    assert res.status_code == 200
    # The seed's shape, plus the cursor of the next page (none: there is no more).
    assert res.json() == {
        "spaceId": active,
        "mode": "SESSIONS_AND_TASKS",
        "tasks": [],
        "nextCursor": None,
    }

    # An explicit space: another one of mine in SESSIONS_ONLY is refused, the tasks one works.
    other = client.post("/api/spaces", json={"name": "Plain"}).json()["space"]["id"]
    assert client.get("/api/tasks", params={"spaceId": other}).status_code == 403
    res = client.get("/api/tasks", params={"spaceId": active})
    assert res.status_code == 200 and res.json()["spaceId"] == active


def test_tasks_need_sign_in_and_membership(signed_in, new_client) -> None:
    assert new_client().get("/api/tasks").json()["error"] == "UNAUTHORIZED"
    owner, owner_user = signed_in()
    owner.patch(
        f"/api/spaces/{owner_user['activeSpaceId']}/mode", json={"mode": "SESSIONS_AND_TASKS"}
    )
    stranger, _ = signed_in()
    res = stranger.get("/api/tasks", params={"spaceId": owner_user["activeSpaceId"]})
    assert res.status_code == 404 and res.json()["error"] == "SPACE_NOT_FOUND"
    res = stranger.get("/api/tasks", params={"spaceId": "x" * 65})
    assert res.status_code == 400
