"""The signed-in user's spaces: the switcher's list, the active one, and owner actions."""

from __future__ import annotations

import dataclasses

import reflex as rx
from reflex.event import EventHandler
from sqlmodel import Session as DbSession

from rooms.core import i18n, spaces
from rooms.core.errors import DomainError
from rooms.core.i18n import N_
from rooms.core.models import SpaceMode, SpaceRole, User
from rooms.state.auth import AuthState
from rooms.state.followers import Followers
from rooms.state.toasts import toast_domain_error, toast_ok

# English ids: components show them with t(label), the state with self._t(label).
MODE_LABELS = {
    SpaceMode.SESSIONS_ONLY.value: N_("Sessions only"),
    SpaceMode.SESSIONS_AND_TASKS.value: N_("Sessions and tasks"),
}


@dataclasses.dataclass
class SpaceItem:
    id: str = ""
    name: str = ""
    role: str = ""
    mode: str = ""


# Each signed-in page's own refresh after the viewer's spaces changed (one chosen, created,
# renamed, deleted, left), by route: rooms/rooms.py registers them next to each page's on_load,
# so this base state knows none of the pages' states. Handlers inherited by a substate run on
# the class that defines them, so a page state could not simply override a hook here.
SPACE_CHANGES = Followers()
follow_space_changes = SPACE_CHANGES.follow


def _snapshot(db: DbSession, user: User) -> tuple[list[SpaceItem], str]:
    active = spaces.ensure_user_has_active_space(db, user)
    items = [
        SpaceItem(id=v.space.id, name=v.space.name, role=v.role.value, mode=v.space.mode.value)
        for v in spaces.list_spaces(db, user)
    ]
    return items, active.id


class SpacesState(AuthState):
    spaces: list[SpaceItem] = []
    active_space_id: str = ""
    create_open: bool = False
    settings_open: bool = False
    delete_open: bool = False
    members_open: bool = False  # the members dialog (rooms/state/members.py)
    glossary_open: bool = False  # the glossary dialog (rooms/state/glossary.py)
    language_open: bool = False  # the transcription dialog (rooms/state/space_language.py)

    @rx.var
    def active_space(self) -> SpaceItem:
        for item in self.spaces:
            if item.id == self.active_space_id:
                return item
        return SpaceItem()

    @rx.var
    def is_owner(self) -> bool:
        return self.active_space.role == SpaceRole.OWNER.value

    @rx.var
    def tasks_enabled(self) -> bool:
        return self.active_space.mode == SpaceMode.SESSIONS_AND_TASKS.value

    @rx.var
    def active_mode_label(self) -> str:
        label = MODE_LABELS.get(self.active_space.mode)
        # self.locale read here, not through _t(): Reflex tracks what a computed var reads.
        return i18n.gettext(self.locale, label) if label else ""

    async def _reload_spaces(self) -> None:
        self.spaces, self.active_space_id = await self._as_user(_snapshot)

    async def _after_space_change(self) -> EventHandler | None:
        """The current page's own refresh, as registered with follow_space_changes."""
        return SPACE_CHANGES.for_path(self.router.url.path)

    async def _run(
        self, work, *args, done: str | None = None, spend: str | None = None
    ) -> tuple[bool, list]:
        """One space action: call core, refresh the list, toast the outcome."""
        try:
            if spend:
                await self._spend(spend)
            await self._as_user(work, *args)
        except DomainError as exc:
            return False, [toast_domain_error(exc, self.locale)]
        await self._reload_spaces()
        follow = await self._after_space_change()
        return True, [*([toast_ok(done)] if done else []), *([follow] if follow else [])]

    @rx.event
    async def load_spaces(self):
        """on_load of the signed-in pages, after AuthState.require_login: the switcher's list."""
        # State outlives a page load (it is per tab): no dialog reopens by itself.
        self.create_open = self.settings_open = self.delete_open = self.members_open = False
        self.glossary_open = self.language_open = False
        if await self._signed_in():
            await self._reload_spaces()

    @rx.event
    async def select_space(self, space_id: str):
        if space_id == self.active_space_id:
            return None
        _, events = await self._run(spaces.set_active_space, space_id)
        return events

    @rx.event
    async def create_space(self, form: dict):
        name = str(form.get("name", ""))
        ok, events = await self._run(
            lambda db, user: spaces.set_active_space(
                db, user, spaces.create_space(db, user, name).id
            ),
            done=self._t("Space “{name}” created", name=name.strip()),
            spend="spaces",
        )
        self.create_open = not ok
        return events

    @rx.event
    async def rename_space(self, form: dict):
        name = str(form.get("name", ""))
        _, events = await self._run(
            spaces.rename_space, self.active_space_id, name, done=self._t("Space renamed")
        )
        return events

    @rx.event
    async def set_mode(self, mode: str):
        try:
            parsed = spaces.parse_mode(mode)
        except DomainError as exc:
            return toast_domain_error(exc, self.locale)
        _, events = await self._run(
            spaces.update_mode, self.active_space_id, parsed, done=self._t("Space mode updated")
        )
        return events

    @rx.event
    async def delete_space(self):
        name = self.active_space.name
        self.delete_open = False
        self.settings_open = False
        _, events = await self._run(
            spaces.delete_space,
            self.active_space_id,
            done=self._t("Space “{name}” deleted", name=name),
        )
        return events

    @rx.event
    def set_create_open(self, value: bool):
        self.create_open = value

    @rx.event
    def set_settings_open(self, value: bool):
        self.settings_open = value

    @rx.event
    def set_delete_open(self, value: bool):
        self.delete_open = value
