"""Tasks: the seed ships a placeholder that only answers in spaces whose mode includes tasks.

There is no task table yet; the service checks access and the mode so that the page and the
API already behave as they will once tasks exist.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session as DbSession

from rooms.core import spaces
from rooms.core.errors import Forbidden
from rooms.core.models import Space, SpaceMode, User


@dataclass(frozen=True)
class TaskItem:
    id: str
    title: str
    done: bool


@dataclass(frozen=True)
class TaskBoard:
    space: Space
    tasks: list[TaskItem] = field(default_factory=list)


def tasks_enabled(space: Space) -> bool:
    return space.mode == SpaceMode.SESSIONS_AND_TASKS


def get_board(db: DbSession, user: User, space_id: str | None = None) -> TaskBoard:
    """The tasks of one space (the active one by default) for a member of it."""
    if space_id is None:
        space = spaces.ensure_user_has_active_space(db, user)
    else:
        space = spaces.require_member(db, user, space_id).space
    if not tasks_enabled(space):
        raise Forbidden(
            "Tasks are not enabled in this space; its owner can switch the mode to "
            "SESSIONS_AND_TASKS.",
            code="TASKS_DISABLED",
        )
    return TaskBoard(space=space)
