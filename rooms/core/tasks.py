"""Tasks of a SESSIONS_AND_TASKS space, some made from a line of a session's transcript.

The rules, one function each, called by the REST routes and the Reflex handlers alike:
- `require_tasks_space`: members only (others: the space does not exist), and only in
  spaces whose mode includes tasks (TASKS_DISABLED otherwise);
- `check_assignee`: the assignee must be a member of the task's space;
- `task_sources.resolve_source`: a transcript line must belong to a session of the task's
  space;
- `require_task`: a task outside the caller's spaces does not exist for them;
- `check_may_delete`: its creator or the space owner deletes a task; any member edits.

Every change is announced to the space's open boards once it is committed
(rooms.core.task_feed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlmodel import Session as DbSession
from sqlmodel import and_, col, or_, select

from rooms.core import spaces, task_feed, task_input, task_sources
from rooms.core.errors import Forbidden, InvalidInput, NotFound
from rooms.core.identity import display_name
from rooms.core.models import (
    Session,
    Space,
    SpaceMember,
    SpaceMode,
    SpaceRole,
    Task,
    TaskStatus,
    TranscriptSegment,
    User,
    utcnow,
)
from rooms.core.transcripts import offset_seconds
from rooms.core.validation import clean_text, is_lookup_key

TITLE_MAX = task_sources.TITLE_MAX
PAGE_DEFAULT = 50
PAGE_MAX = 100


@dataclass(frozen=True)
class TaskBoard:
    space: Space
    tasks: list[Task] = field(default_factory=list)
    next_cursor: str | None = None


@dataclass(frozen=True)
class LineDraft:
    """A task about to be made from a transcript line: what the dialog is prefilled with."""

    space_id: str
    session_slug: str
    segment_id: str
    title: str
    quote: str
    speaker: str
    at: float
    assignee_id: str | None  # the speaker, when they are a member of the space


# --- the rules -------------------------------------------------------------------------------


def tasks_enabled(space: Space) -> bool:
    return space.mode == SpaceMode.SESSIONS_AND_TASKS


def require_tasks_space(db: DbSession, user: User, space_id: str | None) -> spaces.SpaceView:
    """The space (the active one by default) for a member, if its mode includes tasks."""
    if space_id is None:
        space = spaces.ensure_user_has_active_space(db, user)
        view = spaces.require_member(db, user, space.id)
    else:
        view = spaces.require_member(db, user, space_id)
    if not tasks_enabled(view.space):
        raise Forbidden(
            "Tasks are not enabled in this space; its owner can switch the mode to "
            "SESSIONS_AND_TASKS.",
            code="TASKS_DISABLED",
        )
    return view


def check_assignee(db: DbSession, space_id: str, assignee_id: str | None) -> str | None:
    if assignee_id is None or assignee_id == "":
        return None
    if not is_lookup_key(assignee_id) or spaces.membership(db, assignee_id, space_id) is None:
        raise InvalidInput(
            "The assignee must be a member of the space.", code="ASSIGNEE_NOT_MEMBER"
        )
    return assignee_id


def require_task(db: DbSession, user: User, task_id: str) -> tuple[Task, spaces.SpaceView]:
    task = db.get(Task, task_id) if is_lookup_key(task_id) else None
    member = spaces.membership(db, user.id, task.space_id) if task is not None else None
    if task is None or member is None:
        raise NotFound("Task not found.", code="TASK_NOT_FOUND")
    return task, require_tasks_space(db, user, task.space_id)


def check_may_delete(task: Task, user: User, view: spaces.SpaceView) -> None:
    if view.role == SpaceRole.OWNER or task.created_by_user_id == user.id:
        return
    raise Forbidden("Only the task's creator or the space owner can delete it.", "NOT_ALLOWED")


def may_delete(task: Task, user_id: str, role: SpaceRole) -> bool:
    return role == SpaceRole.OWNER or task.created_by_user_id == user_id


# --- reading ---------------------------------------------------------------------------


def is_overdue(task: Task, today: date | None = None) -> bool:
    today = today or utcnow().date()
    return task.due_date is not None and task.status != TaskStatus.DONE and task.due_date < today


def list_tasks(
    db: DbSession,
    user: User,
    space_id: str | None = None,
    *,
    status: TaskStatus | None = None,
    assignee_id: str | None = None,
    limit: int = PAGE_DEFAULT,
    cursor: str | None = None,
) -> TaskBoard:
    """One page of a space's tasks, newest first."""
    view = require_tasks_space(db, user, space_id)
    query = select(Task).where(Task.space_id == view.space.id)
    if status is not None:
        query = query.where(Task.status == status)
    if assignee_id:
        query = query.where(Task.assignee_id == assignee_id)
    if cursor:
        created_at, last_id = task_input.decode_cursor(cursor)
        query = query.where(
            or_(
                col(Task.created_at) < created_at,
                and_(col(Task.created_at) == created_at, col(Task.id) < last_id),
            )
        )
    limit = max(1, min(limit, PAGE_MAX))
    query = query.order_by(col(Task.created_at).desc(), col(Task.id).desc()).limit(limit + 1)
    rows = list(db.exec(query).all())
    more = len(rows) > limit
    rows = rows[:limit]
    return TaskBoard(
        view.space, rows, task_input.encode_cursor(rows[-1]) if more and rows else None
    )


def members(db: DbSession, space_id: str) -> list[tuple[str, str]]:
    """(user id, name) of everyone a task in this space may be assigned to."""
    rows = db.exec(
        select(User)
        .join(SpaceMember, col(SpaceMember.user_id) == col(User.id))
        .where(SpaceMember.space_id == space_id)
        .order_by(col(SpaceMember.created_at), col(SpaceMember.id))
    ).all()
    return [(u.id, display_name(u)) for u in rows]


def tasks_view_of_session(db: DbSession, user: User, session: Session) -> spaces.SpaceView | None:
    """The session's space as this user sees it, when they may make tasks from its lines
    (a member, in a space with tasks); None otherwise."""
    try:
        return require_tasks_space(db, user, session.space_id)
    except (NotFound, Forbidden):
        return None


def tasks_of_session(
    db: DbSession, user: User, session: Session
) -> tuple[spaces.SpaceView | None, list[Task]]:
    """Tasks made from this session's transcript, for whoever may make them."""
    view = tasks_view_of_session(db, user, session)
    if view is None:
        return None, []
    made = db.exec(
        select(Task)
        .where(Task.session_id == session.id)
        .order_by(col(Task.source_at), col(Task.created_at))
        .limit(PAGE_MAX)
    ).all()
    return view, list(made)


def draft_from_line(
    db: DbSession,
    user: User,
    slug: str,
    *,
    segment_id: str | None = None,
    utterance_id: str | None = None,
) -> LineDraft:
    """What "Make a task" on a line opens with. The live sidebar knows a line by its
    utterance id, the transcript page by its segment id."""
    session = db.exec(select(Session).where(Session.slug == slug.lower())).first()
    if session is None or spaces.membership(db, user.id, session.space_id) is None:
        raise NotFound("Session not found.", code="SESSION_NOT_FOUND")
    require_tasks_space(db, user, session.space_id)
    segment = None
    if segment_id and is_lookup_key(segment_id):
        segment = db.get(TranscriptSegment, segment_id)
    elif utterance_id and is_lookup_key(utterance_id, 128):
        segment = db.exec(
            select(TranscriptSegment).where(
                TranscriptSegment.session_id == session.id,
                TranscriptSegment.utterance_id == utterance_id,
            )
        ).first()
    if segment is None and utterance_id:
        # A caption becomes a saved line within about a second (the batch writer).
        raise NotFound(
            "This line is not saved yet; try again in a moment.", code="SEGMENT_NOT_FOUND"
        )
    if segment is None or segment.session_id != session.id:
        raise task_sources.segment_not_found()
    speaker, speaker_user = task_sources.speaker_of(db, segment)
    suggested = (
        speaker_user
        if speaker_user and spaces.membership(db, speaker_user, session.space_id)
        else None
    )
    return LineDraft(
        space_id=session.space_id,
        session_slug=session.slug,
        segment_id=segment.id,
        title=task_sources.title_from(segment.text),
        quote=segment.text,
        speaker=speaker,
        at=offset_seconds(session.created_at, segment.started_at),
        assignee_id=suggested,
    )


# --- writing -----------------------------------------------------------------------------


@dataclass(frozen=True)
class NewTask:
    title: str
    space_id: str | None = None
    description: str | None = None
    status: str | None = None
    assignee_id: str | None = None
    due_date: str | None = None
    session_slug: str | None = None
    segment_id: str | None = None


def _space_for(db: DbSession, user: User, new: NewTask) -> str | None:
    """No spaceId: a task about a session goes to that session's space when the caller is a
    member there; otherwise to the active space."""
    if new.space_id is not None:
        return new.space_id
    slug = new.session_slug
    session = None
    if new.segment_id and is_lookup_key(new.segment_id):
        segment = db.get(TranscriptSegment, new.segment_id)
        session = db.get(Session, segment.session_id) if segment else None
    elif slug and is_lookup_key(slug):
        session = db.exec(select(Session).where(Session.slug == slug.lower())).first()
    if session is not None and spaces.membership(db, user.id, session.space_id):
        return session.space_id
    return None


def create_task(db: DbSession, user: User, new: NewTask) -> Task:
    view = require_tasks_space(db, user, _space_for(db, user, new))
    space_id = view.space.id
    task = Task(
        space_id=space_id,
        title=clean_text(new.title, "Title", TITLE_MAX),
        description=task_input.clean_description(new.description),
        status=task_input.parse_status(new.status) if new.status else TaskStatus.TODO,
        assignee_id=check_assignee(db, space_id, new.assignee_id),
        due_date=task_input.parse_due_date(new.due_date),
        created_by_user_id=user.id,
    )
    source = task_sources.resolve_source(db, space_id, new.session_slug, new.segment_id)
    if source is not None:
        session, segment = source
        task.session_id, task.source_slug = session.id, session.slug
        if segment is not None:
            speaker, _ = task_sources.speaker_of(db, segment)
            task.segment_id = segment.id
            task.source_quote = segment.text
            task.source_speaker = speaker[:100]
            task.source_at = offset_seconds(session.created_at, segment.started_at)
    db.add(task)
    db.flush()
    task_feed.announce(db, space_id, task.id, "created")
    return task


EDITABLE = frozenset({"title", "description", "status", "assignee_id", "due_date"})


def update_task(db: DbSession, user: User, task_id: str, changes: dict[str, Any]) -> Task:
    """Apply the fields present in `changes` (None clears an optional field)."""
    unknown = set(changes) - EDITABLE
    if unknown:
        raise InvalidInput("Cannot change: {fields}.", fields=", ".join(sorted(unknown)))
    task, _ = require_task(db, user, task_id)
    if "title" in changes:
        if changes["title"] is None:
            raise InvalidInput("Title must not be empty.")
        task.title = clean_text(changes["title"], "Title", TITLE_MAX)
    if "description" in changes:
        task.description = task_input.clean_description(changes["description"])
    if "status" in changes:
        if changes["status"] is None:
            raise InvalidInput("status must not be empty.", code="INVALID_STATUS")
        task.status = task_input.parse_status(changes["status"])
    if "assignee_id" in changes:
        task.assignee_id = check_assignee(db, task.space_id, changes["assignee_id"])
    if "due_date" in changes:
        task.due_date = task_input.parse_due_date(changes["due_date"])
    task.updated_at = utcnow()
    db.add(task)
    db.flush()
    task_feed.announce(db, task.space_id, task.id, "updated")
    return task


def delete_task(db: DbSession, user: User, task_id: str) -> None:
    task, view = require_task(db, user, task_id)
    check_may_delete(task, user, view)
    space_id = task.space_id
    db.delete(task)
    db.flush()
    task_feed.announce(db, space_id, task_id, "deleted")
