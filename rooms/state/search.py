"""The search page: a box, and ranked results across every space the viewer belongs to."""

from __future__ import annotations

import asyncio
import dataclasses

import reflex as rx

from rooms import routes
from rooms.core import i18n, search
from rooms.core.db import session_scope
from rooms.core.errors import InvalidInput, Unauthorized
from rooms.core.i18n import N_
from rooms.core.models import User
from rooms.state.auth import AuthState
from rooms.state.task_cards import speaker_label
from rooms.state.toasts import domain_error_text

PAGE_SIZE = 20


@dataclasses.dataclass
class SearchHit:
    id: str = ""
    title: str = ""
    space: str = ""
    speaker: str = ""
    initials: str = ""
    color: str = ""
    avatar: str = ""
    time: str = ""
    date: str = ""
    snippet: str = ""  # escaped, with <mark> around matches
    link: str = ""


def _run(
    user_id: str, q: str, cursor: str | None, locale: str = i18n.DEFAULT_LOCALE
) -> tuple[list[SearchHit], str, str]:
    """(results, next cursor, error message in the viewer's language)."""
    with session_scope() as db:
        user = db.get(User, user_id)
        if user is None:
            return [], "", domain_error_text(Unauthorized("Please sign in again."), locale)
        try:
            page = search.search(db, user, q, limit=PAGE_SIZE, cursor=cursor)
        except InvalidInput as exc:
            return [], "", domain_error_text(exc, locale)
        results = [
            SearchHit(
                id=h.segment_id,
                title=h.session_title
                or i18n.gettext(locale, N_("Session {slug}"), slug=h.session_slug),
                space=h.space_name,
                speaker=speaker_label(h.speaker.name, locale),
                initials=h.speaker.initials,
                color=h.speaker.color,
                avatar=h.speaker.avatar_url or "",
                time=h.time_label,
                date=i18n.format_date(h.started_at, locale),
                snippet=h.snippet_html,
                link=h.link,
            )
            for h in page.hits
        ]
        return results, page.next_cursor or "", ""


class SearchState(AuthState):
    query: str = ""
    searched_for: str = ""
    results: list[SearchHit] = []
    next_cursor: str = ""
    error: str = ""
    searching: bool = False

    @rx.var
    def no_results(self) -> bool:
        return bool(self.searched_for) and not self.results and not self.error

    async def _search(self, q: str, more: bool = False) -> None:
        q = q.strip()[: search.QUERY_MAX]
        if not q:
            self.results, self.searched_for, self.next_cursor, self.error = [], "", "", ""
            return
        self.searching = True
        cursor = self.next_cursor if more else None
        results, nxt, err = await asyncio.to_thread(_run, self._user_id, q, cursor, self.locale)
        self.results = [*self.results, *results] if more else results
        self.next_cursor, self.error, self.searched_for = nxt, err, q
        self.searching = False

    @rx.event
    async def load_page(self):
        if not await self._signed_in():
            return None
        self.query = self.router.url.query_parameters.get("q", "")
        self.next_cursor = ""
        await self._search(self.query)

    @rx.event
    async def refresh(self):
        """The viewer's spaces changed: what they may find did too."""
        self.next_cursor = ""
        await self._search(self.searched_for)

    @rx.event
    def set_query(self, value: str) -> None:
        self.query = value

    @rx.event
    async def submit(self, _form: dict | None = None):
        self.next_cursor = ""
        await self._search(self.query)
        # Keep the address shareable and the back button meaningful, without a reload.
        return rx.call_script(f"history.replaceState(null, '', {routes.search(self.query)!r})")

    @rx.event
    async def load_more(self):
        if self.next_cursor:
            await self._search(self.searched_for, more=True)
