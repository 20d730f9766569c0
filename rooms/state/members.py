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
from rooms.core.i18n import N_
from rooms.core.identity import display_name
from rooms.core.mail import Mail
from rooms.core.members import Departure
from rooms.core.models import SpaceRole, User
from rooms.state.spaces import SpacesState
from rooms.state.toasts import toast_domain_error, toast_error, toast_ok

# English ids, shown with t(label) in components.
ROLE_LABELS = {SpaceRole.OWNER.value: N_("Owner"), SpaceRole.MEMBER.value: N_("Member")}


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
    db: DbSession, user: User, space_id: str, locale: str
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
            expires=invitations.expiry_label(inv.expires_at, locale),
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
            self.members, self.invitations = await self._as_user(
                _snapshot, self.active_space_id, self.locale
            )
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
        if role == SpaceRole.OWNER.value:
            texts = (
                self._t("Make {name} an owner?", name=name),
                self._t("Owners rename and delete the space, invite and remove people."),
                self._t("Make owner"),
            )
        else:
            texts = (
                self._t("Make {name} a member?", name=name),
                self._t("Members take part in sessions; they no longer manage the space."),
                self._t("Make member"),
            )
        self._ask(["role", user_id, role, name], *texts)

    @rx.event
    def ask_remove(self, user_id: str, name: str):
        self._ask(
            ["remove", user_id, name],
            self._t("Remove {name} from “{space}”?", name=name, space=self.active_space.name),
            self._t(
                "They lose access to its sessions and transcripts at once, also in open pages."
            ),
            self._t("Remove"),
        )

    @rx.event
    def ask_revoke(self, invitation_id: str):
        self._ask(
            ["revoke", invitation_id],
            self._t("Revoke this invitation?"),
            self._t("Its link stops working for everyone who has it."),
            self._t("Revoke"),
        )

    @rx.event
    def ask_leave(self):
        self._ask(
            ["leave"],
            self._t("Leave “{space}”?", space=self.active_space.name),
            self._t(
                "You lose access to its sessions and transcripts until someone invites you again."
            ),
            self._t("Leave space"),
        )

    def _planned(self, pending: list[str]) -> tuple[Callable[..., Any], tuple[Any, ...], str]:
        """The core call a confirmed action makes, its arguments, and the toast after it."""
        space_id, action = self.active_space_id, pending[0]
        if action == "role":
            role = members.parse_role(pending[2])
            done = (
                self._t("{name} is now an owner", name=pending[3])
                if role == SpaceRole.OWNER
                else self._t("{name} is now a member", name=pending[3])
            )
            return members.change_role, (space_id, pending[1], role), done
        if action == "remove":
            done = self._t("{name} removed", name=pending[2])
            return members.remove_member, (space_id, pending[1]), done
        if action == "revoke":
            return invitations.revoke, (space_id, pending[1]), self._t("Invitation revoked")
        done = self._t("You left “{space}”", space=self.active_space.name)
        return members.leave_space, (space_id,), done

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
            return [*events, toast_ok(self._t("Invitation created: copy the link to share it"))]
        if await asyncio.to_thread(mail.send, letter):
            return [*events, toast_ok(self._t("Invitation emailed to {email}", email=letter.to))]
        return [
            *events,
            toast_error(self._t("The email could not be sent: copy the link instead.")),
        ]

    @rx.event
    def copy_link(self, url: str):
        return [rx.set_clipboard(url), toast_ok(self._t("Invitation link copied"))]
