"""The task dialog, shared by the Tasks page (new, edit), the transcript page and the live
transcript sidebar ("Make a task" on a line). Opening it asks rooms.core.tasks whether the
viewer may (a member of a space with tasks); saving asks again."""

from __future__ import annotations

import dataclasses
from typing import Any

import reflex as rx
from sqlmodel import Session as DbSession

from rooms.core import task_sources, tasks
from rooms.core.errors import DomainError
from rooms.core.models import TaskStatus, User
from rooms.core.transcripts import clock, link_to
from rooms.state.auth import AuthState
from rooms.state.followers import Followers
from rooms.state.task_cards import (
    UNASSIGNED,
    MemberOption,
    due_label,
    member_options,
    speaker_label,
)
from rooms.state.toasts import toast_domain_error, toast_ok

# The pages that list tasks refresh after a save (rooms/rooms.py registers them); other
# pages, and other people's, hear of it through the task feed.
TASK_CHANGES = Followers()
follow_task_changes = TASK_CHANGES.follow


@dataclasses.dataclass
class _Opened:
    space_id: str
    members: list[MemberOption]
    fields: dict[str, str]


def _members(db: DbSession, space_id: str) -> list[MemberOption]:
    return member_options(tasks.members(db, space_id))


def _blank(db: DbSession, user: User, space_id: str) -> _Opened:
    view = tasks.require_tasks_space(db, user, space_id or None)
    return _Opened(view.space.id, _members(db, view.space.id), {})


def _existing(db: DbSession, user: User, task_id: str) -> _Opened:
    task, view = tasks.require_task(db, user, task_id)
    source = task_sources.source_of(task)
    fields = {
        "title": task.title,
        "description": task.description or "",
        "status": task.status.value,
        "assignee": task.assignee_id or UNASSIGNED,
        "due": task.due_date.isoformat() if task.due_date else "",
        "due_label": due_label(task.due_date),
    }
    if source:
        fields |= {
            "quote": source.quote,
            "speaker": source.speaker,
            "at": clock(source.at),
            "link": source.link,
        }
    return _Opened(view.space.id, _members(db, view.space.id), fields)


def _from_line(db: DbSession, user: User, slug: str, segment_id: str, utterance_id: str):
    draft = tasks.draft_from_line(
        db, user, slug, segment_id=segment_id or None, utterance_id=utterance_id or None
    )
    fields = {
        "title": draft.title,
        "assignee": draft.assignee_id or UNASSIGNED,
        "quote": draft.quote,
        "speaker": draft.speaker,
        "at": clock(draft.at),
        "link": link_to(draft.session_slug, draft.at, draft.segment_id),
        "session_slug": draft.session_slug,
        "segment_id": draft.segment_id,
    }
    return _Opened(draft.space_id, _members(db, draft.space_id), fields)


def _save(db: DbSession, user: User, task_id: str, space_id: str, src: dict, form: dict) -> str:
    assignee = str(form.get("assignee") or "")
    values = {
        "title": str(form.get("title") or ""),
        "description": str(form.get("description") or ""),
        "status": str(form.get("status") or TaskStatus.TODO.value),
        "assignee_id": None if assignee in ("", UNASSIGNED) else assignee,
        "due_date": str(form.get("due") or "") or None,
    }
    if task_id:
        return tasks.update_task(db, user, task_id, values).id
    new = tasks.NewTask(
        space_id=space_id,
        session_slug=src.get("session_slug") or None,
        segment_id=src.get("segment_id") or None,
        **{k: values[k] for k in ("title", "description", "status", "assignee_id", "due_date")},
    )
    return tasks.create_task(db, user, new).id


class TaskDialogState(AuthState):
    dialog_open: bool = False
    editing_id: str = ""
    members: list[MemberOption] = []
    # The form's starting values; the dialog's content mounts afresh each time it opens.
    title: str = ""
    description: str = ""
    status: str = TaskStatus.TODO.value
    assignee: str = UNASSIGNED
    due: str = ""
    quote: str = ""
    speaker: str = ""
    at: str = ""
    link: str = ""
    saving: bool = False
    _space_id: str = ""
    _source: dict[str, str] = {}

    def _show(self, opened: _Opened, task_id: str = "") -> None:
        f = opened.fields
        self.editing_id, self._space_id, self.members = task_id, opened.space_id, opened.members
        self.title, self.description = f.get("title", ""), f.get("description", "")
        self.status = f.get("status", TaskStatus.TODO.value)
        self.assignee, self.due = f.get("assignee", UNASSIGNED), f.get("due", "")
        self.quote = f.get("quote", "")
        self.speaker = speaker_label(f.get("speaker", ""), self.locale)
        self.at, self.link = f.get("at", ""), f.get("link", "")
        self._source = {k: f[k] for k in ("session_slug", "segment_id") if k in f}
        self.saving = False
        self.dialog_open = True

    async def _open(self, work, *args: Any, task_id: str = ""):
        await self._refresh_viewer()
        try:
            opened = await self._as_user(work, *args)
        except DomainError as exc:
            return toast_domain_error(exc, self.locale)
        self._show(opened, task_id)
        return None

    @rx.event
    async def open_new(self, space_id: str):
        return await self._open(_blank, space_id)

    @rx.event
    async def open_edit(self, task_id: str):
        return await self._open(_existing, task_id, task_id=task_id)

    @rx.event
    async def open_from_line(self, slug: str, segment_id: str):
        """ "Make a task" on a line of the transcript page (known by its segment)."""
        return await self._open(_from_line, slug, segment_id, "")

    @rx.event
    async def open_from_caption(self, slug: str, utterance_id: str):
        """ "Make a task" on a line of the live sidebar (known by its utterance)."""
        return await self._open(_from_line, slug, "", utterance_id)

    @rx.event
    def set_dialog_open(self, value: bool):
        self.dialog_open = value

    @rx.event
    async def save(self, form: dict):
        self.saving = True
        yield
        try:
            await self._as_user(
                _save, self.editing_id, self._space_id, dict(self._source), dict(form)
            )
        except DomainError as exc:
            self.saving = False
            yield toast_domain_error(exc, self.locale)
            return
        self.saving = False
        self.dialog_open = False
        yield toast_ok(self._t("Task saved") if self.editing_id else self._t("Task created"))
        yield self._after_save()

    def _after_save(self):
        """The page that opened the dialog shows the change at once; other pages (and other
        people's) hear of it through the task feed."""
        return TASK_CHANGES.for_path(self.router.url.path)
