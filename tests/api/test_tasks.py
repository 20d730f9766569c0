"""The Tasks API over real HTTP, one test per rule (rooms/core/tasks.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import httpx
import pytest

from tests.support.helpers import unique_email
from tests.support.seed import add_participant, add_segments


@dataclass
class Team:
    owner: httpx.Client
    owner_id: str
    member: httpx.Client
    member_id: str
    space: str


@pytest.fixture
def team(signed_in) -> Team:
    owner, owner_user = signed_in(name="Olive Owner")
    email = unique_email("member")
    member, member_user = signed_in(name="Mo Member", email=email)
    space = owner.post("/api/spaces", json={"name": "Work", "mode": "SESSIONS_AND_TASKS"}).json()[
        "space"
    ]["id"]
    assert owner.post(f"/api/spaces/{space}/members", json={"email": email}).status_code == 201
    return Team(owner, owner_user["id"], member, member_user["id"], space)


def _session(client: httpx.Client, space: str) -> str:
    res = client.post("/api/sessions", json={"spaceId": space, "title": "Planning"})
    return res.json()["session"]["slug"]


def test_create_list_edit_and_the_seed_shape(team: Team) -> None:
    due = (date.today() + timedelta(days=3)).isoformat()
    res = team.member.post(
        "/api/tasks",
        json={
            "spaceId": team.space,
            "title": "  Write the notes  ",
            "description": "for Friday",
            "assigneeId": team.owner_id,
            "dueDate": due,
        },
    )
    assert res.status_code == 201, res.text
    task = res.json()["task"]
    assert task["title"] == "Write the notes" and task["status"] == "TODO"
    assert task["assigneeId"] == team.owner_id and task["dueDate"] == due
    assert task["createdById"] == team.member_id and task["source"] is None
    assert task["overdue"] is False and task["done"] is False

    listed = team.owner.get("/api/tasks", params={"spaceId": team.space}).json()
    assert set(listed) >= {"spaceId", "mode", "tasks"}
    assert listed["spaceId"] == team.space and listed["mode"] == "SESSIONS_AND_TASKS"
    assert [t["id"] for t in listed["tasks"]] == [task["id"]] and listed["nextCursor"] is None

    # Any member edits; only the fields sent change; null clears.
    res = team.owner.patch(
        f"/api/tasks/{task['id']}", json={"status": "IN_PROGRESS", "assigneeId": None}
    )
    assert res.status_code == 200, res.text
    edited = res.json()["task"]
    assert edited["status"] == "IN_PROGRESS" and edited["assigneeId"] is None
    assert edited["title"] == "Write the notes" and edited["dueDate"] == due
    res = team.member.patch(f"/api/tasks/{task['id']}", json={"status": "DONE"})
    assert res.json()["task"]["done"] is True


def test_bad_input_is_400(team: Team) -> None:
    post = lambda body: team.member.post("/api/tasks", json={"spaceId": team.space, **body})  # noqa: E731
    assert post({"title": " "}).status_code == 400
    assert post({"title": "x" * 201}).status_code == 400
    assert post({"title": "x", "status": "LATER"}).json()["error"] == "INVALID_STATUS"
    assert post({"title": "x", "dueDate": "tomorrow"}).json()["error"] == "INVALID_DUE_DATE"
    ok = post({"title": "x"}).json()["task"]["id"]
    res = team.member.patch(f"/api/tasks/{ok}", json={"status": "NOPE"})
    assert res.status_code == 400 and res.json()["error"] == "INVALID_STATUS"
    res = team.member.get("/api/tasks", params={"spaceId": team.space, "status": "NOPE"})
    assert res.status_code == 400 and res.json()["error"] == "INVALID_STATUS"
    res = team.member.get("/api/tasks", params={"spaceId": team.space, "cursor": "!!"})
    assert res.status_code == 400 and res.json()["error"] == "INVALID_CURSOR"


def test_assignee_must_be_a_member(team: Team, signed_in) -> None:
    _, stranger = signed_in(name="Stranger")
    res = team.owner.post(
        "/api/tasks", json={"spaceId": team.space, "title": "x", "assigneeId": stranger["id"]}
    )
    assert res.status_code == 400 and res.json()["error"] == "ASSIGNEE_NOT_MEMBER"
    task = team.owner.post("/api/tasks", json={"spaceId": team.space, "title": "x"}).json()
    res = team.owner.patch(f"/api/tasks/{task['task']['id']}", json={"assigneeId": stranger["id"]})
    assert res.status_code == 400 and res.json()["error"] == "ASSIGNEE_NOT_MEMBER"
    res = team.owner.patch(f"/api/tasks/{task['task']['id']}", json={"assigneeId": team.member_id})
    assert res.status_code == 200 and res.json()["task"]["assigneeId"] == team.member_id


def test_delete_by_creator_or_owner_only(team: Team) -> None:
    by_owner = team.owner.post("/api/tasks", json={"spaceId": team.space, "title": "a"}).json()
    res = team.member.delete(f"/api/tasks/{by_owner['task']['id']}")
    assert res.status_code == 403 and res.json()["error"] == "NOT_ALLOWED"
    by_member = team.member.post("/api/tasks", json={"spaceId": team.space, "title": "b"}).json()
    assert team.member.delete(f"/api/tasks/{by_member['task']['id']}").status_code == 204
    assert team.owner.delete(f"/api/tasks/{by_owner['task']['id']}").status_code == 204
    res = team.owner.delete(f"/api/tasks/{by_owner['task']['id']}")
    assert res.status_code == 404 and res.json()["error"] == "TASK_NOT_FOUND"
    assert team.owner.get("/api/tasks", params={"spaceId": team.space}).json()["tasks"] == []


def test_non_members_get_404_everywhere(team: Team, signed_in, new_client) -> None:
    task = team.owner.post("/api/tasks", json={"spaceId": team.space, "title": "secret"}).json()
    tid = task["task"]["id"]
    stranger, _ = signed_in(name="Stranger")
    assert stranger.get("/api/tasks", params={"spaceId": team.space}).status_code == 404
    res = stranger.post("/api/tasks", json={"spaceId": team.space, "title": "x"})
    assert res.status_code == 404 and res.json()["error"] == "SPACE_NOT_FOUND"
    res = stranger.patch(f"/api/tasks/{tid}", json={"title": "mine"})
    assert res.status_code == 404 and res.json()["error"] == "TASK_NOT_FOUND"
    assert stranger.delete(f"/api/tasks/{tid}").status_code == 404
    anonymous = new_client()
    assert anonymous.post("/api/tasks", json={"title": "x"}).status_code == 401
    assert anonymous.delete(f"/api/tasks/{tid}").status_code == 401
    assert (
        team.owner.get("/api/tasks", params={"spaceId": team.space}).json()["tasks"][0]["title"]
        == "secret"
    )


def test_tasks_disabled_for_sessions_only_spaces(team: Team) -> None:
    tid = team.owner.post("/api/tasks", json={"spaceId": team.space, "title": "x"}).json()["task"][
        "id"
    ]
    res = team.owner.patch(f"/api/spaces/{team.space}/mode", json={"mode": "SESSIONS_ONLY"})
    assert res.status_code == 200
    for res in (
        team.member.get("/api/tasks", params={"spaceId": team.space}),
        team.member.post("/api/tasks", json={"spaceId": team.space, "title": "y"}),
        team.member.patch(f"/api/tasks/{tid}", json={"title": "z"}),
        team.owner.delete(f"/api/tasks/{tid}"),
    ):
        assert res.status_code == 403 and res.json()["error"] == "TASKS_DISABLED", res.text


def test_a_task_from_a_transcript_line(team: Team) -> None:
    slug = _session(team.owner, team.space)
    speaker = add_participant(slug, "Mo Member", user_id=team.member_id)
    (seg,) = add_segments(slug, [(75.0, speaker, "Mo will send the budget by Friday")])
    res = team.owner.post(
        "/api/tasks",
        json={"title": "Send the budget", "sessionSlug": slug, "segmentId": seg},
    )
    assert res.status_code == 201, res.text
    task = res.json()["task"]
    assert task["spaceId"] == team.space  # no spaceId: the session's space
    assert task["source"] == {
        "sessionSlug": slug,
        "segmentId": seg,
        "quote": "Mo will send the budget by Friday",
        "speaker": "Mo Member",
        "at": pytest.approx(75.0, abs=0.01),
    }
    # The segment alone names its session.
    res = team.member.post(
        "/api/tasks", json={"spaceId": team.space, "title": "again", "segmentId": seg}
    )
    assert res.status_code == 201 and res.json()["task"]["source"]["sessionSlug"] == slug


def test_a_segment_from_another_space_is_refused(team: Team) -> None:
    # The owner is a member of both spaces, and still cannot link a line of one to the other.
    other = team.owner.post(
        "/api/spaces", json={"name": "Elsewhere", "mode": "SESSIONS_AND_TASKS"}
    ).json()["space"]["id"]
    foreign_slug = _session(team.owner, other)
    (foreign,) = add_segments(foreign_slug, [(1.0, None, "said elsewhere")])
    home_slug = _session(team.owner, team.space)
    for body in (
        {"segmentId": foreign},
        {"sessionSlug": foreign_slug, "segmentId": foreign},
        {"sessionSlug": home_slug, "segmentId": foreign},
        {"segmentId": "nope"},
    ):
        res = team.owner.post("/api/tasks", json={"spaceId": team.space, "title": "x", **body})
        assert res.status_code == 404 and res.json()["error"] == "SEGMENT_NOT_FOUND", body
    res = team.owner.post(
        "/api/tasks", json={"spaceId": team.space, "title": "x", "sessionSlug": foreign_slug}
    )
    assert res.status_code == 404 and res.json()["error"] == "SESSION_NOT_FOUND"
    # The control: the same line is accepted in its own space.
    res = team.owner.post("/api/tasks", json={"spaceId": other, "title": "x", "segmentId": foreign})
    assert res.status_code == 201


def test_filters_and_cursor_pagination(team: Team) -> None:
    made = []
    for i in range(7):
        body = {"spaceId": team.space, "title": f"t{i}", "status": "DONE" if i % 2 else "TODO"}
        if i % 3 == 0:
            body["assigneeId"] = team.member_id
        made.append(team.owner.post("/api/tasks", json=body).json()["task"]["id"])
    seen, cursor = [], None
    while True:
        params = {"spaceId": team.space, "limit": 3, **({"cursor": cursor} if cursor else {})}
        page = team.member.get("/api/tasks", params=params).json()
        assert len(page["tasks"]) <= 3
        seen += [t["id"] for t in page["tasks"]]
        cursor = page["nextCursor"]
        if not cursor:
            break
    assert seen == list(reversed(made))  # newest first, each once
    done = team.member.get("/api/tasks", params={"spaceId": team.space, "status": "DONE"}).json()
    assert {t["title"] for t in done["tasks"]} == {"t1", "t3", "t5"}
    mine = team.member.get(
        "/api/tasks", params={"spaceId": team.space, "assigneeId": team.member_id}
    ).json()
    assert {t["title"] for t in mine["tasks"]} == {"t0", "t3", "t6"}


def test_overdue(team: Team) -> None:
    past = (date.today() - timedelta(days=2)).isoformat()
    task = team.owner.post(
        "/api/tasks", json={"spaceId": team.space, "title": "late", "dueDate": past}
    ).json()["task"]
    assert task["overdue"] is True
    done = team.owner.patch(f"/api/tasks/{task['id']}", json={"status": "DONE"}).json()["task"]
    assert done["overdue"] is False


def test_tasks_follow_the_space_mode(signed_in) -> None:
    """GET /api/tasks answers only in spaces whose mode includes tasks, as the seed did."""
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
