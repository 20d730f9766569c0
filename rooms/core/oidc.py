"""Sign-in through Google or any OpenID Connect provider: which providers are configured,
and how a provider's verified identity becomes (or links to) a local account."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session as DbSession
from sqlmodel import col, delete, select, update

from rooms.core import identity, presence, spaces, users
from rooms.core.config import Settings
from rooms.core.errors import Forbidden, InvalidInput, NotFound
from rooms.core.models import (
    AuthSession,
    Participant,
    Space,
    SpaceMember,
    SpaceRole,
    User,
    utcnow,
)
from rooms.core.validation import clean_optional_text

GOOGLE_ISSUER = "https://accounts.google.com"
PROVIDER_IDS = ("google", "oidc")


@dataclass(frozen=True)
class Provider:
    id: str  # the path segment: /api/auth/{id}/login
    name: str
    issuer: str
    client_id: str
    client_secret: str | None

    @property
    def metadata_url(self) -> str:
        return self.issuer.rstrip("/") + "/.well-known/openid-configuration"


def _generic(settings: Settings, provider_id: str) -> Provider | None:
    if not (settings.oidc_issuer and settings.oidc_client_id):
        return None
    return Provider(
        id=provider_id,
        name=settings.oidc_display_name,
        issuer=settings.oidc_issuer,
        client_id=settings.oidc_client_id,
        client_secret=settings.oidc_client_secret,
    )


def provider(settings: Settings, provider_id: str) -> Provider:
    """`google` is Google when GOOGLE_CLIENT_ID is set, else the OIDC_* provider, so the
    seed's URLs work with any provider; `oidc` is always the OIDC_* one."""
    found: Provider | None = None
    if provider_id == "google" and settings.google_client_id:
        found = Provider(
            id="google",
            name="Google",
            issuer=GOOGLE_ISSUER,
            client_id=settings.google_client_id,
            client_secret=settings.google_client_secret,
        )
    elif provider_id in PROVIDER_IDS:
        found = _generic(settings, provider_id)
    if found is None:
        raise NotFound("This sign-in provider is not configured.", code="PROVIDER_NOT_CONFIGURED")
    return found


def configured(settings: Settings) -> list[Provider]:
    out = []
    if settings.google_client_id:
        out.append(provider(settings, "google"))
    generic = _generic(settings, "oidc")
    if generic is not None:
        out.append(generic)
    return out


def _truthy(value: Any) -> bool:
    # Some providers send the boolean as a string.
    return value is True or (isinstance(value, str) and value.lower() == "true")


def _name_from(claims: dict[str, Any]) -> str | None:
    raw = claims.get("name")
    if not isinstance(raw, str):
        return None
    try:  # the same check as every other name (no line breaks, no bidi controls)
        return clean_optional_text(raw[: identity.NAME_MAX], "Name", identity.NAME_MAX)
    except InvalidInput:
        return None


def _replace_unverified(db: DbSession, user: User, name: str | None, avatar: str | None) -> None:
    """Whoever registered this address locally never proved they own it, so nothing they
    set up survives the owner's first verified sign-in (account pre-hijacking): not the
    password or sign-in sessions, not the spaces they created (with their sessions and
    transcripts) or joined, not the name or avatar. The owner gets the account as a new
    one: the provider's name and picture, and a fresh first space."""
    user.password_hash = None
    db.exec(delete(AuthSession).where(col(AuthSession.user_id) == user.id))
    owned = db.exec(
        select(Space)
        .join(SpaceMember, col(SpaceMember.space_id) == col(Space.id))
        .where(SpaceMember.user_id == user.id, SpaceMember.role == SpaceRole.OWNER)
    ).all()
    others = set()
    for space in owned:
        others |= set(
            db.exec(select(SpaceMember.user_id).where(SpaceMember.space_id == space.id)).all()
        )
        db.delete(space)
    db.exec(delete(SpaceMember).where(col(SpaceMember.user_id) == user.id))
    # Rows in other people's sessions stay theirs to read, but are no longer this account.
    now = utcnow()
    presence.departed(db, select(Participant.id).where(col(Participant.user_id) == user.id), now)
    db.exec(
        update(Participant)
        .where(col(Participant.user_id) == user.id)
        .values(user_id=None, left_at=now, is_transcription_host=False)
    )
    user.active_space_id = None
    user.name = user.display_name = name
    user.avatar_url = avatar
    user.email_verified = True
    db.add(user)
    db.flush()
    for member_id in others | {user.id}:  # everyone keeps a valid active space
        member = db.get(User, member_id)
        if member is not None:
            db.refresh(member)
            spaces.ensure_user_has_active_space(db, member)


def sign_in(db: DbSession, claims: dict[str, Any]) -> User:
    """The account for a provider's verified email: existing (linked) or new.

    Only a verified email may link, or anyone could claim someone else's account by
    registering their address at a provider that does not check it. An account whose email
    we never verified is replaced rather than linked (see _replace_unverified)."""
    email = claims.get("email")
    if not isinstance(email, str) or not _truthy(claims.get("email_verified")):
        raise Forbidden(
            "Your provider did not confirm a verified email address.", code="EMAIL_NOT_VERIFIED"
        )
    name = _name_from(claims)
    picture = claims.get("picture")
    avatar = picture if isinstance(picture, str) and picture.startswith("https://") else None
    if avatar and len(avatar) > identity.AVATAR_URL_MAX:
        avatar = None
    user = users.get_user_by_email(db, email)
    if user is None:
        return identity.create_user(
            db,
            email=email,
            name=name,
            email_verified=True,
            avatar_url=avatar,
        )
    if not user.email_verified:
        _replace_unverified(db, user, name, avatar)
        return user
    if not user.name and name:
        user.name = name
    if not user.avatar_url and avatar:
        user.avatar_url = avatar
    user.updated_at = utcnow()
    db.add(user)
    db.flush()
    return user
