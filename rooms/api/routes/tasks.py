"""Tasks of a space (the seed's placeholder, gated by the space mode)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from rooms.api.deps import CurrentUser, Db
from rooms.api.schemas import ErrorOut, Out
from rooms.core import tasks
from rooms.core.models import SpaceMode

router = APIRouter(prefix="/api/tasks", tags=["tasks"])


class TaskOut(Out):
    id: str
    title: str
    done: bool


class TasksOut(Out):
    space_id: str
    mode: SpaceMode
    tasks: list[TaskOut]

    @classmethod
    def of(cls, board: tasks.TaskBoard) -> TasksOut:
        return cls(
            space_id=board.space.id,
            mode=board.space.mode,
            tasks=[TaskOut(id=t.id, title=t.title, done=t.done) for t in board.tasks],
        )


@router.get(
    "",
    response_model=TasksOut,
    responses={
        400: {"model": ErrorOut},
        401: {"model": ErrorOut},
        403: {"model": ErrorOut, "description": "TASKS_DISABLED: the space is SESSIONS_ONLY."},
        404: {"model": ErrorOut},
    },
)
def list_tasks(
    user: CurrentUser,
    db: Db,
    space_id: Annotated[str | None, Query(alias="spaceId", max_length=64)] = None,
) -> TasksOut:
    board = tasks.get_board(db, user, space_id)
    db.commit()
    return TasksOut.of(board)
