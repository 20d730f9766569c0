"""The room's agenda card: what the session is for, and its editor for the creator.

A thin state: it reads through rooms.core.agenda.view and writes through set_agenda (the
same function as PUT /api/sessions/{slug}/agenda), in a worker thread, and turns a
DomainError into a toast.
"""

from __future__ import annotations

import asyncio

import reflex as rx

from rooms.core import agenda
from rooms.core.db import session_scope
from rooms.core.errors import DomainError
from rooms.core.models import User
from rooms.state.room import RoomState
from rooms.state.toasts import toast_domain_error, toast_ok


def _view(slug: str, user_id: str) -> agenda.AgendaView:
    with session_scope() as db:
        user = db.get(User, user_id) if user_id else None
        return agenda.view(db, user, slug)


class AgendaState(RoomState):
    agenda_text: str = ""
    can_edit_agenda: bool = False
    agenda_editor_open: bool = False
    agenda_saving: bool = False

    async def _reload_agenda(self) -> None:
        view = await asyncio.to_thread(_view, self.slug, self._user_id)
        self.agenda_text, self.can_edit_agenda = view.text, view.can_edit

    @rx.event
    async def load_agenda(self):
        """The card's on_mount: the room is open, so the slug is known."""
        try:
            await self._reload_agenda()
        except DomainError:
            self.agenda_text, self.can_edit_agenda = "", False

    @rx.event
    def set_agenda_editor_open(self, value: bool):
        self.agenda_editor_open = value

    @rx.event
    async def save_agenda(self, form: dict):
        self.agenda_saving = True
        yield
        try:
            await self._as_user(agenda.set_agenda, self.slug, str(form.get("agenda", "")))
        except DomainError as exc:
            self.agenda_saving = False
            yield toast_domain_error(exc, self.locale)
            return
        await self._reload_agenda()
        self.agenda_saving = False
        self.agenda_editor_open = False
        yield toast_ok(self._t("Agenda saved"))
