"""The transcript page: the whole transcript of a session, opened at a moment with `?t=`."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import reflex as rx
from sqlmodel import Session as DbSession
from sqlmodel import select

from rooms import routes
from rooms.core import access, caption_languages, exports, i18n, tasks, transcripts
from rooms.core.db import session_scope
from rooms.core.errors import NotFound
from rooms.core.models import Session, User
from rooms.state.auth import AuthState
from rooms.state.task_cards import TaskCard, card_of


@dataclass
class TranscriptLine:
    id: str = ""
    anchor: str = ""  # the element id, "seg-<id>": `#seg-<id>` links open on it
    start: str = ""  # whole seconds, for `?t=`
    time: str = ""
    speaker: str = ""
    initials: str = ""
    color: str = ""
    avatar: str = ""
    text: str = ""  # in the chosen language where translated, else as spoken
    original: str = ""  # as spoken, when `text` is a translation


ORIGINAL = "original"  # the language picker's value for "as spoken"


@dataclass(frozen=True)
class _Loaded:
    title: str | None
    status: str
    lines: list[TranscriptLine]
    plain_text: str
    can_make_tasks: bool
    tasks: list[TaskCard]
    translations: tuple[str, ...]
    language: str


def _load(user_id: str, slug: str, language: str, locale: str) -> _Loaded | None:
    """The transcript as this user may read it, its lines in `language` where translated
    (a language it has no translations in falls back to the original); the copied text's
    headers in the UI `locale`."""
    with session_scope() as db:
        user = db.get(User, user_id)
        if user is None:
            return None
        try:
            t = transcripts.load(db, access.Reader(user=user), slug)
        except NotFound:
            return None
        t = caption_languages.translated(db, t, "")
        if language in t.translations:
            t = caption_languages.translated(db, t, language)
        else:
            language = ORIGINAL
        lines = [
            TranscriptLine(
                id=x.segment_id,
                anchor=f"seg-{x.segment_id}",
                start=str(int(x.start)),
                time=transcripts.clock(x.start),
                speaker=x.speaker.name,
                initials=x.speaker.initials,
                color=x.speaker.color,
                avatar=x.speaker.avatar_url or "",
                text=x.translation or x.text,
                original=x.text if x.translation else "",
            )
            for x in t.lines
        ]
        text = exports.render(t, exports.FORMATS["txt"], locale)
        can_make, made = _session_tasks(db, user, slug)
        return _Loaded(
            t.session.title,
            str(t.session.status.value),
            lines,
            text,
            can_make,
            made,
            t.translations,
            language,
        )


def _session_tasks(db: DbSession, user: User, slug: str) -> tuple[bool, list[TaskCard]]:
    """Whether this viewer may make tasks from the lines, and the tasks made from them."""
    session = db.exec(select(Session).where(Session.slug == slug)).first()
    if session is None:
        return False, []
    view, made = tasks.tasks_of_session(db, user, session)
    if view is None:
        return False, []
    names = dict(tasks.members(db, view.space.id))
    titles = {session.slug: session.title or ""}
    return True, [card_of(t, names, user.id, view.role, titles) for t in made]


def _tasks_only(user_id: str, slug: str) -> tuple[bool, list[TaskCard]]:
    with session_scope() as db:
        user = db.get(User, user_id)
        return _session_tasks(db, user, slug) if user else (False, [])


def _scroll_to(anchor: str) -> rx.event.EventSpec:
    """Scroll a line to the middle of the screen once React has rendered it (the lines
    arrive in the same update that asks for the scroll)."""
    return rx.call_script(
        f"""(function tryScroll(left) {{
  const el = document.getElementById({anchor!r});
  if (el) {{ el.scrollIntoView({{block: "center"}}); return; }}
  if (left > 0) setTimeout(() => tryScroll(left - 1), 50);
}})(60)"""
    )


class TranscriptPageState(AuthState):
    slug: str = ""
    title: str = ""
    status: str = ""
    lines: list[TranscriptLine] = []
    focus_id: str = ""
    loaded: bool = False
    found: bool = False
    jump_to: str = ""
    copied: bool = False
    can_make_tasks: bool = False
    session_tasks: list[TaskCard] = []
    # The language the lines read in (ORIGINAL, or one the transcript has translations in)
    # and the picker's items: the original, then those languages in the viewer's words.
    language: str = ORIGINAL
    language_choices: list[dict[str, str]] = []
    _plain_text: str = ""

    @rx.var
    def export_language(self) -> str:
        """What the download links add so the file reads in the chosen language."""
        return "" if self.language == ORIGINAL else f"&language={self.language}"

    @rx.var
    def has_lines(self) -> bool:
        return len(self.lines) > 0

    def _focus(self, seconds: int | None):
        """The line being said at that moment (the last one started by then)."""
        if seconds is None or not self.lines:
            self.focus_id = ""
            return None
        chosen = self.lines[0].id
        for line in self.lines:
            if int(line.start) > seconds:
                break
            chosen = line.id
        self.focus_id = chosen
        return _scroll_to(f"seg-{chosen}")

    @rx.event
    async def load_page(self):
        if not await self._signed_in():
            return None
        url = self.router.url
        self.slug = routes.slug_from_path(url.path)
        self.loaded, self.copied, self.jump_to = False, False, ""
        await self._reload()
        fragment = url.fragment or ""
        wanted = fragment[4:] if fragment.startswith("seg-") else ""
        if wanted and any(line.id == wanted for line in self.lines):
            self.focus_id = wanted
            return _scroll_to(fragment)
        return self._focus(routes.t_seconds(url.query_parameters.get("t")))

    async def _reload(self) -> None:
        loaded = await asyncio.to_thread(
            _load, self._user_id, self.slug, self.language, self.locale
        )
        self.found = loaded is not None
        self.title = (loaded.title or self._t("Session {slug}", slug=self.slug)) if loaded else ""
        self.language = loaded.language if loaded else ORIGINAL
        self.language_choices = [{"value": ORIGINAL, "label": self._t("Original")}] + [
            {"value": code, "label": i18n.language_name(code, self.locale)}
            for code in (loaded.translations if loaded else ())
        ]
        self.status = loaded.status if loaded else ""
        self.lines = loaded.lines if loaded else []
        self._plain_text = loaded.plain_text if loaded else ""
        self.can_make_tasks = loaded.can_make_tasks if loaded else False
        self.session_tasks = loaded.tasks if loaded else []
        self.loaded = True
        if self.focus_id and not any(line.id == self.focus_id for line in self.lines):
            self.focus_id = ""

    @rx.event
    async def pick_language(self, value: str):
        """The lines (and the downloads) in this translation, or as spoken."""
        value = str(value or "")[:16]
        if value != ORIGINAL and value not in caption_languages.CHOICES:
            return
        self.language = value
        await self._reload()

    @rx.event
    async def refresh(self):
        """The viewer's spaces changed: this session may no longer be theirs to read."""
        await self._reload()

    @rx.event
    async def refresh_tasks(self):
        """A task was just made from one of the lines."""
        if not self.found:
            return
        self.can_make_tasks, self.session_tasks = await asyncio.to_thread(
            _tasks_only, self._user_id, self.slug
        )

    @rx.event
    def set_jump_to(self, value: str) -> None:
        self.jump_to = value

    @rx.event
    def jump(self, _form: dict | None = None):
        return self._focus(routes.t_seconds(self.jump_to))

    @rx.event
    def open_line(self, line_id: str):
        self.focus_id = line_id
        return _scroll_to(f"seg-{line_id}")

    @rx.event
    def copy_all(self):
        self.copied = True
        return rx.set_clipboard(self._plain_text)
