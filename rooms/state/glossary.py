"""The glossary dialog of the active space: members read its names and terms, the owner
edits them (one per line). A thin state: it reads through rooms.core.glossary.view and
writes through set_terms (the same functions as GET/PUT /api/spaces/{id}/glossary), in a
worker thread, and turns a DomainError into a toast."""

from __future__ import annotations

import reflex as rx
from sqlmodel import Session as DbSession

from rooms.core import glossary
from rooms.core.errors import DomainError
from rooms.core.models import User
from rooms.state.spaces import SpacesState
from rooms.state.toasts import toast_domain_error, toast_ok


def _save(db: DbSession, user: User, space_id: str, text: str) -> glossary.GlossaryView:
    return glossary.set_terms(db, user, space_id, text.splitlines())


class SpaceGlossaryState(SpacesState):
    # `glossary_open` is SpacesState's, which closes every dialog on a page load.
    glossary_terms: list[str] = []
    glossary_can_edit: bool = False
    glossary_saving: bool = False

    @rx.var
    def glossary_text(self) -> str:
        return "\n".join(self.glossary_terms)

    def _show(self, view: glossary.GlossaryView) -> None:
        self.glossary_terms, self.glossary_can_edit = view.terms, view.can_edit

    @rx.event
    async def open_glossary(self):
        try:
            self._show(await self._as_user(glossary.view, self.active_space_id))
        except DomainError as exc:
            self.glossary_terms, self.glossary_can_edit = [], False
            return toast_domain_error(exc, self.locale)
        self.glossary_open = True
        return None

    @rx.event
    def set_glossary_open(self, value: bool):
        self.glossary_open = value

    @rx.event
    async def save_glossary(self, form: dict):
        self.glossary_saving = True
        yield
        try:
            view = await self._as_user(_save, self.active_space_id, str(form.get("terms", "")))
        except DomainError as exc:
            self.glossary_saving = False
            yield toast_domain_error(exc, self.locale)
            return
        self._show(view)
        self.glossary_saving = False
        self.glossary_open = False
        yield toast_ok("Glossary saved")
