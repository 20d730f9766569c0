"""A member's open board follows changes made elsewhere (issue 17), on the app running with
Redis: the change is made through the REST API, announced once committed on the task feed
(Redis pub/sub, as from another worker), and the board reads the tasks again as its viewer.
A signed-in stranger whose own board is open meanwhile receives nothing of it."""

from __future__ import annotations

import asyncio

import httpx

from rooms.state.spaces import SpacesState
from rooms.state.tasks import TasksState
from tests.support.reflex_socket import ReflexSocket, handler_name
from tests.support.world import TASK_TITLE, make_world, signed_in_cookie

LIVE = "livetasksecret"


async def _open_board(sock: ReflexSocket) -> None:
    await sock.emit(handler_name(SpacesState, "load_spaces"), {}, "/tasks")
    await sock.emit(handler_name(TasksState, "load_board"), {}, "/tasks")


def _client(base: str, cookie: str) -> httpx.Client:
    c = httpx.Client(base_url=base, timeout=30)
    c.headers["Cookie"] = cookie
    return c


def test_an_open_board_follows_changes_made_elsewhere(socket_app: str) -> None:
    world = make_world(socket_app)
    stranger = signed_in_cookie(socket_app, "Stranger")
    with _client(socket_app, world.cookies["member"]) as member:
        assert member.post(f"/api/spaces/{world.space_id}/set-active").status_code == 200
    with _client(socket_app, stranger) as c:
        mine = c.get("/api/spaces").json()["activeSpaceId"]
        c.patch(f"/api/spaces/{mine}/mode", json={"mode": "SESSIONS_AND_TASKS"})

    async def go() -> tuple[str, str]:
        async with (
            ReflexSocket(socket_app, world.cookies["member"]) as board,
            ReflexSocket(socket_app, stranger) as other,
        ):
            await _open_board(board)
            await _open_board(other)
            assert await board.wait_for(TASK_TITLE), "control: the board shows the space's task"
            await asyncio.sleep(1.5)  # both listeners subscribed
            before = len(board.frames)
            with _client(socket_app, world.cookies["owner"]) as owner:
                res = owner.post("/api/tasks", json={"spaceId": world.space_id, "title": LIVE})
                assert res.status_code == 201, res.text
            assert await board.wait_for(LIVE), "the open board did not get the new task"
            await other.settle(quiet=1.5)
            return "\n".join(board.frames[before:]), other.received

    after, stranger_saw = asyncio.run(go())
    assert LIVE in after
    assert LIVE not in stranger_saw and TASK_TITLE not in stranger_saw
    assert "tasks_state" in stranger_saw  # its board did load (its own, empty one)
