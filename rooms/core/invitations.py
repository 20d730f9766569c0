"""Invitations to a space: created and revoked by its owners, read by whoever holds the
link, accepted by a signed-in account (only the invited one when bound to an email).

Rules, one function each: `require_inviter` (who may create, list and revoke),
`open_invitation` (which tokens still lead anywhere: unknown and revoked are 404, expired
410), `check_may_accept` (an email-bound invitation accepts only that account). A link
without an email is for anyone holding it until it expires or is revoked; one bound to an
email is used up when that account accepts it.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session as DbSession
from sqlmodel import col, select

from rooms import routes
from rooms.core import i18n
from rooms.core.config import Settings, get_settings
from rooms.core.errors import Conflict, Forbidden, Gone, NotFound
from rooms.core.identity import display_name
from rooms.core.mail import Mail
from rooms.core.models import Invitation, Space, SpaceMember, SpaceRole, User, utcnow
from rooms.core.spaces import membership, require_owner, set_active_space
from rooms.core.validation import clean_email, is_lookup_key

TOKEN_BYTES = 24  # 32 URL-safe characters
_TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{16,64}")


@dataclass(frozen=True)
class InvitationView:
    """What the invite page and GET /api/invitations/{token} show to a token's holder."""

    invitation: Invitation
    space_name: str
    invited_by: str


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def invite_url(token: str, settings: Settings | None = None) -> str:
    base = (settings or get_settings()).app_url.rstrip("/")
    return routes.absolute(base, routes.invite(token))


def is_expired(invitation: Invitation, now: datetime | None = None) -> bool:
    return invitation.expires_at <= (now or utcnow())


def require_inviter(db: DbSession, user: User, space_id: str) -> Space:
    """Who may invite, see the open invitations and revoke them: the space's owners."""
    return require_owner(db, user, space_id)


def create_invitation(
    db: DbSession, user: User, space_id: str, role: SpaceRole, email: str | None = None
) -> Invitation:
    space = require_inviter(db, user, space_id)
    bound = clean_email(email) if email and email.strip() else None
    if bound is not None:
        from_members = db.exec(
            select(User.id)
            .join(SpaceMember, col(SpaceMember.user_id) == col(User.id))
            .where(SpaceMember.space_id == space.id, User.email == bound)
        ).first()
        if from_members is not None:
            raise Conflict("This person is already a member.", code="ALREADY_MEMBER")
    ttl = timedelta(days=get_settings().invitation_ttl_days)
    invitation = Invitation(
        space_id=space.id,
        token=new_token(),
        email=bound,
        role=role,
        invited_by_user_id=user.id,
        expires_at=utcnow() + ttl,
    )
    db.add(invitation)
    db.flush()
    return invitation


def list_open(db: DbSession, user: User, space_id: str) -> list[Invitation]:
    """Invitations that can still be accepted, newest first."""
    require_inviter(db, user, space_id)
    rows = db.exec(
        select(Invitation)
        .where(
            Invitation.space_id == space_id,
            col(Invitation.revoked_at).is_(None),
            col(Invitation.accepted_at).is_(None),
        )
        .order_by(col(Invitation.created_at).desc(), col(Invitation.id))
    ).all()
    now = utcnow()
    return [inv for inv in rows if not is_expired(inv, now)]


def revoke(db: DbSession, user: User, space_id: str, invitation_id: str) -> Invitation:
    require_inviter(db, user, space_id)
    invitation = db.get(Invitation, invitation_id) if is_lookup_key(invitation_id) else None
    if invitation is None or invitation.space_id != space_id or invitation.revoked_at:
        raise NotFound("Invitation not found.", code="INVITATION_NOT_FOUND")
    invitation.revoked_at = utcnow()
    db.add(invitation)
    db.flush()
    return invitation


def open_invitation(db: DbSession, token: str) -> Invitation:
    """The invitation behind a token, if it still leads anywhere."""
    invitation = (
        db.exec(select(Invitation).where(Invitation.token == token)).first()
        if _TOKEN_RE.fullmatch(token)
        else None
    )
    if invitation is None or invitation.revoked_at is not None:
        raise NotFound(
            "This invitation does not exist or was revoked.", code="INVITATION_NOT_FOUND"
        )
    if is_expired(invitation):
        raise Gone("This invitation has expired.", code="INVITATION_EXPIRED")
    return invitation


def view(db: DbSession, token: str) -> InvitationView:
    invitation = open_invitation(db, token)
    space = db.get(Space, invitation.space_id)
    assert space is not None  # the invitation's foreign key
    inviter = db.get(User, invitation.invited_by_user_id) if invitation.invited_by_user_id else None
    return InvitationView(
        invitation=invitation,
        space_name=space.name,
        invited_by=display_name(inviter) if inviter else "Someone",
    )


def check_may_accept(invitation: Invitation, user: User) -> None:
    """An invitation bound to an email accepts only the account with that email."""
    if invitation.email is not None and clean_email(user.email) != invitation.email:
        raise Forbidden(
            "This invitation is for another email address. Sign in with that account.",
            code="INVITATION_FOR_ANOTHER_ACCOUNT",
        )


def accept(db: DbSession, user: User, token: str) -> SpaceMember:
    """Make the caller a member with the invited role, and the space their active one.
    Accepting again (or being a member already) changes nothing but never demotes."""
    invitation = open_invitation(db, token)
    check_may_accept(invitation, user)
    member = membership(db, user.id, invitation.space_id)
    if member is None:
        member = SpaceMember(space_id=invitation.space_id, user_id=user.id, role=invitation.role)
        try:
            with db.begin_nested():
                db.add(member)
        except IntegrityError:  # the same person accepting in two tabs at once
            member = membership(db, user.id, invitation.space_id)
            assert member is not None
    elif invitation.role == SpaceRole.OWNER and member.role != SpaceRole.OWNER:
        member.role = SpaceRole.OWNER
        db.add(member)
    if invitation.email is not None and invitation.accepted_at is None:
        invitation.accepted_at = utcnow()
        invitation.accepted_by_user_id = user.id
        db.add(invitation)
    db.flush()
    set_active_space(db, user, invitation.space_id)
    return member


def invitation_mail(db: DbSession, invitation: Invitation) -> Mail | None:
    """The email for an invitation bound to an address (a bare link has nobody to mail)."""
    if invitation.email is None:
        return None
    shown = view(db, invitation.token)
    role = "an owner" if invitation.role == SpaceRole.OWNER else "a member"
    expires = invitation.expires_at.strftime("%d %B %Y")
    text = (
        f"{shown.invited_by} invites you to join the space “{shown.space_name}” on Rooms "
        f"as {role}.\n\nOpen this link to accept (it works until {expires}):\n"
        f"{invite_url(invitation.token)}\n\nIf you did not expect this, ignore this email.\n"
    )
    return Mail(to=invitation.email, subject=f"Join “{shown.space_name}” on Rooms", text=text)


def expiry_label(expires_at: datetime, locale: str = i18n.DEFAULT_LOCALE) -> str:
    """`Expires Dec 9, 2026`, in the reader's language (the state passes `self.locale`)."""
    when = i18n.format_date(expires_at, locale)
    return i18n.gettext(locale, i18n.N_("Expires {date}"), date=when)
