"""Sign-in through Google or any OpenID Connect provider: which providers are configured,
and how a provider's verified identity becomes (or links to) a local account."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session as DbSession
from sqlmodel import delete

from rooms.core import identity
from rooms.core.config import Settings
from rooms.core.errors import Forbidden, NotFound
from rooms.core.models import AuthSession, User, utcnow

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


def sign_in(db: DbSession, claims: dict[str, Any]) -> User:
    """The account for a provider's verified email: existing (linked) or new.

    Only a verified email may link, or anyone could claim someone else's account by
    registering their address at a provider that does not check it. Linking to an account
    whose email we never verified ends its password and sessions: whoever registered it
    locally may not be the owner of the address (pre-hijacking)."""
    email = claims.get("email")
    if not isinstance(email, str) or not _truthy(claims.get("email_verified")):
        raise Forbidden(
            "Your provider did not confirm a verified email address.", code="EMAIL_NOT_VERIFIED"
        )
    name = claims.get("name") if isinstance(claims.get("name"), str) else None
    picture = claims.get("picture")
    avatar = picture if isinstance(picture, str) and picture.startswith("https://") else None
    if avatar and len(avatar) > identity.AVATAR_URL_MAX:
        avatar = None
    user = identity.get_user_by_email(db, email)
    if user is None:
        return identity.create_user(
            db,
            email=email,
            name=(name or "")[: identity.NAME_MAX] or None,
            email_verified=True,
            avatar_url=avatar,
        )
    if not user.email_verified:
        user.password_hash = None
        db.exec(delete(AuthSession).where(AuthSession.user_id == user.id))  # type: ignore[arg-type]
        user.email_verified = True
    if not user.name and name:
        user.name = name[: identity.NAME_MAX]
    if not user.avatar_url and avatar:
        user.avatar_url = avatar
    user.updated_at = utcnow()
    db.add(user)
    db.flush()
    return user
