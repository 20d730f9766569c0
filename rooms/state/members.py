"""The members dialog of the active space: who is in it and the open invitations (owners
change roles, remove people, invite and revoke), and leaving it. Every rule is in
rooms/core (members.py, invitations.py); a refusal comes back as a toast."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable
from typing import Any

import reflex as rx
from sqlmodel import Session as DbSession

from rooms.core import invitations, mail, members, spaces
from rooms.core.errors import DomainError
from rooms.core.identity import display_name
from rooms.core.mail import Mail
from rooms.core.members import Departure
from rooms.core.models import SpaceRole, User
from rooms.state.spaces import SpacesState
from rooms.state.toasts import toast_domain_error, toast_error, toast_ok

ROLE_LABELS = {SpaceRole.OWNER.value: "Owner", SpaceRole.MEMBER.value: "Member"}


@dataclasses.dataclass
class MemberItem:
    user_id: str = ""
    name: str = ""
    email: str = ""
    role: str = ""
    you: bool = False


@dataclasses.dataclass
class InvitationItem:
    id: str = ""
    url: str = ""
    email: str = ""
    role: str = ""
    expires: str = ""


def _snapshot(
    db: DbSession, user: User, space_id: str
) -> tuple[list[MemberItem], list[InvitationItem]]:
    rows = spaces.list_members(db, user, space_id)
    owner = spaces.require_member(db, user, space_id).role == SpaceRole.OWNER
    people = [
        MemberItem(
            user_id=u.id,
            name=display_name(u),
            email=u.email,
            role=m.role.value,
            you=u.id == user.id,
        )
        for m, u in rows
    ]
    links = [
        InvitationItem(
            id=inv.id,
            url=invitations.invite_url(inv.token),
            email=inv.email or "",
            role=inv.role.value,
            expires=invitations.expiry_label(inv),
        )
        for inv in (invitations.list_open(db, user, space_id) if owner else [])
    ]
    return people, links


def _invite(
    db: DbSession, user: User, space_id: str, role: str, email: str
) -> tuple[str, Mail | None]:
    invitation = invitations.create_invitation(
        db, user, space_id, members.parse_role(role), email or None
    )
    letter = invitations.invitation_mail(db, invitation) if mail.configured() else None
    return invitations.invite_url(invitation.token), letter


class SpaceMembersState(SpacesState):
    members: list[MemberItem] = []
    invitations: list[InvitationItem] = []
    new_link: str = ""
    confirm_open: bool = False
    confirm_title: str = ""
    confirm_message: str = ""
    confirm_label: str = ""
    # What the confirmation will do, where no client can change it (plain vars can be set
    # by Reflex's setvar event).
    _pending: list[str] = []

    async def _load(self) -> list[Any]:
        try:
            self.members, self.invitations = await self._as_user(_snapshot, self.active_space_id)
        except DomainError as exc:
            self.members, self.invitations = [], []
            return [toast_domain_error(exc, self.locale)]
        return []

    @rx.event
    async def open_members(self):
        self.members_open, self.new_link = True, ""
        return await self._load()

    @rx.event
    def set_members_open(self, value: bool):
        self.members_open = value

    @rx.event
    def set_confirm_open(self, value: bool):
        self.confirm_open = value
        if not value:
            self._pending = []

    def _ask(self, pending: list[str], title: str, message: str, label: str) -> None:
        self._pending = pending
        self.confirm_title, self.confirm_message, self.confirm_label = title, message, label
        self.confirm_open = True

    @rx.event
    def ask_role(self, user_id: str, name: str, role: str):
        label = ROLE_LABELS.get(role, role)
        self._ask(
            ["role", user_id, role, name],
            f"Make {name} {'an' if role == SpaceRole.OWNER.value else 'a'} {label.lower()}?",
            "Owners rename and delete the space, invite and remove people."
            if role == SpaceRole.OWNER.value
            else "Members take part in sessions; they no longer manage the space.",
            f"Make {label.lower()}",
        )

    @rx.event
    def ask_remove(self, user_id: str, name: str):
        self._ask(
            ["remove", user_id, name],
            f"Remove {name} from “{self.active_space.name}”?",
            "They lose access to its sessions and transcripts at once, also in open pages.",
            "Remove",
        )

    @rx.event
    def ask_revoke(self, invitation_id: str):
        self._ask(
            ["revoke", invitation_id],
            "Revoke this invitation?",
            "Its link stops working for everyone who has it.",
            "Revoke",
        )

    @rx.event
    def ask_leave(self):
        self._ask(
            ["leave"],
            f"Leave “{self.active_space.name}”?",
            "You lose access to its sessions and transcripts until someone invites you again.",
            "Leave space",
        )

    def _planned(self, pending: list[str]) -> tuple[Callable[..., Any], tuple[Any, ...], str]:
        """The core call a confirmed action makes, its arguments, and the toast after it."""
        space_id, action = self.active_space_id, pending[0]
        if action == "role":
            role = members.parse_role(pending[2])
            label = ROLE_LABELS[role.value].lower()
            return members.change_role, (space_id, pending[1], role), f"{pending[3]} is now {label}"
        if action == "remove":
            return members.remove_member, (space_id, pending[1]), f"{pending[2]} removed"
        if action == "revoke":
            return invitations.revoke, (space_id, pending[1]), "Invitation revoked"
        return members.leave_space, (space_id,), f"You left “{self.active_space.name}”"

    @rx.event
    async def confirm(self):
        pending, self._pending, self.confirm_open = self._pending, [], False
        if not pending:
            return None
        try:
            work, args, done = self._planned(pending)
            result = await self._as_user(work, *args)
        except DomainError as exc:
            return toast_domain_error(exc, self.locale)
        if isinstance(result, Departure):
            await members.drop_from_rooms(result)
        events: list[Any] = [toast_ok(done)]
        if pending[0] == "leave":
            self.members_open = False
        else:
            events += await self._load()
        await self._reload_spaces()
        follow = await self._after_space_change()
        return [*events, *([follow] if follow else [])]

    @rx.event
    async def create_invitation(self, form: dict):
        role = str(form.get("role") or SpaceRole.MEMBER.value)
        email = str(form.get("email") or "").strip()
        try:
            await self._spend("spaces")
            self.new_link, letter = await self._as_user(_invite, self.active_space_id, role, email)
        except DomainError as exc:
            return toast_domain_error(exc, self.locale)
        events = await self._load()
        if letter is None:
            return [*events, toast_ok("Invitation created: copy the link to share it")]
        if await asyncio.to_thread(mail.send, letter):
            return [*events, toast_ok(f"Invitation emailed to {letter.to}")]
        return [*events, toast_error("The email could not be sent: copy the link instead.")]

    @rx.event
    def copy_link(self, url: str):
        return [rx.set_clipboard(url), toast_ok("Invitation link copied")]
