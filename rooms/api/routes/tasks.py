"""Tasks of a space: list (cursor-paginated, filtered), create, edit, delete."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Query

from rooms.api.deps import CurrentUser, Db
from rooms.api.schemas import Body, ErrorOut, Out
from rooms.core import task_input, task_sources, tasks
from rooms.core.models import SpaceMode, Task, TaskStatus

router = APIRouter(
    prefix="/api/tasks",
    tags=["tasks"],
    responses={
        400: {"model": ErrorOut},
        401: {"model": ErrorOut},
        403: {"model": ErrorOut, "description": "TASKS_DISABLED: the space is SESSIONS_ONLY."},
        404: {"model": ErrorOut},
    },
)


class TaskSourceOut(Out):
    session_slug: str
    segment_id: str | None
    quote: str
    speaker: str
    at: float


class TaskOut(Out):
    id: str
    space_id: str
    title: str
    description: str | None
    status: TaskStatus
    done: bool  # the seed's field: status == DONE
    assignee_id: str | None
    created_by_id: str | None
    due_date: date | None
    overdue: bool
    source: TaskSourceOut | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, task: Task) -> TaskOut:
        source = task_sources.source_of(task)
        return cls(
            id=task.id,
            space_id=task.space_id,
            title=task.title,
            description=task.description,
            status=task.status,
            done=task.status == TaskStatus.DONE,
            assignee_id=task.assignee_id,
            created_by_id=task.created_by_user_id,
            due_date=task.due_date,
            overdue=tasks.is_overdue(task),
            source=TaskSourceOut(
                session_slug=source.session_slug,
                segment_id=source.segment_id,
                quote=source.quote,
                speaker=source.speaker,
                at=source.at,
            )
            if source
            else None,
            created_at=task.created_at,
            updated_at=task.updated_at,
        )


class TasksOut(Out):
    space_id: str
    mode: SpaceMode
    tasks: list[TaskOut]
    next_cursor: str | None = None  # pass as ?cursor= for the next page; null on the last

    @classmethod
    def of(cls, board: tasks.TaskBoard) -> TasksOut:
        return cls(
            space_id=board.space.id,
            mode=board.space.mode,
            tasks=[TaskOut.of(t) for t in board.tasks],
            next_cursor=board.next_cursor,
        )


class TaskEnvelope(Out):
    task: TaskOut


class TaskCreateIn(Body):
    title: str
    space_id: str | None = None
    description: str | None = None
    status: str | None = None
    assignee_id: str | None = None
    due_date: str | None = None  # YYYY-MM-DD
    session_slug: str | None = None
    segment_id: str | None = None


class TaskPatchIn(Body):
    """Only the fields sent change; null clears description, assigneeId or dueDate."""

    title: str | None = None
    description: str | None = None
    status: str | None = None
    assignee_id: str | None = None
    due_date: str | None = None


@router.get("", response_model=TasksOut)
def list_tasks(
    user: CurrentUser,
    db: Db,
    space_id: Annotated[str | None, Query(alias="spaceId", max_length=64)] = None,
    status: Annotated[str | None, Query(max_length=32)] = None,
    assignee_id: Annotated[str | None, Query(alias="assigneeId", max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=tasks.PAGE_MAX)] = tasks.PAGE_DEFAULT,
    cursor: Annotated[str | None, Query(max_length=512)] = None,
) -> TasksOut:
    board = tasks.list_tasks(
        db,
        user,
        space_id,
        status=task_input.parse_status(status) if status else None,
        assignee_id=assignee_id,
        limit=limit,
        cursor=cursor,
    )
    db.commit()  # the active space may just have been chosen for a user without one
    return TasksOut.of(board)


@router.post("", status_code=201, response_model=TaskEnvelope)
def create_task(body: TaskCreateIn, user: CurrentUser, db: Db) -> TaskEnvelope:
    task = tasks.create_task(
        db,
        user,
        tasks.NewTask(
            title=body.title,
            space_id=body.space_id,
            description=body.description,
            status=body.status,
            assignee_id=body.assignee_id,
            due_date=body.due_date,
            session_slug=body.session_slug,
            segment_id=body.segment_id,
        ),
    )
    db.commit()
    return TaskEnvelope(task=TaskOut.of(task))


@router.patch("/{task_id}", response_model=TaskEnvelope)
def update_task(task_id: str, body: TaskPatchIn, user: CurrentUser, db: Db) -> TaskEnvelope:
    changes = {name: getattr(body, name) for name in body.model_fields_set}
    task = tasks.update_task(db, user, task_id, changes)
    db.commit()
    return TaskEnvelope(task=TaskOut.of(task))


@router.delete("/{task_id}", status_code=204, response_model=None)
def delete_task(task_id: str, user: CurrentUser, db: Db) -> None:
    tasks.delete_task(db, user, task_id)
    db.commit()
