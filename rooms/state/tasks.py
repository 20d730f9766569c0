"""/tasks: the active space's tasks as a board (To do / In progress / Done) or a list,
filtered by status and assignee, a page at a time, and kept current while others change
them (rooms.core.task_feed: a message says "changed", the board reads again as its viewer).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses

import reflex as rx
from sqlmodel import Session as DbSession

from rooms import routes
from rooms.core import i18n, task_feed, task_input, task_sources, tasks
from rooms.core.db import session_scope
from rooms.core.errors import DomainError, Unauthorized
from rooms.core.models import TaskStatus, User
from rooms.state.auth import HOME_ROUTE
from rooms.state.page_presence import PageWatch
from rooms.state.spaces import SpacesState
from rooms.state.task_cards import MemberOption, TaskCard, card_of, member_options
from rooms.state.toasts import toast_domain_error, toast_ok

PAGE = 25  # cards per column (and per page of the list) before "Show more"
ALL = "all"  # the filters' value for "any"
LIST = "list"  # the list view's key in the cursors
COLUMNS = {
    TaskStatus.TODO.value: "todo",
    TaskStatus.IN_PROGRESS.value: "doing",
    TaskStatus.DONE.value: "done",
}
FEED_CHECK_SECONDS = 10.0  # how soon an idle listener notices its page moved away (and ends)


@dataclasses.dataclass
class Query:
    space_id: str
    view: str
    status: str  # ALL or a TaskStatus value
    assignee: str  # ALL or a user id
    sizes: dict[str, int]  # per column (or LIST): how many cards are shown now
    locale: str = i18n.DEFAULT_LOCALE  # the viewer's: cards carry translated labels, dates


@dataclasses.dataclass
class Snapshot:
    cards: dict[str, list[TaskCard]]  # column key (or LIST) -> cards
    cursors: dict[str, str]
    members: list[MemberOption]


def load(db: DbSession, user: User, q: Query, cursor_of: dict[str, str] | None = None) -> Snapshot:
    """One read of what the page shows: each wanted column's first cards (as many as are
    shown now, at least a page), or the next page of one column when `cursor_of` names it."""
    view = tasks.require_tasks_space(db, user, q.space_id or None)
    space_id = view.space.id
    member_rows = tasks.members(db, space_id)
    names = dict(member_rows)
    status = None if q.status == ALL else task_input.parse_status(q.status)
    assignee = None if q.assignee == ALL else q.assignee
    if q.view == LIST:
        wanted: dict[str, TaskStatus | None] = {LIST: status}
    else:
        wanted = {
            key: TaskStatus(value)
            for value, key in COLUMNS.items()
            if status is None or status.value == value
        }
    if cursor_of:
        wanted = {k: v for k, v in wanted.items() if cursor_of.get(k)}
    boards = {
        key: tasks.list_tasks(
            db,
            user,
            space_id,
            status=st,
            assignee_id=assignee,
            limit=max(PAGE, min(q.sizes.get(key, PAGE), tasks.PAGE_MAX)),
            cursor=(cursor_of or {}).get(key),
        )
        for key, st in wanted.items()
    }
    slugs = {t.source_slug for b in boards.values() for t in b.tasks if t.source_slug}
    titles = task_sources.session_titles(db, slugs)
    return Snapshot(
        cards={
            key: [card_of(t, names, user.id, view.role, titles, locale=q.locale) for t in b.tasks]
            for key, b in boards.items()
        },
        cursors={key: b.next_cursor or "" for key, b in boards.items()},
        members=member_options(member_rows),
    )


def _load_as(user_id: str, q: Query, cursor_of: dict[str, str] | None = None) -> Snapshot:
    with session_scope() as db:
        user = db.get(User, user_id) if user_id else None
        if user is None:
            raise Unauthorized("Please sign in again.")
        return load(db, user, q, cursor_of)


class TasksState(SpacesState):
    view: str = "board"  # "board" or LIST
    status_filter: str = ALL
    assignee_filter: str = ALL
    todo: list[TaskCard] = []
    doing: list[TaskCard] = []
    done: list[TaskCard] = []
    rows: list[TaskCard] = []  # the list view
    more: dict[str, bool] = {}
    task_members: list[MemberOption] = []
    tasks_loaded: bool = False
    loading_more: str = ""
    task_delete_open: bool = False
    task_delete_id: str = ""
    task_delete_title: str = ""
    _cursors: dict[str, str] = {}
    _feed_space: str = ""

    def _query(self) -> Query:
        sizes = {key: len(getattr(self, key)) for key in COLUMNS.values()}
        sizes[LIST] = len(self.rows)
        return Query(
            self.active_space_id,
            self.view,
            self.status_filter,
            self.assignee_filter,
            sizes,
            self.locale,
        )

    def _apply(self, snap: Snapshot, append: bool = False) -> None:
        for key, cards in snap.cards.items():
            target = "rows" if key == LIST else key
            setattr(self, target, [*getattr(self, target), *cards] if append else cards)
            self._cursors[key] = snap.cursors[key]
        if not append:
            for key in [*COLUMNS.values(), LIST]:
                if key not in snap.cards:
                    setattr(self, "rows" if key == LIST else key, [])
                    self._cursors[key] = ""
        self.more = {k: bool(v) for k, v in self._cursors.items()}
        self.task_members = snap.members
        self.tasks_loaded = True

    def _clear(self) -> None:
        self.todo, self.doing, self.done, self.rows = [], [], [], []
        self._cursors, self.more, self.task_members = {}, {}, []

    async def _reload_tasks(self):
        try:
            snap = await asyncio.to_thread(_load_as, self._user_id, self._query())
        except DomainError as exc:
            self._clear()
            self.tasks_loaded = True
            return toast_domain_error(exc, self.locale)
        self._apply(snap)
        return None

    @rx.event
    async def load_board(self):
        """on_load, after SpacesState.load_spaces; a space without tasks has no board."""
        if not await self._signed_in():
            return None
        if not self.tasks_enabled:
            return rx.redirect(HOME_ROUTE)
        self.task_delete_open = False
        self.tasks_loaded = False
        self._clear()
        failed = await self._reload_tasks()
        return failed or TasksState.listen

    @rx.event
    async def refresh(self):
        """The space changed (another was chosen), or a dialog saved a task."""
        if not self.tasks_enabled:
            return rx.redirect(HOME_ROUTE)
        failed = await self._reload_tasks()
        return failed or TasksState.listen

    async def _refilter(self):
        self._clear()
        return await self._reload_tasks()

    @rx.event
    async def set_view(self, value: str | list[str]):
        self.view = LIST if value == LIST else "board"
        return await self._refilter()

    @rx.event
    async def set_status_filter(self, value: str):
        self.status_filter = value if value in COLUMNS else ALL
        return await self._refilter()

    @rx.event
    async def set_assignee_filter(self, value: str):
        self.assignee_filter = value if any(m.id == value for m in self.task_members) else ALL
        return await self._refilter()

    @rx.event
    async def load_more(self, column: str):
        cursor = self._cursors.get(column, "")
        if not cursor:
            return
        self.loading_more = column
        yield
        try:
            snap = await asyncio.to_thread(_load_as, self._user_id, self._query(), {column: cursor})
        except DomainError as exc:
            self.loading_more = ""
            yield toast_domain_error(exc, self.locale)
            return
        self._apply(snap, append=True)
        self.loading_more = ""

    @rx.event
    async def move(self, task_id: str, status: str):
        try:
            await self._as_user(tasks.update_task, task_id, {"status": status})
        except DomainError as exc:
            return toast_domain_error(exc, self.locale)
        return await self._reload_tasks()

    @rx.event
    def ask_delete(self, task_id: str, title: str):
        self.task_delete_id, self.task_delete_title, self.task_delete_open = task_id, title, True

    @rx.event
    def set_task_delete_open(self, value: bool):
        self.task_delete_open = value

    @rx.event
    async def confirm_delete(self):
        self.task_delete_open = False
        try:
            await self._as_user(tasks.delete_task, self.task_delete_id)
        except DomainError as exc:
            return toast_domain_error(exc, self.locale)
        failed = await self._reload_tasks()
        return failed or toast_ok(self._t("Task deleted"))

    @rx.event(background=True)
    async def listen(self):
        """Reads the board again whenever the space's tasks change (anyone's change, on any
        worker); one listener per tab, for the space the page shows."""
        async with self:
            space_id = self.active_space_id
            if not space_id or self._feed_space == space_id or not self.tasks_enabled:
                return
            self._feed_space = space_id
            page = PageWatch.of(self)
        sub = await task_feed.subscribe(space_id)
        try:
            while True:
                try:
                    await asyncio.wait_for(sub.get(), FEED_CHECK_SECONDS)
                    changed = True
                except TimeoutError:
                    changed = False
                while not sub.queue.empty():  # a burst of changes: one read
                    sub.queue.get_nowait()
                if await page.gone():
                    return
                async with self:
                    here = routes.is_tasks(self.router.url.path)
                    if self._feed_space != space_id or self.active_space_id != space_id:
                        return
                    if not here:
                        return
                    if not changed:
                        continue
                    user_id, query = self._user_id, self._query()
                try:
                    snap = await asyncio.to_thread(_load_as, user_id, query)
                except DomainError:
                    async with self:
                        self._clear()
                    return
                async with self:
                    if self._feed_space == space_id and self.active_space_id == space_id:
                        self._apply(snap)
        finally:
            sub.close()
            with contextlib.suppress(Exception):
                async with self:
                    if self._feed_space == space_id:
                        self._feed_space = ""
