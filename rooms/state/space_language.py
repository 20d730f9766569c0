"""The transcription dialog of the active space: members read its language and code-switching
setting, the owner changes them. A thin state: it reads through rooms.core.space_language.view
and writes through update (the same functions as GET/PATCH /api/spaces/{id}/transcription), in
a worker thread, and turns a DomainError into a toast."""

from __future__ import annotations

import asyncio

import reflex as rx
from sqlmodel import Session as DbSession

from rooms.core import i18n, space_language
from rooms.core.errors import DomainError
from rooms.core.models import User
from rooms.state.spaces import SpacesState
from rooms.state.toasts import toast_domain_error, toast_ok

AUTO = "auto"  # the select's value for auto-detect (a select item cannot have an empty value)


def _save(db: DbSession, user: User, space_id: str, form: dict) -> space_language.LanguageView:
    language = str(form.get("language") or "")
    switching = form.get("code_switching") in (True, "on", "true")
    return space_language.update(
        db, user, space_id, None if language == AUTO else language, switching
    )


class SpaceLanguageState(SpacesState):
    # `language_open` is SpacesState's, which closes every dialog on a page load.
    language_code: str = AUTO
    language_code_switching: bool = False
    language_can_edit: bool = False
    language_saving: bool = False
    language_english_only_model: bool = False

    @rx.var
    def language_label(self) -> str:
        if self.language_code == AUTO:
            return self._t("Auto-detect")
        return i18n.language_name(self.language_code, self.locale)

    @rx.var
    def language_choices(self) -> list[dict[str, str]]:
        """The languages a space may pick, named in the viewer's language."""
        return [
            {"value": code, "label": i18n.language_name(code, self.locale)}
            for code in space_language.LANGUAGES
        ]

    def _show(self, view: space_language.LanguageView) -> None:
        self.language_code = view.language or AUTO
        self.language_code_switching = view.code_switching
        self.language_can_edit = view.can_edit

    @rx.event
    async def open_language(self):
        try:
            self._show(await self._as_user(space_language.view, self.active_space_id))
        except DomainError as exc:
            self.language_code, self.language_can_edit = AUTO, False
            return toast_domain_error(exc, self.locale)
        # Reads a file of the model directory the first time (cached): off the event loop.
        self.language_english_only_model = await asyncio.to_thread(
            space_language.local_model_english_only
        )
        self.language_open = True
        return None

    @rx.event
    def set_language_open(self, value: bool):
        self.language_open = value

    @rx.event
    async def save_language(self, form: dict):
        self.language_saving = True
        yield
        try:
            view = await self._as_user(_save, self.active_space_id, form)
        except DomainError as exc:
            self.language_saving = False
            yield toast_domain_error(exc, self.locale)
            return
        self._show(view)
        self.language_saving = False
        self.language_open = False
        yield toast_ok(self._t("Transcription language saved"))
